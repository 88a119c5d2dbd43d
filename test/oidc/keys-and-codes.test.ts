// Signing keys persist and rotate; authorization codes are single use even when redeemed in parallel.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';

import { registerApp } from '../../src/apps/apps.ts';
import type { ProvisionedTenant } from '../../src/directory/provisioning.ts';
import { rotateKeys } from '../../src/oidc/keys.ts';
import { apiClient, appToken } from '../helpers/server.ts';
import { signIn } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const REDIRECT = 'http://127.0.0.1:1/callback';

suite('keys and codes', {}, ({ s }) => {
  let p: ProvisionedTenant;
  before(async () => {
    p = await s.provision('Woodgrove');
  });

  it('rotates the signing keys: new tokens use the new keys, tokens signed before still verify', async () => {
    const { services } = s.portico;
    const before = (await (await fetch(`${s.baseUrl}/${p.tenant.id}/v2.0/jwks`)).json()) as { keys: { kid: string }[] };
    const oldToken = await appToken(
      s.baseUrl,
      p.tenant.id,
      p.managementClient.clientId,
      p.managementClient.clientSecret,
    );
    const [newIdTokenKid, newAccessTokenKid] = await services.store.transaction((tx) =>
      rotateKeys(tx, services.clock, p.tenant.id),
    );
    s.portico.pool.invalidate(p.tenant.id);
    const jwks = (await (await fetch(`${s.baseUrl}/${p.tenant.id}/v2.0/jwks`)).json()) as { keys: { kid: string }[] };
    assert.ok(before.keys.some((k) => k.kid === decodeProtectedHeader(oldToken).kid));
    assert.deepEqual(
      jwks.keys.map((k) => k.kid).sort(),
      [...before.keys.map((k) => k.kid), newIdTokenKid, newAccessTokenKid].sort(),
    );
    const newToken = await appToken(
      s.baseUrl,
      p.tenant.id,
      p.managementClient.clientId,
      p.managementClient.clientSecret,
    );
    assert.equal(decodeProtectedHeader(newToken).kid, newAccessTokenKid);
    // The API caches verification keys for a minute; a fresh server sees both at once.
    for (const token of [oldToken, newToken])
      assert.equal((await apiClient(s.baseUrl, token)('GET', '/v1.0/organization')).status, 200);
  });

  it('redeems an authorization code exactly once, however many parallel requests present it', async () => {
    const { services } = s.portico;
    const { app, clientSecret } = await services.store.transaction((tx) =>
      registerApp(tx, services.clock, p.tenant.id, {
        displayName: 'RP',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
      }),
    );
    const rp = await client.discovery(
      new URL(`${s.baseUrl}/${p.tenant.id}/v2.0`),
      app.clientId,
      clientSecret!,
      undefined,
      { execute: [client.allowInsecureRequests] },
    );
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 's1',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const { callback } = await signIn(url.toString(), s.baseUrl, p.admin.userPrincipalName, p.adminPassword);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 's1' }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one exchange succeeds');
    for (const r of results)
      if (r.status === 'rejected') assert.equal((r.reason as { error?: string }).error, 'invalid_grant');
  });
});
