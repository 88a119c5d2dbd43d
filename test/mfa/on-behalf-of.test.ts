// Conditional Access's MFA requirement on the on-behalf-of exchange (issue #20, oidc/on-behalf-of.ts), over HTTP on
// both stores with openid-client as the apps. A web app signs Mia in (the tenant's sign-in pages, her password) and
// gets a token for the Orders API; the Orders API exchanges it on behalf of her for a token to the Downstream API.
// Once a policy requires MFA at the Downstream API, a token whose sign-in did no MFA is refused (invalid_grant,
// AADSTS50076, as Entra answers so the caller sends the person to an interactive sign-in); a token whose sign-in did
// MFA (an authenticator app registered at the MFA step) is exchanged, and the downstream token says so in its amr,
// so a further exchange from it passes too. The sign-in's MFA travels in the access token's own signed amr claim.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';

import { newUserBody, type GraphObject } from '../helpers/api.ts';
import { REDIRECT } from '../helpers/app-client.ts';
import { registerTotp } from '../helpers/mfa.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const PASSWORD = newUserBody('x').passwordProfile.password;
const scope = (value: string) => ({
  id: randomUUID(),
  value,
  type: 'User',
  adminConsentDisplayName: value,
  adminConsentDescription: `Lets the app ${value}.`,
  userConsentDisplayName: value,
  userConsentDescription: null,
  isEnabled: true,
});

suite(
  'MFA at the on-behalf-of exchange',
  { clock: 'manual', tenant: 'Contoso', runWorker: false },
  ({ s, t, clock }) => {
    let mia: GraphObject;
    const apps = {} as Record<
      'web' | 'orders' | 'downstream',
      { id: string; appId: string; secret: string; uri: string }
    >;
    const rps = {} as Record<'web' | 'orders' | 'downstream', client.Configuration>;

    before(async () => {
      mia = (await t.api('POST', '/v1.0/users', newUserBody(`mia@${t.domain}`, 'Mia'))).body as GraphObject;
      const register = async (name: keyof typeof apps, body: Record<string, unknown>) => {
        const res = await t.api('POST', '/v1.0/applications', body);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const made = res.body as GraphObject & { appId: string; passwordCredentials: { secretText: string }[] };
        const uri = `api://${made.appId}`;
        if (body.api)
          assert.equal((await t.api('PATCH', `/v1.0/applications/${made.id}`, { identifierUris: [uri] })).status, 204);
        apps[name] = { id: made.id, appId: made.appId, secret: made.passwordCredentials[0]!.secretText, uri };
        rps[name] = await client.discovery(
          new URL(`${s.baseUrl}/${t.tenantId}/v2.0`),
          made.appId,
          apps[name].secret,
          undefined,
          { execute: [client.allowInsecureRequests] },
        );
      };
      const downstreamRead = scope('Downstream.Read');
      const accessAsUser = scope('access_as_user');
      await register('downstream', {
        displayName: 'Downstream API',
        web: { redirectUris: ['https://downstream.test/signin'] },
        api: { oauth2PermissionScopes: [downstreamRead] },
      });
      await register('orders', {
        displayName: 'Orders API',
        web: { redirectUris: ['https://orders.test/signin'] },
        api: { oauth2PermissionScopes: [accessAsUser] },
        requiredResourceAccess: [
          { resourceAppId: apps.downstream.appId, resourceAccess: [{ id: downstreamRead.id, type: 'Scope' }] },
        ],
      });
      await register('web', {
        displayName: 'Orders web',
        web: { redirectUris: [REDIRECT] },
        requiredResourceAccess: [
          { resourceAppId: apps.orders.appId, resourceAccess: [{ id: accessAsUser.id, type: 'Scope' }] },
        ],
      });
      for (const app of [apps.web, apps.orders]) {
        const res = await t.api('POST', `/v1.0/applications/${app.id}/adminConsent`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
    });

    /** A policy (through the API) that requires MFA of Mia at the given apps. */
    async function requireMfaAt(appIds: string[]) {
      const res = await t.api('POST', '/v1.0/identity/conditionalAccess/policies', {
        displayName: `MFA at ${appIds.length} apps`,
        state: 'enabled',
        conditions: { users: { includeUsers: [mia.id] }, applications: { includeApplications: appIds } },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }

    /**
     * Mia signs in to the web app for the Orders API's scope with her password (and, when a page asks for more
     * information, registers an authenticator app): the access token for the Orders API.
     */
    async function ordersToken(): Promise<string> {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(rps.web, {
        redirect_uri: REDIRECT,
        scope: `openid ${apps.orders.uri}/access_as_user`,
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const jar = new CookieJar();
      const first = await follow(jar, url.toString(), s.baseUrl);
      assert.ok(first.res, `a page, not ${first.url}`);
      const login = `mia@${t.domain}`;
      const pw = await postForm(jar, new URL(formAction(await first.res.text(), '/identifier'), s.baseUrl).toString(), {
        login,
      });
      let res = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
        login,
        password: PASSWORD,
      });
      if (res.status === 200) res = (await registerTotp(s, jar, await res.text(), () => clock.now())).res;
      assert.equal(res.status, 303, 'back to the app');
      const landed = await follow(jar, new URL(res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      assert.ok(!landed.res, `left Portico, not ${landed.url}`);
      const tokens = await client.authorizationCodeGrant(rps.web, new URL(landed.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      assert.equal(decodeJwt(tokens.access_token).aud, apps.orders.appId);
      return tokens.access_token;
    }

    /** The Orders API exchanges `assertion` on behalf of Mia for the Downstream API. */
    const exchange = (assertion: string) =>
      client.genericGrantRequest(rps.orders, OBO_GRANT, {
        assertion,
        requested_token_use: 'on_behalf_of',
        scope: `${apps.downstream.uri}/Downstream.Read`,
      });

    it('refuses a token whose sign-in did no MFA once the downstream API requires it; passes one that did', async () => {
      const withoutMfa = await ordersToken();
      assert.deepEqual(decodeJwt(withoutMfa).amr, ['pwd'], 'the access token says how the sign-in was done');
      const before = await exchange(withoutMfa);
      assert.equal(decodeJwt(before.access_token).aud, apps.downstream.appId, 'no policy: exchanged');

      await requireMfaAt([apps.downstream.appId]);
      const refused = await exchange(withoutMfa).then(
        () => assert.fail('exchanged without MFA'),
        (e: { error?: string; error_description?: string }) => e,
      );
      assert.equal(refused.error, 'invalid_grant');
      assert.match(refused.error_description ?? '', /^AADSTS50076:/);

      // Signing in again where MFA is asked: the new token did MFA and is exchanged; the downstream token says so.
      await requireMfaAt([apps.web.appId]);
      const withMfa = await ordersToken();
      assert.deepEqual(decodeJwt(withMfa).amr, ['pwd', 'mfa', 'otp']);
      const downstream = await exchange(withMfa);
      const claims = decodeJwt(downstream.access_token);
      assert.equal(claims.aud, apps.downstream.appId);
      assert.equal(claims.oid, mia.id);
      assert.deepEqual(claims.amr, ['pwd', 'mfa', 'otp'], "the exchanged token carries the sign-in's amr on");
    });
  },
);
