// Redemption ends with a new Portico session at the inviting tenant: the guest's browser then signs in to the
// tenant's app without being asked again, and only there.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as client from 'openid-client';

import { registerApp } from '../../src/apps/apps.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { follow } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const REDIRECT = 'http://127.0.0.1:1/callback';

suite('session after redemption', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let other: TenantApi;
  before(async () => {
    other = await tenantWithApi(s, 'Other');
  });

  async function rpOf(tenantId: string) {
    const { app, clientSecret } = await s.portico.services.store.transaction((tx) =>
      registerApp(tx, s.portico.services.clock, tenantId, {
        displayName: 'RP',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
      }),
    );
    return client.discovery(new URL(`${s.baseUrl}/${tenantId}/v2.0`), app.clientId, clientSecret!, undefined, {
      execute: [client.allowInsecureRequests],
    });
  }

  it("signs the guest in to the tenant's app without asking again, with a fresh session id", async () => {
    const rp = await rpOf(t.tenantId);
    const otherRp = await rpOf(other.tenantId);
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'sam@partner.example',
        inviteRedirectUrl: REDIRECT,
      })
    ).body;
    const landing = await openLink(s, inv.inviteRedeemUrl);
    const before = new Set(landing.jar.names());
    const code = await submit(s, landing, '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'sam@partner.example') });
    await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    const session = landing.jar.names().filter((n) => n.startsWith('portico_session_'));
    assert.equal(session.length, 1);
    assert.ok(!before.has(session[0]!), 'the session cookie is new at completion');

    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: REDIRECT,
      scope: 'openid email profile',
      state: 'st',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const landed = await follow(landing.jar, url.toString(), s.baseUrl);
    assert.ok(landed.url.startsWith(`${REDIRECT}?code=`), landed.url);
    const tokens = await client.authorizationCodeGrant(rp, new URL(landed.url), {
      pkceCodeVerifier: verifier,
      expectedState: 'st',
    });
    const claims = tokens.claims()!;
    assert.equal(claims.oid, inv.invitedUser.id);
    assert.equal(claims.tid, t.tenantId);
    // Entra's guest claims: acct 1, idp the issuer the guest signed in with (the passcode's is "mail"), the email.
    assert.equal(claims.acct, 1);
    assert.equal(claims.idp, 'mail');
    assert.equal(claims.email, 'sam@partner.example');
    assert.ok(claims.name);

    // `sub` is pairwise per app: another app of the same tenant sees another, stable `sub` and the same `oid`.
    const rp2 = await rpOf(t.tenantId);
    const second = async () => {
      const url2 = client.buildAuthorizationUrl(rp2, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 'st',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const back = await follow(landing.jar, url2.toString(), s.baseUrl);
      return (
        await client.authorizationCodeGrant(rp2, new URL(back.url), { pkceCodeVerifier: verifier, expectedState: 'st' })
      ).claims()!;
    };
    const [a, b] = [await second(), await second()];
    assert.equal(a.oid, claims.oid);
    assert.notEqual(a.sub, claims.sub);
    assert.equal(a.sub, b.sub);

    const elsewhere = client.buildAuthorizationUrl(otherRp, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const asked = await follow(landing.jar, elsewhere.toString(), s.baseUrl);
    assert.ok(asked.res, 'another tenant still asks the guest to sign in');
    assert.match(await asked.res!.text(), /name="login"/);
  });
});
