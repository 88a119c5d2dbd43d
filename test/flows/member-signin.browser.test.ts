// A member signs in to an app through the tenant's pages in real headless Chromium: identifier page, password
// page (a wrong password first), redirect back to the app with a code, and the code exchanged by a real OpenID
// client (openid-client) with PKCE. Elements are found by their accessible names, so the labels are checked too.
// Without /usr/bin/chromium the test skips on a laptop; under CI a missing browser is a failure.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { chromium, type Browser, type Page } from 'playwright-core';

import { registerApp } from '../../src/apps/apps.ts';
import type { ProvisionedTenant } from '../../src/directory/provisioning.ts';
import { freePort } from '../helpers/net.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = '/tmp/signin.png';

const haveBrowser = existsSync(CHROMIUM);
const skip =
  !haveBrowser && !process.env.CI
    ? `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the browser tests`
    : false;

/** Whether the element the locator names has the keyboard focus. */
const isFocused = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((el) => el === document.activeElement);

describe('member sign-in in a browser (sqlite)', { skip }, () => {
  let s: TestServer;
  let browser: Browser;
  let rp: Server;
  let redirectUri: string;
  let p: ProvisionedTenant;
  const callbacks: URL[] = [];

  before(async () => {
    if (!haveBrowser) return; // the test itself fails, with the reason (CI without a browser)
    s = await startTestServer('sqlite');
    p = await s.provision('Northwind Traders');

    // The app the member signs in to: a loopback server that only records where the browser lands.
    const rpPort = await freePort();
    redirectUri = `http://127.0.0.1:${rpPort}/callback`;
    rp = createServer((req, res) => {
      const url = new URL(req.url ?? '/', redirectUri);
      if (url.pathname !== '/callback') return void res.writeHead(404).end();
      callbacks.push(url);
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Test RP</title><p>Signed in.</p>');
    });
    await new Promise<void>((resolve) => rp.listen(rpPort, '127.0.0.1', resolve));

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    if (rp)
      await new Promise<void>((resolve) => {
        rp.closeAllConnections();
        rp.close(() => resolve());
      });
    await s?.close();
  });

  it('signs a member in with email, then password, and hands the app a code for their ID token', async () => {
    assert.ok(
      haveBrowser,
      `CI is set but ${CHROMIUM} is missing: the browser tests must run in CI (apt-get install -y chromium).`,
    );
    const { services } = s.portico;
    const { app, clientSecret } = await services.store.transaction((tx) =>
      registerApp(tx, services.clock, p.tenant.id, {
        displayName: 'Test RP',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [redirectUri],
      }),
    );
    assert.ok(clientSecret);

    const issuer = `${s.baseUrl}/${p.tenant.id}/v2.0`;
    const config = await client.discovery(new URL(issuer), app.clientId, clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const expectedState = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      state: expectedState,
    });

    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // A CSP violation, a script error or a subresource that fails to load is a broken page even when the flow gets
    // through. (Chromium's own favicon requests and the 400 of the wrong-password page show only as "Failed to load
    // resource" lines; subresources are checked through their responses instead.)
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document') problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));

    try {
      // The identifier page: the tenant's name, the app's name, an email field that has the focus.
      await page.goto(authorizationUrl.href);
      assert.match(new URL(page.url()).pathname, new RegExp(`^/${p.tenant.id}/v2\\.0/interaction/`));
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      await page.getByText('Northwind Traders', { exact: true }).waitFor();
      await page.getByText('to continue to Test RP').waitFor();
      assert.match(await page.title(), /Northwind Traders/);
      // The stylesheets loaded under the page's CSP: the card has the layout's white background.
      assert.equal(
        await page.locator('main.card').evaluate((el) => getComputedStyle(el).backgroundColor),
        'rgb(255, 255, 255)',
      );
      assert.equal(await isFocused(page, 'Email address'), true, 'the email field has the focus when the page opens');
      const email = page.getByLabel('Email address', { exact: true });
      assert.equal(await email.getAttribute('autocomplete'), 'username');
      await email.fill(p.admin.userPrincipalName);
      await page.getByRole('button', { name: 'Next' }).click();

      // The password page names the account being signed in to.
      await page.getByRole('heading', { name: 'Password', level: 1 }).waitFor();
      await page.getByText(p.admin.userPrincipalName, { exact: true }).waitFor();
      assert.equal(await isFocused(page, 'Password'), true, 'the password field has the focus');
      await page.getByRole('link', { name: 'Use another account' }).waitFor();
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // A wrong password: the same page again, with the error announced and tied to the field.
      await page.getByLabel('Password', { exact: true }).fill('not-the-password-123');
      const [rejected] = await Promise.all([
        // the POST answers with a 303 to the page that shows its outcome (post/redirect/get): that page's response
        page.waitForResponse((r) => r.request().method() === 'GET' && /\/interaction\/[^/]+\/results\//.test(r.url())),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      assert.equal(rejected.status(), 400);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.equal((await alert.textContent())?.trim(), 'Your account or password is incorrect. Try again.');
      const password = page.getByLabel('Password', { exact: true });
      assert.equal(await password.getAttribute('aria-invalid'), 'true');
      assert.equal(await password.getAttribute('aria-describedby'), await alert.getAttribute('id'));
      assert.equal(await password.inputValue(), '', 'the wrong password is not echoed back');
      await page.getByText(p.admin.userPrincipalName, { exact: true }).waitFor();
      assert.equal(callbacks.length, 0, 'no redirect to the app after a wrong password');

      // The right password, keyboard only: the field has the focus again, Enter submits.
      assert.equal(await isFocused(page, 'Password'), true, 'the password field has the focus after an error');
      await page.keyboard.type(p.adminPassword);
      await Promise.all([page.waitForURL((u) => u.href.startsWith(`${redirectUri}?`)), page.keyboard.press('Enter')]);

      // Back at the app with a code and the state it sent.
      const landed = new URL(page.url());
      assert.equal(`${landed.origin}${landed.pathname}`, redirectUri);
      assert.ok(landed.searchParams.get('code'), 'the redirect carries an authorization code');
      assert.equal(landed.searchParams.get('state'), expectedState);
      assert.equal(landed.searchParams.get('error'), null);
      assert.equal(callbacks.length, 1);
      assert.equal(callbacks[0]!.searchParams.get('code'), landed.searchParams.get('code'));

      const tokens = await client.authorizationCodeGrant(config, landed, { pkceCodeVerifier, expectedState });
      const claims = tokens.claims();
      assert.ok(claims, 'the token response has an ID token');
      assert.equal(claims.iss, issuer);
      assert.equal(claims.aud, app.clientId);
      assert.equal(claims.oid, p.admin.id);
      assert.notEqual(claims.sub, p.admin.id, 'sub is pairwise per app');
      assert.equal(claims.tid, p.tenant.id);
      assert.equal(claims.preferred_username, p.admin.userPrincipalName);
      assert.ok(tokens.access_token);

      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
