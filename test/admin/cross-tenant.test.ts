// The admin center's cross-tenant access pages (issue #21) on both stores, with two tenants of one deployment:
// Fabrikam's members invited into Contoso. The list of organizations adds one by its domain or tenant id and removes
// one only after its confirmation page; the default and partner pages save one section's short form at a time, each
// POST answered by its outcome once at a GET address (a second visit records nothing). Users, groups and apps are
// picked from a search of the right tenant and shown by name; the settings read back through Graph exactly as chosen,
// and take effect: a guest of a blocked group is refused at invitation and at redemption. Bad input gives 400 beside
// its form and changes nothing; a Guest Inviter and a wrong CSRF value are refused.
import assert from 'node:assert/strict';
import { before, beforeEach, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { csrfOf, grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { assertGraphError, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { assertBlockedGroupTrustedMfa, newFabrikam, removePartners, XTAP } from '../helpers/cross-tenant.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, postForm, request, RESULT } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

suite('admin center cross-tenant access', { runWorker: false }, ({ s }) => {
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  let n = 0;
  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    fabrikam = await newFabrikam(s);
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

  // Each test starts from the service defaults on both sides, through the API as an administrator's tool would.
  beforeEach(async () => {
    for (const t of [contoso, fabrikam]) {
      assert.equal((await t.api('POST', `${XTAP}/default/resetToSystemDefault`)).status, 204);
      await removePartners(t);
    }
  });

  const open = (jar: CookieJar, url: string, login?: Login) => openAdmin(s, jar, url, login);
  const page = (t: TenantApi, path = '') => `${s.baseUrl}/admin/${t.tenantId}/cross-tenant${path}`;
  /** A jar signed in to `t`'s admin center, the CSRF value and the list page. */
  const signIn = async (t: TenantApi, login: Login) => {
    const jar = new CookieJar();
    const main = await open(jar, page(t), login);
    assert.equal(main.status, 200);
    return { jar, csrf: csrfOf(main.page), main: main.page };
  };
  const adminOf = (t: TenantApi, email: string) => ({
    email,
    get password() {
      return t.adminPassword;
    },
  });
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
  /** A new group of Fabrikam with `members`. */
  const group = async (name: string, members: string[]) => {
    const created = (
      await fabrikam.api('POST', '/v1.0/groups', {
        displayName: name,
        mailEnabled: false,
        mailNickname: name.replace(/\W/g, '').toLowerCase(),
        securityEnabled: true,
      })
    ).body;
    for (const id of members)
      assert.equal(
        (
          await fabrikam.api('POST', `/v1.0/groups/${created.id}/members/$ref`, {
            '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${id}`,
          })
        ).status,
        204,
      );
    return created.id as string;
  };
  const invite = (email: string) =>
    contoso.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: 'https://myapps.example/',
      sendInvitationMessage: false,
    });
  const audits = async (t: TenantApi) =>
    (await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999')).body.value as {
      activityDisplayName: string;
      initiatedBy: { user?: { userPrincipalName: string } };
    }[];
  const auditsBy = async (t: TenantApi, activity: string, upn: string) =>
    (await audits(t)).filter((e) => e.activityDisplayName === activity && e.initiatedBy.user?.userPrincipalName === upn)
      .length;
  /** Everything Contoso's settings say, through the API. */
  const state = async (t: TenantApi) => ({
    default: (await t.api('GET', `${XTAP}/default`)).body,
    partners: (await t.api('GET', `${XTAP}/partners`)).body.value,
  });
  /** Posts a form; the outcome must be a page shown once at a GET address, whose second visit records nothing. */
  const saved = async (t: TenantApi, jar: CookieJar, url: string, fields: Record<string, string>) => {
    const res = await postForm(jar, url, fields);
    assert.equal(res.status, 200, `${url}: ${(await res.clone().text()).slice(0, 2000)}`);
    assert.match(res.url, RESULT, 'post/redirect/get: the outcome is at a GET address');
    const html = unescape(await res.text());
    const count = (await audits(t)).length;
    const again = await request(jar, res.url);
    assert.equal(again.status, 303, 'shown once');
    assert.doesNotMatch(again.headers.get('location')!, RESULT);
    assert.equal((await audits(t)).length, count, 'the second visit records nothing');
    return html;
  };

  it('lists the default settings and no organization; an organization added by its domain is listed and removed only after its confirmation', async () => {
    const { jar, csrf, main } = await asContoso();
    assert.match(main, /aria-current="page"[^>]*>Cross-tenant access/);
    assert.match(main, /<li>B2B collaboration inbound: allowed for all users<\/li>/);
    assert.match(main, /<li>Multifactor authentication from other organizations: not trusted<\/li>/);
    assert.match(main, new RegExp(`<a href="/admin/${contoso.tenantId}/cross-tenant/default">`));
    assert.match(main, /No organization has settings of its own/);

    const added = await saved(contoso, jar, page(contoso, '/partners'), { csrf, organization: ' Fabrikam.example ' });
    assert.match(added, /<h1>Cross-tenant access: Fabrikam<\/h1>/);
    assert.match(added, /role="status">The organization was added/);
    assert.equal(await auditsBy(contoso, 'Add a partner to cross-tenant access setting', 'admin@contoso.example'), 1);
    const api = await contoso.api('GET', `${XTAP}/partners/${fabrikam.tenantId}`);
    assert.equal(api.status, 200);
    assert.equal(api.body.b2bCollaborationInbound, null);

    const listed = unescape((await open(jar, page(contoso))).page);
    assert.ok(
      listed.includes(
        `<td><a href="/admin/${contoso.tenantId}/cross-tenant/partners/${fabrikam.tenantId}">Fabrikam</a></td><td>${fabrikam.tenantId}</td><td>Inherited: allowed for all users</td><td>Inherited: allowed for all users</td><td>Inherited: not trusted</td>`,
      ),
      listed,
    );
    const confirmUrl = `${page(contoso, `/partners/${fabrikam.tenantId}/remove`)}/confirm`;
    assert.ok(
      listed.includes(`href="/admin/${contoso.tenantId}/cross-tenant/partners/${fabrikam.tenantId}/remove/confirm"`),
    );

    // Asks first: the confirmation changes nothing, and its Cancel leads back to the list.
    const before = await state(contoso);
    const confirm = await open(jar, confirmUrl);
    assert.equal(confirm.status, 200);
    assert.match(confirm.page, /<h1>Remove Fabrikam\?<\/h1>/);
    assert.match(confirm.page, new RegExp(`<a href="/admin/${contoso.tenantId}/cross-tenant">Cancel</a>`));
    assert.deepEqual(await state(contoso), before, 'opening the confirmation removes nothing');

    const removed = await saved(contoso, jar, page(contoso, `/partners/${fabrikam.tenantId}/remove`), { csrf });
    assert.match(removed, /role="status">The organization's settings were removed/);
    assert.match(removed, /No organization has settings of its own/);
    assert.equal((await contoso.api('GET', `${XTAP}/partners/${fabrikam.tenantId}`)).status, 404);
    assert.equal(
      await auditsBy(contoso, 'Delete partner specific cross-tenant access setting', 'admin@contoso.example'),
      1,
    );
    assert.equal((await open(jar, page(contoso, `/partners/${fabrikam.tenantId}`))).status, 404);
    assert.equal((await open(jar, confirmUrl)).status, 404);
  });

  it('blocks inbound B2B for a group picked by name and trusts MFA; Graph reads exactly that; its member is refused at redemption', async () => {
    const inside = await member();
    const outside = await member();
    const teamId = await group('Partners team', [inside.id]);
    // Invited while collaboration is still allowed: the block must stop the redemption too.
    const pending = await invite(inside.upn);
    assert.equal(pending.status, 201);

    const { jar, csrf } = await asContoso();
    await saved(contoso, jar, page(contoso, '/partners'), { csrf, organization: fabrikam.tenantId });
    const partner = page(contoso, `/partners/${fabrikam.tenantId}`);

    // Inbound users and groups are Fabrikam's: the search finds them there, by name.
    const found = unescape((await open(jar, `${partner}/inbound?find=inbound-users&q=Partners`)).page);
    assert.ok(found.includes('<label for="inbound-users-q">Find users and groups of Fabrikam</label>'), found);
    assert.ok(found.includes(`name="add.${teamId}"`));
    assert.match(found, /<label for="inbound-users-add-0" class="inline">Partners team, group<\/label>/);
    assert.match(found, /id="inbound-users-scope-selected" name="scope" type="radio" value="selected" checked=""/);
    const people = unescape((await open(jar, `${partner}/inbound?find=inbound-users&q=person`)).page);
    assert.ok(people.includes(`name="add.${inside.id}"`) && people.includes(`name="add.${outside.id}"`));
    const admins = (await open(jar, `${partner}/inbound?find=inbound-users&q=admin`)).page;
    assert.ok(admins.includes(`name="add.${fabrikam.admin.id}"`), "Fabrikam's administrator is found");
    assert.ok(!admins.includes(`name="add.${contoso.admin.id}"`), "Contoso's people are not Fabrikam's");

    const blocked = await saved(contoso, jar, `${partner}/rules/inbound-users`, {
      csrf,
      access: 'blocked',
      scope: 'selected',
      [`add.${teamId}`]: '1',
    });
    assert.match(blocked, /role="status">The cross-tenant access settings were saved/);
    assert.match(blocked, /<caption>Selected users and groups<\/caption>/);
    assert.match(blocked, /<td>Partners team<\/td><td>group<\/td>/);
    assert.match(blocked, /aria-label="Remove Partners team"/);

    const trusted = await saved(contoso, jar, `${partner}/trust`, { csrf, mfa: 'yes' });
    assert.match(trusted, /id="trust-yes" name="mfa" type="radio" value="yes" checked=""/);

    await assertBlockedGroupTrustedMfa(contoso, fabrikam.tenantId, teamId);
    assert.equal(
      await auditsBy(contoso, 'Update a partner cross-tenant access setting', 'admin@contoso.example'),
      2,
      'one audit event per save',
    );
    const listed = unescape((await open(jar, page(contoso))).page);
    assert.ok(
      listed.includes('<td>blocked for 1 selected</td><td>Inherited: allowed for all users</td><td>trusted</td>'),
    );

    // The effect: the group's member is refused at redemption and at a new invitation; others are let in.
    const redeeming = await submit(s, await openLink(s, pending.body.inviteRedeemUrl), '/redeem/start');
    assert.equal((await submit(s, redeeming, '/redeem/home', { password: PASSWORD })).status, 403);
    assertGraphError(await invite(inside.upn), 403, 'Authorization_RequestDenied');
    assert.equal((await invite(outside.upn)).status, 201);

    // Inherit again: the default (allowed) lets the member in.
    await saved(contoso, jar, `${partner}/rules/inbound-users`, { csrf, access: 'inherit', scope: 'all' });
    assert.equal(
      (await contoso.api('GET', `${XTAP}/partners/${fabrikam.tenantId}`)).body.b2bCollaborationInbound,
      null,
    );
    assert.equal((await invite(inside.upn)).status, 201);
  });

  it('takes a target off with Remove, but never the last one; a pick that is gone or a pick under "all" is refused', async () => {
    const someone = await member();
    const teamId = await group('Remote team', [someone.id]);
    const { jar, csrf } = await asContoso();
    await saved(contoso, jar, page(contoso, '/partners'), { csrf, organization: 'fabrikam.example' });
    const partner = page(contoso, `/partners/${fabrikam.tenantId}`);
    await saved(contoso, jar, `${partner}/rules/inbound-users`, {
      csrf,
      access: 'allowed',
      scope: 'selected',
      [`add.${teamId}`]: '1',
    });
    const was = await state(contoso);
    const last = await postForm(jar, `${partner}/rules/inbound-users/remove`, { csrf, target: teamId });
    assert.equal(last.status, 400);
    assert.match(unescape(await last.text()), /role="alert">This is the last one on the list/);
    assert.deepEqual(await state(contoso), was);

    // A second pick (added to what is there), then the first goes.
    const more = await saved(contoso, jar, `${partner}/rules/inbound-users`, {
      csrf,
      access: 'allowed',
      scope: 'selected',
      [`add.${someone.id}`]: '1',
    });
    assert.match(more, /<td>Remote team<\/td>/);
    assert.ok(more.includes(`<td>Person ${n}<span class="muted"> ${someone.upn}</span></td><td>user</td>`));
    const removed = await saved(contoso, jar, `${partner}/rules/inbound-users/remove`, { csrf, target: teamId });
    assert.match(removed, /role="status">Remote team was taken off the list/);
    assert.deepEqual(
      (await contoso.api('GET', `${XTAP}/partners/${fabrikam.tenantId}`)).body.b2bCollaborationInbound.usersAndGroups,
      { accessType: 'allowed', targets: [{ target: someone.id, targetType: 'user' }] },
    );

    const now = await state(contoso);
    for (const [fields, message] of [
      [
        { access: 'blocked', scope: 'selected', [`add.${contoso.tenantId}`]: '1' },
        `'${contoso.tenantId}' is no longer there to pick`,
      ],
      [
        { access: 'blocked', scope: 'all', [`add.${teamId}`]: '1' },
        'To add what you ticked, choose the selected option',
      ],
      [{ access: 'sometimes', scope: 'all' }, 'Choose one of the options.'],
    ] as const) {
      const res = await postForm(jar, `${partner}/rules/inbound-users`, { csrf, ...fields });
      assert.equal(res.status, 400, message);
      const html = unescape(await res.text());
      assert.ok(html.includes(`<p id="inbound-users-error" class="error" role="alert">${message}`), message);
      assert.deepEqual(await state(contoso), now, `${message}: nothing changed`);
    }
    assert.equal(
      (await postForm(jar, `${partner}/rules/nowhere`, { csrf, access: 'allowed', scope: 'all' })).status,
      404,
    );
  });

  it('the default page picks the home tenant for outbound and takes typed ids where the organization is unknown', async () => {
    const inside = await member();
    const outside = await member();
    const teamId = await group('Travellers', [inside.id]);
    const { jar, csrf } = await asFabrikam();
    const defaults = page(fabrikam, '/default');
    const shown = unescape((await open(jar, defaults)).page);
    assert.match(shown, /<h1>Cross-tenant access: default settings<\/h1>/);
    assert.match(shown, /<a href="[^"]+\/default\/inbound" aria-current="page">B2B collaboration inbound<\/a>/);
    // The default's inbound users are any organization's: no search, a labelled field for their ids.
    assert.ok(!shown.includes('id="inbound-users-q"'));
    assert.match(
      shown,
      /<label for="inbound-users-ids">Object ids of users or groups of other organizations to add, one per line<\/label>/,
    );
    assert.ok(shown.includes('<label for="inbound-apps-q">Find applications of Fabrikam</label>'));

    // Outbound: Fabrikam's own people go out; only the Travellers.
    const out = unescape((await open(jar, `${defaults}/outbound?find=outbound-users&q=trav`)).page);
    assert.ok(out.includes(`name="add.${teamId}"`), out);
    await saved(fabrikam, jar, `${defaults}/rules/outbound-users`, {
      csrf,
      access: 'allowed',
      scope: 'selected',
      [`add.${teamId}`]: '1',
    });
    assert.deepEqual((await fabrikam.api('GET', `${XTAP}/default`)).body.b2bCollaborationOutbound.usersAndGroups, {
      accessType: 'allowed',
      targets: [{ target: teamId, targetType: 'group' }],
    });
    assert.equal((await invite(inside.upn)).status, 201);
    assertGraphError(await invite(outside.upn), 403, 'Authorization_RequestDenied');

    // Typed ids: checked, and kept in the field when refused.
    const was = await state(fabrikam);
    const bad = await postForm(jar, `${defaults}/rules/inbound-users`, {
      csrf,
      access: 'blocked',
      scope: 'selected',
      ids: `${contoso.tenantId}\nnot-a-guid`,
    });
    assert.equal(bad.status, 400);
    const html = unescape(await bad.text());
    assert.ok(
      html.includes(`<p id="inbound-users-error" class="error" role="alert">'not-a-guid' is not an id (a GUID).</p>`),
    );
    assert.ok(
      html.includes(
        `aria-invalid="true" aria-describedby="inbound-users-hint inbound-users-error">${contoso.tenantId}\nnot-a-guid</textarea>`,
      ),
    );
    assert.deepEqual(await state(fabrikam), was);
    const someone = '0b7c7a52-1a43-4a56-9a70-8d0c1a2b3c4d';
    await saved(fabrikam, jar, `${defaults}/rules/inbound-users`, {
      csrf,
      access: 'blocked',
      scope: 'selected',
      ids: someone.toUpperCase(),
    });
    assert.deepEqual((await fabrikam.api('GET', `${XTAP}/default`)).body.b2bCollaborationInbound.usersAndGroups, {
      accessType: 'blocked',
      targets: [{ target: someone, targetType: 'user' }],
    });

    // Trust in the default; the reset asks first (the shared confirmation) and then restores the service defaults.
    await saved(fabrikam, jar, `${defaults}/trust`, { csrf, mfa: 'yes' });
    assert.equal((await fabrikam.api('GET', `${XTAP}/default`)).body.inboundTrust.isMfaAccepted, true);
    const confirm = await open(jar, page(fabrikam, '/reset/confirm'));
    assert.match(confirm.page, /<h1>Reset the default cross-tenant access settings\?<\/h1>/);
    const reset = await saved(fabrikam, jar, page(fabrikam, '/reset'), { csrf });
    assert.match(reset, /role="status">The default settings are the service defaults again/);
    assert.equal((await fabrikam.api('GET', `${XTAP}/default`)).body.isServiceDefault, true);
  });

  it('an organization not on this deployment takes typed ids; automatic redemption ticked on both sides completes an invitation at once', async () => {
    const { jar, csrf } = await asContoso();
    const elsewhere = '7d1c5a3e-6b2f-4c8d-9e0a-1f2b3c4d5e6f';
    await saved(contoso, jar, page(contoso, '/partners'), { csrf, organization: elsewhere });
    const other = unescape((await open(jar, page(contoso, `/partners/${elsewhere}`))).page);
    assert.match(other, new RegExp(`<h1>Cross-tenant access: ${elsewhere}</h1>`));
    assert.ok(
      other.includes(
        `<label for="inbound-users-ids">Object ids of users or groups of ${elsewhere} to add, one per line</label>`,
      ),
    );
    const outbound = unescape((await open(jar, page(contoso, `/partners/${elsewhere}/outbound`))).page);
    assert.ok(outbound.includes('<label for="outbound-users-q">Find users and groups of Contoso</label>'));
    assert.ok(
      outbound.includes(
        `<label for="outbound-apps-ids">Application (client) ids of applications of ${elsewhere} to add, one per line</label>`,
      ),
    );
    assert.match(unescape((await open(jar, page(contoso))).page), /<a href="[^"]+">Not on this deployment<\/a>/);

    const f = await asFabrikam();
    await saved(contoso, jar, page(contoso, '/partners'), { csrf, organization: fabrikam.tenantId });
    await saved(fabrikam, f.jar, page(fabrikam, '/partners'), {
      csrf: f.csrf,
      organization: contoso.tenantId.toUpperCase(),
    });
    const c = page(contoso, `/partners/${fabrikam.tenantId}`);
    const inbound = await saved(contoso, jar, `${c}/redemption`, { csrf, autoInbound: '1' });
    assert.match(inbound, /<input id="autoInbound" name="autoInbound" type="checkbox" value="1" checked=""\/>/);
    assert.equal((await invite((await member()).upn)).body.status, 'PendingAcceptance', 'one side alone is not enough');
    await saved(fabrikam, f.jar, page(fabrikam, `/partners/${contoso.tenantId}/redemption`), {
      csrf: f.csrf,
      autoOutbound: '1',
    });
    assert.deepEqual(
      (await fabrikam.api('GET', `${XTAP}/partners/${contoso.tenantId}`)).body.automaticUserConsentSettings,
      {
        inboundAllowed: false,
        outboundAllowed: true,
      },
    );
    const done = await invite((await member()).upn);
    assert.equal(done.status, 201);
    assert.equal(done.body.status, 'Completed');
    await saved(contoso, jar, `${c}/redemption`, { csrf });
    assert.equal((await invite((await member()).upn)).body.status, 'PendingAcceptance');
    // The default page has no automatic redemption to turn on.
    const auto = unescape((await open(jar, page(contoso, '/default/redemption'))).page);
    assert.match(auto, /Off\. Automatic redemption cannot be turned on in the default settings/);
    assert.ok(!auto.includes('name="autoInbound"'));
  });

  it('speaks German to a German administrator on every new page', async () => {
    const { jar, csrf } = await asContoso();
    await saved(contoso, jar, page(contoso, '/partners'), { csrf, organization: fabrikam.tenantId });
    const german = new CookieJar({ 'accept-language': 'de-DE,de;q=0.9' });
    const list = unescape((await open(german, page(contoso), adminOf(contoso, 'admin@contoso.example'))).page);
    assert.match(list, /<li>B2B-Zusammenarbeit eingehend: /);
    assert.match(list, /<th scope="col">Vertraut MFA<\/th>/);
    const partner = unescape(
      (await open(german, page(contoso, `/partners/${fabrikam.tenantId}/inbound?find=inbound-users&q=admin`))).page,
    );
    assert.match(partner, />B2B-Zusammenarbeit ausgehend<\/a>/);
    assert.match(partner, /<label for="inbound-users-q">Benutzer und Gruppen von Fabrikam suchen<\/label>/);
    assert.match(partner, /Gefunden für „admin“/);
    assert.match(partner, /, Benutzer<\/label>/);
    const confirm = unescape(
      (await open(german, `${page(contoso, `/partners/${fabrikam.tenantId}/remove`)}/confirm`)).page,
    );
    assert.match(confirm, /<h1>Fabrikam entfernen\?<\/h1>/);
    assert.match(confirm, />Organisation entfernen<\/button>/);
  });

  it('refuses bad organizations beside the field and changes nothing', async () => {
    const { jar, csrf } = await asContoso();
    await saved(contoso, jar, page(contoso, '/partners'), { csrf, organization: fabrikam.tenantId });
    const was = await state(contoso);
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
      assert.ok(text.includes(`<p id="organization-error" class="error" role="alert">${message}</p>`), message);
      assert.ok(text.includes(`value="${organization}"`));
      assert.deepEqual(await state(contoso), was);
    }
    assert.equal((await open(jar, page(contoso, `/partners/${fabrikam.tenantId}/elsewhere`))).status, 404);
    assert.equal((await open(jar, page(contoso, '/partners/not-a-tenant'))).status, 404);
  });

  it('refuses a Guest Inviter every change and a wrong CSRF value, and changes nothing', async () => {
    const { jar: adminJar, csrf: adminCsrf } = await asContoso();
    assert.equal(
      (await postForm(adminJar, page(contoso, '/partners'), { csrf: 'forged', organization: fabrikam.tenantId }))
        .status,
      403,
    );
    await saved(contoso, adminJar, page(contoso, '/partners'), { csrf: adminCsrf, organization: fabrikam.tenantId });
    const partnerUrl = page(contoso, `/partners/${fabrikam.tenantId}`);
    const was = await state(contoso);
    const forged = [
      await postForm(adminJar, `${partnerUrl}/remove`, { csrf: 'forged' }),
      await postForm(adminJar, `${partnerUrl}/rules/inbound-users`, {
        csrf: 'forged',
        access: 'blocked',
        scope: 'all',
      }),
      await postForm(adminJar, `${partnerUrl}/trust`, { csrf: 'forged', mfa: 'yes' }),
    ];
    for (const res of forged) assert.equal(res.status, 403);

    const { jar, csrf, main } = await signIn(contoso, { email: 'ivy@contoso.example', password: PASSWORD });
    assert.match(main, /Fabrikam/);
    assert.equal((await open(jar, partnerUrl)).status, 200);
    const refusals = [
      await postForm(jar, page(contoso, '/default/rules/inbound-users'), { csrf, access: 'blocked', scope: 'all' }),
      await postForm(jar, page(contoso, '/default/trust'), { csrf, mfa: 'yes' }),
      await postForm(jar, page(contoso, '/reset'), { csrf }),
      await postForm(jar, page(contoso, '/partners'), { csrf, organization: 'contoso.example' }),
      await postForm(jar, `${partnerUrl}/rules/outbound-apps`, { csrf, access: 'blocked', scope: 'all' }),
      await postForm(jar, `${partnerUrl}/rules/inbound-users/remove`, { csrf, target: fabrikam.tenantId }),
      await postForm(jar, `${partnerUrl}/redemption`, { csrf, autoInbound: '1' }),
      await postForm(jar, `${partnerUrl}/remove`, { csrf }),
    ];
    for (const res of refusals) {
      assert.equal(res.status, 403);
      assert.match(unescape(await res.text()), /Your role doesn't allow this/);
    }
    assert.equal((await open(jar, `${partnerUrl}/remove/confirm`)).status, 403);
    assert.deepEqual(await state(contoso), was);
    assert.equal(
      (await audits(contoso)).filter((e) => e.initiatedBy.user?.userPrincipalName === 'ivy@contoso.example').length,
      0,
    );
  });
});
