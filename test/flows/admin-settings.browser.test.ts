// Each settings page of the admin center in headless Chromium, used as an admin would: opened from the navigation,
// every control labelled, one change typed or clicked and saved, the saved status shown, and then the change seen in
// a real flow (a guest's redemption over HTTP or in a second browser, an API call, a member's sign-in to an app, a
// direct link by a verified domain).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';

import { assertGraphError, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { startTestDns, type TestDns } from '../helpers/dns.ts';
import { startOidcIdp, type OidcIdp } from '../helpers/oidc-idp.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PASSWORD = 'correct-horse-battery';

describe('the admin center settings pages in a browser (sqlite)', { skip: browserSkip }, () => {
  let s: TestServer;
  let dns: TestDns;
  let idp: OidcIdp;
  let landing: Awaited<ReturnType<typeof startLandingSite>>;
  let t: TenantApi;
  let fabrikam: TenantApi;
  let browser: Browser;
  let admin: Page;

  before(async () => {
    if (!haveBrowser) return;
    dns = await startTestDns();
    s = await startTestServer('sqlite', { runWorker: false, env: { PORTICO_DNS_SERVERS: dns.server } });
    t = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    for (const [api, upn] of [
      [t.api, 'mia@contoso.example'],
      [fabrikam.api, 'finn@fabrikam.example'],
    ] as const) {
      const name = upn.split('@')[0]!;
      const res = await api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: name,
        mailNickname: name,
        userPrincipalName: upn,
        passwordProfile: { password: PASSWORD },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    idp = await startOidcIdp({
      redirectUris: [`${s.baseUrl}/${t.tenantId}/federation/oidc/callback`],
      issuerPath: 'realms/partner',
    });
    landing = await startLandingSite();
    browser = await launchBrowser();

    // One admin session for the whole suite: signed in before any terms of use exist.
    admin = await newPage();
    await admin.goto(`${s.baseUrl}/admin/${t.tenantId}`);
    await admin.getByLabel('Email address').fill('admin@contoso.example');
    await press('Next');
    await admin.getByLabel('Password').fill(t.adminPassword);
    await press('Sign in');
    await admin.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    await idp?.close();
    await landing?.close();
    await dns?.close();
  });

  async function newPage(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    return page;
  }

  /** Opens a section from the navigation and checks every form control on it has a label. */
  async function section(name: string): Promise<void> {
    await admin
      .getByRole('navigation', { name: 'Admin center sections' })
      .getByRole('link', { name, exact: true })
      .click();
    await admin.getByRole('heading', { name, level: 1 }).waitFor();
    await assertLabelled();
  }

  async function assertLabelled(page = admin): Promise<void> {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((el) => (el as HTMLInputElement).labels?.length === 0)
        .map((el) => el.outerHTML),
    );
    assert.deepEqual(unlabelled, [], `unlabelled controls on ${page.url()}`);
  }

  /** Submits a form with its button and waits for the page the server answers with, so no status of the page before counts. */
  async function press(name: string, page = admin): Promise<void> {
    await page.waitForLoadState('load');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
  }

  const saved = (text: string) => admin.getByRole('status').filter({ hasText: text }).waitFor();

  const invite = async (email: string) => {
    const res = await t.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: 'https://myapps.example/',
      sendInvitationMessage: false,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  };

  /** A guest opens the invitation link in a browser of their own and accepts it with the mailed passcode. */
  async function guestWithPasscode(email: string): Promise<Page> {
    const { inviteRedeemUrl } = await invite(email);
    const guest = await newPage();
    await guest.goto(inviteRedeemUrl);
    await guest.getByRole('button', { name: 'Accept invitation' }).click();
    await guest.getByLabel('Code').fill(await mailedCode(s, email));
    await guest.getByRole('button', { name: 'Sign in' }).click();
    return guest;
  }

  it('external identities: unticking the email passcode sends a new guest to personal-account sign-up', async () => {
    await section('External identities');
    const passcode = admin.getByLabel('Let guests with no other identity sign in with an email one-time passcode');
    assert.equal(await passcode.isChecked(), true);
    await passcode.uncheck();
    await press('Save settings');
    await saved('The external identities settings were saved.');
    assert.equal(await passcode.isChecked(), false, 'the page shows the stored value');

    const off = await submit(
      s,
      await openLink(s, (await invite('nia@elsewhere.example')).inviteRedeemUrl),
      '/redeem/start',
    );
    assert.match(off.page, /Create your account/);
    assert.doesNotMatch(off.page, /Enter code/);

    await passcode.check();
    await press('Save settings');
    await saved('The external identities settings were saved.');
    const on = await submit(
      s,
      await openLink(s, (await invite('ola@elsewhere.example')).inviteRedeemUrl),
      '/redeem/start',
    );
    assert.match(on.page, /Enter code/);
  });

  it('identity providers: an OpenID Connect provider added from the page receives the guests of its domain', async () => {
    await section('External identities');
    await admin.getByRole('link', { name: 'Add OpenID Connect' }).click();
    await admin.getByRole('heading', { name: 'Add an OpenID Connect identity provider', level: 1 }).waitFor();
    await assertLabelled();
    const redirectUri = `${s.baseUrl}/${t.tenantId}/federation/oidc/callback`;
    assert.equal(
      await admin
        .getByRole('row', { name: /^Redirect URI to register at the provider/ })
        .getByRole('cell')
        .innerText(),
      redirectUri,
    );
    await admin.getByLabel('Display name (shown to guests on the sign-in page)').fill('Partner Login');
    await admin.getByLabel('Email domains it signs in, one per line').fill('partner-oidc.example');
    await admin.getByLabel('Issuer URL').fill(idp.issuer);
    await admin.getByLabel('Client id').fill(idp.clientId);
    await admin.getByLabel('Client secret').fill(idp.clientSecret);
    await press('Add identity provider');
    await saved('The identity provider was added.');
    assert.equal(await admin.getByLabel('Issuer URL').inputValue(), idp.issuer);
    assert.equal(await admin.getByLabel('Client secret').inputValue(), '', 'the secret is never shown');

    const { inviteRedeemUrl } = await invite('pat@partner-oidc.example');
    const guest = await newPage();
    await guest.goto(inviteRedeemUrl);
    await guest.getByRole('button', { name: 'Accept invitation' }).click();
    await guest.waitForURL((u) => u.origin === new URL(idp.issuer).origin);
    assert.ok(guest.url().startsWith(idp.issuer), guest.url());
    await guest.context().close();
  });

  it("cross-tenant access: blocking inbound collaboration for all users refuses an invitation of another tenant's member", async () => {
    await section('Cross-tenant access');
    await admin.getByRole('link', { name: 'Change the default settings' }).click();
    await admin.getByRole('heading', { name: 'Cross-tenant access: default settings', level: 1 }).waitFor();
    await assertLabelled();
    // One short form per rule: inbound "Users and groups" is its own region with its own Save.
    const inboundUsers = admin.getByRole('region', { name: 'Users and groups' });
    await inboundUsers.getByRole('group', { name: 'Access' }).getByRole('radio', { name: 'Block' }).check();
    assert.equal(await inboundUsers.getByRole('radio', { name: 'All users' }).isChecked(), true);
    await Promise.all([admin.waitForEvent('load'), inboundUsers.getByRole('button', { name: 'Save' }).click()]);
    await saved('The cross-tenant access settings were saved.');
    assert.equal(await inboundUsers.getByRole('radio', { name: 'Block' }).isChecked(), true);

    const inviteFinn = () =>
      t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'finn@fabrikam.example',
        inviteRedirectUrl: 'https://myapps.example/',
        sendInvitationMessage: false,
      });
    assertGraphError(await inviteFinn(), 403, 'Authorization_RequestDenied');

    // A destructive action asks first: the link leads to a confirmation page, whose button posts the reset.
    await admin.getByRole('link', { name: 'Restore the service defaults', exact: true }).click();
    await admin.getByRole('heading', { name: 'Reset the default cross-tenant access settings?' }).waitFor();
    await press('Reset to defaults');
    await saved('The default settings are the service defaults again.');
    assert.equal((await inviteFinn()).status, 201);
  });

  it('terms of use: terms created from an uploaded text file are what a redeeming guest reads', async () => {
    await section('Terms of use');
    await admin.getByRole('link', { name: 'New terms of use' }).click();
    await admin.getByRole('heading', { name: 'New terms of use', level: 1 }).waitFor();
    await assertLabelled();
    await admin.getByLabel('Name users see').fill('Contoso guest terms');
    await admin.getByLabel('Terms file in the default language').setInputFiles({
      name: 'terms.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Be nice to each other.\n\nShare nothing outside the project.\n'),
    });
    await press('Create terms of use');
    await saved('The terms of use were created.');
    await admin.getByRole('heading', { name: 'Contoso guest terms', level: 1 }).waitFor();

    const guest = await guestWithPasscode('gus@partner.example');
    await guest.getByRole('button', { name: 'Accept', exact: true }).click();
    await guest.getByRole('heading', { name: 'Contoso guest terms', level: 1 }).waitFor();
    assert.equal(
      (await guest.getByRole('region', { name: 'Terms of use' }).innerText()).trim(),
      'Be nice to each other.\n\nShare nothing outside the project.',
    );
    await guest.getByRole('button', { name: 'Accept', exact: true }).click();
    await guest.waitForURL((u) => u.pathname === '/myapps');
    await guest.context().close();

    // Gone again, so the sign-ins of the later tests are not asked to accept them.
    await admin.getByRole('link', { name: 'Delete these terms of use' }).click();
    await press('Delete');
    await saved('The terms of use were deleted.');
  });

  it("privacy and branding: the privacy statement URL saved on the page is linked from the guest's Review permissions", async () => {
    await section('Privacy and branding');
    await admin.getByLabel('Privacy statement URL').fill('https://contoso.example/privacy');
    await press('Save');
    await saved('The privacy and branding settings were saved.');
    assert.equal(await admin.getByLabel('Privacy statement URL').inputValue(), 'https://contoso.example/privacy');

    const guest = await guestWithPasscode('pia@partner.example');
    await guest.getByRole('heading', { name: 'Review permissions' }).waitFor();
    const link = guest.getByRole('main').getByRole('link', { name: "Contoso's privacy statement" });
    assert.equal(await link.getAttribute('href'), 'https://contoso.example/privacy');
    await guest.context().close();
  });

  it('apps: an app registered with assignment required refuses the member until the app page assigns them', async () => {
    await section('Apps');
    await admin.getByRole('link', { name: 'Register an app' }).click();
    await admin.getByRole('heading', { name: 'Register an app', level: 1 }).waitFor();
    await assertLabelled();
    const redirectUri = `${landing.origin}/callback`;
    await admin.getByLabel('Name users see').fill('Payroll');
    await admin.getByLabel('Redirect URIs (one per line)').fill(redirectUri);
    await admin.getByLabel('Assignment required').check();
    assert.equal(await admin.getByLabel('Confidential client').isChecked(), true);
    await press('Register');
    await admin.getByRole('heading', { name: 'Payroll is registered', level: 1 }).waitFor();
    await saved('Configure your app with these values.');
    const clientId = (
      await admin
        .getByRole('row', { name: /^Application \(client\) ID/ })
        .getByRole('cell')
        .innerText()
    ).trim();
    const secret = (await admin.getByRole('region', { name: 'Client secret' }).getByRole('code').innerText()).trim();
    assert.match(clientId, /^[0-9a-f-]{36}$/);
    assert.ok(secret.length >= 40, 'the page shows the client secret');
    await admin
      .getByRole('alert')
      .filter({ hasText: "Copy the client secret now: it won't be shown again." })
      .waitFor();

    const rp = await client.discovery(new URL(`${s.baseUrl}/${t.tenantId}/v2.0`), clientId, secret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    /** Mia signs in to Payroll in a browser of her own: the app's callback with its code, or the page she stops at. */
    async function signInToPayroll(): Promise<{ tokens?: client.TokenEndpointResponse; page: string }> {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: redirectUri,
        scope: 'openid profile',
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const mia = await newPage();
      try {
        await mia.goto(url.toString());
        await mia.getByLabel('Email address').fill('mia@contoso.example');
        await mia.getByRole('button', { name: 'Next' }).click();
        await mia.getByLabel('Password').fill(PASSWORD);
        await mia.getByRole('button', { name: 'Sign in' }).click();
        // Either the app's callback or Portico's refusal.
        await Promise.race([
          mia.waitForURL((u) => u.origin === landing.origin),
          mia.getByRole('heading', { name: /^You don't have access/ }).waitFor(),
        ]);
        if (!mia.url().startsWith(redirectUri)) return { page: await mia.locator('body').innerText() };
        return {
          tokens: await client.authorizationCodeGrant(rp, new URL(mia.url()), {
            pkceCodeVerifier: verifier,
            expectedState: state,
          }),
          page: '',
        };
      } finally {
        await mia.context().close();
      }
    }
    const refused = await signInToPayroll();
    assert.equal(refused.tokens, undefined);
    assert.match(refused.page, /You don't have access to Payroll/);

    await admin.getByRole('link', { name: 'Go to the page of Payroll' }).click();
    await admin.getByRole('heading', { name: 'Payroll', level: 1 }).waitFor();
    await assertLabelled();
    assert.ok(!(await admin.content()).includes(secret), 'the secret is shown once only');
    await admin.getByLabel('Assign a user: their email or sign-in name').fill('mia@contoso.example');
    await press('Assign user');
    await saved('The assignment was added.');
    await admin.getByRole('row', { name: /^mia User/ }).waitFor();

    const allowed = await signInToPayroll();
    assert.ok(allowed.tokens?.id_token, allowed.page);
  });

  it("groups: a group created and given a member on its page is listed on the member's user page", async () => {
    await section('Groups');
    await admin.getByRole('link', { name: 'New group' }).click();
    await admin.getByRole('heading', { name: 'New group', level: 1 }).waitFor();
    await assertLabelled();
    await admin.getByLabel('Name', { exact: true }).fill('Payroll users');
    await admin.getByLabel('Description').fill('People who run the payroll');
    await press('Create group');
    await saved('The group was created.');
    await admin.getByRole('heading', { name: 'Payroll users', level: 1 }).waitFor();
    await assertLabelled();
    await admin.getByLabel('Add a member by email address or sign-in name').fill('mia@contoso.example');
    await press('Add member');
    await saved('The member was added.');

    await admin.getByRole('link', { name: 'mia', exact: true }).click();
    await admin.getByRole('heading', { name: 'mia', level: 1 }).waitFor();
    // The user page lists the user's groups under their heading, each with its remove link.
    assert.match(await admin.locator('h2#groups + ul.links').innerText(), /^Payroll users/);
  });

  it("domains: a domain added and verified on the page leads its direct link to the tenant's sign-in", async () => {
    await section('Domains');
    await admin.getByLabel('Domain name').fill('northwind.example');
    await press('Add domain');
    await saved('northwind.example was added. Publish the TXT record below, then verify it.');
    await assertLabelled();
    const record = (
      await admin
        .getByRole('row', { name: /^Value / })
        .getByRole('cell')
        .innerText()
    ).trim();
    assert.match(record, /^portico-verification=[\w-]+$/);

    const direct = await newPage();
    assert.equal(
      (await direct.goto(`${s.baseUrl}/myapps/northwind.example`))?.status(),
      404,
      'not before it is verified',
    );

    dns.publish('northwind.example', record);
    await press('Verify');
    await saved('northwind.example is verified.');
    assert.ok(dns.queries('northwind.example') > 0, 'the DNS server on loopback was asked');

    const res = await direct.goto(`${s.baseUrl}/myapps/northwind.example`);
    await direct.getByLabel('Email address').waitFor();
    const hops: URL[] = [];
    for (let r = res?.request() ?? null; r; r = r.redirectedFrom()) hops.unshift(new URL(r.url()));
    const auth = hops.find((u) => u.pathname === `/${t.tenantId}/v2.0/auth`);
    assert.ok(auth, hops.join(' -> '));
    assert.equal(auth.searchParams.get('client_id'), 'portico-myapps');
    await direct.context().close();
  });
});
