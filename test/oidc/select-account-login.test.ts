// prompt=select_account with prompt=login or max_age (security review of issue #18): picking a signed-in account
// names who signs in, it never answers a request for credentials. The account picker shows the password page for the
// picked account instead of signing its session in; a session reused without credentials reports, as auth_time,
// when its credentials were given, not now. And the picker's "use another account" form carries a form token.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { before, it } from 'node:test';
import { decodeJwt } from 'jose';

import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { CookieJar, follow, formAction, postForm, signIn } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const REDIRECT = 'http://127.0.0.1:1/callback';

suite('prompt=select_account with login or max_age asks for credentials', { clock: 'manual' }, ({ s, clock }) => {
  let t: TenantApi;
  let app: { appId: string; secret: string };

  before(async () => {
    t = await tenantWithApi(s, 'Contoso');
    const res = await t.api('POST', '/v1.0/applications', {
      displayName: 'Bank',
      web: { redirectUris: [REDIRECT] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    app = { appId: res.body.appId as string, secret: res.body.passwordCredentials[0].secretText as string };
  });

  function authorize(extra: Record<string, string> = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({
      client_id: app.appId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    return { url: `${s.baseUrl}/${t.tenantId}/v2.0/auth?${query}`, verifier };
  }

  /** The ID token the code at `callback` redeems for. */
  async function idToken(callback: string, verifier: string) {
    const code = new URL(callback).searchParams.get('code');
    assert.ok(code, callback);
    const res = await fetch(`${s.baseUrl}/${t.tenantId}/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: app.appId,
        client_secret: app.secret,
      }),
    });
    const body = (await res.json()) as { id_token?: string };
    assert.equal(res.status, 200, JSON.stringify(body));
    return decodeJwt(body.id_token!);
  }

  /** Opens the picker of `prompt` in `jar` and picks the one account there: the answer to the pick. */
  async function pick(jar: CookieJar, extra: Record<string, string>) {
    const { url, verifier } = authorize(extra);
    const page = await follow(jar, url, s.baseUrl);
    assert.ok(page.res, `a page, not straight back to the app: ${page.url}`);
    const html = await page.res.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    const account = /name="account" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(csrf && account, html.slice(0, 1000));
    const res = await postForm(jar, new URL(formAction(html, '/select'), s.baseUrl).toString(), { csrf, account });
    return { res, verifier };
  }

  async function signedInJar() {
    const { url } = authorize();
    const { callback, jar } = await signIn(url, s.baseUrl, t.admin.userPrincipalName, t.adminPassword);
    assert.ok(callback.startsWith(REDIRECT), callback);
    return jar;
  }

  it('prompt="select_account login": picking the signed-in account shows the password page for it', async () => {
    const jar = await signedInJar();
    const { res, verifier } = await pick(jar, { prompt: 'select_account login' });
    assert.equal(res.status, 200, `no sign-in without credentials: ${res.headers.get('location')}`);
    const html = await res.text();
    const action = new URL(formAction(html, '/identifier'), s.baseUrl).toString();
    assert.ok(html.includes(`value="${t.admin.userPrincipalName}"`), 'the picked account is in the field');
    // Credentials sign in: back to the app with a code.
    const pw = await postForm(jar, action, { login: t.admin.userPrincipalName });
    const pwHtml = await pw.text();
    const done = await postForm(jar, new URL(formAction(pwHtml, '/password'), s.baseUrl).toString(), {
      login: t.admin.userPrincipalName,
      password: t.adminPassword,
    });
    assert.equal(done.status, 303);
    const back = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    const claims = await idToken(back.url, verifier);
    assert.ok(Math.abs(Number(claims.auth_time) - Date.now() / 1000) < 60, 'auth_time is this sign-in');
  });

  it('max_age: a session older than it is not reused through the picker; a reused session keeps its auth_time', async () => {
    // The password is given an hour ago (the server's clock set back for that sign-in only).
    clock.set(new Date(Date.now() - 3600_000));
    const jar = await signedInJar();
    clock.set(new Date());

    const old = await pick(jar, { prompt: 'select_account', max_age: '600' });
    assert.equal(old.res.status, 200, `no sign-in without credentials: ${old.res.headers.get('location')}`);
    assert.ok((await old.res.text()).includes('/identifier'), 'the identifier page');

    // A max_age the session meets: it is reused, and auth_time says when its password was given.
    const reused = await pick(jar, { prompt: 'select_account', max_age: '86400' });
    assert.equal(reused.res.status, 303);
    const back = await follow(jar, new URL(reused.res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    const claims = await idToken(back.url, reused.verifier);
    assert.ok(
      Number(claims.auth_time) < Date.now() / 1000 - 3000,
      `auth_time ${claims.auth_time} is the hour-old sign-in`,
    );
  });

  it('"use another account" needs the form token of the picker', async () => {
    const jar = await signedInJar();
    const { url } = authorize({ prompt: 'select_account' });
    const page = await follow(jar, url, s.baseUrl);
    const html = await page.res!.text();
    const action = new URL(formAction(html, '/select'), s.baseUrl).toString();
    const forged = await postForm(jar, action, { account: 'another' });
    assert.equal(forged.status, 403);
    const forms = [...html.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]);
    const another = forms.find((f) => f.includes('value="another"'))!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(another)?.[1];
    assert.ok(csrf, another);
    const ok = await postForm(jar, action, { account: 'another', csrf });
    assert.equal(ok.status, 200);
    assert.ok((await ok.text()).includes('/identifier'));
  });
});
