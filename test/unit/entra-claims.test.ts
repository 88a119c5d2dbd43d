// Entra's v2 claims of access tokens (src/oidc/entra.ts): `scp` is the delegated scopes without the sign-in's own
// (openid, profile, email, offline_access), absent from an app's own token; `ver` and `azp` always. The MSAL suite
// (test/entra/msal.test.ts) sees them in real tokens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { entraTokenClaims } from '../../src/oidc/entra.ts';

const ctx = (account?: { claims: () => Promise<Record<string, unknown>> }) =>
  ({ oidc: { account } }) as unknown as KoaContextWithOIDC;

describe('Entra v2 access token claims', () => {
  it('scp: the delegated scopes, space-separated, without the OpenID scopes', async () => {
    const claims = await entraTokenClaims(ctx(), {
      kind: 'AccessToken',
      clientId: 'app-1',
      scope: 'openid profile offline_access api://orders/Orders.Read Orders.Write',
    });
    assert.deepEqual(claims, { ver: '2.0', azp: 'app-1', scp: 'api://orders/Orders.Read Orders.Write' });
  });

  it("no scp when only the sign-in's scopes were granted, and none in an app's own token", async () => {
    assert.deepEqual(await entraTokenClaims(ctx(), { kind: 'AccessToken', clientId: 'a', scope: 'openid email' }), {
      ver: '2.0',
      azp: 'a',
    });
    assert.deepEqual(await entraTokenClaims(ctx(), { kind: 'ClientCredentials', clientId: 'a', scope: 'x' }), {
      ver: '2.0',
      azp: 'a',
    });
  });

  it("a user's token says who they are: idp, acct, preferred_username, name", async () => {
    const account = {
      claims: async () => ({ sub: 's', idp: 'mail', acct: 1, preferred_username: 'pia@x', name: 'Pia', email: 'e' }),
    };
    assert.deepEqual(await entraTokenClaims(ctx(account), { kind: 'AccessToken', clientId: 'a', scope: 'api' }), {
      ver: '2.0',
      azp: 'a',
      scp: 'api',
      idp: 'mail',
      acct: 1,
      preferred_username: 'pia@x',
      name: 'Pia',
    });
  });
});
