// The admin center's cross-tenant access pages on both stores, with two tenants of one deployment: Fabrikam's
// members invited into Contoso. Each save from a page goes through the domain functions (with their audit events) and
// takes effect at the next invitation: a blocked default refuses it, a partner allowing Fabrikam lets it through,
// automatic redemption on both sides completes it at once with the notice email, removing the partner brings the
// default back. Bad ids and organizations give 400 at the field and change nothing; a Guest Inviter and a wrong CSRF
// value are refused.
import assert from 'node:assert/strict';
import { before, beforeEach, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { deletePartner, getDefault, listPartners, resetDefault } from '../../src/crosstenant/policy.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { addMember, createGroup } from '../../src/directory/groups.ts';
import { grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { assertGraphError, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const RULES = ['inbound-users', 'inbound-apps', 'outbound-users', 'outbound-apps'] as const;
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;

/** The default form as a browser sends it: every rule allowed for all, then `changes`. */
const defaultForm = (csrf: string, changes: Record<string, string> = {}) => ({
  csrf,
  ...Object.fromEntries(
    RULES.flatMap((r) => [
      [`${r}-access`, 'allowed'],
      [`${r}-scope`, 'all'],
      [`${r}-ids`, ''],
    ]),
  ),
  ...changes,
});
/** A partner form: every rule inheriting, no automatic redemption, then `changes`. */
const partnerForm = (csrf: string, changes: Record<string, string> = {}) => ({
  csrf,
  ...Object.fromEntries(
    RULES.flatMap((r) => [
      [`${r}-access`, 'inherit'],
      [`${r}-scope`, 'all'],
      [`${r}-ids`, ''],
    ]),
  ),
  ...changes,
});

suite('admin center cross-tenant access', { runWorker: false }, ({ s }) => {
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  let n = 0;
  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    const ivy = (
      await contoso.api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: 'ivy',
        mailNickname: 'ivy',
        userPrincipalName: 'ivy@contoso.example',
        passwordProfile: { password: PASSWORD },
      })
    ).body;
    await grantRoles(contoso, ivy.id, [GUEST_INVITER]);
  });

  // Each test starts from the service defaults on both sides.
  beforeEach(async () => {
    const { store, clock } = s.portico.services;
    const actor = { kind: 'system' as const, displayName: 'test' };
    for (const t of [contoso, fabrikam]) {
      await store.transaction(async (tx) => {
        await resetDefault(tx, clock, t.tenantId, actor);
        for (const p of await listPartners(tx, t.tenantId))
          await deletePartner(tx, clock, t.tenantId, p.tenantId, actor);
      });
    }
  });

  const db = () => s.portico.services.store.db;
  const open = (jar: CookieJar, url: string, login?: Login) => openAdmin(s, jar, url, login);
  const adminOf = (t: TenantApi, email: string) => ({
    email,
    get password() {
      return t.adminPassword;
    },
  });
  const page = (t: TenantApi, path = '') => `${s.baseUrl}/admin/${t.tenantId}/cross-tenant${path}`;
  /** A jar signed in to `t`'s admin center and the CSRF value of the main page. */
  const signIn = async (t: TenantApi, login: Login) => {
    const jar = new CookieJar();
    const main = await open(jar, page(t), login);
    assert.equal(main.status, 200);
    return { jar, csrf: csrfOf(main.page), main: main.page };
  };
  const asContoso = () => signIn(contoso, adminOf(contoso, 'admin@contoso.example'));
  const asFabrikam = () => signIn(fabrikam, adminOf(fabrikam, 'admin@fabrikam.example'));
  /** A new member of Fabrikam. */
  const member = async () => {
    const upn = `person${++n}@fabrikam.example`;
    const created = (
      await fabrikam.api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: `Person ${n}`,
        mailNickname: `person${n}`,
        userPrincipalName: upn,
        passwordProfile: { password: PASSWORD },
      })
    ).body;
    return { upn, id: created.id as string };
  };
  const invite = (email: string) =>
    contoso.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: 'https://myapps.example/',
      sendInvitationMessage: true,
    });
  const audits = async (t: TenantApi) =>
    (await listAudit(db(), t.tenantId, { top: 50 })).map((e) => ({
      activity: e.activityDisplayName,
      by: e.initiatedBy.kind === 'user' ? e.initiatedBy.userPrincipalName : '',
    }));
  const state = async (t: TenantApi) => ({
    default: await getDefault(db(), t.tenantId),
    partners: await listPartners(db(), t.tenantId),
  });

  it('shows the defaults with labelled controls and refuses to turn on automatic redemption there', async () => {
    const { main } = await asContoso();
    assert.match(main, /aria-current="page"[^>]*>Cross-tenant access/);
    assert.match(main, /These are the service defaults/);
    assert.match(main, /No organization has settings of its own/);
    assert.match(unescape(main), /Off\. Automatic redemption cannot be turned on in the default settings/);
    assert.doesNotMatch(main, /name="autoInbound"/);
    for (const r of RULES) {
      assert.match(
        main,
        new RegExp(`<input type="radio" id="${r}-access-allowed" name="${r}-access" value="allowed" checked=""/>`),
      );
      assert.match(
        main,
        new RegExp(`<input type="radio" id="${r}-scope-all" name="${r}-scope" value="all" checked=""/>`),
      );
    }
    // Every control has its label; the radio groups sit in fieldsets with legends.
    const ids = [...main.matchAll(/<(?:input|textarea|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    assert.ok(ids.length >= 21, `found ${ids.length} controls`);
    for (const id of ids) assert.ok(main.includes(`<label for="${id}"`), `label for ${id}`);
    assert.equal((main.match(/<fieldset>/g) ?? []).length, 12);
    assert.equal((main.match(/<legend>/g) ?? []).length, 12);
    assert.match(main, /<legend>Access<\/legend>/);
    assert.match(
      main,
      /<textarea id="inbound-users-ids" name="inbound-users-ids" rows="3" aria-describedby="inbound-users-hint">/,
    );
  });

  it('blocking inbound collaboration in the default refuses the invitation; restoring the service defaults lets it through', async () => {
    const { jar, csrf } = await asContoso();
    const saved = await postForm(jar, page(contoso), defaultForm(csrf, { 'inbound-users-access': 'blocked' }));
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get('location'), `/admin/${contoso.tenantId}/cross-tenant?saved=1`);
    const stored = await getDefault(db(), contoso.tenantId);
    assert.equal(stored.isServiceDefault, false);
    assert.deepEqual(stored.b2bCollaborationInbound.usersAndGroups, {
      accessType: 'blocked',
      targets: [{ target: 'AllUsers', targetType: 'user' }],
    });
    assert.deepEqual(stored.b2bCollaborationOutbound.usersAndGroups, {
      accessType: 'allowed',
      targets: [{ target: 'AllUsers', targetType: 'user' }],
    });
    assert.ok(
      (await audits(contoso)).some(
        (e) => e.activity === 'Update a cross-tenant access default setting' && e.by === 'admin@contoso.example',
      ),
    );
    const api = (await contoso.api('GET', '/v1.0/policies/crossTenantAccessPolicy/default')).body;
    assert.equal(api.b2bCollaborationInbound.usersAndGroups.accessType, 'blocked');

    const shown = await open(jar, page(contoso, '?saved=1'));
    assert.match(shown.page, /role="status">The cross-tenant access settings were saved/);
    assert.match(
      shown.page,
      /id="inbound-users-access-blocked" name="inbound-users-access" value="blocked" checked=""/,
    );

    const { upn } = await member();
    const refused = await invite(upn);
    assertGraphError(refused, 403, 'Authorization_RequestDenied');
    assert.equal((await contoso.api('GET', `/v1.0/users?$filter=mail eq '${upn}'`)).body.value.length, 0);

    const reset = await postForm(jar, page(contoso, '/reset'), { csrf });
    assert.equal(reset.status, 303);
    assert.equal((await getDefault(db(), contoso.tenantId)).isServiceDefault, true);
    assert.ok(
      (await audits(contoso)).some(
        (e) => e.activity === 'Reset the cross-tenant access default settings' && e.by === 'admin@contoso.example',
      ),
    );
    assert.equal((await invite(upn)).status, 201);
  });

  it('selected ids: outbound allowed only for a group of Fabrikam lets its members out and no one else', async () => {
    const inside = await member();
    const outside = await member();
    const { store, clock } = s.portico.services;
    const group = await store.transaction(async (tx) => {
      const g = await createGroup(tx, clock, fabrikam.tenantId, { displayName: 'Partners team' });
      await addMember(tx, fabrikam.tenantId, g.id, inside.id);
      return g;
    });
    const { jar, csrf } = await asFabrikam();
    const saved = await postForm(
      jar,
      page(fabrikam),
      defaultForm(csrf, {
        'outbound-users-scope': 'selected',
        'outbound-users-ids': `${group.id.toUpperCase()}\r\n\r\n${group.id}\r\n`,
      }),
    );
    assert.equal(saved.status, 303);
    assert.deepEqual((await getDefault(db(), fabrikam.tenantId)).b2bCollaborationOutbound.usersAndGroups, {
      accessType: 'allowed',
      targets: [{ target: group.id, targetType: 'group' }],
    });
    const shown = await open(jar, page(fabrikam));
    assert.match(
      shown.page,
      /id="outbound-users-scope-selected" name="outbound-users-scope" value="selected" checked=""/,
    );
    assert.ok(shown.page.includes(`aria-describedby="outbound-users-hint">${group.id}</textarea>`));

    assert.equal((await invite(inside.upn)).status, 201);
    assertGraphError(await invite(outside.upn), 403, 'Authorization_RequestDenied');
  });

  it('a partner allowing Fabrikam in lets the invitation through the blocked default; removing it brings the default back', async () => {
    const { jar, csrf } = await asContoso();
    await postForm(jar, page(contoso), defaultForm(csrf, { 'inbound-users-access': 'blocked' }));
    const first = await member();
    assertGraphError(await invite(first.upn), 403, 'Authorization_RequestDenied');

    // Added by its verified domain: the partner starts inheriting everything.
    const added = await postForm(jar, page(contoso, '/partners'), { csrf, organization: ' Fabrikam.example ' });
    assert.equal(added.status, 303);
    const partnerUrl = page(contoso, `/partners/${fabrikam.tenantId}`);
    assert.equal(
      added.headers.get('location'),
      `/admin/${contoso.tenantId}/cross-tenant/partners/${fabrikam.tenantId}?added=1`,
    );
    assert.deepEqual(
      (await listPartners(db(), contoso.tenantId)).map((p) => p.tenantId),
      [fabrikam.tenantId],
    );
    assert.ok(
      (await audits(contoso)).some(
        (e) => e.activity === 'Add a partner to cross-tenant access setting' && e.by === 'admin@contoso.example',
      ),
    );
    assertGraphError(await invite(first.upn), 403, 'Authorization_RequestDenied');
    const main = await open(jar, page(contoso));
    assert.match(
      main.page,
      new RegExp(
        `<td><a href="/admin/${contoso.tenantId}/cross-tenant/partners/${fabrikam.tenantId}">Fabrikam</a></td><td>${fabrikam.tenantId}</td><td>Inherited from default</td><td>Inherited from default</td><td>inbound off, outbound off</td>`,
      ),
    );

    const partner = await open(jar, `${partnerUrl}?added=1`);
    assert.equal(partner.status, 200);
    assert.match(partner.page, /<h1>Cross-tenant access: Fabrikam<\/h1>/);
    assert.match(partner.page, /role="status">The organization was added/);
    assert.match(
      partner.page,
      /<input type="radio" id="inbound-users-access-inherit" name="inbound-users-access" value="inherit" checked=""\/> <label for="inbound-users-access-inherit" class="inline">Inherit from the default \(blocked for all users\)<\/label>/,
    );
    assert.match(
      partner.page,
      /<label for="autoInbound" class="inline">Inbound: redeem invitations of people of Fabrikam to this organization automatically<\/label>/,
    );

    const saved = await postForm(jar, partnerUrl, partnerForm(csrf, { 'inbound-users-access': 'allowed' }));
    assert.equal(saved.status, 303);
    const api = (await contoso.api('GET', `/v1.0/policies/crossTenantAccessPolicy/partners/${fabrikam.tenantId}`)).body;
    assert.deepEqual(api.b2bCollaborationInbound, {
      usersAndGroups: { accessType: 'allowed', targets: [{ target: 'AllUsers', targetType: 'user' }] },
      applications: null,
    });
    assert.equal(api.b2bCollaborationOutbound, null);
    assert.deepEqual(api.automaticUserConsentSettings, { inboundAllowed: false, outboundAllowed: false });
    assert.ok(
      (await audits(contoso)).some(
        (e) => e.activity === 'Update a partner cross-tenant access setting' && e.by === 'admin@contoso.example',
      ),
    );
    const inv = await invite(first.upn);
    assert.equal(inv.status, 201);
    assert.equal(inv.body.status, 'PendingAcceptance');
    const listed = await open(jar, page(contoso));
    assert.match(listed.page, /<td>Customised<\/td><td>Inherited from default<\/td>/);

    // Removal asks first, on a page of its own.
    const confirm = await open(jar, `${partnerUrl}/remove`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.page, /<h1>Remove Fabrikam\?<\/h1>/);
    assert.match(
      confirm.page,
      new RegExp(
        `<form method="post" action="/admin/${contoso.tenantId}/cross-tenant/partners/${fabrikam.tenantId}/remove">`,
      ),
    );
    assert.equal((await listPartners(db(), contoso.tenantId)).length, 1, 'opening the confirmation removes nothing');
    const removed = await postForm(jar, `${partnerUrl}/remove`, { csrf });
    assert.equal(removed.status, 303);
    assert.equal(removed.headers.get('location'), `/admin/${contoso.tenantId}/cross-tenant?removed=1`);
    assert.deepEqual(await listPartners(db(), contoso.tenantId), []);
    assert.ok(
      (await audits(contoso)).some(
        (e) => e.activity === 'Delete partner specific cross-tenant access setting' && e.by === 'admin@contoso.example',
      ),
    );
    assert.equal((await open(jar, partnerUrl)).status, 404);
    assertGraphError(await invite((await member()).upn), 403, 'Authorization_RequestDenied');
  });

  it('automatic redemption ticked inbound on Contoso and outbound on Fabrikam completes the invitation at once', async () => {
    const c = await asContoso();
    const f = await asFabrikam();
    // Fabrikam adds Contoso by its tenant id.
    assert.equal(
      (await postForm(c.jar, page(contoso, '/partners'), { csrf: c.csrf, organization: fabrikam.tenantId })).status,
      303,
    );
    assert.equal(
      (
        await postForm(f.jar, page(fabrikam, '/partners'), {
          csrf: f.csrf,
          organization: contoso.tenantId.toUpperCase(),
        })
      ).status,
      303,
    );

    // One side alone is not enough.
    assert.equal(
      (
        await postForm(
          c.jar,
          page(contoso, `/partners/${fabrikam.tenantId}`),
          partnerForm(c.csrf, { autoInbound: '1' }),
        )
      ).status,
      303,
    );
    const half = await member();
    assert.equal((await invite(half.upn)).body.status, 'PendingAcceptance');

    assert.equal(
      (
        await postForm(
          f.jar,
          page(fabrikam, `/partners/${contoso.tenantId}`),
          partnerForm(f.csrf, { autoOutbound: '1' }),
        )
      ).status,
      303,
    );
    assert.deepEqual((await listPartners(db(), fabrikam.tenantId))[0]!.automaticUserConsentSettings, {
      inboundAllowed: false,
      outboundAllowed: true,
    });
    const shown = await open(f.jar, page(fabrikam, `/partners/${contoso.tenantId}`));
    assert.match(shown.page, /<input id="autoOutbound" name="autoOutbound" type="checkbox" value="1" checked=""\/>/);
    assert.match(shown.page, /<input id="autoInbound" name="autoInbound" type="checkbox" value="1"\/>/);
    assert.match((await open(c.jar, page(contoso))).page, /<td>inbound on, outbound off<\/td>/);

    const { upn } = await member();
    const res = await invite(upn);
    assert.equal(res.status, 201);
    assert.equal(res.body.status, 'Completed');
    assert.equal(
      (await contoso.api('GET', `/v1.0/users/${res.body.invitedUser.id}`)).body.externalUserState,
      'Accepted',
    );
    await s.portico.worker.runOnce();
    const mails = s.smtp.messages().filter((m) => m.to.includes(upn));
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.subject, 'You now have access to Contoso');
    assert.doesNotMatch(mails[0]!.text, /\/redeem\?ticket=/);

    // Unticked again: back to the consent prompt.
    assert.equal(
      (await postForm(c.jar, page(contoso, `/partners/${fabrikam.tenantId}`), partnerForm(c.csrf))).status,
      303,
    );
    assert.equal((await invite((await member()).upn)).body.status, 'PendingAcceptance');
  });

  // mfa-policy: inbound trust (Graph's inboundTrust.isMfaAccepted) on the default's and a partner's form.
  it('trusts MFA from other organizations in the default and from a partner, as ticked', async () => {
    const c = await asContoso();
    assert.match(c.main, /Trust multifactor authentication from other organizations/);
    assert.equal((await postForm(c.jar, page(contoso), defaultForm(c.csrf, { trustMfa: '1' }))).status, 303);
    assert.equal((await getDefault(db(), contoso.tenantId)).inboundTrust.isMfaAccepted, true);
    const main = await open(c.jar, page(contoso));
    assert.match(main.page, /id="trustMfa"[^>]*checked/);
    assert.equal((await postForm(c.jar, page(contoso), defaultForm(c.csrf))).status, 303);
    assert.equal((await getDefault(db(), contoso.tenantId)).inboundTrust.isMfaAccepted, false, 'unticked: off');

    assert.equal(
      (await postForm(c.jar, page(contoso, '/partners'), { csrf: c.csrf, organization: fabrikam.tenantId })).status,
      303,
    );
    const partner = page(contoso, `/partners/${fabrikam.tenantId}`);
    assert.equal((await postForm(c.jar, partner, partnerForm(c.csrf, { trustMfa: '1' }))).status, 303);
    const read = await contoso.api('GET', `/v1.0/policies/crossTenantAccessPolicy/partners/${fabrikam.tenantId}`);
    assert.equal(read.body.inboundTrust.isMfaAccepted, true);
    assert.match((await open(c.jar, partner)).page, /id="trustMfa"[^>]*checked/);
  });

  it('refuses bad ids and organizations with the error at the field and changes nothing', async () => {
    const { jar, csrf } = await asContoso();
    assert.equal(
      (await postForm(jar, page(contoso, '/partners'), { csrf, organization: fabrikam.tenantId })).status,
      303,
    );
    const was = await state(contoso);
    for (const [changes, field, message] of [
      [
        { 'inbound-users-scope': 'selected', 'inbound-users-ids': `${fabrikam.tenantId}\nnot-a-guid` },
        'inbound-users',
        "'not-a-guid' is not an object id (a GUID) or AllUsers.",
      ],
      [
        { 'outbound-users-scope': 'selected', 'outbound-users-ids': 'AllApplications' },
        'outbound-users',
        "'AllApplications' is not an object id (a GUID) or AllUsers.",
      ],
      [
        { 'inbound-apps-scope': 'selected', 'inbound-apps-ids': '12345678-1234-1234-1234-12345678901' },
        'inbound-apps',
        "'12345678-1234-1234-1234-12345678901' is not an application id (a GUID) or AllApplications.",
      ],
      [
        { 'outbound-apps-scope': 'selected', 'outbound-apps-ids': ' \n ' },
        'outbound-apps',
        'Enter at least one id, one per line, or choose all.',
      ],
      [{ 'inbound-users-access': 'inherit' }, 'inbound-users', 'Choose one of the options.'],
      [
        {
          'inbound-users-scope': 'selected',
          'inbound-users-ids': Array.from(
            { length: 201 },
            (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          ).join('\n'),
        },
        'inbound-users',
        'Enter at most 200 ids.',
      ],
    ] as const) {
      const refused = await postForm(
        jar,
        page(contoso),
        defaultForm(csrf, { 'outbound-apps-access': 'blocked', ...changes }),
      );
      assert.equal(refused.status, 400, field);
      const html = unescape(await refused.text());
      assert.ok(
        html.includes(`<p id="${field}-error" class="error" role="alert">${message}</p>`),
        `${field}: ${message}`,
      );
      assert.ok(
        html.includes(
          `id="${field}-ids" name="${field}-ids" rows="3" aria-invalid="true" aria-describedby="${field}-hint ${field}-error"`,
        ),
      );
      assert.match(
        html,
        /id="outbound-apps-access-blocked" name="outbound-apps-access" value="blocked" checked=""/,
        'the form keeps what was chosen',
      );
      assert.deepEqual(await state(contoso), was, `${field} changed nothing`);
    }

    const partnerUrl = page(contoso, `/partners/${fabrikam.tenantId}`);
    const refused = await postForm(
      jar,
      partnerUrl,
      partnerForm(csrf, {
        autoInbound: '1',
        'outbound-apps-access': 'blocked',
        'outbound-apps-scope': 'selected',
        'outbound-apps-ids': 'app-one',
      }),
    );
    assert.equal(refused.status, 400);
    const html = unescape(await refused.text());
    assert.ok(
      html.includes(
        `<p id="outbound-apps-error" class="error" role="alert">'app-one' is not an application id (a GUID) or AllApplications.</p>`,
      ),
    );
    assert.match(html, /<input id="autoInbound" name="autoInbound" type="checkbox" value="1" checked=""\/>/);
    assert.deepEqual(await state(contoso), was);

    for (const [organization, message] of [
      ['not a tenant', 'Enter a tenant id (a GUID) or a verified domain name like contoso.com.'],
      [
        'nowhere.example',
        'No organization on this deployment has verified the domain nowhere.example. Enter its tenant id instead.',
      ],
      [contoso.tenantId, 'A tenant cannot be its own partner.'],
      [
        'fabrikam.example',
        `Cross-tenant access settings for partner '${fabrikam.tenantId}' already exist: update them instead.`,
      ],
    ] as const) {
      const res = await postForm(jar, page(contoso, '/partners'), { csrf, organization });
      assert.equal(res.status, 400, organization);
      const text = unescape(await res.text());
      assert.ok(
        text.includes(`<p id="organization-error" class="error" role="alert">${message}</p>`),
        `${organization}: ${message}`,
      );
      assert.ok(text.includes(`value="${organization}"`));
      assert.deepEqual(await state(contoso), was);
    }
  });

  it('refuses a Guest Inviter every change and a wrong CSRF value, and changes nothing', async () => {
    const { jar: adminJar, csrf: adminCsrf } = await asContoso();
    assert.equal(
      (await postForm(adminJar, page(contoso, '/partners'), { csrf: 'forged', organization: fabrikam.tenantId }))
        .status,
      403,
    );
    assert.equal(
      (await postForm(adminJar, page(contoso), defaultForm('forged', { 'inbound-users-access': 'blocked' }))).status,
      403,
    );
    assert.deepEqual(await listPartners(db(), contoso.tenantId), []);
    assert.equal(
      (await postForm(adminJar, page(contoso, '/partners'), { csrf: adminCsrf, organization: fabrikam.tenantId }))
        .status,
      303,
    );
    const was = await state(contoso);
    const partnerUrl = page(contoso, `/partners/${fabrikam.tenantId}`);
    assert.equal((await postForm(adminJar, `${partnerUrl}/remove`, { csrf: 'forged' })).status, 403);

    const { jar, csrf, main } = await signIn(contoso, { email: 'ivy@contoso.example', password: PASSWORD });
    assert.match(main, /Fabrikam/);
    assert.equal((await open(jar, partnerUrl)).status, 200);
    const refusals = [
      await postForm(jar, page(contoso), defaultForm(csrf, { 'inbound-users-access': 'blocked' })),
      await postForm(jar, page(contoso, '/reset'), { csrf }),
      await postForm(jar, page(contoso, '/partners'), { csrf, organization: 'contoso.example' }),
      await postForm(jar, partnerUrl, partnerForm(csrf, { autoInbound: '1' })),
      await postForm(jar, `${partnerUrl}/remove`, { csrf }),
    ];
    for (const res of refusals) {
      assert.equal(res.status, 403);
      assert.match(unescape(await res.text()), /Your role doesn't allow this/);
    }
    assert.equal((await open(jar, `${partnerUrl}/remove`)).status, 403);
    assert.deepEqual(await state(contoso), was);
    assert.equal((await audits(contoso)).filter((e) => e.by === 'ivy@contoso.example').length, 0);
  });
});
