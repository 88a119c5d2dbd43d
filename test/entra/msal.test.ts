// Apps written for Entra against Portico behind https (test/helpers/tls.ts: a TLS-terminating proxy with a test
// certificate for portico.test), with Microsoft's own libraries: an MSAL Node ConfidentialClientApplication signs a
// member and a passcode guest in with the code flow + PKCE in Chromium, gets Entra's `homeAccountId`, and refreshes
// silently; Azure Identity's ClientSecretCredential gets an app token.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  type AuthenticationResult,
  type AuthorizationUrlRequest,
} from '@azure/msal-node';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';

import { registerApp } from '../../src/apps/apps.ts';
import type { ProvisionedTenant } from '../../src/directory/provisioning.ts';
import { inviteGuest, newUserBody } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { addProvider } from '../helpers/federation.ts';
import { passcodeInBrowser } from '../helpers/redeem.ts';
import { startSamlIdp } from '../helpers/saml-idp.ts';
import { apiClient, appToken } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';
import { azureTls, chromiumTlsArgs, httpsRequest, msalNetwork, tlsProxy, type TlsProxy } from '../helpers/tls.ts';

/** The JSON inside a base64url value (client_info). */
const b64json = (value: string) => JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;

suite('MSAL Node against Portico behind https', { runWorker: false }, ({ s, prepare }) => {
  let proxy: TlsProxy;
  let p: ProvisionedTenant;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startLandingSite>>;
  let cca: ConfidentialClientApplication;
  let clientId: string;
  let clientSecretOfApp: string;
  let redirectUri: string;
  let api: ReturnType<typeof apiClient>;
  const skip = () => !haveBrowser;
  const network = msalNetwork();

  prepare(async () => {
    proxy = await tlsProxy();
    return { env: { PORTICO_BASE_URL: proxy.origin } };
  });

  before(async () => {
    if (skip()) return;
    const listener = `http://${s.config.host}:${s.config.port}`;
    await proxy.start(listener);
    p = await s.provision('Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    api = apiClient(
      listener,
      await appToken(s.baseUrl, p.tenant.id, p.managementClient.clientId, p.managementClient.clientSecret, listener),
    );
    site = await startLandingSite();
    redirectUri = `${site.origin}/callback`;
    const { app, clientSecret } = await s.portico.services.store.transaction((tx) =>
      registerApp(tx, s.portico.services.clock, p.tenant.id, {
        displayName: 'Contoso Expenses',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [redirectUri],
      }),
    );
    clientId = app.clientId;
    clientSecretOfApp = clientSecret!;
    cca = new ConfidentialClientApplication({
      auth: {
        clientId: app.clientId,
        clientSecret: clientSecret!,
        authority: `${proxy.origin}/${p.tenant.id}`,
        knownAuthorities: [new URL(proxy.origin).host],
      },
      system: { networkClient: network },
    });
    browser = await launchBrowser(chromiumTlsArgs);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await proxy?.close();
  });

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    return page;
  };

  /** The code flow + PKCE as an MSAL web app runs it: the URL from MSAL, the person in the browser, MSAL redeems. */
  async function signIn(
    page: Page,
    act: (page: Page) => Promise<void>,
    extra: Partial<AuthorizationUrlRequest> = {},
    app = cca,
  ): Promise<AuthenticationResult> {
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const state = randomUUID();
    const scopes = extra.scopes ?? [];
    const url = await app.getAuthCodeUrl({
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      ...extra,
      scopes,
    });
    await page.goto(url);
    await act(page);
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    const back = new URL(page.url());
    const code = back.searchParams.get('code');
    assert.ok(code, `the app got a code: ${page.url()}`);
    assert.equal(back.searchParams.get('state'), state);
    return app.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: verifier, state });
  }

  /** An authorization URL from MSAL (code + PKCE) that no code will be redeemed from. */
  const authUrl = async (extra: Partial<AuthorizationUrlRequest>) =>
    cca.getAuthCodeUrl({
      scopes: [],
      redirectUri,
      codeChallenge: (await new CryptoProvider().generatePkceCodes()).challenge,
      codeChallengeMethod: 'S256',
      ...extra,
    });

  const passwordSignIn = (login: string, password: string) => async (page: Page) => {
    await page.getByLabel('Email address').fill(login);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  const refreshes = () => network.calls.filter((c) => c.body?.includes('grant_type=refresh_token')).length;

  /** Refreshes twice with forceRefresh, then once more after the cached access token expired in MSAL's cache. */
  async function refreshLikeAnApp(result: AuthenticationResult) {
    const account = result.account!;
    let previous = result.accessToken;
    for (let i = 0; i < 2; i++) {
      const before = refreshes();
      const again = await cca.acquireTokenSilent({ account, scopes: [], forceRefresh: true });
      assert.equal(refreshes(), before + 1, 'forceRefresh redeems the refresh token');
      assert.notEqual(again.accessToken, previous, 'a new access token');
      assert.equal(again.account?.homeAccountId, account.homeAccountId);
      previous = again.accessToken;
    }
    // The cached access token expires (in the app's cache, whose clock is MSAL's own): the next silent call refreshes.
    const cache = JSON.parse(cca.getTokenCache().serialize()) as {
      AccessToken: Record<string, Record<string, string>>;
    };
    for (const token of Object.values(cache.AccessToken)) {
      token.expires_on = String(Math.floor(Date.now() / 1000) - 60);
      token.extended_expires_on = token.expires_on;
    }
    cca.getTokenCache().deserialize(JSON.stringify(cache));
    const before = refreshes();
    const silent = await cca.acquireTokenSilent({ account, scopes: [] });
    assert.equal(refreshes(), before + 1, 'the expired access token is refreshed, not returned');
    assert.notEqual(silent.accessToken, previous);
    return silent;
  }

  it(
    'signs a member in with MSAL: homeAccountId is <oid>.<tid>, and MSAL refreshes',
    { skip: browserSkip },
    async () => {
      const page = await newPage();
      const result = await signIn(page, passwordSignIn('admin@contoso.example', p.adminPassword));
      assert.equal(result.account?.homeAccountId, `${p.admin.id}.${p.tenant.id}`);
      assert.equal(result.account?.localAccountId, p.admin.id);
      assert.equal(result.account?.tenantId, p.tenant.id);
      assert.equal(result.account?.username, 'admin@contoso.example');
      const exchange = network.calls.findLast((c) => c.body?.includes('grant_type=authorization_code'));
      assert.match(exchange!.body!, /client_info=1/, 'MSAL asks for client_info');
      await refreshLikeAnApp(result);
      await page.context().close();
    },
  );

  it('signs a passcode guest in with MSAL, and MSAL refreshes', { skip: browserSkip }, async () => {
    const { id } = await inviteGuest(api, 'pia@partner.example', 'Pia');
    const page = await newPage();
    const result = await signIn(page, (pg) => passcodeInBrowser(s, pg, 'pia@partner.example'), {
      loginHint: 'pia@partner.example',
    });
    assert.equal(result.idTokenClaims && (result.idTokenClaims as Record<string, unknown>).acct, 1);
    assert.equal(result.account?.homeAccountId, `${id}.${p.tenant.id}`);
    assert.deepEqual(b64json(clientInfoInCache()), { uid: id, utid: p.tenant.id });
    const refreshed = await refreshLikeAnApp(result);
    assert.equal(refreshed.account?.homeAccountId, `${id}.${p.tenant.id}`, 'refreshed responses carry it too');
    await page.context().close();
  });

  it(
    "carries Entra's v2 claims in ID tokens and in a member's access token for an API",
    { skip: browserSkip },
    async () => {
      const page = await newPage();
      const audience = `${proxy.origin}/v1.0`;
      const result = await signIn(page, passwordSignIn('admin@contoso.example', p.adminPassword), {
        extraQueryParameters: { resource: audience },
      });
      const id = result.idTokenClaims as Record<string, unknown>;
      assert.equal(id.ver, '2.0');
      assert.equal(id.aud, clientId);
      assert.equal(id.tid, p.tenant.id);
      assert.equal(id.oid, p.admin.id);
      assert.equal(id.acct, 0);
      assert.equal(id.preferred_username, 'admin@contoso.example');
      const access = decodeJwt(result.accessToken);
      assert.equal(access.ver, '2.0');
      assert.equal(access.aud, audience);
      assert.equal(access.azp, clientId, 'azp: the app the token was issued to');
      assert.equal(access.tid, p.tenant.id);
      assert.equal(access.oid, p.admin.id);
      assert.equal(access.acct, 0);
      assert.equal(access.idp, undefined, "a member signed in at their own tenant: no idp, as Entra's");
      assert.equal(access.preferred_username, 'admin@contoso.example');
      assert.equal(access.roles, undefined, 'no app roles assigned to users');
      await page.context().close();
    },
  );

  it('Azure Identity ClientSecretCredential gets an app token with Entra v2 claims', async () => {
    const credential = new ClientSecretCredential(
      p.tenant.id,
      p.managementClient.clientId,
      p.managementClient.clientSecret,
      { authorityHost: proxy.origin, disableInstanceDiscovery: true, ...azureTls },
    );
    const { token } = await credential.getToken(`${proxy.origin}/v1.0/.default`);
    const claims = decodeJwt(token);
    assert.equal(claims.ver, '2.0');
    assert.equal(claims.aud, `${proxy.origin}/v1.0`);
    assert.equal(claims.azp, p.managementClient.clientId);
    assert.equal(claims.tid, p.tenant.id);
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.scp, undefined, 'an app token has roles, not scp');
    assert.ok(Array.isArray(claims.roles) && claims.roles.length > 0, JSON.stringify(claims.roles));
  });

  it(
    "serves Entra's URL shapes: an MSAL app given Entra's endpoints by authorityMetadata signs in",
    { skip: browserSkip },
    async () => {
      const tenantUrl = `${proxy.origin}/${p.tenant.id}`;
      const keys = await httpsRequest(`${tenantUrl}/discovery/v2.0/keys`);
      assert.equal(keys.status, 200);
      assert.deepEqual(JSON.parse(keys.text), JSON.parse((await httpsRequest(`${tenantUrl}/v2.0/jwks`)).text));
      assert.equal((await httpsRequest(`${tenantUrl}/oauth2/v2.0/nothing`)).status, 404);
      const logout = await httpsRequest(`${tenantUrl}/oauth2/v2.0/logout`);
      assert.equal(logout.status, 200, 'the end-session page');
      const hardCoded = new ConfidentialClientApplication({
        auth: {
          clientId,
          clientSecret: clientSecretOfApp,
          authority: tenantUrl,
          knownAuthorities: [new URL(proxy.origin).host],
          // What an app that hard-codes Entra's endpoints has: no discovery document is fetched.
          authorityMetadata: JSON.stringify({
            issuer: `${tenantUrl}/v2.0`,
            authorization_endpoint: `${tenantUrl}/oauth2/v2.0/authorize`,
            token_endpoint: `${tenantUrl}/oauth2/v2.0/token`,
            end_session_endpoint: `${tenantUrl}/oauth2/v2.0/logout`,
            jwks_uri: `${tenantUrl}/discovery/v2.0/keys`,
          }),
        },
        system: { networkClient: network },
      });
      const calls = network.calls.length;
      const page = await newPage();
      const result = await signIn(page, passwordSignIn('admin@contoso.example', p.adminPassword), {}, hardCoded);
      assert.match(page.url(), /code=/);
      assert.equal(result.account?.homeAccountId, `${p.admin.id}.${p.tenant.id}`);
      assert.deepEqual(
        network.calls.slice(calls).map((c) => new URL(c.url).pathname),
        [`/${p.tenant.id}/oauth2/v2.0/token`],
        'MSAL called only the hard-coded token endpoint',
      );
      const refreshed = await hardCoded.acquireTokenSilent({
        account: result.account!,
        scopes: [],
        forceRefresh: true,
      });
      assert.ok(refreshed.accessToken);
      await page.context().close();
    },
  );

  it(
    'prompt=login asks again, prompt=select_account lets the person pick, prompt=none without a session is an error',
    { skip: browserSkip },
    async () => {
      const listener = `http://${s.config.host}:${s.config.port}`;
      // Raj, a member of Fabrikam, redeems an invitation to Contoso in this browser: signed in at Fabrikam, and at
      // Contoso as its guest.
      const home = await s.provision('Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
      const homeApi = apiClient(
        listener,
        await appToken(
          s.baseUrl,
          home.tenant.id,
          home.managementClient.clientId,
          home.managementClient.clientSecret,
          listener,
        ),
      );
      assert.equal((await homeApi('POST', '/v1.0/users', newUserBody('raj@fabrikam.example', 'Raj'))).status, 201);
      const invitation = await api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'raj@fabrikam.example',
        inviteRedirectUrl: `${site.origin}/welcome`,
      });
      const rajHere = invitation.body.invitedUser.id as string;
      const page = await newPage();
      await page.goto(invitation.body.inviteRedeemUrl as string);
      await page.getByRole('button', { name: 'Accept invitation' }).click();
      await page.getByRole('heading', { name: 'Sign in to Fabrikam' }).waitFor();
      await page.getByLabel('Password').fill('correct-horse-battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
      await page.getByRole('button', { name: 'Accept' }).click();
      await page.waitForURL(`${site.origin}/welcome`);
      // and signs in to Fabrikam's My Apps with his password (if the redemption's home sign-in left no session there).
      await page.goto(`${proxy.origin}/myapps/fabrikam.example`);
      const email = page.getByLabel('Email address');
      await email.or(page.getByRole('heading', { name: 'My Apps' })).waitFor();
      if (await email.isVisible()) await passwordSignIn('raj@fabrikam.example', 'correct-horse-battery')(page);
      await page.getByRole('heading', { name: 'My Apps' }).waitFor();

      // prompt=login: Raj's session at Contoso is not used; the identifier page asks, with the login_hint in it.
      const admin = await signIn(
        page,
        async (pg) => {
          assert.equal(await pg.getByLabel('Email address').inputValue(), 'admin@contoso.example');
          await passwordSignIn('admin@contoso.example', p.adminPassword)(pg);
        },
        { prompt: 'login', loginHint: 'admin@contoso.example' },
      );
      assert.equal(admin.account?.homeAccountId, `${p.admin.id}.${p.tenant.id}`);

      // prompt=select_account: the administrator (Contoso's session now) and Raj (at Fabrikam, a guest here).
      const picked = await signIn(
        page,
        async (pg) => {
          await pg.getByRole('heading', { name: 'Pick an account' }).waitFor();
          const choices = await pg.locator('ul.picker button').allTextContents();
          assert.equal(choices.length, 2, choices.join(' | '));
          assert.ok(choices.some((c) => c.includes('admin@contoso.example')));
          assert.ok(choices.some((c) => c.includes('Raj') && c.includes('Fabrikam')));
          await pg.getByRole('button', { name: /Raj/ }).click();
        },
        { prompt: 'select_account' },
      );
      assert.equal(picked.account?.homeAccountId, `${rajHere}.${p.tenant.id}`);
      assert.equal((picked.idTokenClaims as Record<string, unknown>).acct, 1);

      // And again, picking "Use another account": the identifier page.
      const another = await signIn(
        page,
        async (pg) => {
          await pg.getByRole('button', { name: 'Use another account' }).click();
          await passwordSignIn('admin@contoso.example', p.adminPassword)(pg);
        },
        { prompt: 'select_account' },
      );
      assert.equal(another.account?.homeAccountId, `${p.admin.id}.${p.tenant.id}`);
      await page.context().close();

      // prompt=none in a browser with no session: back to the app with login_required, no page shown.
      const fresh = await newPage();
      const url = await authUrl({ prompt: 'none' });
      await fresh.goto(url);
      await fresh.waitForURL((u) => u.href.startsWith(redirectUri));
      const back = new URL(fresh.url());
      assert.equal(back.searchParams.get('error'), 'login_required');
      assert.equal(back.searchParams.get('code'), null);
      await fresh.context().close();
    },
  );

  it(
    'domain_hint goes straight to the SAML identity provider registered for the domain',
    { skip: browserSkip },
    async () => {
      const idp = await startSamlIdp();
      try {
        await addProvider(s, p.tenant.id, 'saml', {
          displayName: 'Partner SSO',
          issuerUri: idp.issuer,
          passiveSignInUri: idp.ssoUrl,
          signingCertificates: [idp.certBase64],
          domains: ['partner.test'],
        });
        const page = await newPage();
        await page.goto(await authUrl({ domainHint: 'partner.test' }));
        await page
          .waitForURL((u) => u.origin === new URL(idp.url).origin, { timeout: 5000 })
          .catch(async () => {
            assert.fail(`not at the IdP: ${page.url()} ${(await page.content()).slice(0, 1500)}`);
          });
        assert.ok(page.url().startsWith(idp.ssoUrl), page.url());
        // The tenant's own domain: its own sign-in page.
        await page.goto(await authUrl({ domainHint: 'contoso.example' }));
        await page.getByLabel('Email address').waitFor();
        await page.context().close();
      } finally {
        await idp.close();
      }
    },
  );

  /** The client_info MSAL keeps with the guest's account (the first account cached with one). */
  function clientInfoInCache(): string {
    const cache = JSON.parse(cca.getTokenCache().serialize()) as {
      Account: Record<string, { client_info?: string; home_account_id: string }>;
    };
    const account = Object.values(cache.Account).find(
      (a) => a.client_info && !a.home_account_id.startsWith(p.admin.id),
    );
    return account!.client_info!;
  }
});
