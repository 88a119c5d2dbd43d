// The admin center's foundation over HTTP on both stores: sign-in through the tenant's own pages, the role check,
// the overview's figures, the users list with search, filters and paging, and sign out guarded by CSRF.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { GUEST_INVITER, HELPDESK_ADMINISTRATOR } from '../../src/admin/roles.ts';
import { grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { assertGraphError, seedMembers } from '../helpers/api.ts';
import { userToken as appUserToken } from '../helpers/app-client.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { apiClient } from '../helpers/server.ts';
import { CookieJar, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';
import { startSmtpPeer, type SmtpPeer } from '../mail/peer.ts';

const PASSWORD = 'correct-horse-battery';

suite(
  'admin center',
  { tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t, prepare }) => {
    let adminUrl: string;
    let smtp: SmtpPeer;
    prepare(async () => {
      // A real SMTP server on loopback that refuses one address with 550: the overview's undeliverable email.
      smtp = await startSmtpPeer({ refuse: (to) => (to === 'gail@partner.example' ? 550 : null) });
      return { runWorker: false, smtpUrl: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true` };
    });
    before(async () => {
      adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
      for (const [upn, roles] of [
        ['ivy@contoso.example', [GUEST_INVITER]],
        ['max@contoso.example', []],
      ] as const) {
        const created = (
          await t.api('POST', '/v1.0/users', {
            accountEnabled: true,
            displayName: upn.split('@')[0],
            mailNickname: upn.split('@')[0],
            userPrincipalName: upn,
            passwordProfile: { password: PASSWORD },
          })
        ).body;
        await grantRoles(t, created.id, roles);
      }
    });
    after(async () => {
      await smtp?.close();
    });

    const open = (jar: CookieJar, url: string, login?: Login) => openAdmin(s, jar, url, login);
    const asAdmin = {
      email: 'admin@contoso.example',
      get password() {
        return t.adminPassword;
      },
    };

    it("sends a visitor to the tenant's sign-in page through the built-in admin client", async () => {
      const res = await request(new CookieJar(), adminUrl);
      assert.equal(res.status, 303);
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.pathname, `/${t.tenantId}/v2.0/auth`);
      assert.equal(location.searchParams.get('client_id'), 'portico-admin');
    });

    it("shows a global administrator the overview with the tenant's figures and recent activity", async () => {
      // A 5-day ticket lifetime makes this invitation's ticket one that expires within the week.
      await setTenantSettings(s, t.tenantId, 'invitationTicketLifetimeDays=5');
      // The invitation email is refused by the SMTP server: a dead letter, as one happens.
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'gail@partner.example',
        inviteRedirectUrl: 'https://myapps.example/',
        sendInvitationMessage: true,
      });
      await s.portico.worker.runOnce();
      const jar = new CookieJar();
      const overview = await open(jar, adminUrl, asAdmin);
      assert.equal(overview.url, adminUrl);
      assert.equal(overview.status, 200);
      const figure = (label: string) => Number(new RegExp(`<strong>(\\d+)</strong>${label}`).exec(overview.page)?.[1]);
      assert.equal(figure('Members'), 3);
      assert.equal(figure('Guests'), 1);
      assert.equal(figure('Pending invitations'), 1);
      assert.equal(figure('Tickets expiring within 7 days'), 1);
      assert.equal(figure('Undeliverable emails'), 1);
      assert.match(overview.page, /Invite external user/);
      assert.match(overview.page, /aria-current="page"[^>]*>Overview/);
    });

    it('lists users with search, type and state filters, and pages', async () => {
      await seedMembers(
        s,
        t.tenantId,
        Array.from({ length: 55 }, (_, i) => ({
          displayName: `Worker ${String(i).padStart(2, '0')}`,
          userPrincipalName: `worker${i}@contoso.example`,
        })),
      );
      const jar = new CookieJar();
      await open(jar, adminUrl, asAdmin);
      const guests = await open(jar, `${adminUrl}/users?type=Guest&state=PendingAcceptance`);
      assert.match(guests.page, /gail@partner\.example/);
      assert.doesNotMatch(guests.page, /worker1@contoso\.example/);
      const search = await open(jar, `${adminUrl}/users?q=Worker%2001`);
      assert.match(search.page, /worker1@contoso\.example/);
      assert.doesNotMatch(search.page, /worker2@contoso\.example/);
      const first = await open(jar, `${adminUrl}/users?type=Member`);
      const next = /href="([^"]+page=2[^"]*)"/.exec(first.page)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(next, 'a next-page link');
      assert.match(first.page, /1–50 of 58/);
      const second = await open(jar, `${s.baseUrl}${next}`);
      const rows = (html: string) => (html.match(/<tr><td>/g) ?? []).length;
      assert.equal(rows(first.page), 50);
      assert.equal(rows(second.page), 58 - 50);
      assert.match(second.page, /51–58 of 58/);
      assert.match(second.page, /rel="prev"/);
    });

    it('refuses a member without an administrator role, and lets a guest inviter in', async () => {
      const refused = await open(new CookieJar(), adminUrl, { email: 'max@contoso.example', password: PASSWORD });
      assert.equal(refused.status, 403);
      assert.match(refused.page.replace(/&#39;/g, "'"), /doesn't have an administrator role at Contoso/);
      const inviter = await open(new CookieJar(), adminUrl, { email: 'ivy@contoso.example', password: PASSWORD });
      assert.equal(inviter.status, 200);
      assert.match(inviter.page, /Overview/);
    });

    it("signs out only with the form's CSRF value", async () => {
      const jar = new CookieJar();
      const overview = await open(jar, adminUrl, asAdmin);
      const csrf = /name="csrf" value="([^"]+)"/.exec(overview.page)![1]!;
      assert.equal((await postForm(jar, `${adminUrl}/signout`, { csrf: 'forged' })).status, 403);
      assert.equal((await request(jar, adminUrl)).status, 200, 'still signed in');
      const out = await postForm(jar, `${adminUrl}/signout`, { csrf });
      assert.match(await out.text(), /signed out of the admin center of Contoso/);
      assert.equal((await request(jar, adminUrl)).status, 303);
    });
  },
);

suite(
  'directory roles in the API',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    before(async () => {
      for (const [upn, roles] of [
        ['ivy@contoso.example', [GUEST_INVITER]],
        ['hal@contoso.example', [HELPDESK_ADMINISTRATOR]],
      ] as const) {
        const created = (
          await t.api('POST', '/v1.0/users', {
            accountEnabled: true,
            displayName: upn.split('@')[0],
            mailNickname: upn.split('@')[0],
            userPrincipalName: upn,
            passwordProfile: { password: PASSWORD },
          })
        ).body;
        await grantRoles(t, created.id, roles);
      }
    });

    const userToken = (email: string) => appUserToken(s, t.tenantId, email, PASSWORD);

    it('with adminsAndGuestInviters, a guest inviter may invite through the API; a helpdesk administrator may not (as in the admin center)', async () => {
      // Entra's default lets every member invite; the roles decide once the tenant allows only admins and Guest Inviters.
      const policy = await t.api('PATCH', '/v1.0/policies/authorizationPolicy', {
        allowInvitesFrom: 'adminsAndGuestInviters',
      });
      assert.equal(policy.status, 204, JSON.stringify(policy.body));
      const invite = {
        invitedUserEmailAddress: 'api-guest@partner.example',
        inviteRedirectUrl: 'https://myapps.example/',
        sendInvitationMessage: false,
      };
      const inviter = apiClient(s.baseUrl, await userToken('ivy@contoso.example'));
      const invited = await inviter('POST', '/v1.0/invitations', invite);
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      const helpdesk = apiClient(s.baseUrl, await userToken('hal@contoso.example'));
      assertGraphError(await helpdesk('POST', '/v1.0/invitations', invite), 403, 'Authorization_RequestDenied');
      assert.equal((await helpdesk('GET', '/v1.0/users')).status, 200, 'helpdesk reads users');
    });
  },
);
