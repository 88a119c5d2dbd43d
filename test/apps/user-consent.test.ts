// A user consents for themselves to an API's delegated scopes, as on Entra: the tenant's own web app asks for
// `api://<appId>/access_as_user`, the member sees the consent page (the scope's userConsentDisplayName) in Chromium,
// Cancel answers the app access_denied with AADSTS65004, Accept records the user's grant (Graph's
// oauth2PermissionGrant, consentType Principal) and MSAL gets a token whose scp is the scope. prompt=consent shows the
// page again. With the tenant's user consent off (`portico tenant set userConsent=none`) the user sees that an
// administrator must consent (AADSTS65001) until one does. Everything is reached through Graph, the CLI and the pages.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import type { Browser, Page } from 'playwright-core';

import type { Api, GraphObject } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { apiClient, appToken } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';
import { chromiumTlsArgs, msalNetwork, tlsFetch, tlsProxy, type TlsProxy } from '../helpers/tls.ts';

const accessAsUser = {
  id: randomUUID(),
  value: 'access_as_user',
  type: 'User',
  adminConsentDisplayName: 'Access Orders (admin)',
  adminConsentDescription: 'Lets the app call Orders as the signed-in user.',
  userConsentDisplayName: 'Read and write your orders',
  userConsentDescription: 'Lets the app use Orders for you.',
  isEnabled: true,
};

type Consent = 'accept' | 'cancel' | 'adminNeeded' | 'none';

suite(
  'users consent to an API’s delegated scopes, or an administrator must',
  { runWorker: false },
  ({ s, prepare }) => {
    let proxy: TlsProxy;
    let PUBLIC: string;
    let listener: string;
    let browser: Browser | undefined;
    let site: Awaited<ReturnType<typeof startLandingSite>>;
    let webRedirect: string;
    const network = msalNetwork();
    let tenantId: string;
    let admin: { email: string; password: string; id: string };
    let graph: Api;
    const apps: Record<'api' | 'web', { id: string; appId: string; secret: string }> = {} as never;
    let apiUri: string;

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

    const msal = () =>
      new ConfidentialClientApplication({
        auth: {
          clientId: apps.web.appId,
          clientSecret: apps.web.secret,
          authority: `${PUBLIC}/${tenantId}/v2.0`,
          knownAuthorities: [new URL(PUBLIC).host],
        },
        system: { networkClient: network },
      });

    async function register(body: Record<string, unknown>) {
      const res = await graph('POST', '/v1.0/applications', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const made = res.body as GraphObject & { appId: string; passwordCredentials: { secretText: string }[] };
      return { id: made.id, appId: made.appId, secret: made.passwordCredentials[0]!.secretText };
    }

    /** The consent page's list items, or what the page says. */
    const pageText = (page: Page) => page.locator('main').innerText();

    /**
     * Signs the member in at the web app in a fresh Chromium context and answers the consent page as `consent` says
     * (`none`: no consent page may appear); returns where the browser lands and what the consent page said.
     */
    async function signIn(consent: Consent, extra: { prompt?: string } = {}) {
      const pkce = await new CryptoProvider().generatePkceCodes();
      const scopes = [`${apiUri}/access_as_user`];
      const authUrl = await msal().getAuthCodeUrl({
        scopes,
        redirectUri: webRedirect,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        ...(extra.prompt && { prompt: extra.prompt }),
      });
      const context = await browser!.newContext();
      try {
        const page = await context.newPage();
        page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
        await page.goto(authUrl);
        await page.getByLabel('Email address').fill(admin.email);
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByLabel('Password').fill(admin.password);
        const response = page.waitForResponse(
          (r) => r.request().method() === 'POST' && r.url().includes('/interaction/'),
        );
        await page.getByRole('button', { name: 'Sign in' }).click();
        await response;
        await page.waitForLoadState();
        let said = '';
        if (consent === 'none') {
          await page.waitForURL((u) => u.href.startsWith(webRedirect));
        } else if (consent === 'adminNeeded') {
          await page.getByRole('heading', { name: 'Need admin approval' }).waitFor();
          return { landed: new URL(page.url()), said: await pageText(page) };
        } else {
          await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
          said = await pageText(page);
          await page.getByRole('button', { name: consent === 'accept' ? 'Accept' : 'Cancel' }).click();
          await page.waitForURL((u) => u.href.startsWith(webRedirect));
        }
        const landed = new URL(page.url());
        const code = landed.searchParams.get('code');
        const tokens = code
          ? await msal().acquireTokenByCode({ code, scopes, redirectUri: webRedirect, codeVerifier: pkce.verifier })
          : undefined;
        return { landed, said, tokens };
      } finally {
        await context.close();
      }
    }

    const grantsOfWeb = async () => {
      const res = await graph('GET', `/v1.0/oauth2PermissionGrants?$filter=clientId eq '${apps.web.id}'`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body as { value: Record<string, unknown>[] }).value;
    };

    before(async () => {
      listener = `http://${s.config.host}:${s.config.port}`;
      await proxy.start(listener);
      site = await startLandingSite();
      webRedirect = `${site.origin}/auth/callback`;
      if (haveBrowser) browser = await launchBrowser(chromiumTlsArgs);
      const p = await s.provision('Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
      tenantId = p.tenant.id;
      admin = { email: 'admin@contoso.example', password: p.adminPassword, id: p.admin.id };
      const token = await appToken(
        s.baseUrl,
        tenantId,
        p.managementClient.clientId,
        p.managementClient.clientSecret,
        listener,
      );
      graph = apiClient(listener, token);
      apps.api = await register({
        displayName: 'Orders API',
        web: { redirectUris: ['https://orders-api.test/signin'] },
        api: { oauth2PermissionScopes: [accessAsUser] },
      });
      apiUri = `api://${apps.api.appId}`;
      assert.equal(
        (await graph('PATCH', `/v1.0/applications/${apps.api.id}`, { identifierUris: [apiUri] })).status,
        204,
      );
      apps.web = await register({
        displayName: 'Orders web',
        web: { redirectUris: [webRedirect] },
        requiredResourceAccess: [
          { resourceAppId: apps.api.appId, resourceAccess: [{ id: accessAsUser.id, type: 'Scope' }] },
        ],
      });
    });

    it('Graph’s authorizationPolicy says users may consent (the default)', async () => {
      const res = await graph('GET', '/v1.0/policies/authorizationPolicy');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        (res.body as { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: unknown } })
          .defaultUserRolePermissions.permissionGrantPoliciesAssigned,
        ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
      );
    });

    it('Cancel on the consent page answers the app access_denied with AADSTS65004', { skip: browserSkip }, async () => {
      const { landed, said } = await signIn('cancel');
      assert.match(said, /Read and write your orders/, 'the scope’s userConsentDisplayName is listed');
      assert.match(said, /Lets the app use Orders for you\./);
      assert.equal(landed.searchParams.get('error'), 'access_denied');
      assert.match(landed.searchParams.get('error_description') ?? '', /^AADSTS65004:/);
      assert.deepEqual(await grantsOfWeb(), [], 'nothing was granted');
    });

    it('Accept records the user’s grant and the token carries the scope', { skip: browserSkip }, async () => {
      const { tokens } = await signIn('accept');
      const jwks = createRemoteJWKSet(new URL(`${PUBLIC}/${tenantId}/v2.0/jwks`), { [customFetch]: tlsFetch });
      const { payload } = await jwtVerify(tokens!.accessToken, jwks, {
        issuer: `${PUBLIC}/${tenantId}/v2.0`,
        audience: apps.api.appId,
      });
      assert.equal(payload.scp, 'access_as_user');
      assert.equal(payload.oid, admin.id);
      const grants = await grantsOfWeb();
      assert.equal(grants.length, 1);
      assert.deepEqual(
        { ...grants[0], id: undefined },
        {
          id: undefined,
          clientId: apps.web.id,
          consentType: 'Principal',
          principalId: admin.id,
          resourceId: apps.api.id,
          scope: 'access_as_user',
        },
      );
    });

    it('prompt=consent shows the consent page again though granted', { skip: browserSkip }, async () => {
      const { said, tokens } = await signIn('accept', { prompt: 'consent' });
      assert.match(said, /Read and write your orders/);
      assert.ok(tokens?.accessToken);
      assert.equal((await grantsOfWeb()).length, 1, 'still one grant for the user');
    });

    it(
      'with user consent off, the user is told an administrator must consent; after admin consent they sign in',
      { skip: browserSkip },
      async () => {
        const [grant] = await grantsOfWeb();
        assert.equal((await graph('DELETE', `/v1.0/oauth2PermissionGrants/${String(grant!.id)}`)).status, 204);
        assert.equal((await graph('DELETE', `/v1.0/oauth2PermissionGrants/${String(grant!.id)}`)).status, 404);
        assert.deepEqual(await grantsOfWeb(), []);
        const settings = await setTenantSettings(s, tenantId, 'userConsent=none');
        assert.equal(settings.userConsent, 'none');
        const policy = await graph('GET', '/v1.0/policies/authorizationPolicy');
        assert.deepEqual(
          (policy.body as { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: unknown } })
            .defaultUserRolePermissions.permissionGrantPoliciesAssigned,
          [],
        );

        const refused = await signIn('adminNeeded');
        assert.match(refused.said, /AADSTS65001:/);
        assert.match(refused.said, /administrator/);
        assert.ok(!refused.landed.href.startsWith(webRedirect), 'the user stays on Portico’s page');

        assert.equal((await graph('POST', `/v1.0/applications/${apps.web.id}/adminConsent`)).status, 200);
        const grants = await grantsOfWeb();
        assert.deepEqual(
          grants.map((g) => [g.consentType, g.principalId, g.scope]),
          [['AllPrincipals', null, 'access_as_user']],
        );
        const { tokens } = await signIn('none');
        assert.ok(tokens?.accessToken);
      },
    );

    it('refuses a bad filter and an unknown grant with Graph’s errors', async () => {
      assert.equal((await graph('GET', `/v1.0/oauth2PermissionGrants?$filter=scope eq 'x'`)).status, 400);
      assert.equal((await graph('DELETE', `/v1.0/oauth2PermissionGrants/${randomUUID()}`)).status, 404);
      assert.equal((await graph('DELETE', '/v1.0/oauth2PermissionGrants/not-a-grant')).status, 404);
    });
  },
);
