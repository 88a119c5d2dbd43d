// Passkeys end to end in Debian's Chromium with a CDP virtual authenticator (no real device), on both stores, with
// Portico at http://localhost (a secure context for WebAuthn, and a valid relying party id, which 127.0.0.1 is not):
//  - a member signs in to My Apps with their password and adds a passkey on Security info; then, with a Conditional
//    Access policy requiring MFA (created through the API), signs in to an app (openid-client, authorization code +
//    PKCE) with password + passkey: the ID token's amr is pwd, mfa, hwk;
//  - with that policy, a member without a method is asked for more information at sign-in to the app, sets up a
//    passkey there instead of an authenticator app, and is signed in: amr pwd, mfa, hwk (the virtual authenticator's
//    key is device-bound: not backup eligible); Graph lists the passkey in fido2AuthenticationMethod's shape;
//  - the next sign-in is password + passkey, amr pwd, mfa, hwk again;
//  - an administrator deletes the passkey through Graph while the sign-in page that asks for it is open: the
//    passkey is refused at once, and the next sign-in asks the member to register a method again;
//  - a tenant whose authentication methods policy disables fido2 offers no passkey; without JavaScript the passkey
//    page says passkeys need it, its button stays disabled; its CSP adds only script-src 'self'.
// The passkey pages load only /static/webauthn.js: any CSP violation or script error fails the test.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';

import { newUserBody, readAllPages } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { passkeyPage } from '../helpers/mfa.ts';
import { freePort } from '../helpers/net.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';

suite('passkeys in Chromium', { tenant: 'Contoso' }, ({ s, t, prepare }) => {
  let browser: Browser | undefined;
  let landing: Awaited<ReturnType<typeof startLandingSite>>;
  let member: { id: string; upn: string };
  let mfaRequired = false;
  let rp: client.Configuration;
  const redirectUri = () => `${landing.origin}/callback`;

  prepare(async () => {
    const port = await freePort();
    return { env: { PORTICO_PORT: String(port), PORTICO_BASE_URL: `http://localhost:${port}` } };
  });

  before(async () => {
    landing = await startLandingSite();
    member = await newMember('ada', 'Ada Lovelace');
    const app = await t.api('POST', '/v1.0/applications', {
      displayName: 'Timesheets',
      web: { redirectUris: [redirectUri()] },
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    rp = await client.discovery(
      new URL(`${s.baseUrl}/${t.tenantId}/v2.0`),
      app.body.appId as string,
      app.body.passwordCredentials[0].secretText as string,
      undefined,
      { execute: [client.allowInsecureRequests] },
    );
    if (haveBrowser) browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await landing?.close();
  });

  async function newMember(name: string, displayName: string) {
    const upn = `${name}@${t.domain}`;
    const created = await t.api('POST', '/v1.0/users', newUserBody(upn, displayName, { mail: upn }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { id: created.body.id as string, upn };
  }

  /** A policy requiring MFA of everyone for every app, through the API (once). */
  async function requireMfa() {
    if (mfaRequired) return;
    const policy = await t.api('POST', '/v1.0/identity/conditionalAccess/policies', {
      displayName: 'Require MFA',
      state: 'enabled',
      conditions: {
        clientAppTypes: ['all'],
        users: { includeUsers: ['All'] },
        applications: { includeApplications: ['All'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    mfaRequired = true;
  }

  /** A page whose script errors and CSP violations fail the test, with a virtual authenticator attached. */
  const newPage = () => passkeyPage(browser!, { timeout: 20_000, consoleErrors: true });

  async function signInWithPassword(page: Page, who = member) {
    await page.getByLabel('Email address').fill(who.upn);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** An authorization request of the app: its URL, and the redemption of the callback the browser reaches. */
  async function authorization() {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: redirectUri(),
      scope: 'openid profile',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return {
      url: url.href,
      redeem: (callback: URL) =>
        client.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state }),
    };
  }

  /** The method notices mailed to `to`, once at least `count` arrived (the outbox worker runs on its own). */
  async function mailsTo(to: string, count: number) {
    const mailed = () => s.smtp.messages().filter((m) => m.to.includes(to) && m.subject.includes('sign-in method'));
    for (let i = 0; i < 200 && mailed().length < count; i++) await new Promise((r) => setTimeout(r, 25));
    return mailed();
  }

  const fido2Methods = (who: { id: string }) => t.api('GET', `/v1.0/users/${who.id}/authentication/fido2Methods`);

  it(
    'a member adds a passkey on Security info, then signs in to an app with password + passkey: amr mfa and hwk',
    { skip: browserSkip },
    async () => {
      assert.ok(haveBrowser, 'CI is set but /usr/bin/chromium is missing');
      const { context, page, problems } = await newPage();
      try {
        // My Apps at the tenant: sign in with the password, open Security info, add a passkey.
        await page.goto(`${s.baseUrl}/myapps?tenantid=${t.tenantId}`);
        await signInWithPassword(page);
        await page.getByRole('link', { name: 'Security info' }).click();
        await page.getByRole('heading', { name: 'Security info' }).waitFor();
        await page.getByRole('link', { name: 'Add a passkey' }).click();
        await page.getByRole('heading', { name: 'Add a passkey' }).waitFor();
        await page.getByLabel('Name of the passkey').fill('Work laptop');
        await page.getByRole('button', { name: 'Create passkey' }).click();
        await page.getByText('Work laptop').waitFor();
        assert.match(new URL(page.url()).pathname, /security-info/);

        await requireMfa();

        // A fresh sign-in to the app (the authenticator stays with the page): password, then the passkey.
        await context.clearCookies();
        const first = await authorization();
        await page.goto(first.url);
        await signInWithPassword(page);
        await page.getByRole('heading', { name: 'Use your passkey' }).waitFor();
        await page.getByRole('button', { name: 'Use passkey' }).click();
        await page.waitForURL((u) => u.href.startsWith(redirectUri()));
        const tokens = await first.redeem(new URL(page.url()));
        const amr = tokens.claims()!.amr as string[];
        assert.ok(amr.includes('pwd'), JSON.stringify(amr));
        assert.ok(amr.includes('mfa'), JSON.stringify(amr));
        assert.ok(amr.includes('hwk'), JSON.stringify(amr));
        assert.ok(!amr.includes('swk'), 'a device-bound key is hwk only');

        assert.deepEqual(problems, [], 'no script error or CSP violation');
      } finally {
        await context.close();
      }
    },
  );

  it(
    'a member without a method sets up a passkey in "More information required" at sign-in (amr mfa and hwk), Graph lists it, the next sign-in asks for it; deleted through Graph it fails at once',
    { skip: browserSkip },
    async () => {
      assert.ok(haveBrowser, 'CI is set but /usr/bin/chromium is missing');
      await requireMfa();
      const grace = await newMember('grace', 'Grace Hopper');
      const { context, page, problems } = await newPage();
      try {
        const first = await authorization();
        await page.goto(first.url);
        await signInWithPassword(page, grace);
        await page.getByRole('heading', { name: 'More information required' }).waitFor();
        await page.getByRole('button', { name: 'Set up a passkey instead' }).click();
        await page.getByRole('heading', { name: 'Add a passkey' }).waitFor();
        await page.getByLabel('Name of the passkey').fill('Phone');
        await page.getByRole('button', { name: 'Create passkey' }).click();
        // Registered: the second factor is proved, the recovery codes are shown once, then the app.
        await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL((u) => u.href.startsWith(redirectUri()));
        const amr = (await first.redeem(new URL(page.url()))).claims()!.amr as string[];
        assert.deepEqual(amr, ['pwd', 'mfa', 'hwk']);

        const listed = await fido2Methods(grace);
        assert.equal(listed.status, 200, JSON.stringify(listed.body));
        const [method, ...more] = listed.body.value as Record<string, unknown>[];
        assert.deepEqual(more, []);
        assert.match(String(listed.body['@odata.context']), /\/authentication\/fido2Methods$/);
        const all = await t.api('GET', `/v1.0/users/${grace.id}/authentication/methods`);
        assert.ok(
          (all.body.value as Record<string, unknown>[]).some(
            (m) => m.id === method!.id && m['@odata.type'] === '#microsoft.graph.fido2AuthenticationMethod',
          ),
          JSON.stringify(all.body),
        );
        assert.equal(method!.displayName, 'Phone');
        assert.match(String(method!.aaGuid), /^[0-9a-f-]{36}$/);
        assert.equal(method!.attestationLevel, 'notAttested');
        assert.ok(!Number.isNaN(Date.parse(String(method!.createdDateTime))));

        // The next sign-in asks for the passkey, and the authenticator answers.
        await context.clearCookies();
        const second = await authorization();
        await page.goto(second.url);
        await signInWithPassword(page, grace);
        await page.getByRole('heading', { name: 'Use your passkey' }).waitFor();
        await page.getByRole('button', { name: 'Use passkey' }).click();
        await page.waitForURL((u) => u.href.startsWith(redirectUri()));
        assert.deepEqual((await second.redeem(new URL(page.url()))).claims()!.amr, ['pwd', 'mfa', 'hwk']);

        // Again, and while the page asking for the passkey is open an administrator deletes it through Graph.
        await context.clearCookies();
        const third = await authorization();
        await page.goto(third.url);
        await signInWithPassword(page, grace);
        await page.getByRole('heading', { name: 'Use your passkey' }).waitFor();
        const gone = await t.api('DELETE', `/v1.0/users/${grace.id}/authentication/fido2Methods/${method!.id}`);
        assert.equal(gone.status, 204, JSON.stringify(gone.body));
        assert.deepEqual((await fido2Methods(grace)).body.value, []);
        assert.equal(
          (await t.api('GET', `/v1.0/users/${grace.id}/authentication/fido2Methods/${method!.id}`)).status,
          404,
        );
        await page.getByRole('button', { name: 'Use passkey' }).click();
        await page.getByText('The passkey could not be verified').waitFor();
        assert.ok(!page.url().startsWith(redirectUri()), 'no code for a deleted passkey');
        assert.ok(
          !landing.visits.some((v) => v.searchParams.get('state') === new URL(third.url).searchParams.get('state')),
        );

        // Added and removed: audited (the person, then an administrator) and mailed to the person, naming a passkey.
        const audits = (await readAllPages(t.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items.filter((a) =>
          (a.targetResources as { id: string }[]).some((r) => r.id === grace.id),
        );
        const activities = audits.map((a) => a.activityDisplayName);
        assert.ok(activities.includes('User registered security info'), activities.join(' | '));
        assert.ok(activities.includes('Admin deleted security info'), activities.join(' | '));
        const notices = await mailsTo(grace.upn, 2);
        assert.ok(
          notices.some((m) => m.subject.includes('was added') && m.text.includes('Passkey')),
          notices.map((m) => m.subject).join(' | '),
        );
        assert.ok(notices.some((m) => m.subject.includes('was removed') && m.text.includes('Passkey')));

        // The next sign-in has no method to verify with: the member must register one again.
        await context.clearCookies();
        await page.goto((await authorization()).url);
        await signInWithPassword(page, grace);
        await page.getByRole('heading', { name: 'More information required' }).waitFor();
        assert.deepEqual(problems, [], 'no script error or CSP violation');
      } finally {
        await context.close();
      }
    },
  );

  it(
    'without JavaScript the passkey page says it needs it and its button stays disabled; its CSP allows only the own script',
    { skip: browserSkip },
    async () => {
      assert.ok(haveBrowser, 'CI is set but /usr/bin/chromium is missing');
      await requireMfa();
      const linus = await newMember('linus', 'Linus Pauling');
      const context = await browser!.newContext({ locale: 'en-US', javaScriptEnabled: false });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        // A tenant whose authentication methods policy turns passkeys off offers none.
        const fido2 = '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2';
        assert.equal((await t.api('PATCH', fido2, { state: 'disabled' })).status, 204);
        await page.goto((await authorization()).url);
        await signInWithPassword(page, linus);
        await page.getByRole('heading', { name: 'More information required' }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Set up a passkey instead' }).count(), 0);
        assert.equal((await t.api('PATCH', fido2, { state: 'enabled' })).status, 204);
        // The sign-in's page again (a reload shows the page the password's POST answered with, as it was then).
        await page.goto(page.url().replace(/\/results\/[^/]+$/, ''));
        const [answer] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/mfa/start')),
          page.getByRole('button', { name: 'Set up a passkey instead' }).click(),
        ]);
        await page.getByRole('heading', { name: 'Add a passkey' }).waitFor();
        await page.getByText('Passkeys need JavaScript').waitFor();
        assert.equal(await page.getByRole('button', { name: 'Create passkey' }).isDisabled(), true);
        const csp = (await answer.allHeaders())['content-security-policy'] ?? '';
        assert.match(csp, /(^|; )script-src 'self'(;|$)/);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        assert.match(csp, /default-src 'none'/);
        assert.deepEqual((await fido2Methods(linus)).body.value, [], 'nothing registered');
      } finally {
        await context.close();
      }
    },
  );
});
