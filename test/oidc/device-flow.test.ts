// The device code flow (oidc/device-flow.ts) as a CLI built on MSAL uses it: an app registered through the Graph API
// with "Allow public client flows" (isFallbackPublicClient), MSAL's PublicClientApplication.acquireTokenByDeviceCode
// in this process against Portico behind https (test/helpers/tls.ts), and the person in Chromium opening the
// verification page, typing the code, signing in as a member and confirming the app. Then the verification page's
// refusals over HTTP: a wrong code, a used one, an expired one (the manual clock), a cancelled sign-in, an app that
// does not allow public client flows, escaping, German, and the per-IP limit on codes typed.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { PublicClientApplication, type DeviceCodeRequest } from '@azure/msal-node';
import type { Browser } from 'playwright-core';

import { newUserBody, type Api } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { findSecrets } from '../helpers/scan.ts';
import { apiClient, appToken } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';
import { chromiumTlsArgs, msalNetwork, tlsProxy, type TlsProxy } from '../helpers/tls.ts';

const PASSWORD = 'correct-horse-battery';
type DeviceCodeResponse = Parameters<DeviceCodeRequest['deviceCodeCallback']>[0];

const CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

interface DeviceAuthorization {
  verification_uri_complete: string;
  device_code: string;
  user_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
  message: string;
}

suite('device code flow', { clock: 'manual', runWorker: false }, ({ s, clock, prepare }) => {
  let proxy: TlsProxy;
  /** Portico's own http listener (what the proxy forwards to); HTTP-only checks go straight to it */
  let listener: string;
  let tenantId: string;
  let api: Api;
  let member: { id: string; upn: string };
  /** the app of the CLI: public client flows allowed */
  let cli: string;
  /** a web app registered as usual: no public client flows */
  let web: { appId: string; secret: string; id: string };
  let browser: Browser | undefined;

  prepare(async () => {
    proxy = await tlsProxy();
    return { env: { PORTICO_BASE_URL: proxy.origin } };
  });

  before(async () => {
    listener = `http://127.0.0.1:${s.config.port}`;
    await proxy.start(listener);
    const p = await s.provision('Contoso');
    tenantId = p.tenant.id;
    const token = await appToken(
      s.baseUrl,
      tenantId,
      p.managementClient.clientId,
      p.managementClient.clientSecret,
      listener,
    );
    api = apiClient(listener, token);
    const upn = `mia@${p.tenant.initialDomain}`;
    const created = await api('POST', '/v1.0/users', newUserBody(upn, 'Mia'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    member = { id: created.body.id, upn };

    const app = await api('POST', '/v1.0/applications', {
      displayName: 'Contoso <CLI>',
      isFallbackPublicClient: true,
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    assert.equal(app.body.isFallbackPublicClient, true);
    assert.deepEqual(app.body.passwordCredentials, [], 'a public client gets no secret');
    cli = app.body.appId;

    const webApp = await api('POST', '/v1.0/applications', {
      displayName: 'Contoso Web',
      web: { redirectUris: ['https://web.contoso.example/signed-in'] },
    });
    assert.equal(webApp.status, 201, JSON.stringify(webApp.body));
    assert.equal(webApp.body.isFallbackPublicClient, false);
    web = { appId: webApp.body.appId, secret: webApp.body.passwordCredentials[0].secretText, id: webApp.body.id };
    if (haveBrowser) browser = await launchBrowser(chromiumTlsArgs);
  });

  after(async () => {
    await browser?.close();
    await proxy?.close();
  });

  const msal = (clientId: string) =>
    new PublicClientApplication({
      auth: {
        clientId,
        authority: `${proxy.origin}/${tenantId}`,
        knownAuthorities: [new URL(proxy.origin).host],
      },
      system: { networkClient: msalNetwork() },
    });

  /** A device authorization straight from the endpoint, as MSAL would ask for one. */
  async function deviceCode(clientId = cli, path = 'v2.0/devicecode', extra: Record<string, string> = {}) {
    const res = await fetch(`${listener}/${tenantId}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, scope: 'openid profile offline_access', ...extra }),
    });
    return { status: res.status, body: (await res.json()) as DeviceAuthorization & { error?: string } };
  }

  /** Polls the token endpoint once with a device code. */
  async function poll(code: string, clientId = cli) {
    const res = await fetch(`${listener}/${tenantId}/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: code,
      }),
    });
    return { status: res.status, body: (await res.json()) as { error?: string; access_token?: string } };
  }

  /** The verification page over HTTP: opens it and types `code`; the answer to that POST. */
  async function typeCode(code: string, lang = 'en-US', jar = new CookieJar({ 'accept-language': lang })) {
    const page = await request(jar, `${listener}/${tenantId}/v2.0/device`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(xsrf, 'the code form carries the provider’s xsrf value');
    assert.match(html, /name="confirm" value="yes"/, 'the app is confirmed after the sign-in, not before');
    const answer = await postForm(jar, `${listener}/${tenantId}/v2.0/device`, {
      xsrf,
      user_code: code,
      confirm: 'yes',
    });
    return { status: answer.status, html: await answer.text(), location: answer.headers.get('location'), jar };
  }

  /**
   * A right code typed, then the tenant's sign-in pages over HTTP (test/helpers/signin.ts's steps): the page after the
   * password (or straight away, with a session at the tenant in `jar`), which is the confirmation.
   */
  async function signInAfterCode(code: string, lang = 'en-US', jar = new CookieJar({ 'accept-language': lang })) {
    const typed = await typeCode(code, lang, jar);
    assert.equal(typed.status, 303, typed.html.slice(0, 500));
    const page = await follow(jar, new URL(typed.location!, listener).toString(), listener);
    let html = await page.res!.text();
    if (html.includes('/identifier')) {
      const passwordPage = await postForm(jar, new URL(formAction(html, '/identifier'), listener).toString(), {
        login: member.upn,
      });
      const action = formAction(await passwordPage.text(), '/password');
      const done = await postForm(jar, new URL(action, listener).toString(), { login: member.upn, password: PASSWORD });
      assert.equal(done.status, 200);
      html = await done.text();
    }
    return { html, jar };
  }

  /** The confirmation's answer (`yes` or `no`), followed to the page the provider ends on. */
  async function answer(jar: CookieJar, html: string, choice: 'yes' | 'no') {
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const posted = await postForm(jar, new URL(formAction(html, '/device'), listener).toString(), { csrf, choice });
    assert.equal(posted.status, 303);
    const end = await follow(jar, new URL(posted.headers.get('location')!, listener).toString(), listener);
    return { status: end.res!.status, html: await end.res!.text() };
  }

  it(
    'MSAL acquireTokenByDeviceCode: the code typed in Chromium, the app confirmed, a member signed in',
    { skip: browserSkip },
    async () => {
      let shown!: (r: DeviceCodeResponse) => void;
      const codeShown = new Promise<DeviceCodeResponse>((resolve) => (shown = resolve));
      const tokens = msal(cli).acquireTokenByDeviceCode({
        scopes: ['openid', 'profile'],
        deviceCodeCallback: (response) => shown(response),
      });
      const code = await codeShown;
      assert.match(code.userCode, CODE);
      assert.equal(code.verificationUri, `${proxy.origin}/${tenantId}/v2.0/device`);
      assert.equal(
        code.message,
        `To sign in, use a web browser to open the page ${code.verificationUri} and enter the code ${code.userCode} to authenticate.`,
      );
      assert.equal(code.expiresIn, 900);
      assert.equal(code.interval, 5);

      const context = await browser!.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      try {
        await page.goto(code.verificationUri);
        await page.getByLabel('Code').fill(code.userCode.toLowerCase().replace('-', ' '));
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByLabel('Email address').fill(member.upn);
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Are you trying to sign in to Contoso <CLI>?' }).waitFor();
        const confirmation = await page.locator('main').innerText();
        assert.ok(confirmation.includes(code.userCode), 'the confirmation shows the code to compare');
        assert.ok(confirmation.includes(`You're signed in as Mia (${member.upn})`), 'and who signed in');
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByRole('heading', { name: "You're signed in" }).waitFor();
        assert.match(await page.locator('main').innerText(), /You have signed in to Contoso <CLI> on your device/);
      } finally {
        await context.close();
      }

      const result = await tokens;
      assert.ok(result, 'MSAL resolves');
      assert.ok(result.accessToken, 'an access token');
      assert.equal(result.tenantId, tenantId);
      const claims = result.idTokenClaims as { tid?: string; oid?: string };
      assert.equal(claims.tid, tenantId);
      assert.equal(claims.oid, member.id);
      assert.equal(result.account?.username, member.upn);

      // The code is spent: typing it again is refused with a page, and nothing more is issued for it.
      const again = await typeCode(code.userCode);
      assert.equal(again.status, 400);
      assert.match(again.html, /already been used/);
      // Polling again with the redeemed device code is a replay: refused (and the grant it made is revoked).
      const replay = await poll(code.deviceCode);
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
    },
  );

  it('answers at <issuer>/devicecode and at Entra’s /oauth2/v2.0/devicecode, and polling waits for the person', async () => {
    for (const path of ['v2.0/devicecode', 'oauth2/v2.0/devicecode']) {
      const { status, body } = await deviceCode(cli, path);
      assert.equal(status, 200, JSON.stringify(body));
      assert.match(body.user_code, CODE);
      assert.ok(body.device_code.length >= 32, 'a long random device code');
      assert.equal(body.verification_uri, `${proxy.origin}/${tenantId}/v2.0/device`);
      assert.equal(body.expires_in, 900);
      assert.equal(body.interval, 5);
      assert.ok(body.message.includes(body.user_code));
      const pending = await poll(body.device_code);
      assert.equal(pending.status, 400);
      assert.equal(pending.body.error, 'authorization_pending');
    }
    // The link with the code in it opens the code form with the code filled in (no script: the CSP allows none).
    const { body } = await deviceCode();
    assert.equal(
      body.verification_uri_complete,
      `${proxy.origin}/${tenantId}/v2.0/device?user_code=${encodeURIComponent(body.user_code)}`,
    );
    const complete = await fetch(`${listener}/${tenantId}/v2.0/device?user_code=${encodeURIComponent(body.user_code)}`);
    const html = await complete.text();
    assert.equal(complete.status, 200);
    assert.ok(!html.includes('<script'), 'no script');
    assert.ok(html.includes(`value="${body.user_code}"`), 'the code is filled in');
    const discovery = await fetch(`${listener}/${tenantId}/v2.0/.well-known/openid-configuration`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': new URL(proxy.origin).host },
    });
    const metadata = (await discovery.json()) as Record<string, unknown>;
    assert.equal(metadata.device_authorization_endpoint, `${proxy.origin}/${tenantId}/v2.0/devicecode`);
  });

  it('an app with a secret cannot use the device code grant, nor be made a public client: its secret stays needed', async () => {
    const anonymous = await deviceCode(web.appId);
    assert.equal(anonymous.status, 401, JSON.stringify(anonymous.body));
    assert.equal(anonymous.body.error, 'invalid_client');
    const withSecret = await fetch(`${listener}/${tenantId}/v2.0/devicecode`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${web.appId}:${web.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ scope: 'openid' }),
    });
    assert.ok(withSecret.status >= 400 && withSecret.status < 500, `refused, not ${withSecret.status}`);
    await assert.rejects(
      msal(web.appId).acquireTokenByDeviceCode({ scopes: ['openid'], deviceCodeCallback: () => undefined }),
      /invalid_client/,
    );
    // Security review (issue #18): the setting used to make the whole app public, so its refresh tokens were
    // redeemed without the secret. An app with a secret cannot have it (docs/entra-apps.md, "Device code flow").
    const before = (await api('GET', `/v1.0/applications/${web.id}`)).body;
    const patched = await api('PATCH', `/v1.0/applications/${web.id}`, { isFallbackPublicClient: true });
    assert.equal(patched.status, 400, JSON.stringify(patched.body));
    assert.equal(patched.body.error.code, 'Request_BadRequest');
    assert.match(
      patched.body.error.message,
      /isFallbackPublicClient cannot be turned on for an app with a client secret/,
    );
    assert.deepEqual((await api('GET', `/v1.0/applications/${web.id}`)).body, before, 'nothing changed');
    assert.equal((await deviceCode(web.appId)).status, 401, 'still refused');
  });

  it('an app without a secret uses the device code grant while it allows public client flows', async () => {
    const made = await api('POST', '/v1.0/applications', {
      displayName: 'Kiosk',
      isFallbackPublicClient: true,
      web: { redirectUris: ['https://kiosk.contoso.example/signed-in'] },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const off = await api('PATCH', `/v1.0/applications/${made.body.id}`, { isFallbackPublicClient: false });
    assert.equal(off.status, 204, JSON.stringify(off.body));
    const refused = await deviceCode(made.body.appId);
    assert.ok(refused.status >= 400 && refused.status < 500, `refused once the setting is off: ${refused.status}`);
    const on = await api('PATCH', `/v1.0/applications/${made.body.id}`, { isFallbackPublicClient: true });
    assert.equal(on.status, 204, JSON.stringify(on.body));
    const allowed = await deviceCode(made.body.appId);
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    assert.match(allowed.body.user_code, CODE);
  });

  it('a wrong code is a clear 400 page that shows what was typed, escaped', async () => {
    const typed = '<script>alert(1)</script>"><b>';
    const { status, html } = await typeCode(typed);
    assert.equal(status, 400);
    assert.match(html, /That code isn't right|That code isn&#39;t right/);
    assert.ok(!html.includes('<script>alert(1)'), 'the typed value is escaped');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'and shown back in the field');
    // Posted without `confirm` (not by the form): the form again, the code filled in.
    const { body } = await deviceCode();
    const jar = new CookieJar();
    const form = await (await request(jar, `${listener}/${tenantId}/v2.0/device`)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)![1]!;
    const bare = await postForm(jar, `${listener}/${tenantId}/v2.0/device`, { xsrf, user_code: body.user_code });
    assert.equal(bare.status, 200);
    assert.ok((await bare.text()).includes(`value="${body.user_code}"`));
    const empty = await typeCode('');
    assert.equal(empty.status, 400);
    assert.match(empty.html, /role="alert"/);
  });

  it('in German: the code page, its error and the confirmation', async () => {
    const { body } = await deviceCode();
    const wrong = await typeCode('BBBB-BBBB', 'de-DE');
    assert.equal(wrong.status, 400);
    assert.match(wrong.html, /<html lang="de-DE"/);
    assert.match(wrong.html, /Code eingeben/);
    assert.match(wrong.html, /Dieser Code ist nicht richtig/);
    const { html } = await signInAfterCode(body.user_code, 'de-DE');
    assert.match(html, /<html lang="de-DE"/);
    assert.match(html, /Versuchen Sie, sich bei Contoso &lt;CLI&gt; anzumelden\?/);
    assert.ok(html.includes(`Fahren Sie nur fort, wenn Ihr Gerät diesen Code anzeigt: ${body.user_code}`));
    assert.match(html, />Abbrechen</);
  });

  it('cancelling at the confirmation refuses the device: access_denied, and the code is spent', async () => {
    const { body } = await deviceCode();
    const { html, jar } = await signInAfterCode(body.user_code);
    assert.match(html, /Are you trying to sign in to Contoso &lt;CLI&gt;\?/);
    const cancelled = await answer(jar, html, 'no');
    assert.equal(cancelled.status, 200);
    assert.match(cancelled.html, /The sign-in was cancelled/);
    const refused = await poll(body.device_code);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'access_denied');
    assert.equal((await typeCode(body.user_code)).status, 400, 'the code cannot be typed again');

    // Signed in at the tenant in this browser now: a new code still asks, without the password this time.
    const next = await deviceCode();
    const again = await signInAfterCode(next.body.user_code, 'en-US', jar);
    assert.match(again.html, /Are you trying to sign in to Contoso &lt;CLI&gt;\?/);
    const confirmed = await answer(jar, again.html, 'yes');
    assert.equal(confirmed.status, 200);
    assert.match(confirmed.html, /You have signed in to Contoso &lt;CLI&gt; on your device/);
    const tokens = await poll(next.body.device_code);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.ok(tokens.body.access_token);
  });

  it('neither the device code nor its user code is stored in clear (issue #22); both still work', async () => {
    const { body } = await deviceCode();
    const typed = (body.user_code as string).replace(/-/g, '');
    const secrets = [body.device_code as string, body.user_code as string, typed];
    assert.deepEqual(await findSecrets(s.testStore, secrets), [], 'pending');
    const { html, jar } = await signInAfterCode(body.user_code);
    assert.ok(html.includes(body.user_code as string), 'the confirmation still shows the code to compare');
    assert.equal((await answer(jar, html, 'yes')).status, 200);
    assert.deepEqual(await findSecrets(s.testStore, secrets), [], 'confirmed');
    const tokens = await poll(body.device_code);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  });

  it('a device code for one app cannot be redeemed by another', async () => {
    const { body } = await deviceCode();
    const other = await api('POST', '/v1.0/applications', { displayName: 'Other CLI', isFallbackPublicClient: true });
    assert.equal(other.status, 201);
    const stolen = await poll(body.device_code, other.body.appId);
    assert.equal(stolen.status, 400);
    assert.equal(stolen.body.error, 'invalid_grant');
  });

  it('a code expires after 15 minutes by Portico’s clock: the page says so, polling gets expired_token', async () => {
    const { body } = await deviceCode();
    // Signed in and confirmed just before the end would still work; a minute after, nothing does.
    clock.advance(16 * 60_000);
    const late = await typeCode(body.user_code);
    assert.equal(late.status, 400);
    assert.match(late.html, /That code has expired/);
    const polled = await poll(body.device_code);
    assert.equal(polled.status, 400);
    assert.equal(polled.body.error, 'expired_token');
    // A new code after the clock moved lives its full 15 minutes again.
    const fresh = await deviceCode();
    assert.equal((await poll(fresh.body.device_code)).body.error, 'authorization_pending');
    assert.equal((await typeCode(fresh.body.user_code)).status, 303, 'on to the sign-in');
  });

  it('codes typed are limited per address: over the limit a 429 page, before any code is looked up', async () => {
    // Runs last: every other test typed codes from this address too, in this window.
    clock.advance(16 * 60_000);
    const { body } = await deviceCode();
    const jar = new CookieJar();
    let last = await typeCode('BBBB-BBBB', 'en-US', jar);
    for (let i = 0; i < 40 && last.status !== 429; i++) last = await typeCode('BBBB-BBBB', 'en-US', jar);
    assert.equal(last.status, 429);
    assert.match(last.html, /Too many attempts/);
    const right = await typeCode(body.user_code, 'en-US', jar);
    assert.equal(right.status, 429, 'the right code too, until the window ends');
    clock.advance(16 * 60_000);
    const fresh = await deviceCode();
    assert.equal((await typeCode(fresh.body.user_code)).status, 303, 'a new window takes codes again');
  });
});
