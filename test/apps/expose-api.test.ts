// An app exposes an API, another calls it, the way apps built for Entra ID do it, with Microsoft's own library
// (@azure/msal-node 7) against Portico behind https: everything is registered and consented through the Graph API,
// the web app signs a member in (the tenant's real sign-in pages, in Chromium) and gets a token for
// `api://<appId>/access_as_user`, the API verifies it with jose against the tenant's JWKS, exchanges it on behalf of
// the user for a token to a second API, and a daemon's client-credentials token carries exactly the application
// permissions an administrator granted. Unknown resources, scopes that need admin consent and bad registrations are
// refused as Entra refuses them.
//
// MSAL speaks only https. Portico runs as deployed, with an https public base URL served by a TLS-terminating proxy
// (test/helpers/tls.ts): MSAL reaches it through the kit's network module, the web app's sign-in runs in Chromium
// (the tenant's real sign-in pages, as a person uses them), and the API fetches the tenant's keys over TLS too.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { ConfidentialClientApplication, CryptoProvider, ServerError } from '@azure/msal-node';
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify } from 'jose';
import type { Browser } from 'playwright-core';

import type { Api, GraphObject } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { apiClient, appToken } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';
import { chromiumTlsArgs, msalNetwork, tlsFetch, tlsProxy, type TlsProxy } from '../helpers/tls.ts';

const scope = (value: string, type: 'User' | 'Admin') => ({
  id: randomUUID(),
  value,
  type,
  adminConsentDisplayName: `${value} (admin)`,
  adminConsentDescription: `Lets the app ${value}.`,
  userConsentDisplayName: value,
  userConsentDescription: null,
  isEnabled: true,
});
const role = (value: string, allowedMemberTypes: ('User' | 'Application')[]) => ({
  id: randomUUID(),
  value,
  allowedMemberTypes,
  displayName: value,
  description: null,
  isEnabled: true,
});

suite(
  'an app exposes an API: MSAL code flow, on-behalf-of and client credentials',
  { runWorker: false },
  ({ s, prepare }) => {
    let proxy: TlsProxy;
    /** Portico's public base URL: the TLS proxy's origin */
    let PUBLIC: string;
    let listener: string;
    let browser: Browser | undefined;
    let site: Awaited<ReturnType<typeof startLandingSite>>;
    /** the web app's redirect URI: a loopback site that records where the browser lands */
    let webRedirect: string;
    /** every call MSAL made, for every app */
    const network = msalNetwork();
    let tenantId: string;
    let admin: { email: string; password: string; id: string };
    let graph: Api;
    let issuer: string;
    /** API A (the one the web app calls), API B (downstream), the web app and a daemon */
    const apps: Record<
      'apiA' | 'apiB' | 'web' | 'daemon',
      { id: string; appId: string; secret: string; uri?: string }
    > = {} as never;
    const scopes = {
      accessAsUser: scope('access_as_user', 'User'),
      adminOnly: scope('Everything.ReadWrite', 'Admin'),
      downstream: scope('Downstream.Read', 'User'),
    };
    const roles = { read: role('Data.Read', ['Application']), write: role('Data.Write', ['Application']) };

    const msal = (app: { appId: string; secret: string }) =>
      new ConfidentialClientApplication({
        auth: {
          clientId: app.appId,
          clientSecret: app.secret,
          authority: `${PUBLIC}/${tenantId}/v2.0`,
          knownAuthorities: [new URL(PUBLIC).host],
        },
        system: { networkClient: network },
      });

    async function register(body: Record<string, unknown>): Promise<{ id: string; appId: string; secret: string }> {
      const res = await graph('POST', '/v1.0/applications', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const made = res.body as GraphObject & { appId: string; passwordCredentials: { secretText: string }[] };
      return { id: made.id, appId: made.appId, secret: made.passwordCredentials[0]!.secretText };
    }

    /**
     * Signs the admin (a member) in at `authUrl` in Chromium, in a fresh browser context, through the tenant's real
     * sign-in pages; returns where the sign-in sends the browser back to (the web app's redirect URI, with a code or
     * an error).
     */
    async function signInInBrowser(authUrl: string, consent = false): Promise<URL> {
      const context = await browser!.newContext();
      try {
        const page = await context.newPage();
        page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
        await page.goto(authUrl);
        // A request Portico refuses outright (before anyone signs in) is already back at the app.
        if (!page.url().startsWith(webRedirect)) {
          await page.getByLabel('Email address').fill(admin.email);
          await page.getByRole('button', { name: 'Next' }).click();
          await page.getByLabel('Password').fill(admin.password);
          await page.getByRole('button', { name: 'Sign in' }).click();
          // The user's own consent to a type User scope no administrator granted (oidc/app-consent.tsx).
          if (consent) await page.getByRole('button', { name: 'Accept' }).click();
          await page.waitForURL((u) => u.href.startsWith(webRedirect));
        }
        return new URL(page.url());
      } finally {
        await context.close();
      }
    }

    /** The tenant's keys as the API fetches them: from the public URL, over TLS. */
    const tenantKeys = () =>
      createRemoteJWKSet(new URL(`${PUBLIC}/${tenantId}/v2.0/jwks`), { [customFetch]: tlsFetch });

    prepare(async () => {
      proxy = await tlsProxy();
      PUBLIC = proxy.origin;
      return { env: { PORTICO_BASE_URL: proxy.origin } };
    });
    after(async () => {
      await browser?.close();
      await site?.close();
      await proxy?.close();
    });

    /** The web app's tokens for `scopes` through MSAL's code flow with PKCE, the admin signing in. */
    async function webAppSignIn(scopes: string[]) {
      const web = msal(apps.web);
      const pkce = await new CryptoProvider().generatePkceCodes();
      const authUrl = await web.getAuthCodeUrl({
        scopes,
        redirectUri: webRedirect,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
      });
      const landed = await signInInBrowser(authUrl);
      const code = landed.searchParams.get('code');
      assert.ok(code, `the sign-in came back with a code: ${landed}`);
      return web.acquireTokenByCode({ code, scopes, redirectUri: webRedirect, codeVerifier: pkce.verifier });
    }

    before(async () => {
      listener = `http://${s.config.host}:${s.config.port}`;
      await proxy.start(listener);
      site = await startLandingSite();
      webRedirect = `${site.origin}/auth/callback`;
      if (haveBrowser) browser = await launchBrowser(chromiumTlsArgs);
      const p = await s.provision('Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
      tenantId = p.tenant.id;
      issuer = `${PUBLIC}/${tenantId}/v2.0`;
      admin = { email: 'admin@contoso.example', password: p.adminPassword, id: p.admin.id };
      const token = await appToken(
        s.baseUrl,
        tenantId,
        p.managementClient.clientId,
        p.managementClient.clientSecret,
        listener,
      );
      graph = apiClient(listener, token);

      // API B first: API A's requiredResourceAccess names it.
      // Graph's POST registers apps that sign users in: each gets a redirect URI.
      apps.apiB = await register({
        displayName: 'Downstream API',
        web: { redirectUris: ['https://downstream.test/signin'] },
        api: { oauth2PermissionScopes: [scopes.downstream] },
      });
      apps.apiB.uri = `api://${apps.apiB.appId}`;
      const patchB = await graph('PATCH', `/v1.0/applications/${apps.apiB.id}`, { identifierUris: [apps.apiB.uri] });
      assert.equal(patchB.status, 204, JSON.stringify(patchB.body));

      apps.apiA = await register({
        displayName: 'Orders API',
        web: { redirectUris: ['https://orders-api.test/signin'] },
        api: { oauth2PermissionScopes: [scopes.accessAsUser, scopes.adminOnly] },
        appRoles: [roles.read, roles.write],
        requiredResourceAccess: [
          { resourceAppId: apps.apiB.appId, resourceAccess: [{ id: scopes.downstream.id, type: 'Scope' }] },
        ],
      });
      apps.apiA.uri = `api://${apps.apiA.appId}`;
      const patchA = await graph('PATCH', `/v1.0/applications/${apps.apiA.id}`, { identifierUris: [apps.apiA.uri] });
      assert.equal(patchA.status, 204, JSON.stringify(patchA.body));

      apps.web = await register({
        displayName: 'Orders web',
        web: { redirectUris: [webRedirect] },
        requiredResourceAccess: [
          {
            resourceAppId: apps.apiA.appId,
            resourceAccess: [
              { id: scopes.accessAsUser.id, type: 'Scope' },
              { id: scopes.adminOnly.id, type: 'Scope' },
            ],
          },
        ],
      });
      apps.daemon = await register({
        displayName: 'Orders sync',
        web: { redirectUris: ['https://sync.test/signin'] },
        requiredResourceAccess: [
          { resourceAppId: apps.apiA.appId, resourceAccess: [{ id: roles.read.id, type: 'Role' }] },
        ],
      });
    });

    it('stores and returns the new properties in Graph shapes', async () => {
      const res = await graph('GET', `/v1.0/applications/${apps.apiA.id}`);
      assert.equal(res.status, 200);
      const body = res.body as Record<string, unknown>;
      assert.deepEqual(body.identifierUris, [apps.apiA.uri]);
      assert.deepEqual(body.api, {
        requestedAccessTokenVersion: 2,
        oauth2PermissionScopes: [scopes.accessAsUser, scopes.adminOnly],
      });
      assert.deepEqual(body.appRoles, [roles.read, roles.write]);
      assert.deepEqual(body.requiredResourceAccess, [
        { resourceAppId: apps.apiB.appId, resourceAccess: [{ id: scopes.downstream.id, type: 'Scope' }] },
      ]);
    });

    it('refuses bad registrations with a Graph error and changes nothing', async () => {
      const before = (await graph('GET', `/v1.0/applications/${apps.apiA.id}`)).body;
      const bad: [string, Record<string, unknown>][] = [
        ['an identifier URI another app holds', { identifierUris: [apps.apiB.uri] }],
        ['a malformed identifier URI', { identifierUris: ['not a uri'] }],
        ['an https identifier URI off the verified domains', { identifierUris: ['https://unrelated.example/api'] }],
        ['an identifier URI with a query', { identifierUris: ['api://orders?x=1'] }],
        [
          'a scope value with a space',
          { api: { oauth2PermissionScopes: [scopes.accessAsUser, scope('Read All', 'User')] } },
        ],
        [
          'a scope type Graph does not have',
          { api: { oauth2PermissionScopes: [{ ...scope('X', 'User'), type: 'Guest' }] } },
        ],
        ['a scope id that is no GUID', { api: { oauth2PermissionScopes: [{ ...scope('X', 'User'), id: 'x' }] } }],
        [
          'two scopes with one value',
          { api: { oauth2PermissionScopes: [scopes.accessAsUser, scope('access_as_user', 'Admin')] } },
        ],
        ['removing an enabled scope', { api: { oauth2PermissionScopes: [scopes.accessAsUser] } }],
        [
          'an app role without member types',
          { appRoles: [roles.read, roles.write, { ...role('Z', ['User']), allowedMemberTypes: [] }] },
        ],
        [
          'a required permission the resource does not have',
          {
            requiredResourceAccess: [
              { resourceAppId: apps.apiB.appId, resourceAccess: [{ id: randomUUID(), type: 'Scope' }] },
            ],
          },
        ],
        [
          'a required resource that is no app of the tenant',
          { requiredResourceAccess: [{ resourceAppId: randomUUID(), resourceAccess: [] }] },
        ],
        ['an unknown property', { api: { oauth2PermissionScopes: [], preAuthorizedApplications: 'x' } }],
      ];
      for (const [what, body] of bad) {
        const res = await graph('PATCH', `/v1.0/applications/${apps.apiA.id}`, body);
        assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
        const error = (res.body as { error?: { code?: string; message?: string } }).error;
        assert.ok(error?.code && error.message, `${what}: Graph's error shape`);
      }
      const dup = await graph('POST', '/v1.0/applications', {
        displayName: 'Copycat',
        web: { redirectUris: ['https://copycat.test/signin'] },
        identifierUris: [apps.apiA.uri],
      });
      assert.equal(dup.status, 400);
      assert.match(JSON.stringify(dup.body), /already used by another app/);
      assert.deepEqual((await graph('GET', `/v1.0/applications/${apps.apiA.id}`)).body, before);
      const list = (await graph('GET', `/v1.0/applications?$filter=displayName eq 'Copycat'`)).body as {
        value: unknown[];
      };
      assert.deepEqual(list.value, []);
    });

    it('client credentials before admin consent: a token for the API without roles', async () => {
      const result = await msal(apps.daemon).acquireTokenByClientCredential({ scopes: [`${apps.apiA.uri}/.default`] });
      const claims = decodeJwt(result!.accessToken);
      assert.equal(claims.aud, apps.apiA.appId);
      assert.deepEqual(claims.roles, []);
    });

    it('admin consent grants the web app its scopes and the daemon exactly its application permission', async () => {
      for (const app of [apps.web, apps.daemon, apps.apiA]) {
        const res = await graph('POST', `/v1.0/applications/${app.id}/adminConsent`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
      const daemon = await graph('POST', `/v1.0/applications/${apps.daemon.id}/adminConsent`);
      assert.deepEqual((daemon.body as Record<string, unknown>)['@portico.resourceGrants'], [
        { resourceAppId: apps.apiA.appId, resourceDisplayName: 'Orders API', type: 'Role', value: 'Data.Read' },
      ]);
      const result = await msal(apps.daemon).acquireTokenByClientCredential({
        scopes: [`${apps.apiA.uri}/.default`],
        skipCache: true,
      });
      const jwks = tenantKeys();
      const { payload } = await jwtVerify(result!.accessToken, jwks, { issuer, audience: apps.apiA.appId });
      assert.deepEqual(payload.roles, ['Data.Read'], 'only the role an administrator granted, not Data.Write');
      assert.equal(payload.tid, tenantId);
      assert.equal(payload.azp, apps.daemon.appId);
      assert.equal(payload.ver, '2.0');
      assert.equal(payload.scp, undefined);
    });

    it('client credentials refuse unknown resources and scopes without /.default, with AADSTS codes', async () => {
      const cases: [string[], string, RegExp][] = [
        [['https://unrelated.example/.default'], 'invalid_resource', /Description: AADSTS500011:/],
        [['User.Read'], 'invalid_scope', /Description: AADSTS70011:/],
        [[`${apps.apiA.uri}/access_as_user`], 'invalid_scope', /Description: AADSTS70011:/],
      ];
      for (const [scopes, code, description] of cases) {
        await assert.rejects(
          msal(apps.daemon).acquireTokenByClientCredential({ scopes, skipCache: true }),
          (e: unknown) => {
            assert.ok(e instanceof ServerError, `${scopes}: ${String(e)}`);
            assert.equal(e.errorCode, code);
            assert.match(e.errorMessage, description);
            return true;
          },
        );
      }
    });

    it('Portico’s own API stays a resource for client credentials', async () => {
      const result = await msal(apps.daemon).acquireTokenByClientCredential({
        scopes: [`${PUBLIC}/v1.0/.default`],
        skipCache: true,
      });
      assert.equal(decodeJwt(result!.accessToken).aud, `${PUBLIC}/v1.0`);
    });

    it(
      'the web app gets a token for the API through MSAL’s code flow, signing in in Chromium; the API verifies it and calls API B on behalf of the user',
      { skip: browserSkip },
      async () => {
        const wanted = [`${apps.apiA.uri}/access_as_user`];
        const calls = network.calls.length;
        const result = await webAppSignIn(wanted);
        const redemption = network.calls.slice(calls).find((c) => c.body?.includes('grant_type=authorization_code'));
        const asked = new URLSearchParams(redemption!.body).get('scope')!.split(' ');
        assert.ok(asked.includes(wanted[0]!), `MSAL redeemed the code for the API's scope: ${asked.join(' ')}`);
        assert.deepEqual(result.scopes, wanted, 'and MSAL holds the token as one for that scope');

        // The API's side: a JWT for it, verified with jose against the tenant's published keys.
        const jwks = tenantKeys();
        const { payload, protectedHeader } = await jwtVerify(result.accessToken, jwks, {
          issuer,
          audience: apps.apiA.appId,
        });
        assert.equal(protectedHeader.alg, 'RS256');
        assert.ok(String(payload.scp).split(' ').includes('access_as_user'), `scp: ${String(payload.scp)}`);
        assert.equal(payload.scp, 'access_as_user', 'only the scope asked for');
        assert.equal(payload.oid, admin.id);
        assert.equal(payload.tid, tenantId);
        assert.equal(payload.azp, apps.web.appId);
        assert.equal(payload.ver, '2.0');

        // On behalf of the user, API A asks for API B.
        const obo = await msal(apps.apiA).acquireTokenOnBehalfOf({
          oboAssertion: result.accessToken,
          scopes: [`${apps.apiB.uri}/Downstream.Read`],
        });
        const downstream = await jwtVerify(obo!.accessToken, jwks, { issuer, audience: apps.apiB.appId });
        assert.equal(downstream.payload.scp, 'Downstream.Read');
        assert.equal(downstream.payload.oid, admin.id, 'the same user');
        assert.equal(downstream.payload.azp, apps.apiA.appId);

        // The assertion must be a token for the caller: API B cannot use a token meant for API A.
        await assert.rejects(
          msal(apps.apiB).acquireTokenOnBehalfOf({
            oboAssertion: result.accessToken,
            scopes: [`${apps.apiA.uri}/access_as_user`],
          }),
          (e: unknown) =>
            e instanceof ServerError && e.errorCode === 'invalid_grant' && /AADSTS50013:/.test(e.errorMessage),
        );
      },
    );

    it(
      'on-behalf-of refuses an ID token as the assertion: only a user’s access token is exchanged',
      { skip: browserSkip },
      async () => {
        // Security review (issue #18): an ID token's aud is the app too, but it grants no API access.
        const result = await webAppSignIn([`${apps.apiA.uri}/access_as_user`]);
        assert.equal(decodeJwt(result.idToken).aud, apps.web.appId, 'the ID token is for the web app, the caller');
        await assert.rejects(
          msal(apps.web).acquireTokenOnBehalfOf({
            oboAssertion: result.idToken,
            scopes: [`${apps.apiB.uri}/Downstream.Read`],
          }),
          (e: unknown) =>
            e instanceof ServerError && e.errorCode === 'invalid_grant' && /AADSTS50013:/.test(e.errorMessage),
        );
      },
    );

    it(
      'on-behalf-of refuses a user Conditional Access now blocks at the downstream API (security review)',
      { skip: browserSkip },
      async () => {
        const result = await webAppSignIn([`${apps.apiA.uri}/access_as_user`]);
        const policy = await graph('POST', '/v1.0/identity/conditionalAccess/policies', {
          displayName: 'Block the downstream API',
          state: 'enabled',
          conditions: { users: { includeUsers: [admin.id] }, applications: { includeApplications: [apps.apiB.appId] } },
          grantControls: { operator: 'OR', builtInControls: ['block'] },
        });
        assert.equal(policy.status, 201, JSON.stringify(policy.body));
        const obo = () =>
          msal(apps.apiA).acquireTokenOnBehalfOf({
            oboAssertion: result.accessToken,
            scopes: [`${apps.apiB.uri}/Downstream.Read`],
            skipCache: true,
          });
        await assert.rejects(
          obo(),
          (e: unknown) =>
            e instanceof ServerError && e.errorCode === 'invalid_grant' && /AADSTS53003:/.test(e.errorMessage),
        );
        assert.equal(
          (await graph('DELETE', `/v1.0/identity/conditionalAccess/policies/${policy.body.id}`)).status,
          204,
        );
        assert.ok((await obo())!.accessToken, 'without the policy the same assertion is exchanged');
      },
    );

    it('a scope of type Admin is refused until an administrator consents to it', { skip: browserSkip }, async () => {
      // The web app's consent above covered the admin-only scope: revoke it, ask, and see the refusal.
      assert.equal((await graph('DELETE', `/v1.0/applications/${apps.web.id}/adminConsent`)).status, 204);
      const web = msal(apps.web);
      const pkce = await new CryptoProvider().generatePkceCodes();
      const authUrl = await web.getAuthCodeUrl({
        scopes: [`${apps.apiA.uri}/Everything.ReadWrite`],
        redirectUri: webRedirect,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
      });
      const landed = await signInInBrowser(authUrl);
      assert.equal(landed.searchParams.get('code'), null);
      assert.equal(landed.searchParams.get('error'), 'consent_required');
      assert.match(landed.searchParams.get('error_description') ?? '', /^AADSTS65001:/);

      // A user-consentable scope still works without admin consent: the user consents to it themselves.
      const ok = await web.getAuthCodeUrl({
        scopes: [`${apps.apiA.uri}/access_as_user`],
        redirectUri: webRedirect,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
      });
      assert.ok((await signInInBrowser(ok, true)).searchParams.get('code'));
    });
  },
);
