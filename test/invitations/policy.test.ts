// Who may invite and whom, on both stores, through the product: Graph's authorizationPolicy and Portico's
// b2bCollaborationRestrictions in the API (and `portico policy`), a member inviting from My Apps under each guest
// invite setting, a deny list with a wildcard refusing every invite path (API, CLI, a CSV row, the admin center's
// form, My Apps; the CLI's in test/cli/policy.test.ts) with the rule named, an allow list, an invitation made before a deny rule refused at redemption,
// and guestUserRoleId deciding a guest's lookups in My Apps.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { openAdmin, staffMember, type Login } from '../helpers/admin.ts';
import { assertGraphError, inviteGuest } from '../helpers/api.ts';
import { openLink, redeemedGuest } from '../helpers/redeem.ts';
import { CookieJar, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const LIMITED = '10dae51f-b6af-4d05-839f-ba50c2ec4a9b';
const RESTRICTED = '2af84b1e-32c8-42b7-82bc-daeb300e8fd7';
const SAME_AS_MEMBERS = 'a0b1b346-4d3e-4e8b-98f8-753987be4970';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;

suite(
  'guest invite settings and collaboration restrictions',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let mia: Login & { id: string };
    let ivy: Login & { id: string };
    const jars = new Map<string, CookieJar>();

    before(async () => {
      mia = await staffMember(t, 'mia', 'contoso.example', PASSWORD, []);
      // A Guest Inviter, granted through Graph's roleAssignments (staffMember).
      ivy = await staffMember(t, 'ivy', 'contoso.example', PASSWORD, [GUEST_INVITER]);
    });

    const policy = (body: unknown) => t.api('PATCH', '/v1.0/policies/authorizationPolicy', body);
    const restrict = (body: unknown) => t.api('PATCH', '/v1.0/policies/b2bCollaborationRestrictions', body);

    /** A signed-in browser (cookies) for `who`, signed in through My Apps once. */
    async function signedIn(who: Login): Promise<CookieJar> {
      let jar = jars.get(who.email);
      if (!jar) {
        jar = new CookieJar();
        const reached = await openAdmin(s, jar, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`, who);
        assert.equal(reached.status, 200, reached.page);
        jars.set(who.email, jar);
      }
      return jar;
    }

    /** My Apps' "Invite someone" page as `who`, and (with `email`) its form posted. */
    async function myAppsInvite(who: Login, email?: string, message = '') {
      const jar = await signedIn(who);
      const url = `${s.baseUrl}/myapps/invite?tenantid=${t.tenantId}`;
      const page = await request(jar, url);
      const html = await page.text();
      if (!email || page.status !== 200) return { status: page.status, page: unescape(html) };
      const redirect = /<option value="([^"]+)"/.exec(html)![1]!;
      const posted = await postForm(jar, url, { csrf: csrfOf(html), email, message, redirect: unescape(redirect) });
      return { status: posted.status, page: unescape(await posted.text()), location: posted.headers.get('location') };
    }

    it('reads and changes the authorization policy in Graph shape, refusing bad values with 400', async () => {
      const read = await t.api('GET', '/v1.0/policies/authorizationPolicy');
      assert.equal(read.status, 200);
      assert.equal(read.body.id, 'authorizationPolicy');
      assert.equal(read.body.allowInvitesFrom, 'everyone', "Entra's default");
      assert.equal(read.body.guestUserRoleId, LIMITED, "Entra's default");
      assert.equal((read.body.defaultUserRolePermissions as Record<string, unknown>).allowedToReadOtherUsers, true);

      assertGraphError(await policy({ allowInvitesFrom: 'admins' }), 400, 'Request_BadRequest');
      assertGraphError(
        await policy({ guestUserRoleId: '00000000-0000-0000-0000-000000000000' }),
        400,
        'Request_BadRequest',
      );
      assertGraphError(await policy({ blockMsolPowerShell: true }), 400, 'Request_BadRequest');
      assertGraphError(
        await policy({ defaultUserRolePermissions: { allowedToCreateApps: true } }),
        400,
        'Request_BadRequest',
      );
      assert.equal((await t.api('GET', '/v1.0/policies/authorizationPolicy')).body.allowInvitesFrom, 'everyone');

      assert.equal((await policy({ allowInvitesFrom: 'adminsAndGuestInviters' })).status, 204);
      const after = await t.api('GET', '/v1.0/policies/authorizationPolicy');
      assert.equal(after.body.allowInvitesFrom, 'adminsAndGuestInviters');
      const events = await listAudit(s.portico.services.store.db, t.tenantId, { top: 5 });
      assert.ok(events.some((e) => e.activityDisplayName === 'Update external identities settings'));
      assert.equal((await policy({ allowInvitesFrom: 'everyone' })).status, 204);
    });

    it('with adminsGuestInvitersAndAllMembers a member invites from My Apps: the mail and the audit name the member', async () => {
      assert.equal((await policy({ allowInvitesFrom: 'adminsGuestInvitersAndAllMembers' })).status, 204);
      const sent = await myAppsInvite(mia, 'gina@partner.example', 'Welcome aboard');
      assert.equal(sent.status, 303, sent.page);
      assert.match(sent.location!, /sent=gina%40partner\.example/);
      await s.portico.worker.runOnce();
      const mail = s.smtp.messages().find((m) => m.to.includes('gina@partner.example'));
      assert.ok(mail, 'the invitation was mailed');
      assert.match(mail.text, /Mia/, 'the mail names the member');
      assert.match(mail.text, /Welcome aboard/);
      const events = await listAudit(s.portico.services.store.db, t.tenantId, { top: 20 });
      const invited = events.find(
        (e) =>
          e.activityDisplayName === 'Invite external user' &&
          e.additionalDetails.some((d) => d.value === 'gina@partner.example'),
      );
      assert.equal(invited?.initiatedBy.kind, 'user');
      assert.equal(invited?.initiatedBy.kind === 'user' && invited.initiatedBy.id, mia.id);
    });

    it('refuses a redirect that is not My Apps or an app of the tenant', async () => {
      const jar = await signedIn(mia);
      const url = `${s.baseUrl}/myapps/invite?tenantid=${t.tenantId}`;
      const html = await (await request(jar, url)).text();
      const posted = await postForm(jar, url, {
        csrf: csrfOf(html),
        email: 'hal@partner.example',
        redirect: 'https://evil.example/',
      });
      assert.equal(posted.status, 400);
      assert.match(
        unescape(await posted.text()),
        /'https:\/\/evil\.example\/' is not an address of this organization's apps/,
      );
      const forged = await postForm(jar, url, { csrf: 'x', email: 'hal@partner.example', redirect: 'x' });
      assert.equal(forged.status, 403);
    });

    it('with adminsAndGuestInviters a plain member is refused; a Guest Inviter may invite', async () => {
      assert.equal((await policy({ allowInvitesFrom: 'adminsAndGuestInviters' })).status, 204);
      const refused = await myAppsInvite(mia);
      assert.equal(refused.status, 403);
      assert.match(
        refused.page,
        /Only administrators and Guest Inviters may invite guests to Contoso \(guest invite settings: allowInvitesFrom 'adminsAndGuestInviters'\); mia@contoso\.example is neither\./,
      );
      const allowed = await myAppsInvite(ivy, 'jo@partner.example');
      assert.equal(allowed.status, 303, allowed.page);
    });

    it('with none no one may invite, the Global Administrator and apps included (Entra: "including admins")', async () => {
      assert.equal((await policy({ allowInvitesFrom: 'none' })).status, 204);
      const api = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'kim@partner.example',
        inviteRedirectUrl: 'https://apps.example/',
      });
      assertGraphError(api, 403, 'Authorization_RequestDenied');
      assert.match(String((api.body.error as { message: string }).message), /allowInvitesFrom 'none'/);
      const admin = await myAppsInvite({ email: 'admin@contoso.example', password: t.adminPassword });
      assert.equal(admin.status, 403);
      assert.equal((await myAppsInvite(ivy)).status, 403);
      assert.equal((await policy({ allowInvitesFrom: 'everyone' })).status, 204);
    });

    it('a deny list with *.contoso.example refuses a@sub.contoso.example on every path, naming the rule', async () => {
      const bad = await restrict({ mode: 'deny', domains: ['not a domain'] });
      assertGraphError(bad, 400, 'Request_BadRequest');
      assertGraphError(await restrict({ mode: 'allow', domains: [] }), 400, 'Request_BadRequest');
      assert.equal((await restrict({ mode: 'deny', domains: ['*.Contoso.example', 'gmail.example'] })).status, 204);
      const read = await t.api('GET', '/v1.0/policies/b2bCollaborationRestrictions');
      assert.deepEqual(read.body.domains, ['*.contoso.example', 'gmail.example']);
      assert.equal(read.body.mode, 'deny');
      const rule =
        /does not allow invitations to sub\.contoso\.example: its collaboration restrictions deny '\*\.contoso\.example'/;

      // API
      const api = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'a@sub.contoso.example',
        inviteRedirectUrl: 'https://apps.example/',
      });
      assertGraphError(api, 403, 'Authorization_RequestDenied');
      assert.match(String((api.body.error as { message: string }).message), rule);

      // (the CLI's paths, one address and a CSV row: test/cli/policy.test.ts)

      // the admin center's invite form
      const jar = new CookieJar();
      const form = await openAdmin(s, jar, `${s.baseUrl}/admin/${t.tenantId}/users/invite`, {
        email: 'admin@contoso.example',
        password: t.adminPassword,
      });
      const posted = await postForm(jar, `${s.baseUrl}/admin/${t.tenantId}/users/invite`, {
        csrf: csrfOf(form.page),
        email: 'a@sub.contoso.example',
        redirect: 'https://apps.example/',
        send: '1',
      });
      assert.match(unescape(await posted.text()), rule);

      // My Apps
      const member = await myAppsInvite(mia, 'a@sub.contoso.example');
      assert.equal(member.status, 403);
      assert.match(member.page, rule);

      // the apex is not a subdomain: *.contoso.example leaves contoso.example itself alone (listed, it is refused)
      const apex = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'b@contoso.example',
        inviteRedirectUrl: 'https://apps.example/',
      });
      assert.equal(apex.status, 201, JSON.stringify(apex.body));

      assert.equal((await restrict({ mode: 'none' })).status, 204);
    });

    it('an allow list lets only listed domains in', async () => {
      assert.equal(
        (await restrict({ mode: 'allow', domains: ['fabrikam.example', '*.woodgrove.example'] })).status,
        204,
      );
      const invite = (email: string) =>
        t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: email,
          inviteRedirectUrl: 'https://apps.example/',
        });
      assert.equal((await invite('finn@fabrikam.example')).status, 201);
      assert.equal((await invite('wes@eu.woodgrove.example')).status, 201);
      const other = await invite('pat@partner.example');
      assertGraphError(other, 403, 'Authorization_RequestDenied');
      assert.match(
        String((other.body.error as { message: string }).message),
        /allows invitations only to the domains on its collaboration allow list \(fabrikam\.example, \*\.woodgrove\.example\), and partner\.example is not one of them/,
      );
      assertGraphError(await invite('sub@fabrikam.example.evil'), 403, 'Authorization_RequestDenied');
      assert.equal((await restrict({ mode: 'none' })).status, 204);
    });

    it('an invitation made before a deny rule is refused at redemption', async () => {
      const { redeemUrl } = await inviteGuest(t.api, 'lee@late.example');
      assert.equal((await restrict({ mode: 'deny', domains: ['late.example'] })).status, 204);
      const landing = await openLink(s, redeemUrl);
      assert.equal(landing.status, 403);
      assert.match(unescape(landing.page), /Contoso no longer allows invitations to late\.example/);
      assert.equal((await restrict({ mode: 'none' })).status, 204);
      const again = await openLink(s, redeemUrl);
      assert.equal(again.status, 200, 'lifted, the same invitation can be accepted');
    });

    it("guestUserRoleId decides a guest's lookups: limited by exact address, restricted only themselves", async () => {
      const guest = await redeemedGuest(s, t.api, 'gus@guest.example', 'Gus');
      const people = async (q: string) => {
        const res = await request(
          guest.jar,
          `${s.baseUrl}/myapps/people?tenantid=${t.tenantId}&q=${encodeURIComponent(q)}`,
        );
        return { status: res.status, page: unescape(await res.text()) };
      };
      // limited (the default): an exact address finds Mia, a name search does not
      const exact = await people('mia@contoso.example');
      assert.equal(exact.status, 200);
      assert.match(exact.page, /<ul id="people"><li>Mia/);
      const search = await people('Mi');
      assert.doesNotMatch(search.page, /<ul id="people">/);
      assert.match(search.page, /No one found/);

      assert.equal((await policy({ guestUserRoleId: RESTRICTED })).status, 204);
      const blocked = await people('mia@contoso.example');
      assert.equal(blocked.status, 403);
      assert.match(blocked.page, /Guests of Contoso can see only their own profile/);
      assert.doesNotMatch(blocked.page, /mia@contoso\.example<\/span>/);

      assert.equal((await policy({ guestUserRoleId: SAME_AS_MEMBERS })).status, 204);
      assert.match((await people('Mi')).page, /<ul id="people"><li>Mia/, 'same as members: a search finds Mia');
      assert.equal((await policy({ guestUserRoleId: LIMITED })).status, 204);
    });
  },
);
