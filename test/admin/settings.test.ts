// The admin center's settings pages on both stores: external identities and privacy and branding show the current
// values, save through the domain functions (with their audit events), take effect in the redemption flow, refuse
// invalid input and a wrong CSRF value, and are read-only for a Guest Inviter.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { listAudit } from '../../src/directory/audit.ts';
import { storedSettings } from '../../src/directory/settings.ts';
import { requireTenant } from '../../src/directory/tenants.ts';
import { createProvider } from '../../src/federation/providers.ts';
import { grantRoles, openAdmin, type Login } from '../helpers/admin.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const unescape = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

suite(
  'admin center settings',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let adminUrl: string;
    before(async () => {
      adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
      const created = (
        await t.api('POST', '/v1.0/users', {
          accountEnabled: true,
          displayName: 'ivy',
          mailNickname: 'ivy',
          userPrincipalName: 'ivy@contoso.example',
          passwordProfile: { password: PASSWORD },
        })
      ).body;
      await grantRoles(t, created.id, [GUEST_INVITER]);
      const { services } = s.portico;
      await services.store.transaction((tx) =>
        createProvider(
          tx,
          services.clock,
          t.tenantId,
          'oidc',
          {
            displayName: 'Partner Login',
            issuerUri: 'https://login.partner.example',
            clientId: 'portico',
            clientSecret: 'a-client-secret',
            domains: ['partner.example'],
          },
          { kind: 'system', displayName: 'test' },
        ),
      );
    });

    const open = (jar: CookieJar, url: string, login?: Login) => openAdmin(s, jar, url, login);
    const asAdmin = {
      email: 'admin@contoso.example',
      get password() {
        return t.adminPassword;
      },
    };
    const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    // The tenant with its settings as stored (what a form saved), not as resolved with the defaults.
    const tenant = async () => ({
      ...(await requireTenant(s.portico.services.store.db, t.tenantId)),
      settings: await storedSettings(s.portico.services.store.db, t.tenantId),
    });
    const invite = async (email: string) =>
      (
        await t.api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: email,
          inviteRedirectUrl: 'https://x.example/',
          sendInvitationMessage: false,
        })
      ).body;
    const activities = async () =>
      (await listAudit(s.portico.services.store.db, t.tenantId, { top: 50 })).map((e) => e.activityDisplayName);

    it('external identities: shows the settings and providers, saves them, and the flow follows', async () => {
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/identities`, asAdmin);
      assert.equal(page.status, 200);
      assert.match(
        page.page,
        /<input id="emailPasscodeEnabled" name="emailPasscodeEnabled" type="checkbox" value="1" checked/,
      );
      assert.match(page.page, /id="passcodeValidityMinutes"[^>]*value="10"/);
      assert.match(page.page, /id="invitationTicketLifetimeDays"[^>]*value="30"/);
      assert.match(page.page, /<label for="passcodeValidityMinutes">/);
      assert.match(
        page.page,
        /<td>OpenID Connect<\/td><td><a href="\/admin\/[\w-]+\/identities\/providers\/[\w-]+">Partner Login<\/a><\/td><td>partner\.example<\/td>/,
      );
      assert.match(page.page, /<a href="\/admin\/[\w-]+\/identities\/new\/saml">Add SAML\/WS-Fed<\/a>/);
      assert.match(page.page, /aria-current="page"[^>]*>External identities/);

      // Passcode on: a new address gets a code.
      const before = await invite('olga@elsewhere.example');
      assert.match((await submit(s, await openLink(s, before.inviteRedeemUrl), '/redeem/start')).page, /Enter code/);

      const saved = await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(page.page),
        personalAccountsEnabled: '1',
        passcodeValidityMinutes: '15',
        requireInvitedAddressProof: '1',
        invitationTicketLifetimeDays: '7',
      });
      assert.equal(saved.status, 303);
      assert.deepEqual((await tenant()).settings, {
        emailPasscodeEnabled: false,
        personalAccountsEnabled: true,
        passcodeValidityMinutes: 15,
        passcodeLength: 6,
        passcodeMaxAttempts: 5,
        passcodeResendCooldownSeconds: 60,
        requireInvitedAddressProof: true,
        invitationReminderDays: [],
        expirySummaryEmail: false,
        invitationTicketLifetimeDays: 7,
      });
      assert.ok((await activities()).includes('Update external identities settings'));
      const shown = await open(jar, new URL(saved.headers.get('location')!, s.baseUrl).toString());
      assert.match(shown.page, /role="status">The external identities settings were saved/);
      assert.match(
        shown.page,
        /<input id="emailPasscodeEnabled" name="emailPasscodeEnabled" type="checkbox" value="1"\/>/,
      );
      assert.match(shown.page, /id="passcodeValidityMinutes"[^>]*value="15"/);

      // Passcode off: a new invitation's redemption goes to personal-account sign-up.
      const inv = await invite('nia@elsewhere.example');
      const signup = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      assert.match(signup.page, /Create your account/);
    });

    it('external identities: the passcode limits (length, tries, cool-down) take effect in the redemption', async () => {
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/identities`, asAdmin);
      for (const id of ['passcodeLength', 'passcodeMaxAttempts', 'passcodeResendCooldownSeconds'])
        assert.match(page.page, new RegExp(`<label for="${id}">`));
      const refused = await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(page.page),
        emailPasscodeEnabled: '1',
        passcodeLength: '12',
        passcodeMaxAttempts: '3',
        passcodeResendCooldownSeconds: '30',
      });
      assert.equal(refused.status, 400);
      assert.match(
        await refused.text(),
        /id="passcodeLength-error" class="error" role="alert">Enter a whole number of digits from 6 to 8\./,
      );
      const saved = await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(page.page),
        emailPasscodeEnabled: '1',
        personalAccountsEnabled: '1',
        requireInvitedAddressProof: '1',
        passcodeLength: '8',
        passcodeMaxAttempts: '3',
        passcodeResendCooldownSeconds: '30',
      });
      assert.equal(saved.status, 303);
      const settings = (await tenant()).settings;
      assert.equal(settings.passcodeLength, 8);
      assert.equal(settings.passcodeMaxAttempts, 3);

      const inv = await invite('pat@elsewhere.example');
      const codePage = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      assert.match(codePage.page, /Enter code/);
      await s.portico.worker.runOnce();
      const mail = s.smtp
        .messages()
        .filter((m) => m.to.includes('pat@elsewhere.example'))
        .at(-1)!;
      const code = /\b(\d{8})\b/.exec(mail.text)?.[1];
      assert.ok(code, `an 8-digit code: ${mail.text}`);
      // Three wrong tries end this code: the right one no longer works.
      let r = codePage;
      for (let i = 0; i < 3; i++)
        r = await submit(s, r, '/redeem/passcode', { code: code === '00000000' ? '11111111' : '00000000' });
      const late = await submit(s, r, '/redeem/passcode', { code });
      assert.doesNotMatch(late.page, /Review permissions/);
      // Put the defaults back for the other tests.
      await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(page.page),
        emailPasscodeEnabled: '1',
        personalAccountsEnabled: '1',
        requireInvitedAddressProof: '1',
        passcodeLength: '6',
        passcodeMaxAttempts: '5',
        passcodeResendCooldownSeconds: '60',
      });
    });

    it('external identities: reminder days and the expiry summary are saved, a bad list is refused at its field', async () => {
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/identities`, asAdmin);
      assert.match(page.page, /<label for="invitationReminderDays">/);
      assert.match(page.page, /<label for="expirySummaryEmail" class="inline">/);
      const before = (await tenant()).settings;
      const bad = await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(page.page),
        emailPasscodeEnabled: '1',
        personalAccountsEnabled: '1',
        requireInvitedAddressProof: '1',
        invitationReminderDays: '7, 7, soon',
      });
      assert.equal(bad.status, 400);
      assert.match(
        await bad.text(),
        /id="invitationReminderDays-error" class="error" role="alert">Enter up to 3 different whole numbers/,
      );
      assert.deepEqual((await tenant()).settings, before, 'nothing changed');
      const saved = await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(page.page),
        emailPasscodeEnabled: '1',
        personalAccountsEnabled: '1',
        requireInvitedAddressProof: '1',
        invitationReminderDays: '7, 1',
        expirySummaryEmail: '1',
      });
      assert.equal(saved.status, 303);
      const settings = (await tenant()).settings;
      assert.deepEqual(settings.invitationReminderDays, [7, 1]);
      assert.equal(settings.expirySummaryEmail, true);
      const shown = await open(jar, `${adminUrl}/identities`);
      assert.match(shown.page, /id="invitationReminderDays"[^>]*value="7, 1"/);
      await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(page.page),
        emailPasscodeEnabled: '1',
        personalAccountsEnabled: '1',
        requireInvitedAddressProof: '1',
        invitationReminderDays: '',
      });
      assert.deepEqual((await tenant()).settings.invitationReminderDays, []);
    });

    it('external identities: refuses an out-of-range number with the error at the field and changes nothing', async () => {
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/identities`, asAdmin);
      const settings = (await tenant()).settings;
      const refused = await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(page.page),
        emailPasscodeEnabled: '1',
        passcodeValidityMinutes: '0',
        invitationTicketLifetimeDays: 'soon',
      });
      assert.equal(refused.status, 400);
      const html = await refused.text();
      assert.match(
        html,
        /id="passcodeValidityMinutes-error" class="error" role="alert">Enter a whole number of minutes from 1 to 60\./,
      );
      assert.match(
        html,
        /id="invitationTicketLifetimeDays-error" class="error" role="alert">Enter a whole number of days from 1 to 365\./,
      );
      assert.match(html, /id="passcodeValidityMinutes"[^>]*aria-invalid="true"/);
      assert.deepEqual((await tenant()).settings, settings);
    });

    it('privacy and branding: shows the values, saves them, and the redemption page footer links the statement', async () => {
      await t.api('PATCH', `/v1.0/organization/${t.tenantId}`, {
        privacyProfile: { contactEmail: 'dpo@contoso.example' },
        branding: { primaryColor: '#2f5bd3' },
      });
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/branding`, asAdmin);
      assert.equal(page.status, 200);
      assert.match(page.page, /id="contactEmail"[^>]*value="dpo@contoso\.example"/);
      assert.match(page.page, /id="primaryColor"[^>]*value="#2f5bd3"/);
      assert.match(page.page, /<label for="statementUrl">Privacy statement URL<\/label>/);

      const saved = await postForm(jar, `${adminUrl}/branding`, {
        csrf: csrfOf(page.page),
        statementUrl: 'https://contoso.example/privacy',
        contactEmail: 'privacy@contoso.example',
        logoUrl: 'https://cdn.contoso.example/logo.png',
        primaryColor: '#123456',
        backgroundColor: '',
      });
      assert.equal(saved.status, 303);
      const now = await tenant();
      assert.equal(now.privacyStatementUrl, 'https://contoso.example/privacy');
      assert.equal(now.privacyContactEmail, 'privacy@contoso.example');
      assert.deepEqual(now.branding, { logoUrl: 'https://cdn.contoso.example/logo.png', primaryColor: '#123456' });
      assert.ok((await activities()).includes('Update company settings'));
      const org = (await t.api('GET', `/v1.0/organization/${t.tenantId}`)).body;
      assert.deepEqual(org.privacyProfile, {
        statementUrl: 'https://contoso.example/privacy',
        contactEmail: 'privacy@contoso.example',
      });
      const shown = await open(jar, new URL(saved.headers.get('location')!, s.baseUrl).toString());
      assert.match(shown.page, /role="status">The privacy and branding settings were saved/);
      assert.match(shown.page, /id="logoUrl"[^>]*value="https:\/\/cdn\.contoso\.example\/logo\.png"/);

      const inv = await invite('pia@elsewhere.example');
      const landing = await openLink(s, inv.inviteRedeemUrl);
      assert.match(landing.page, /<footer class="footer"><a href="https:\/\/contoso\.example\/privacy"/);
      assert.match(landing.page, /src="https:\/\/cdn\.contoso\.example\/logo\.png"/);

      // An emptied statement URL removes it again.
      await postForm(jar, `${adminUrl}/branding`, {
        csrf: csrfOf(page.page),
        statementUrl: '',
        contactEmail: 'privacy@contoso.example',
        logoUrl: 'https://cdn.contoso.example/logo.png',
        primaryColor: '#123456',
        backgroundColor: '',
      });
      assert.equal((await tenant()).privacyStatementUrl, null);
    });

    it('privacy and branding: refuses invalid values with an error at each field and changes nothing', async () => {
      const jar = new CookieJar();
      const page = await open(jar, `${adminUrl}/branding`, asAdmin);
      const was = await tenant();
      for (const [field, value, message] of [
        ['statementUrl', 'javascript:alert(1)', 'Enter a web address that starts with https://.'],
        ['statementUrl', 'ftp://contoso.example/privacy', 'Enter a web address that starts with https://.'],
        ['logoUrl', 'data:image/png;base64,AAAA', 'Enter a web address that starts with https://.'],
        ['contactEmail', 'privacy', 'Enter an email address like privacy@contoso.com.'],
        ['primaryColor', 'red', 'Enter a hex colour like #2f5bd3.'],
        ['backgroundColor', '#fff; background: url(https://evil.example)', 'Enter a hex colour like #2f5bd3.'],
      ] as const) {
        const fields: Record<string, string> = {
          csrf: csrfOf(page.page),
          statementUrl: 'https://contoso.example/new',
          contactEmail: 'new@contoso.example',
          logoUrl: '',
          primaryColor: '#000000',
          backgroundColor: '',
          [field]: value,
        };
        const refused = await postForm(jar, `${adminUrl}/branding`, fields);
        assert.equal(refused.status, 400, `${field}=${value}`);
        const html = unescape(await refused.text());
        assert.ok(html.includes(`id="${field}-error" class="error" role="alert">${message}`), `${field}=${value}`);
        assert.ok(html.includes(`value="${value}"`), 'the form keeps what was typed');
        assert.deepEqual(await tenant(), was, `${field}=${value} changed nothing`);
      }
    });

    it('refuses a save with a wrong CSRF value', async () => {
      const jar = new CookieJar();
      await open(jar, `${adminUrl}/identities`, asAdmin);
      const was = await tenant();
      assert.equal(
        (
          await postForm(jar, `${adminUrl}/identities`, {
            csrf: 'forged',
            passcodeValidityMinutes: '20',
            invitationTicketLifetimeDays: '20',
          })
        ).status,
        403,
      );
      assert.equal(
        (await postForm(jar, `${adminUrl}/branding`, { csrf: 'forged', statementUrl: 'https://evil.example/' })).status,
        403,
      );
      assert.deepEqual(await tenant(), was);
    });

    it('lets a Guest Inviter view the settings pages but not save them', async () => {
      const jar = new CookieJar();
      const identities = await open(jar, `${adminUrl}/identities`, {
        email: 'ivy@contoso.example',
        password: PASSWORD,
      });
      assert.equal(identities.status, 200);
      const branding = await open(jar, `${adminUrl}/branding`);
      assert.equal(branding.status, 200);
      const was = await tenant();
      const refused = await postForm(jar, `${adminUrl}/identities`, {
        csrf: csrfOf(identities.page),
        passcodeValidityMinutes: '20',
        invitationTicketLifetimeDays: '20',
      });
      assert.equal(refused.status, 403);
      assert.match(unescape(await refused.text()), /Your role doesn't allow this/);
      assert.equal(
        (
          await postForm(jar, `${adminUrl}/branding`, {
            csrf: csrfOf(branding.page),
            statementUrl: 'https://evil.example/',
          })
        ).status,
        403,
      );
      assert.deepEqual(await tenant(), was);
    });
  },
);
