// The member's OpenID Connect flow end to end, with openid-client as the relying party against a running server:
// authorization code + PKCE, userinfo, refresh, end-session; client credentials; discovery by id and domain.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as client from 'openid-client';

import { registerApp } from '../../src/apps/apps.ts';
import type { ProvisionedTenant } from '../../src/directory/provisioning.ts';
import { apiClient } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm, signIn } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const oauthError = (code: string) => (e: unknown) => (e as { error?: string }).error === code;
const REDIRECT = 'http://127.0.0.1:1/callback';
const POST_LOGOUT = 'http://127.0.0.1:1/signed-out';

suite('member OpenID Connect flow', {}, ({ s }) => {
  let p: ProvisionedTenant;
  let rp: client.Configuration;
  let issuer: string;

  before(async () => {
    p = await s.provision('Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    issuer = `${s.baseUrl}/${p.tenant.id}/v2.0`;
    const { app, clientSecret } = await s.portico.services.store.transaction((tx) =>
      registerApp(tx, s.portico.services.clock, p.tenant.id, {
        displayName: 'Fabrikam Expenses',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT],
        postLogoutRedirectUris: [POST_LOGOUT],
      }),
    );
    rp = await client.discovery(new URL(issuer), app.clientId, clientSecret!, undefined, {
      execute: [client.allowInsecureRequests],
    });
  });

  async function authorize(extra: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email offline_access',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...extra,
    });
    return { url: url.toString(), verifier, state };
  }

  it('signs a member in with code + PKCE, then userinfo, refresh and end-session', async () => {
    const { url, verifier, state } = await authorize();
    const { callback, jar } = await signIn(url, s.baseUrl, 'admin@fabrikam.example', p.adminPassword);
    assert.ok(callback.startsWith(REDIRECT), callback);
    const tokens = await client.authorizationCodeGrant(rp, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    assert.equal(claims.iss, issuer);
    assert.equal(
      decodeProtectedHeader(tokens.id_token!).alg,
      'RS256',
      'ID tokens use the algorithm every relying party accepts',
    );
    assert.equal(claims.oid, p.admin.id);
    assert.notEqual(claims.sub, p.admin.id, 'sub is pairwise per app');
    assert.equal(claims.tid, p.tenant.id);
    assert.equal(claims.oid, p.admin.id);
    assert.equal(claims.preferred_username, 'admin@fabrikam.example');

    const info = await client.fetchUserInfo(rp, tokens.access_token, claims.sub);
    assert.equal(info.email, 'admin@fabrikam.example');

    assert.ok(tokens.refresh_token, 'a refresh token is issued');
    const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token!);
    assert.ok(refreshed.access_token && refreshed.access_token !== tokens.access_token);
    assert.equal(refreshed.claims()?.sub, claims.sub);
    // The used refresh token is rotated: presenting it again fails.
    await assert.rejects(client.refreshTokenGrant(rp, tokens.refresh_token!), oauthError('invalid_grant'));

    // A second authorization while signed in needs no password.
    const again = await authorize();
    const silent = await follow(jar, again.url, s.baseUrl);
    assert.ok(silent.url.startsWith(REDIRECT), 'the session signs the member in without a prompt');

    const end = client.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT,
    });
    const confirm = await follow(jar, end.toString(), s.baseUrl);
    const html = await confirm.res!.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(xsrf, 'the sign-out page carries an xsrf token');
    const out = await postForm(jar, new URL(formAction(html, '/session/end/confirm'), s.baseUrl).toString(), {
      xsrf,
      logout: 'yes',
    });
    const landed = await follow(jar, new URL(out.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(landed.url.startsWith(POST_LOGOUT), landed.url);

    const afterLogout = await follow(jar, (await authorize()).url, s.baseUrl);
    assert.ok(afterLogout.res, 'after sign-out the sign-in page is shown again');
    assert.match(await afterLogout.res!.text(), /name="login"/);
  });

  it('refuses a wrong password, an unknown address and an authorization request without PKCE', async () => {
    const { url } = await authorize();
    await assert.rejects(
      signIn(url, s.baseUrl, 'admin@fabrikam.example', 'wrong-password'),
      /password step answered 400/,
    );
    await assert.rejects(signIn(url, s.baseUrl, 'nobody@fabrikam.example', 'x'), /identifier step answered 400/);
    const noPkce = client.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 'x' });
    const res = await follow(new CookieJar(), noPkce.toString(), s.baseUrl);
    assert.ok(res.url.startsWith(REDIRECT) && /error=invalid_request/.test(res.url), res.url);
    const badRedirect = await authorize({ redirect_uri: 'https://evil.example/cb' });
    const bad = await follow(new CookieJar(), badRedirect.url, s.baseUrl);
    assert.equal(bad.res?.status, 400, 'an unregistered redirect URI gets an error page, not a redirect');
  });

  it('issues client-credentials tokens (post and basic) that the API accepts', async () => {
    const cc = await client.discovery(
      new URL(issuer),
      p.managementClient.clientId,
      p.managementClient.clientSecret,
      undefined,
      { execute: [client.allowInsecureRequests] },
    );
    const viaPost = await client.clientCredentialsGrant(cc, { resource: `${s.baseUrl}/v1.0` });
    const viaBasic = await client
      .discovery(
        new URL(issuer),
        p.managementClient.clientId,
        p.managementClient.clientSecret,
        client.ClientSecretBasic(p.managementClient.clientSecret),
        { execute: [client.allowInsecureRequests] },
      )
      .then((c) => client.clientCredentialsGrant(c, { scope: `${s.baseUrl}/v1.0/.default` }));
    const jwks = createLocalJWKSet((await (await fetch(`${issuer}/jwks`)).json()) as JSONWebKeySet);
    for (const t of [viaPost, viaBasic]) {
      assert.equal(
        decodeProtectedHeader(t.access_token).alg,
        'ES256',
        'access tokens to the API are signed with ES256',
      );
      const { payload } = await jwtVerify(t.access_token, jwks, {
        issuer,
        audience: `${s.baseUrl}/v1.0`,
        algorithms: ['ES256'],
      });
      assert.equal(payload.tid, p.tenant.id);
      const res = await apiClient(s.baseUrl, t.access_token)('GET', '/v1.0/organization');
      assert.equal(res.status, 200);
      assert.equal(res.body.value[0].id, p.tenant.id);
    }
    const wrong = await client.discovery(new URL(issuer), p.managementClient.clientId, 'not-the-secret', undefined, {
      execute: [client.allowInsecureRequests],
    });
    await assert.rejects(
      client.clientCredentialsGrant(wrong, { resource: `${s.baseUrl}/v1.0` }),
      oauthError('invalid_client'),
    );
    // The stored secret hash is not itself a usable secret.
    const row = await s.portico.services.store.db
      .selectFrom('apps')
      .select('secret_hash')
      .where('client_id', '=', p.managementClient.clientId)
      .executeTakeFirstOrThrow();
    const hashAsSecret = await client.discovery(
      new URL(issuer),
      p.managementClient.clientId,
      row.secret_hash!,
      undefined,
      { execute: [client.allowInsecureRequests] },
    );
    await assert.rejects(
      client.clientCredentialsGrant(hashAsSecret, { resource: `${s.baseUrl}/v1.0` }),
      oauthError('invalid_client'),
    );
  });

  it('serves discovery by tenant id and by verified domain, not by unknown domains', async () => {
    const byId = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(byId.issuer, issuer);
    assert.deepEqual(byId.code_challenge_methods_supported, ['S256']);
    const byDomain = await fetch(`${s.baseUrl}/fabrikam.example/v2.0/.well-known/openid-configuration`);
    assert.equal(byDomain.status, 200);
    assert.equal(
      ((await byDomain.json()) as { issuer: string }).issuer,
      issuer,
      'the issuer names the tenant id, whichever alias was used',
    );
    assert.equal((await fetch(`${s.baseUrl}/unknown.example/v2.0/.well-known/openid-configuration`)).status, 404);
    const jwks = (await (await fetch(byId.jwks_uri as string)).json()) as { keys: Record<string, unknown>[] };
    assert.deepEqual(
      jwks.keys.map((k) => k.alg).sort(),
      ['ES256', 'RS256'],
      'one key for ID tokens, one for access tokens',
    );
    for (const key of jwks.keys) assert.equal(key.d, undefined, 'no private key material is published');
  });
});
