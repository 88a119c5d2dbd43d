// Personal accounts through the common endpoints (Entra's Microsoft accounts at /common and /consumers), with
// @azure/msal-node 7, Chromium and openid-client against Portico behind https (test/helpers/tls.ts): an app registered
// in Contoso as AzureADandPersonalMicrosoftAccount, MSAL's authority `https://portico.test:<port>/common`.
//  - A personal account, made through the product's own sign-up pages (/personal/signup, the mailed code), types its
//    address at /common, signs in with its password at the personal accounts realm's page, and MSAL gets a token of
//    the consumers tenant: tid 9188040d-…, iss that realm's issuer, signed by its keys (jose, its JWKS), homeAccountId
//    `<oid>.9188040d-…`; MSAL refreshes through /common.
//  - The same account at /organizations, and on an AzureADMultipleOrgs app at /common, is refused (AADSTS50020).
//  - /consumers discovery works with openid-client's discovery.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';

import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { apiClient, appToken, type TestServer } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';
import { chromiumTlsArgs, httpsRequest, msalNetwork, tlsFetch, tlsProxy, type TlsProxy } from '../helpers/tls.ts';
import { Browser as PersonalBrowser } from '../personal/client.ts';

const CONSUMERS = '9188040d-6c67-4c5b-b112-36a304b66dad';
/** openid-client's requests through the TLS kit's fetch (it trusts only the test certificate). */
const viaTls: oidc.CustomFetch = (url, options) => tlsFetch(url, options as RequestInit);
const claims = (r: AuthenticationResult) => r.idTokenClaims as Record<string, unknown>;

suite('personal accounts through /common and /consumers', {}, ({ s, prepare }) => {
  let listener: string;
  let landing: Awaited<ReturnType<typeof startLandingSite>>;
  let browser: Browser | undefined;
  let proxy: TlsProxy;
  let base: string;
  let contoso: { api: ReturnType<typeof apiClient>; tenantId: string };
  const person = { email: `pia-${process.pid}@personal.example`, password: 'a long personal password', id: '' };
  const redirectUri = () => `${landing.origin}/callback`;

  async function register(signInAudience: string) {
    const res = await contoso.api('POST', '/v1.0/applications', {
      displayName: 'Timesheets',
      web: { redirectUris: [redirectUri()] },
      signInAudience,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { appId: res.body.appId as string, secret: res.body.passwordCredentials[0].secretText as string };
  }

  function msal(app: { appId: string; secret: string }, authority = 'common') {
    const network = msalNetwork();
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: app.appId,
        clientSecret: app.secret,
        authority: `${base}/${authority}`,
        knownAuthorities: [new URL(base).host],
      },
      system: { networkClient: network },
    });
    return { cca, network };
  }

  async function authUrl(cca: ConfidentialClientApplication, prompt?: string) {
    const pkce = await new CryptoProvider().generatePkceCodes();
    const state = randomUUID();
    const url = await cca.getAuthCodeUrl({
      ...(prompt ? { prompt } : {}),
      scopes: ['openid', 'profile'],
      redirectUri: redirectUri(),
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      state,
    });
    return { url, state, verifier: pkce.verifier };
  }

  /** The code of the reset mail sent to the person after `mailsBefore` mails (the outbox worker runs on its own). */
  async function resetCode(mailsBefore: number): Promise<string> {
    for (let i = 0; i < 100; i++) {
      await s.portico.worker.runOnce();
      const mail = s.smtp
        .messages()
        .slice(mailsBefore)
        .find((m) => m.to.includes(person.email) && m.subject === 'Your Portico password reset code');
      if (mail) return /\b(\d{6})\b/.exec(mail.text)![1]!;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no reset code mailed');
  }

  /** Types the address at the common page. */
  async function typeAddress(page: Page, address: string) {
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email address').fill(address);
    await page.getByRole('button', { name: 'Next' }).click();
  }

  prepare(async () => {
    proxy = await tlsProxy();
    base = proxy.origin;
    return { env: { PORTICO_BASE_URL: proxy.origin } };
  });

  before(async () => {
    listener = `http://${s.config.host}:${s.config.port}`;
    landing = await startLandingSite();
    const p = await s.provision('Contoso');
    const token = await appToken(
      base,
      p.tenant.id,
      p.managementClient.clientId,
      p.managementClient.clientSecret,
      listener,
    );
    contoso = { api: apiClient(listener, token), tenantId: p.tenant.id };
    await proxy.start(listener);
    if (haveBrowser) browser = await launchBrowser(chromiumTlsArgs);

    // The personal account, through the product's own sign-up and verification pages.
    const b = new PersonalBrowser({ baseUrl: listener } as TestServer);
    const signedUp = await b.submit('/personal/signup', {
      email: person.email,
      displayName: 'Pia Personal',
      password: person.password,
    });
    assert.equal(signedUp.post.status, 303, signedUp.post.html);
    const verified = await b.post('/personal/verify', { code: await mailedCode(s, person.email) });
    assert.equal(verified.status, 200, verified.html);
    assert.match(verified.html, /Email address verified/);
  });
  after(async () => {
    await browser?.close();
    await landing?.close();
    await proxy?.close();
  });

  it(
    'a personal account signs in to an AzureADandPersonalMicrosoftAccount app through /common: tid and iss are the consumers tenant, homeAccountId <oid>.9188040d-…, MSAL refreshes',
    { skip: browserSkip },
    async () => {
      const app = await register('AzureADandPersonalMicrosoftAccount');
      const { cca, network } = msal(app);
      const flow = await authUrl(cca);
      assert.ok(flow.url.startsWith(`${base}/common/v2.0/auth?`), flow.url);
      const context = await browser!.newContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
      await page.goto(flow.url);
      await typeAddress(page, person.email);
      // The personal accounts realm's page, the address carried along.
      await page.getByRole('heading', { name: 'Sign in with your personal account' }).waitFor();
      assert.ok(page.url().startsWith(`${base}/${CONSUMERS}/v2.0/interaction/`), page.url());
      assert.equal(await page.getByLabel('Email address').inputValue(), person.email);
      // A wrong password first: refused on the page.
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Your account or password is incorrect').waitFor();
      await page.getByLabel('Password').fill(person.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // No consent page: the app asks only for the sign-in and the profile.
      await page.waitForURL((u) => u.toString().startsWith(redirectUri()));
      const back = new URL(page.url());
      assert.equal(back.searchParams.get('state'), flow.state);
      const result = await cca.acquireTokenByCode({
        code: back.searchParams.get('code')!,
        redirectUri: redirectUri(),
        scopes: ['openid', 'profile'],
        codeVerifier: flow.verifier,
      });
      assert.ok(
        network.calls.some((r) => r.method === 'POST' && r.url.startsWith(`${base}/common/v2.0/token?`)),
        'MSAL redeemed the code at /common',
      );

      const id = claims(result);
      assert.equal(id.tid, CONSUMERS);
      assert.equal(id.iss, `${base}/${CONSUMERS}/v2.0`);
      assert.equal(id.aud, app.appId);
      assert.equal(id.preferred_username, person.email);
      assert.equal(id.name, 'Pia Personal');
      assert.equal(id.idp, undefined, "Entra's tokens of Microsoft accounts carry no idp");
      assert.equal(typeof id.oid, 'string');
      person.id = id.oid as string;
      assert.equal(result.tenantId, CONSUMERS);
      assert.equal(result.account?.homeAccountId, `${person.id}.${CONSUMERS}`);
      assert.equal(result.account?.username, person.email);

      // The ID token verifies against the consumers realm's JWKS (discovered at /consumers) with jose.
      const doc = JSON.parse((await httpsRequest(`${base}/consumers/v2.0/.well-known/openid-configuration`)).text) as {
        issuer: string;
        jwks_uri: string;
      };
      assert.equal(doc.issuer, `${base}/${CONSUMERS}/v2.0`);
      const jwks = JSON.parse((await httpsRequest(doc.jwks_uri)).text) as JSONWebKeySet;
      const verified = await jwtVerify(result.idToken, createLocalJWKSet(jwks), {
        issuer: doc.issuer,
        audience: app.appId,
      });
      assert.equal(verified.payload.tid, CONSUMERS);
      // No tenant's keys sign it: /organizations' key set does not verify it.
      const orgKeys = JSON.parse((await httpsRequest(`${base}/organizations/v2.0/jwks`)).text) as JSONWebKeySet;
      await assert.rejects(jwtVerify(result.idToken, createLocalJWKSet(orgKeys)));

      // MSAL refreshes through /common, twice in a row, as an app does.
      let previous = result.accessToken;
      for (let i = 0; i < 2; i++) {
        const again = await cca.acquireTokenSilent({ account: result.account!, scopes: [], forceRefresh: true });
        assert.notEqual(again.accessToken, previous);
        assert.equal(again.account?.homeAccountId, `${person.id}.${CONSUMERS}`);
        previous = again.accessToken;
      }

      // Signed in at the realm in this browser: prompt=consent goes back to the app without a page (the person
      // consents for themselves to the sign-in and the profile); prompt=login asks for the password again.
      const consent = await authUrl(cca, 'consent');
      await page.goto(consent.url);
      await typeAddress(page, person.email);
      await page.waitForURL((u) => u.toString().startsWith(redirectUri()));
      const code = new URL(page.url()).searchParams.get('code')!;
      const consented = await cca.acquireTokenByCode({
        code,
        redirectUri: redirectUri(),
        scopes: ['openid', 'profile'],
        codeVerifier: consent.verifier,
      });
      assert.equal(claims(consented).oid, person.id, 'the same stable oid');
      const login = await authUrl(cca, 'login');
      await page.goto(login.url);
      await typeAddress(page, person.email);
      await page.getByRole('heading', { name: 'Sign in with your personal account' }).waitFor();
      await context.close();

      // A new password (the product's reset pages) ends the account's sign-ins: MSAL's refresh token is refused.
      const b = new PersonalBrowser({ baseUrl: listener } as TestServer);
      const mailsBefore = s.smtp.messages().length;
      const asked = await b.submit('/personal/reset', { email: person.email });
      assert.equal(asked.post.status, 303, asked.post.html);
      person.password = 'another long personal password';
      const reset = await b.post('/personal/reset/confirm', {
        email: person.email,
        code: await resetCode(mailsBefore),
        password: person.password,
      });
      assert.equal(reset.status, 200, reset.html);
      await assert.rejects(
        cca.acquireTokenSilent({ account: result.account!, scopes: [], forceRefresh: true }),
        (error: Error & { errorCode?: string }) => /invalid_grant/.test(`${error.errorCode} ${error.message}`),
      );
    },
  );

  it('refuses the personal account at /organizations and on an AzureADMultipleOrgs app, with AADSTS50020', async () => {
    const both = await register('AzureADandPersonalMicrosoftAccount');
    const orgsOnly = await register('AzureADMultipleOrgs');
    const typed = async (realm: string, app: { appId: string; secret: string }, login: string) => {
      const request = new URL((await authUrl(msal(app, realm).cca)).url).search.slice(1);
      const res = await fetch(`${listener}/${realm}/v2.0/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request, login }),
        redirect: 'manual',
      });
      return { status: res.status, location: res.headers.get('location'), html: await res.text() };
    };
    for (const [realm, app] of <const>[
      ['organizations', both],
      ['common', orgsOnly],
    ]) {
      const refused = await typed(realm, app, person.email);
      assert.equal(refused.status, 400, `${realm}`);
      assert.equal(refused.location, null, 'no redirect');
      assert.match(refused.html, /AADSTS50020/);
      assert.match(refused.html, /can(&#39;|')t be used with personal accounts/);
    }
    // At /consumers an app that does not admit personal accounts is refused before any address.
    const atConsumers = await fetch(
      `${listener}/consumers/v2.0/auth?${new URLSearchParams({ client_id: orgsOnly.appId, redirect_uri: redirectUri(), response_type: 'code', scope: 'openid' })}`,
    );
    assert.equal(atConsumers.status, 400);
    assert.match(await atConsumers.text(), /can(&#39;|')t be used with personal accounts/);
    // Nor does the personal accounts realm's own provider know that app (unauthorized for personal accounts).
    const direct = await fetch(
      `${listener}/${CONSUMERS}/v2.0/auth?${new URLSearchParams({ client_id: orgsOnly.appId, redirect_uri: redirectUri(), response_type: 'code', scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`,
      { redirect: 'manual' },
    );
    assert.equal(direct.status, 400);
    assert.equal(direct.headers.get('location'), null);

    // Where the app admits personal accounts, /common and /consumers send any address at no tenant's domain to the
    // personal accounts realm's sign-in, whether or not an account has it (the page does not tell).
    for (const realm of ['common', 'consumers']) {
      for (const login of [person.email, `nobody-${process.pid}@personal.example`]) {
        const sent = await typed(realm, both, login);
        assert.equal(sent.status, 303, `${realm} ${login}`);
        assert.ok(sent.location?.startsWith(`${base}/${CONSUMERS}/v2.0/auth?`), sent.location ?? '');
        assert.equal(new URL(sent.location!).searchParams.get('login_hint'), login);
      }
    }
  });

  it('serves /consumers discovery that openid-client accepts, naming the consumers tenant’s issuer and keys', async () => {
    const app = await register('PersonalMicrosoftAccount');
    const config = await oidc.discovery(
      new URL(`${base}/consumers/v2.0/.well-known/openid-configuration`),
      app.appId,
      app.secret,
      undefined,
      { [oidc.customFetch]: viaTls },
    );
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, `${base}/${CONSUMERS}/v2.0`);
    assert.equal(meta.authorization_endpoint, `${base}/consumers/v2.0/auth`);
    assert.equal(meta.token_endpoint, `${base}/consumers/v2.0/token`);
    // The realm's own issuer passes openid-client's strict discovery (issuer = the URL discovered).
    const strict = await oidc.discovery(new URL(`${base}/${CONSUMERS}/v2.0`), app.appId, app.secret, undefined, {
      [oidc.customFetch]: viaTls,
    });
    assert.equal(strict.serverMetadata().issuer, `${base}/${CONSUMERS}/v2.0`);
    const ownKeys = JSON.parse((await httpsRequest(strict.serverMetadata().jwks_uri!)).text) as JSONWebKeySet;
    const consumersKeys = JSON.parse((await httpsRequest(meta.jwks_uri!)).text) as JSONWebKeySet;
    const rsa = ownKeys.keys.filter((k) => k.alg === 'RS256');
    assert.ok(rsa.length > 0);
    assert.deepEqual(
      consumersKeys.keys.map((k) => k.kid),
      rsa.map((k) => k.kid),
    );
    assert.ok(
      consumersKeys.keys.every((k) => k.d === undefined),
      'public keys only',
    );
  });
});
