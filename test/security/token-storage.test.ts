// Issue #22, secrets at rest: oidc-provider's artifacts are kept under the SHA-256 of their value
// (oidc/artifact-ids.ts), so a copy of the store holds no usable authorization code, refresh token, session cookie or
// interaction id. A real authorization code flow with offline_access (openid-client against the running server) gives
// each of them; no table, and on SQLite neither the file nor its write-ahead log, holds any; and the product still
// works with them: the refresh token refreshes, a replayed code is refused, revocation and sign-out end what they end.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as client from 'openid-client';

import type { ProvisionedTenant } from '../../src/directory/provisioning.ts';
import { appClient, oauthError, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { findSecrets } from '../helpers/scan.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

/** oidc-provider's cookies whose value is an artifact's id: the session, the interaction, its resume (provider.ts). */
const ARTIFACT_COOKIE = /^portico_[sir]_[^.]+$/;

suite("oidc-provider's artifacts stored hashed", {}, ({ s }) => {
  let p: ProvisionedTenant;
  let app: AppClient;
  const seen = new Map<string, string>();
  const keep = (what: string, value: string | undefined) => {
    if (value) seen.set(value, what);
  };

  before(async () => {
    p = await s.provision('Tailspin', { domain: 'tailspin.example', adminEmail: 'admin@tailspin.example' });
    app = await appClient(s, p.tenant.id);
  });

  /** Every artifact cookie the jar holds now. */
  const cookiesOf = (jar: CookieJar) => {
    for (const name of jar.names().filter((n) => ARTIFACT_COOKIE.test(n))) keep(`the ${name} cookie`, jar.value(name));
  };

  it('no code, refresh token, session or interaction id is stored; each still works', async () => {
    const { rp } = app;
    const attempt = await app.start();
    // The sign-in of test/helpers/signin.ts, step by step, to see the interaction's cookie while it is live.
    const jar = new CookieJar();
    const page = await follow(jar, attempt.url, s.baseUrl);
    cookiesOf(jar);
    const interaction = /\/interaction\/([A-Za-z0-9_-]{20,})/.exec(page.url)?.[1];
    keep('the interaction id', interaction);
    const email = 'admin@tailspin.example';
    const pw = await postForm(jar, new URL(formAction(await page.res!.text(), '/identifier'), s.baseUrl).toString(), {
      login: email,
    });
    cookiesOf(jar);
    const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
      login: email,
      password: p.adminPassword,
    });
    cookiesOf(jar);
    const final = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    cookiesOf(jar);
    assert.ok(final.url.startsWith(REDIRECT), final.url);
    const code = new URL(final.url).searchParams.get('code')!;
    keep('the authorization code', code);
    assert.ok(
      [...seen.values()].some((w) => /portico_s_/.test(w)),
      'the browser holds a session',
    );
    assert.ok(
      [...seen.values()].some((w) => /portico_i_/.test(w)),
      'an interaction id was seen',
    );

    const tokens = await attempt.tokens(final.url);
    keep('the refresh token', tokens.refresh_token);
    // Access tokens for userinfo are opaque here when they are no JWT.
    if (tokens.access_token.split('.').length !== 3) keep('the opaque access token', tokens.access_token);
    assert.ok(tokens.refresh_token);

    assert.deepEqual(await stored(), [], 'no artifact value is stored in clear');

    // Each still works through the product.
    const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token!);
    assert.ok(refreshed.refresh_token && refreshed.access_token);
    keep('the rotated refresh token', refreshed.refresh_token);
    await assert.rejects(client.refreshTokenGrant(rp, tokens.refresh_token!), oauthError('invalid_grant'));
    const silent = await follow(jar, (await app.start()).url, s.baseUrl);
    assert.ok(silent.url.startsWith(REDIRECT), 'the session cookie still signs the member in');
    keep('a second authorization code', new URL(silent.url).searchParams.get('code') ?? undefined);

    // Revocation finds the refresh token by its value.
    await client.tokenRevocation(rp, refreshed.refresh_token!);
    await assert.rejects(client.refreshTokenGrant(rp, refreshed.refresh_token!), oauthError('invalid_grant'));

    // A replayed code is refused (last: oidc-provider then revokes the code's grant).
    await assert.rejects(attempt.tokens(final.url), oauthError('invalid_grant'), 'a replayed code is refused');

    // Sign-out ends the session the cookie names.
    const end = client.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token! });
    const confirm = await follow(jar, end.toString(), s.baseUrl);
    const html = await confirm.res!.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(xsrf);
    const out = await postForm(jar, new URL(formAction(html, '/session/end/confirm'), s.baseUrl).toString(), {
      xsrf,
      logout: 'yes',
    });
    assert.equal(out.status, 303);
    await follow(jar, new URL(out.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    const afterLogout = await follow(jar, (await app.start()).url, s.baseUrl);
    assert.match(await afterLogout.res!.text(), /name="login"/, 'after sign-out the sign-in page is shown again');

    assert.deepEqual(await stored(), [], 'nor after refresh, revocation and sign-out');
  });

  /**
   * Where the values seen are stored: every table and the SQLite files for the tokens, codes and session; the
   * interaction's id in oidc-provider's tables only, since the sign-in log names a sign-in by it (its correlation id,
   * sign_ins.correlation_id) and an outcome page's way back holds its address, both after it ended.
   */
  async function stored(): Promise<string[]> {
    const named = (h: string) => h.replace(/: .*$/, `: ${seen.get(h.replace(/^.*?: /, '')) ?? '?'}`);
    const interactions = [...seen].filter(([, what]) => /portico_[ir]_|interaction id/.test(what)).map(([v]) => v);
    const others = [...seen.keys()].filter((v) => !interactions.includes(v));
    return [
      ...(await findSecrets(s.testStore, others)),
      ...(await findSecrets(s.testStore, interactions, { files: false })).filter((h) => /oidc_payloads\./.test(h)),
    ].map(named);
  }
});
