// The admin center's contacts and groups on both stores: each page shows the stored values, creates, edits and
// deletes through the domain functions with their audit events, refuses invalid input at the field (nothing
// changes), a wrong CSRF value and a Guest Inviter; lists search and page; a contact shows the guest it conflicts
// with; and a member added to a group on its page may then sign in to an app that requires assignment.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { createApp } from '../../src/apps/apps.ts';
import { assignPrincipal } from '../../src/apps/assignments.ts';
import { listAudit, type AuditEvent } from '../../src/directory/audit.ts';
import { createContact, listContacts } from '../../src/directory/contacts.ts';
import { createGroup, getGroup, groupsOfUser, listGroups } from '../../src/directory/groups.ts';
import { csrfOf, openAdmin, staffMember, type Login } from '../helpers/admin.ts';
import { typeAddress } from '../helpers/federation.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The ids of visible form controls without a <label for> on the page. */
function unlabelled(html: string): string[] {
  const controls = [...html.matchAll(/<(input|select|textarea)\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => !/type="hidden"/.test(tag));
  return controls
    .map((tag) => /\bid="([^"]+)"/.exec(tag)?.[1] ?? tag)
    .filter((id) => !html.includes(`<label for="${id}"`));
}

suite(
  'admin center contacts and groups',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let adminUrl: string;
    before(async () => {
      adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
      await staffMember(t, 'ivy', 'contoso.example', PASSWORD, [GUEST_INVITER]);
    });

    const db = () => s.portico.services.store.db;
    const open = (jar: CookieJar, url: string, login?: Login) => openAdmin(s, jar, url, login);
    const asAdmin = {
      email: 'admin@contoso.example',
      get password() {
        return t.adminPassword;
      },
    };
    const asInviter = { email: 'ivy@contoso.example', password: PASSWORD };
    const audit = async (activity: string): Promise<AuditEvent | undefined> =>
      (await listAudit(db(), t.tenantId, { top: 100 })).find((e) => e.activityDisplayName === activity);
    const contacts = async () => (await listContacts(db(), t.tenantId, { top: 500 })).items;
    const located = (res: Response) => new URL(res.headers.get('location')!, s.baseUrl).toString();
    async function signedIn(login: Login = asAdmin) {
      const jar = new CookieJar();
      const page = await open(jar, adminUrl, login);
      assert.equal(page.status, 200);
      return { jar, csrf: csrfOf(page.page) };
    }

    it('contacts: creates with labelled fields, shows, edits and deletes, each with its audit event', async () => {
      const { jar, csrf } = await signedIn();
      const form = await open(jar, `${adminUrl}/contacts/new`);
      assert.equal(form.status, 200);
      for (const [id, label] of [
        ['displayName', 'Display name'],
        ['mail', 'Email address'],
        ['proxyAddresses', 'Other addresses'],
        ['companyName', 'Company'],
      ]) {
        assert.match(form.page, new RegExp(`<label for="${id}">${label}</label>`));
      }
      const created = await postForm(jar, `${adminUrl}/contacts/new`, {
        csrf,
        displayName: 'Rhea Vendor',
        mail: 'rhea@vendor.example',
        proxyAddresses: 'smtp:rhea.v@vendor.example, smtp:sales@vendor.example',
        companyName: 'Vendor Ltd',
      });
      assert.equal(created.status, 303);
      const stored = (await contacts()).find((c) => c.displayName === 'Rhea Vendor')!;
      assert.deepEqual(
        { mail: stored.mail, proxyAddresses: stored.proxyAddresses, companyName: stored.companyName },
        {
          mail: 'rhea@vendor.example',
          proxyAddresses: ['smtp:rhea.v@vendor.example', 'smtp:sales@vendor.example'],
          companyName: 'Vendor Ltd',
        },
      );
      const added = await audit('Add contact');
      assert.deepEqual(added?.initiatedBy, {
        kind: 'user',
        id: t.admin.id,
        userPrincipalName: 'admin@contoso.example',
      });
      assert.equal(added?.targetResources[0]?.id, stored.id);
      assert.equal(
        (await t.api('GET', `/v1.0/contacts/${stored.id}`)).body.companyName,
        'Vendor Ltd',
        'the API sees it',
      );

      const shown = await open(jar, located(created));
      assert.match(shown.page, /role="status">The contact was created\./);
      assert.match(shown.page, /<h1>Rhea Vendor<\/h1>/);
      assert.match(shown.page, /id="mail"[^>]*value="rhea@vendor\.example"/);
      assert.match(
        shown.page,
        /id="proxyAddresses"[^>]*value="smtp:rhea\.v@vendor\.example smtp:sales@vendor\.example"/,
      );
      const listed = await open(jar, `${adminUrl}/contacts`);
      assert.match(
        listed.page,
        new RegExp(
          `<a href="/admin/${t.tenantId}/contacts/${stored.id}">Rhea Vendor</a></td><td>rhea@vendor\\.example</td><td>Vendor Ltd</td>`,
        ),
      );

      const saved = await postForm(jar, `${adminUrl}/contacts/${stored.id}`, {
        csrf,
        displayName: 'Rhea V.',
        mail: 'rhea@vendor.example',
        proxyAddresses: '',
        companyName: '',
      });
      assert.equal(saved.status, 303);
      assert.match((await open(jar, located(saved))).page, /role="status">The contact was saved\./);
      const edited = (await contacts()).find((c) => c.id === stored.id)!;
      assert.deepEqual(
        { displayName: edited.displayName, proxyAddresses: edited.proxyAddresses, companyName: edited.companyName },
        { displayName: 'Rhea V.', proxyAddresses: [], companyName: null },
      );
      assert.equal((await audit('Update contact'))?.targetResources[0]?.displayName, 'Rhea V.');

      const deleted = await postForm(jar, `${adminUrl}/contacts/${stored.id}/delete`, { csrf });
      assert.equal(deleted.status, 303);
      const list = await open(jar, located(deleted));
      assert.match(list.page, /role="status">The contact was deleted\./);
      assert.deepEqual([form.page, shown.page, list.page].flatMap(unlabelled), []);
      assert.equal(
        (await contacts()).some((c) => c.id === stored.id),
        false,
      );
      assert.equal((await audit('Delete contact'))?.targetResources[0]?.id, stored.id);
      assert.equal((await open(jar, `${adminUrl}/contacts/${stored.id}`)).status, 404);
    });

    it('contacts: invalid input gets a 400 with the error at the field, and nothing changes', async () => {
      const { jar, csrf } = await signedIn();
      const before = await contacts();
      const refused = await postForm(jar, `${adminUrl}/contacts/new`, {
        csrf,
        displayName: '',
        mail: 'not-an-address',
        proxyAddresses: 'smtp:ok@vendor.example smtp:broken',
        companyName: '',
      });
      assert.equal(refused.status, 400);
      const html = unescape(await refused.text());
      assert.match(html, /id="displayName-error" class="error" role="alert">Enter a display name\./);
      assert.match(
        html,
        /id="mail-error" class="error" role="alert">'not-an-address' is not a valid email address: it needs exactly one @, with a name before it and a domain after it \(name@example\.com\)\./,
      );
      assert.match(html, /id="proxyAddresses-error" class="error" role="alert">'smtp:broken' is not an address/);
      assert.match(html, /id="mail"[^>]*value="not-an-address"[^>]*aria-invalid="true" aria-describedby="mail-error"/);
      assert.deepEqual(await contacts(), before);

      const kept = await s.portico.services.store.transaction((tx) =>
        createContact(tx, s.portico.services.clock, t.tenantId, { displayName: 'Kept', mail: 'kept@vendor.example' }),
      );
      const edit = await postForm(jar, `${adminUrl}/contacts/${kept.id}`, {
        csrf,
        displayName: 'Changed',
        mail: 'nope',
        proxyAddresses: '',
        companyName: '',
      });
      assert.equal(edit.status, 400);
      assert.match(
        unescape(await edit.text()),
        /id="mail-error" class="error" role="alert">'nope' is not a valid email address: it needs exactly one @, with a name before it and a domain after it \(name@example\.com\)\./,
      );
      assert.deepEqual(
        (await contacts()).find((c) => c.id === kept.id),
        kept,
      );
    });

    it('contacts: a wrong CSRF value and a Guest Inviter are refused and change nothing; the inviter may read', async () => {
      const kept = await s.portico.services.store.transaction((tx) =>
        createContact(tx, s.portico.services.clock, t.tenantId, {
          displayName: 'Steady',
          mail: 'steady@vendor.example',
        }),
      );
      const admin = await signedIn();
      assert.equal(
        (await postForm(admin.jar, `${adminUrl}/contacts/new`, { csrf: 'forged', displayName: 'Forged' })).status,
        403,
      );
      assert.equal(
        (await postForm(admin.jar, `${adminUrl}/contacts/${kept.id}/delete`, { csrf: 'forged' })).status,
        403,
      );

      const inviter = await signedIn(asInviter);
      const list = await open(inviter.jar, `${adminUrl}/contacts`);
      assert.equal(list.status, 200);
      assert.doesNotMatch(list.page, /New contact/);
      const page = await open(inviter.jar, `${adminUrl}/contacts/${kept.id}`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.page, /<input id="displayName"/, 'read-only for the inviter');
      assert.doesNotMatch(page.page, /Delete contact/);
      assert.equal((await open(inviter.jar, `${adminUrl}/contacts/new`)).status, 403);
      assert.equal(
        (await postForm(inviter.jar, `${adminUrl}/contacts/new`, { csrf: inviter.csrf, displayName: 'By inviter' }))
          .status,
        403,
      );
      assert.equal(
        (await postForm(inviter.jar, `${adminUrl}/contacts/${kept.id}`, { csrf: inviter.csrf, displayName: 'Renamed' }))
          .status,
        403,
      );
      assert.equal(
        (await postForm(inviter.jar, `${adminUrl}/contacts/${kept.id}/delete`, { csrf: inviter.csrf })).status,
        403,
      );
      const now = await contacts();
      assert.deepEqual(
        now.find((c) => c.id === kept.id),
        kept,
      );
      assert.equal(
        now.some((c) => c.displayName === 'Forged' || c.displayName === 'By inviter'),
        false,
      );
    });

    it('contacts: search by name or address, and pages of 50', async () => {
      const { clock, store } = s.portico.services;
      await store.transaction(async (tx) => {
        for (let i = 0; i < 55; i++)
          await createContact(tx, clock, t.tenantId, {
            displayName: `Bulk ${String(i).padStart(2, '0')}`,
            mail: `bulk${i}@bulk.example`,
          });
      });
      const { jar } = await signedIn();
      const rows = (html: string) => (html.match(/<tr><td><a href="\/admin\/[^"]+\/contacts\//g) ?? []).length;
      const first = await open(jar, `${adminUrl}/contacts`);
      assert.equal(rows(first.page), 50);
      const next = /href="([^"]+page=2[^"]*)" rel="next"/.exec(first.page)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(next, 'a next-page link');
      const second = await open(jar, `${s.baseUrl}${next}`);
      assert.equal(rows(first.page) + rows(second.page), (await contacts()).length);
      const byName = await open(jar, `${adminUrl}/contacts?q=Bulk%2007`);
      assert.equal(rows(byName.page), 1);
      assert.match(byName.page, /bulk7@bulk\.example/);
      const byMail = await open(jar, `${adminUrl}/contacts?q=BULK12@`);
      assert.equal(rows(byMail.page), 1);
      assert.match(byMail.page, /Bulk 12/);
    });

    it('a contact shows the guest it conflicts with, with a link to the guest', async () => {
      const { jar, csrf } = await signedIn();
      const created = await postForm(jar, `${adminUrl}/contacts/new`, {
        csrf,
        displayName: 'Quinn (contact)',
        mail: 'quinn@partner.example',
        proxyAddresses: '',
        companyName: 'Partner',
      });
      const contactUrl = located(created);
      assert.doesNotMatch((await open(jar, contactUrl)).page, /conflicts with/);
      const inv = (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: 'quinn@partner.example',
          invitedUserDisplayName: 'Quinn',
          inviteRedirectUrl: 'https://x.example/',
          sendInvitationMessage: false,
        })
      ).body;
      assert.equal(inv.invitedUser.mail ?? (await t.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body.mail, null);
      const page = unescape((await open(jar, contactUrl)).page);
      assert.match(
        page,
        /This contact conflicts with the guest Quinn, invited at quinn@partner\.example: the guest was created without an email address and cannot use direct links/,
      );
      assert.match(
        page,
        new RegExp(`<a href="/admin/${t.tenantId}/users/${inv.invitedUser.id}">Open Quinn to unblock</a>`),
      );
    });

    it('groups: creates, renames, adds and removes members by address, deletes, each with its audit event', async () => {
      const { jar, csrf } = await signedIn();
      const form = await open(jar, `${adminUrl}/groups/new`);
      assert.match(form.page, /<label for="displayName">Name<\/label>/);
      assert.match(form.page, /<label for="description">Description<\/label>/);
      const created = await postForm(jar, `${adminUrl}/groups/new`, {
        csrf,
        displayName: 'Project Falcon',
        description: 'Partners on Falcon',
      });
      assert.equal(created.status, 303);
      const group = (await listGroups(db(), t.tenantId, { top: 100 })).items.find(
        (g) => g.displayName === 'Project Falcon',
      )!;
      assert.equal(group.description, 'Partners on Falcon');
      assert.equal((await audit('Add group'))?.targetResources[0]?.id, group.id);
      const groupUrl = `${adminUrl}/groups/${group.id}`;
      const shown = await open(jar, located(created));
      assert.match(shown.page, /role="status">The group was created\./);
      assert.match(shown.page, /id="displayName"[^>]*value="Project Falcon"/);
      assert.match(shown.page, /This group has no members\./);
      assert.match(shown.page, /<label for="member">Add a member by email address or sign-in name<\/label>/);

      const saved = await postForm(jar, groupUrl, { csrf, displayName: 'Falcon partners', description: '' });
      assert.equal(saved.status, 303);
      assert.deepEqual(await getGroup(db(), t.tenantId, group.id), {
        ...group,
        displayName: 'Falcon partners',
        description: null,
      });
      assert.equal((await audit('Update group'))?.targetResources[0]?.displayName, 'Falcon partners');

      const inv = (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: 'gus@partner.example',
          invitedUserDisplayName: 'Gus',
          inviteRedirectUrl: 'https://x.example/',
          sendInvitationMessage: false,
        })
      ).body;
      const addGuest = await postForm(jar, `${groupUrl}/members`, { csrf, member: 'GUS@partner.example' });
      assert.equal(addGuest.status, 303);
      const addMember = await postForm(jar, `${groupUrl}/members`, { csrf, member: 'ivy@contoso.example' });
      assert.equal(addMember.status, 303);
      const withMembers = await open(jar, located(addMember));
      assert.match(withMembers.page, /role="status">The member was added\./);
      assert.match(
        withMembers.page,
        new RegExp(
          `<a href="/admin/${t.tenantId}/users/${inv.invitedUser.id}">Gus</a></td><td>gus@partner\\.example</td><td>Guest</td>`,
        ),
      );
      assert.match(withMembers.page, /aria-label="Remove Ivy from the group"/);
      assert.deepEqual(
        (await groupsOfUser(db(), t.tenantId, inv.invitedUser.id)).map((g) => g.id),
        [group.id],
      );
      const added = await audit('Add member to group');
      assert.deepEqual(
        added?.targetResources.map((r) => r.id).sort(),
        [group.id, (await t.api('GET', '/v1.0/users/ivy@contoso.example')).body.id].sort(),
      );
      const members = (await t.api('GET', `/v1.0/groups/${group.id}/members`)).body.value.map(
        (m: { id: string }) => m.id,
      );
      assert.ok(members.includes(inv.invitedUser.id), 'the API sees the member');
      assert.match(
        (await open(jar, `${adminUrl}/users/${inv.invitedUser.id}`)).page,
        /<h2 id="groups">Groups<\/h2><ul class="links"><li><span>Falcon partners<\/span>/,
      );

      const removed = await postForm(jar, `${groupUrl}/members/${inv.invitedUser.id}/remove`, { csrf });
      assert.equal(removed.status, 303);
      assert.match((await open(jar, located(removed))).page, /role="status">The member was removed\./);
      assert.deepEqual(await groupsOfUser(db(), t.tenantId, inv.invitedUser.id), []);
      assert.equal((await audit('Remove member from group'))?.targetResources[1]?.id, inv.invitedUser.id);

      const deleted = await postForm(jar, `${groupUrl}/delete`, { csrf });
      assert.equal(deleted.status, 303);
      const list = await open(jar, located(deleted));
      assert.match(list.page, /role="status">The group was deleted\./);
      assert.deepEqual([form.page, withMembers.page, list.page].flatMap(unlabelled), []);
      assert.equal(await getGroup(db(), t.tenantId, group.id), undefined);
      assert.equal((await audit('Delete group'))?.targetResources[0]?.id, group.id);
    });

    it('groups: invalid input, an unknown or repeated member get a 400 at the field, and nothing changes', async () => {
      const { jar, csrf } = await signedIn();
      const before = (await listGroups(db(), t.tenantId, { top: 500 })).items;
      const noName = await postForm(jar, `${adminUrl}/groups/new`, { csrf, displayName: '  ', description: 'x' });
      assert.equal(noName.status, 400);
      assert.match(await noName.text(), /id="displayName-error" class="error" role="alert">Enter a name\./);
      const tooLong = await postForm(jar, `${adminUrl}/groups/new`, {
        csrf,
        displayName: 'Fine',
        description: 'd'.repeat(1025),
      });
      assert.equal(tooLong.status, 400);
      assert.match(
        await tooLong.text(),
        /id="description-error" class="error" role="alert">Use at most 1024 characters\./,
      );
      assert.deepEqual((await listGroups(db(), t.tenantId, { top: 500 })).items, before);

      const group = await s.portico.services.store.transaction((tx) =>
        createGroup(tx, s.portico.services.clock, t.tenantId, { displayName: 'Stable', description: 'as is' }),
      );
      const rename = await postForm(jar, `${adminUrl}/groups/${group.id}`, {
        csrf,
        displayName: '',
        description: 'changed',
      });
      assert.equal(rename.status, 400);
      assert.deepEqual(await getGroup(db(), t.tenantId, group.id), group);
      const unknown = await postForm(jar, `${adminUrl}/groups/${group.id}/members`, {
        csrf,
        member: 'nobody@nowhere.example',
      });
      assert.equal(unknown.status, 400);
      const html = unescape(await unknown.text());
      assert.match(
        html,
        /id="member-error" class="error" role="alert">No user of this organization has the address or sign-in name 'nobody@nowhere\.example'\./,
      );
      assert.match(html, /id="member"[^>]*value="nobody@nowhere\.example"[^>]*aria-invalid="true"/);
      assert.equal(
        (await postForm(jar, `${adminUrl}/groups/${group.id}/members`, { csrf, member: 'ivy@contoso.example' })).status,
        303,
      );
      const again = await postForm(jar, `${adminUrl}/groups/${group.id}/members`, {
        csrf,
        member: 'ivy@contoso.example',
      });
      assert.equal(again.status, 400);
      assert.match(unescape(await again.text()), /'ivy@contoso\.example' is already a member of this group\./);
      assert.equal((await t.api('GET', `/v1.0/groups/${group.id}/members`)).body.value.length, 1);
    });

    it('groups: a wrong CSRF value and a Guest Inviter are refused and change nothing; the inviter may read', async () => {
      const group = await s.portico.services.store.transaction((tx) =>
        createGroup(tx, s.portico.services.clock, t.tenantId, { displayName: 'Guarded' }),
      );
      const admin = await signedIn();
      assert.equal(
        (await postForm(admin.jar, `${adminUrl}/groups/new`, { csrf: 'forged', displayName: 'Forged' })).status,
        403,
      );
      assert.equal(
        (
          await postForm(admin.jar, `${adminUrl}/groups/${group.id}/members`, {
            csrf: 'forged',
            member: 'ivy@contoso.example',
          })
        ).status,
        403,
      );
      const inviter = await signedIn(asInviter);
      const page = await open(inviter.jar, `${adminUrl}/groups/${group.id}`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.page, /Add member|Delete group/);
      assert.equal((await open(inviter.jar, `${adminUrl}/groups/new`)).status, 403);
      for (const [path, fields] of [
        ['/groups/new', { displayName: 'By inviter' }],
        [`/groups/${group.id}`, { displayName: 'Renamed' }],
        [`/groups/${group.id}/members`, { member: 'ivy@contoso.example' }],
        [`/groups/${group.id}/delete`, {}],
      ] as const) {
        assert.equal(
          (await postForm(inviter.jar, `${adminUrl}${path}`, { csrf: inviter.csrf, ...fields })).status,
          403,
          path,
        );
      }
      assert.deepEqual(await getGroup(db(), t.tenantId, group.id), group);
      assert.equal((await t.api('GET', `/v1.0/groups/${group.id}/members`)).body.value.length, 0);
      assert.equal(
        (await listGroups(db(), t.tenantId, { top: 500 })).items.some(
          (g) => g.displayName === 'Forged' || g.displayName === 'By inviter',
        ),
        false,
      );
    });

    it('groups: search by name, and pages of 50', async () => {
      const { clock, store } = s.portico.services;
      await store.transaction(async (tx) => {
        for (let i = 0; i < 52; i++)
          await createGroup(tx, clock, t.tenantId, { displayName: `Team ${String(i).padStart(2, '0')}` });
      });
      const { jar } = await signedIn();
      const rows = (html: string) => (html.match(/<tr><td><a href="\/admin\/[^"]+\/groups\//g) ?? []).length;
      const first = await open(jar, `${adminUrl}/groups`);
      assert.equal(rows(first.page), 50);
      const next = /href="([^"]+page=2[^"]*)" rel="next"/.exec(first.page)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(next);
      const second = await open(jar, `${s.baseUrl}${next}`);
      assert.equal(
        rows(first.page) + rows(second.page),
        (await listGroups(db(), t.tenantId, { top: 500 })).items.length,
      );
      const search = await open(jar, `${adminUrl}/groups?q=Team%204`);
      assert.equal(rows(search.page), 10);
    });

    it('a guest added to a group on its page may then sign in to an app assigned to the group; removed, is refused again', async () => {
      const { clock, store } = s.portico.services;
      const actor = { kind: 'system' as const, displayName: 'test' };
      const { app, group } = await store.transaction(async (tx) => {
        const made = await createApp(
          tx,
          clock,
          t.tenantId,
          {
            displayName: 'Payroll',
            grantTypes: ['authorization_code'],
            redirectUris: ['http://127.0.0.1:1/callback'],
            assignmentRequired: true,
          },
          actor,
        );
        const g = await createGroup(tx, clock, t.tenantId, { displayName: 'Payroll users' });
        await assignPrincipal(tx, clock, t.tenantId, made.app.id, g.id, 'Group', actor);
        return { app: made.app, group: g };
      });
      // The guest redeems through the invitation link with a passcode.
      const inv = (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: 'pam@partner.example',
          invitedUserDisplayName: 'Pam',
          inviteRedirectUrl: 'https://x.example/',
          sendInvitationMessage: false,
        })
      ).body;
      const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'pam@partner.example') });
      await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      assert.equal((await t.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body.externalUserState, 'Accepted');

      /** Pam at the app's sign-in: types her address, then the passcode mailed to her; returns where that leads. */
      async function pamSignsIn() {
        const jar = new CookieJar();
        const url = new URL(`${s.baseUrl}/${t.tenantId}/v2.0/auth`);
        url.search = new URLSearchParams({
          client_id: app.clientId,
          response_type: 'code',
          scope: 'openid',
          redirect_uri: 'http://127.0.0.1:1/callback',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
          state: 'st',
        }).toString();
        const reached = await typeAddress(s.baseUrl, jar, url.toString(), 'pam@partner.example');
        const page = await reached.res!.text();
        assert.match(page, /Enter code/);
        const res = await postForm(jar, `${s.baseUrl}/redeem/passcode`, {
          csrf: csrfOf(page),
          code: await mailedCode(s, 'pam@partner.example'),
        });
        const done = await follow(jar, located(res), s.baseUrl);
        return { url: done.url, status: done.res?.status, page: done.res ? unescape(await done.res.text()) : '' };
      }

      const refused = await pamSignsIn();
      assert.equal(refused.status, 403);
      assert.match(refused.page, /You don't have access to Payroll/);

      const { jar, csrf } = await signedIn();
      assert.equal(
        (await postForm(jar, `${adminUrl}/groups/${group.id}/members`, { csrf, member: 'pam@partner.example' })).status,
        303,
      );
      const allowed = await pamSignsIn();
      assert.ok(allowed.url.startsWith('http://127.0.0.1:1/callback?code='), allowed.url);
      assert.match(
        (await open(jar, `${adminUrl}/users/${inv.invitedUser.id}`)).page,
        /<th scope="row">Apps<\/th><td>[^<]*Payroll/,
      );

      assert.equal(
        (await postForm(jar, `${adminUrl}/groups/${group.id}/members/${inv.invitedUser.id}/remove`, { csrf })).status,
        303,
      );
      assert.equal((await pamSignsIn()).status, 403);
    });
  },
);
