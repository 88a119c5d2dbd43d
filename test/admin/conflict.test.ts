// The contact-conflict unblock on both stores, end to end through the admin pages: a contact, an invitation to its
// address (the guest gets no mail), then the guide's five steps, each a POST with CSRF and the right role, each
// shown done, next or later: delete the contact (its fields travel on), delete the pending guest, re-invite (a
// Guest Inviter may), the guest redeems with a passcode from the mail, the contact comes back with its fields, and
// the guest still signs in through a direct link.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { listContacts } from '../../src/directory/contacts.ts';
import { requireTenant } from '../../src/directory/tenants.ts';
import { getUser } from '../../src/directory/users.ts';
import { findInvitee } from '../../src/invitations/guests.ts';
import { csrfOf, openAdmin, staffMember, type Login } from '../helpers/admin.ts';
import { readForm, relyingParty, typeAddress } from '../helpers/federation.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const ADDRESS = 'quinn@partner.example';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

suite(
  'admin center contact-conflict unblock',
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
    const located = (res: Response) => new URL(res.headers.get('location')!, s.baseUrl).toString();
    const contactsAt = async (address: string) =>
      (await listContacts(db(), t.tenantId, { top: 500 })).items.filter((c) => c.mail === address);
    const guestAt = async (address: string) => findInvitee(db(), await requireTenant(db(), t.tenantId), address);
    const activities = async () => (await listAudit(db(), t.tenantId, { top: 100 })).map((e) => e.activityDisplayName);
    async function signedIn(login: Login = asAdmin) {
      const jar = new CookieJar();
      const page = await open(jar, adminUrl, login);
      assert.equal(page.status, 200);
      return { jar, csrf: csrfOf(page.page) };
    }

    /** The hidden fields of the guide's form for `step`, as the page carries them. */
    function stepForm(html: string, step: string): Record<string, string> {
      const form = new RegExp(
        `<form method="post" action="/admin/${t.tenantId}/users/conflict/${step}"[\\s\\S]*?</form>`,
      ).exec(html);
      assert.ok(form, `the page offers step ${step}`);
      return readForm(form[0]).fields;
    }
    /** Each step's status as the guide shows it, in order. */
    const statuses = (html: string) =>
      [...html.matchAll(/<li(?: aria-current="step")? data-step="[\w-]+"><strong>(\w+):<\/strong>/g)].map((m) => m[1]);

    it('walks the five steps from the pages; the re-invited guest redeems and still signs in after the contact is back', async () => {
      const { jar, csrf } = await signedIn();
      const contactMade = await postForm(jar, `${adminUrl}/contacts/new`, {
        csrf,
        displayName: 'Quinn Contact',
        mail: ADDRESS,
        proxyAddresses: 'smtp:q.contact@partner.example',
        companyName: 'Partner GmbH',
      });
      assert.equal(contactMade.status, 303);
      const [contact] = await contactsAt(ADDRESS);

      // The invitation at the contact's address makes a guest without mail: the conflict.
      const invited = await postForm(jar, `${adminUrl}/users/invite`, {
        csrf,
        email: ADDRESS,
        displayName: 'Quinn',
        message: '',
        language: 'en-US',
        redirect: `${s.baseUrl}/myapps?tenantid=${t.tenantId}`,
        send: '1',
      });
      assert.equal(invited.status, 200);
      const first = await guestAt(ADDRESS);
      assert.ok(first?.contactConflict);
      assert.equal(first.mail, null);
      assert.deepEqual(first.proxyAddresses ?? [], []);
      await s.portico.worker.runOnce();
      const firstLink = /(http:\/\/\S+\/redeem\?ticket=[\w-]+)/.exec(
        s.smtp.messages().find((m) => m.to.includes(ADDRESS))!.text,
      )![1]!;
      const guestUrl = `${adminUrl}/users/${first.id}`;
      let page = unescape((await open(jar, guestUrl)).page);
      assert.match(page, /The invited address belongs to the contact Quinn Contact \(quinn@partner\.example\)/);
      assert.deepEqual(statuses(page), ['Current', 'Pending', 'Pending', 'Pending', 'Pending']);
      assert.match(page, /<li aria-current="step" data-step="delete-contact">/);
      assert.match(page, /Delete contact Quinn Contact/);
      assert.match(
        unescape((await open(jar, `${adminUrl}/contacts/${contact!.id}`)).page),
        /This contact conflicts with the guest Quinn/,
      );

      // Out of order, with a forged CSRF value, or by a Guest Inviter: refused, nothing changes.
      const step1 = stepForm(page, 'delete-contact');
      assert.equal(step1['contact-displayName'], 'Quinn Contact');
      const tooEarly = await postForm(jar, `${adminUrl}/users/conflict/delete-guest`, { ...step1, guestId: first.id });
      assert.equal(tooEarly.status, 400);
      assert.match(await tooEarly.text(), /Do step 1 first\./);
      assert.equal(
        (await postForm(jar, `${adminUrl}/users/conflict/delete-contact`, { ...step1, csrf: 'forged' })).status,
        403,
      );
      const inviter = await signedIn({ email: 'ivy@contoso.example', password: PASSWORD });
      assert.equal(
        (await postForm(inviter.jar, `${adminUrl}/users/conflict/delete-contact`, { ...step1, csrf: inviter.csrf }))
          .status,
        403,
      );
      assert.equal((await contactsAt(ADDRESS)).length, 1);
      assert.ok(await guestAt(ADDRESS));

      // Step 1: the contact goes; its fields stay on the page.
      const deletedContact = await postForm(jar, `${adminUrl}/users/conflict/delete-contact`, step1);
      assert.equal(deletedContact.status, 303);
      assert.ok(located(deletedContact).startsWith(`${guestUrl}?`), 'back to the guest');
      assert.deepEqual(await contactsAt(ADDRESS), []);
      assert.ok((await activities()).includes('Delete contact'));
      page = unescape((await open(jar, located(deletedContact))).page);
      assert.match(page, /role="status" class="identity">The contact was deleted\./);
      assert.deepEqual(statuses(page), ['Done', 'Current', 'Pending', 'Pending', 'Pending']);
      assert.match(
        page,
        /<caption>The contact to add back in step 5<\/caption>[\s\S]*<td>Quinn Contact<\/td>[\s\S]*<td>quinn@partner\.example<\/td>[\s\S]*<td>smtp:q\.contact@partner\.example<\/td>[\s\S]*<td>Partner GmbH<\/td>/,
      );

      // Step 2: the pending guest goes (a Guest Inviter may not).
      const step2 = stepForm(page, 'delete-guest');
      assert.equal(step2.guestId, first.id);
      assert.equal(step2['contact-companyName'], 'Partner GmbH');
      assert.equal(
        (await postForm(inviter.jar, `${adminUrl}/users/conflict/delete-guest`, { ...step2, csrf: inviter.csrf }))
          .status,
        403,
      );
      const deletedGuest = await postForm(jar, `${adminUrl}/users/conflict/delete-guest`, step2);
      assert.equal(deletedGuest.status, 303);
      assert.equal(await getUser(db(), t.tenantId, first.id), undefined);
      assert.ok((await activities()).includes('Delete user'));
      assert.ok(located(deletedGuest).startsWith(`${adminUrl}/users/conflict?`));
      page = unescape((await open(jar, located(deletedGuest))).page);
      assert.match(page, /The pending guest was deleted\./);
      assert.deepEqual(statuses(page), ['Done', 'Done', 'Current', 'Pending', 'Pending']);

      // Step 3: a Guest Inviter re-invites; the new guest has the address and gets the invitation email.
      const step3 = stepForm(page, 'reinvite');
      const reinvited = await postForm(inviter.jar, `${adminUrl}/users/conflict/reinvite`, {
        ...step3,
        csrf: inviter.csrf,
      });
      assert.equal(reinvited.status, 303);
      const second = (await guestAt(ADDRESS))!;
      assert.notEqual(second.id, first.id);
      assert.deepEqual(
        {
          mail: second.mail,
          proxyAddresses: second.proxyAddresses,
          contactConflict: second.contactConflict,
          displayName: second.displayName,
          state: second.externalUserState,
        },
        {
          mail: ADDRESS,
          proxyAddresses: [`SMTP:${ADDRESS}`],
          contactConflict: false,
          displayName: 'Quinn',
          state: 'PendingAcceptance',
        },
      );
      assert.ok(located(reinvited).startsWith(`${adminUrl}/users/${second.id}?`));
      page = unescape((await open(jar, located(reinvited))).page);
      assert.deepEqual(statuses(page), ['Done', 'Done', 'Done', 'Current', 'Pending']);
      assert.match(page, /Invitation accepted: No\. Quinn has the invitation email\./);

      // Step 5 waits for the redemption.
      const early = await postForm(jar, `${adminUrl}/users/conflict/readd-contact`, { ...step3, csrf });
      assert.equal(early.status, 400);
      assert.match(await early.text(), /Do step 4 first\./);
      assert.deepEqual(await contactsAt(ADDRESS), []);

      // Step 4: the guest redeems through the link in the mail, with a passcode mailed to the address.
      await s.portico.worker.runOnce();
      const links = s.smtp
        .messages()
        .filter((m) => m.to.includes(ADDRESS))
        .map((m) => /(http:\/\/\S+\/redeem\?ticket=[\w-]+)/.exec(m.text)?.[1])
        .filter((l) => l !== undefined);
      assert.equal(links.length, 2, 'the re-invitation was mailed');
      const link = links.find((l) => l !== firstLink)!;
      // The deleted guest's link redeems nothing any more.
      assert.match(unescape((await openLink(s, firstLink)).page), /This invitation link can't be used/);
      const code = await submit(s, await openLink(s, link), '/redeem/start');
      assert.match(code.page, /Enter code/);
      const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, ADDRESS) });
      await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      assert.equal((await getUser(db(), t.tenantId, second.id))?.externalUserState, 'Accepted');

      const checkAgain = /<a href="([^"]+)">Check again<\/a>/.exec(page)![1]!;
      page = unescape((await open(jar, `${s.baseUrl}${unescape(checkAgain)}`)).page);
      assert.match(page, /<th scope="row">Invitation accepted<\/th><td>Yes<\/td>/);
      assert.deepEqual(statuses(page), ['Done', 'Done', 'Done', 'Done', 'Current']);

      // Step 5: the contact comes back with the fields it had; the guest keeps its address.
      const step5 = stepForm(page, 'readd-contact');
      assert.equal(
        (await postForm(inviter.jar, `${adminUrl}/users/conflict/readd-contact`, { ...step5, csrf: inviter.csrf }))
          .status,
        403,
      );
      const readded = await postForm(jar, `${adminUrl}/users/conflict/readd-contact`, step5);
      assert.equal(readded.status, 303);
      const [back] = await contactsAt(ADDRESS);
      assert.ok(back);
      assert.notEqual(back.id, contact!.id);
      assert.deepEqual(
        { displayName: back.displayName, proxyAddresses: back.proxyAddresses, companyName: back.companyName },
        {
          displayName: 'Quinn Contact',
          proxyAddresses: ['smtp:q.contact@partner.example'],
          companyName: 'Partner GmbH',
        },
      );
      assert.equal((await listAudit(db(), t.tenantId, { top: 1 }))[0]?.activityDisplayName, 'Add contact');
      page = unescape((await open(jar, located(readded))).page);
      assert.match(page, /The contact was added back\./);
      assert.deepEqual(statuses(page), ['Done', 'Done', 'Done', 'Done', 'Done']);
      assert.match(page, /All steps are done/);
      const guest = (await getUser(db(), t.tenantId, second.id))!;
      assert.deepEqual(
        { mail: guest.mail, contactConflict: guest.contactConflict, state: guest.externalUserState },
        { mail: ADDRESS, contactConflict: false, state: 'Accepted' },
      );
      assert.doesNotMatch((await open(jar, `${adminUrl}/contacts/${back.id}`)).page, /conflicts with/);
      // A repeated step 5 (a double click) adds nothing.
      assert.equal((await postForm(jar, `${adminUrl}/users/conflict/readd-contact`, step5)).status, 303);
      assert.equal((await contactsAt(ADDRESS)).length, 1);

      // With the contact back, the guest still signs in through a direct link: address, passcode, the app.
      const app = await relyingParty(s, t.tenantId);
      const authorization = await app.authorize();
      const signInJar = new CookieJar();
      const reached = await typeAddress(s.baseUrl, signInJar, authorization.url, ADDRESS);
      const codePage = await reached.res!.text();
      assert.match(codePage, /Enter code/);
      const res = await postForm(signInJar, `${s.baseUrl}/redeem/passcode`, {
        csrf: csrfOf(codePage),
        code: await mailedCode(s, ADDRESS),
      });
      const landed = await follow(signInJar, located(res), s.baseUrl);
      assert.ok(landed.url.startsWith(app.redirectUri), landed.url);
      assert.equal((await authorization.claims(landed.url)).oid, second.id);
    });

    it('a conflicted guest who already accepted is not deleted; with the contact gone, resetting its redemption gives it its address', async () => {
      const address = 'rae@partner.example';
      await t.api('POST', '/v1.0/contacts', { displayName: 'Rae Contact', mail: address });
      const inv = (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: address,
          invitedUserDisplayName: 'Rae',
          inviteRedirectUrl: 'https://x.example/',
          sendInvitationMessage: false,
        })
      ).body;
      const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, address) });
      await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      const { jar } = await signedIn();
      let page = unescape((await open(jar, `${adminUrl}/users/${inv.invitedUser.id}`)).page);
      assert.match(page, /<th scope="row">Invitation accepted<\/th><td>Yes<\/td>/);
      const deleted = await postForm(
        jar,
        `${adminUrl}/users/conflict/delete-contact`,
        stepForm(page, 'delete-contact'),
      );
      page = unescape((await open(jar, located(deleted))).page);
      assert.deepEqual(statuses(page), ['Done', 'Current', 'Pending', 'Pending', 'Pending']);
      assert.match(
        page,
        /This guest has already accepted the invitation, so it is not deleted here\. With the contact deleted, Reset redemption status gives it its email address back\./,
      );
      assert.doesNotMatch(page, /conflict\/delete-guest/);
      const refused = await postForm(jar, `${adminUrl}/users/conflict/delete-guest`, {
        csrf: csrfOf(page),
        address,
        guestId: inv.invitedUser.id,
      });
      assert.equal(refused.status, 400);
      assert.match(unescape(await refused.text()), /This guest has already accepted the invitation/);
      assert.ok(await getUser(db(), t.tenantId, inv.invitedUser.id));

      const reset = await postForm(jar, `${adminUrl}/users/${inv.invitedUser.id}/reset`, { csrf: csrfOf(page) });
      assert.equal(reset.status, 200);
      const guest = (await getUser(db(), t.tenantId, inv.invitedUser.id))!;
      assert.deepEqual(
        { mail: guest.mail, contactConflict: guest.contactConflict, state: guest.externalUserState },
        { mail: address, contactConflict: false, state: 'PendingAcceptance' },
      );
    });
  },
);
