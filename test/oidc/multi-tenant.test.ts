// Multi-tenant apps and the common endpoints, with @azure/msal-node 7 and Chromium against Portico behind https
// (test/helpers/tls.ts): an app registered in Contoso (A) as AzureADMultipleOrgs, with MSAL's authority
// `https://portico.test:<port>/organizations`.
//  - A member of Fabrikam (B) types their address at /organizations: home-realm discovery sends the same request to
//    B, B asks for consent, B gets the app's service principal (appOwnerOrganizationId A), and the token's tid and iss
//    are B's; MSAL redeems the code at /organizations/v2.0/token, which hands it to B.
//  - An app that asks for a permission only an administrator may grant stops B's users until B's administrator adds it.
//  - A guest of A goes through "Sign-in options" → "Sign in to an organization" (the seed's common endpoint), types A's
//    domain, redeems with a passcode and gets a token of A.
//  - Refusals: a single-tenant app, an unregistered redirect URI, an app B may not use, an unknown code.
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { assertGraphError, newUserBody, tenantWithApi, type Api, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { apiClient, appToken, type TestServer } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';
import { chromiumTlsArgs, httpsRequest, msalNetwork, tlsProxy, type TlsProxy } from '../helpers/tls.ts';
import { Browser as PersonalBrowser } from '../personal/client.ts';

/** The ID token's claims as MSAL hands them over (typed `object` there). */
const claims = (r: AuthenticationResult) => r.idTokenClaims as Record<string, unknown>;

interface Org {
  tenantId: string;
  domain: string;
  api: Api;
}

suite('multi-tenant apps through the common endpoints', {}, ({ s, prepare }) => {
  let listener: string;
  let contoso: Org;
  let fabrikam: Org;
  let landing: Awaited<ReturnType<typeof startLandingSite>>;
  let browser: Browser | undefined;
  let proxy: TlsProxy;
  /** Portico's public base URL: the TLS proxy's origin */
  let publicBaseUrl: string;
  const redirectUri = () => `${landing.origin}/callback`;

  async function org(name: string): Promise<Org> {
    const p = await s.provision(name);
    const token = await appToken(
      publicBaseUrl,
      p.tenant.id,
      p.managementClient.clientId,
      p.managementClient.clientSecret,
      listener,
    );
    return { tenantId: p.tenant.id, domain: p.tenant.initialDomain, api: apiClient(listener, token) };
  }

  /** An app registered in `owner` through Graph, with its client secret. */
  async function register(owner: Org, extra: Record<string, unknown>) {
    const res = await owner.api('POST', '/v1.0/applications', {
      displayName: 'Timesheets',
      web: { redirectUris: [redirectUri()] },
      ...extra,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { appId: res.body.appId as string, secret: res.body.passwordCredentials[0].secretText as string };
  }

  async function member(at: Org, name: string) {
    const upn = `${name}@${at.domain}`;
    const res = await at.api('POST', '/v1.0/users', newUserBody(upn, name));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.id as string, upn, password: 'correct-horse-battery' };
  }

  /** MSAL as a web app configures it for Entra's /organizations, plus knownAuthorities for Portico's host. */
  function msal(app: { appId: string; secret: string }, authority = 'organizations') {
    const network = msalNetwork();
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: app.appId,
        clientSecret: app.secret,
        authority: `${publicBaseUrl}/${authority}`,
        knownAuthorities: [new URL(publicBaseUrl).host],
      },
      system: { networkClient: network },
    });
    return { cca, network };
  }

  /** The authorization URL MSAL builds, with PKCE; `redeem` trades the code the browser brought back. */
  async function start(cca: ConfidentialClientApplication) {
    const pkce = await new CryptoProvider().generatePkceCodes();
    const state = new CryptoProvider().createNewGuid();
    const url = await cca.getAuthCodeUrl({
      scopes: ['openid', 'profile'],
      redirectUri: redirectUri(),
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      state,
    });
    return {
      url,
      async redeem(callback: URL): Promise<AuthenticationResult> {
        assert.equal(callback.searchParams.get('state'), state);
        const code = callback.searchParams.get('code');
        assert.ok(code, `a code in ${callback.toString()}`);
        return cca.acquireTokenByCode({
          code,
          redirectUri: redirectUri(),
          scopes: ['openid', 'profile'],
          codeVerifier: pkce.verifier,
        });
      },
    };
  }

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    return { context, page };
  }

  /** Waits until the browser reached the app's callback; the URL it arrived with. */
  async function callback(page: Page): Promise<URL> {
    await page.waitForURL((u) => u.toString().startsWith(redirectUri()));
    return new URL(page.url());
  }

  /** Types the address at the common page, then the password at the tenant's page it leads to. */
  async function signInWithPassword(page: Page, who: { upn: string; password: string }) {
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email address').fill(who.upn);
    await page.getByRole('button', { name: 'Next' }).click();
    // The tenant's own pages now: the address came along as login_hint.
    await page.waitForURL(/\/interaction\//);
    assert.equal(await page.getByLabel('Email address').inputValue(), who.upn);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const servicePrincipals = async (at: Org, appId?: string) => {
    const res = await at.api(
      'GET',
      `/v1.0/servicePrincipals${appId ? `?$filter=${encodeURIComponent(`appId eq '${appId}'`)}` : ''}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.value as Record<string, unknown>[];
  };

  prepare(async () => {
    proxy = await tlsProxy();
    publicBaseUrl = proxy.origin;
    return { env: { PORTICO_BASE_URL: proxy.origin } };
  });

  before(async () => {
    listener = `http://${s.config.host}:${s.config.port}`;
    landing = await startLandingSite();
    contoso = await org('Contoso');
    fabrikam = await org('Fabrikam');
    await proxy.start(listener);
    if (haveBrowser) browser = await launchBrowser(chromiumTlsArgs);
  });
  after(async () => {
    await browser?.close();
    await landing?.close();
    await proxy?.close();
  });

  it('serves the common discovery documents with the {tenantid} issuer template, and every tenant’s ID token keys', async () => {
    // /consumers names the personal accounts realm's issuer and keys (test/oidc/consumers.test.ts).
    for (const realm of ['common', 'organizations']) {
      const res = await httpsRequest(`${publicBaseUrl}/${realm}/v2.0/.well-known/openid-configuration`);
      assert.equal(res.status, 200);
      const doc = JSON.parse(res.text) as Record<string, string>;
      assert.equal(doc.issuer, `${publicBaseUrl}/{tenantid}/v2.0`);
      assert.equal(doc.authorization_endpoint, `${publicBaseUrl}/${realm}/v2.0/auth`);
      assert.equal(doc.token_endpoint, `${publicBaseUrl}/${realm}/v2.0/token`);
      const jwks = JSON.parse((await httpsRequest(doc.jwks_uri!)).text) as {
        keys: Record<string, string>[];
      };
      for (const tenant of [contoso, fabrikam]) {
        const own = (await (await fetch(`${listener}/${tenant.tenantId}/v2.0/jwks`)).json()) as {
          keys: Record<string, string>[];
        };
        const rsa = own.keys.filter((k) => k.alg === 'RS256');
        assert.ok(rsa.length > 0);
        for (const key of rsa) assert.ok(jwks.keys.some((k) => k.kid === key.kid && k.n === key.n));
      }
      assert.ok(
        jwks.keys.every((k) => k.d === undefined && k.p === undefined),
        'public keys only',
      );
    }
  });

  it(
    'a member of another tenant signs in through /organizations by typing their address; consent creates the service principal there; tid is theirs',
    { skip: browserSkip },
    async () => {
      const app = await register(contoso, { signInAudience: 'AzureADMultipleOrgs' });
      const bea = await member(fabrikam, 'bea');
      const { cca, network } = msal(app);
      const flow = await start(cca);
      assert.ok(flow.url.startsWith(`${publicBaseUrl}/organizations/v2.0/auth?`), flow.url);
      assert.deepEqual(await servicePrincipals(fabrikam), []);

      const { context, page } = await newPage();
      await page.goto(flow.url);
      await signInWithPassword(page, bea);
      await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
      assert.match(await page.content(), /Timesheets, published by Contoso, wants to use your account at Fabrikam/);
      assert.deepEqual(await servicePrincipals(fabrikam), [], 'no service principal before the consent');
      await page.getByRole('button', { name: 'Accept' }).click();
      const result = await flow.redeem(await callback(page));
      await context.close();

      assert.equal(result.tenantId, fabrikam.tenantId);
      assert.equal(claims(result).tid, fabrikam.tenantId);
      assert.equal(claims(result).iss, `${publicBaseUrl}/${fabrikam.tenantId}/v2.0`);
      assert.equal(claims(result).aud, app.appId);
      assert.equal(claims(result).oid, bea.id);
      assert.equal(result.account?.username, bea.upn);
      assert.ok(
        network.calls.some(
          (r) => r.method === 'POST' && r.url.startsWith(`${publicBaseUrl}/organizations/v2.0/token?`),
        ),
        'MSAL redeemed the code at /organizations',
      );

      const [sp, ...more] = await servicePrincipals(fabrikam);
      assert.deepEqual(more, []);
      assert.equal(sp!.appId, app.appId);
      assert.equal(sp!.appOwnerOrganizationId, contoso.tenantId);
      assert.equal(sp!.displayName, 'Timesheets');
      assert.deepEqual(await servicePrincipals(fabrikam, app.appId), [sp]);
      assert.deepEqual(await servicePrincipals(contoso), [], 'the owner tenant has the registration, not a copy');
      // Fabrikam's audit log says who added the app (the consenting user), as Entra's does.
      const audit = await fabrikam.api('GET', '/v1.0/auditLogs/directoryAudits');
      assert.equal(audit.status, 200, JSON.stringify(audit.body));
      const activities = (audit.body.value as { activityDisplayName: string; initiatedBy: unknown }[]).filter((e) =>
        ['Add service principal', 'Consent to application'].includes(e.activityDisplayName),
      );
      assert.deepEqual(activities.map((e) => e.activityDisplayName).sort(), [
        'Add service principal',
        'Consent to application',
      ]);
      assert.match(JSON.stringify(activities[0]!.initiatedBy), new RegExp(bea.id));

      // Signed in at Fabrikam and consented: a second sign-in goes straight back to the app, again with Fabrikam's tid.
      const again = await start(cca);
      const second = await newPage();
      await second.page.goto(again.url);
      await signInWithPassword(second.page, bea);
      const result2 = await again.redeem(await callback(second.page));
      await second.context.close();
      assert.equal(claims(result2).tid, fabrikam.tenantId);
      assert.equal((await servicePrincipals(fabrikam)).length, 1);
    },
  );

  it(
    "stops another tenant's users at a permission only an administrator may grant, until that tenant's administrator adds the app",
    { skip: browserSkip },
    async () => {
      const app = await register(contoso, {
        signInAudience: 'AzureADMultipleOrgs',
        requestedPermissions: [{ value: 'User.Read' }, { value: 'Files.Read.All', adminConsentRequired: true }],
      });
      const cy = await member(fabrikam, 'cy');
      const { cca } = msal(app);
      const first = await start(cca);
      const { context, page } = await newPage();
      await page.goto(first.url);
      await signInWithPassword(page, cy);
      await page.getByRole('heading', { name: 'Admin consent required' }).waitFor();
      assert.match(await page.content(), /Files\.Read\.All/);
      assert.deepEqual(await servicePrincipals(fabrikam, app.appId), []);

      // Fabrikam's administrator adds the app and consents for everyone (Graph).
      const added = await fabrikam.api('POST', '/v1.0/servicePrincipals', { appId: app.appId });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal(added.body.appOwnerOrganizationId, contoso.tenantId);
      assertGraphError(
        await fabrikam.api('POST', '/v1.0/servicePrincipals', { appId: app.appId }),
        400,
        'Request_MultipleObjectsWithSameKeyValue',
      );
      const consent = await fabrikam.api('POST', `/v1.0/servicePrincipals/${added.body.id}/adminConsent`);
      assert.equal(consent.status, 200, JSON.stringify(consent.body));

      const second = await start(cca);
      await page.goto(second.url);
      await page.getByLabel('Email address').fill(cy.upn);
      await page.getByRole('button', { name: 'Next' }).click();
      // Signed in at Fabrikam already, and consented for everyone: straight back to the app.
      const result = await second.redeem(await callback(page));
      await context.close();
      assert.equal(claims(result).tid, fabrikam.tenantId);
    },
  );

  it('a guest of the app’s tenant signs in through "Sign in to an organization"', { skip: browserSkip }, async () => {
    const app = await register(contoso, { signInAudience: 'AzureADMultipleOrgs' });
    const address = 'gwen@partner.example';
    const invited = await contoso.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: address,
      inviteRedirectUrl: 'https://apps.example/',
    });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const { cca } = msal(app);
    const flow = await start(cca);
    const { context, page } = await newPage();
    await page.goto(flow.url);
    await page.getByRole('link', { name: 'Sign in to an organization' }).click();
    await page.getByLabel("Organization's domain name").fill(contoso.domain);
    await page.getByRole('button', { name: 'Next' }).click();
    // Contoso's own sign-in page: the guest's address opens the invitation flow (a passcode, then consent).
    await page.waitForURL(/\/interaction\//);
    await page.getByLabel('Email address').fill(address);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Code').waitFor();
    await page.getByLabel('Code').fill(await mailedCode(s, address));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    const result = await flow.redeem(await callback(page));
    await context.close();
    assert.equal(claims(result).tid, contoso.tenantId);
    assert.equal(claims(result).oid, invited.body.invitedUser.id);
    assert.equal(claims(result).acct, 1);
  });

  it('refuses a single-tenant app, an unregistered redirect URI, a tenant the app does not allow, and unknown codes', async () => {
    const single = await register(contoso, {});
    const multi = await register(contoso, { signInAudience: 'AzureADMultipleOrgs' });
    const personal = await register(contoso, { signInAudience: 'PersonalMicrosoftAccount' });
    const auth = (realm: string, clientId: string, redirect = redirectUri()) =>
      fetch(
        `${listener}/${realm}/v2.0/auth?${new URLSearchParams({
          client_id: clientId,
          redirect_uri: redirect,
          response_type: 'code',
          scope: 'openid',
          code_challenge: 'x'.repeat(43),
          code_challenge_method: 'S256',
        })}`,
        { redirect: 'manual' },
      );
    const single1 = await auth('organizations', single.appId);
    assert.equal(single1.status, 400);
    assert.match(await single1.text(), /not a multi-tenant application/);
    assert.equal((await auth('common', single.appId)).status, 400);
    assert.equal((await auth('organizations', personal.appId)).status, 400);
    assert.equal((await auth('consumers', multi.appId)).status, 400);
    const elsewhere = await auth('organizations', multi.appId, 'https://evil.example/callback');
    assert.equal(elsewhere.status, 400, 'no redirect to an unregistered URI');
    assert.equal(elsewhere.headers.get('location'), null);
    assert.equal((await auth('organizations', '7c1f6f0e-1111-4111-8111-111111111111')).status, 404);
    assert.equal((await auth('organizations', multi.appId)).status, 200);

    // A single-tenant app of Contoso is unknown at Fabrikam's own endpoint; a multi-tenant one is known there.
    const atFabrikam = await fetch(
      `${listener}/${fabrikam.tenantId}/v2.0/auth?${new URLSearchParams({ client_id: single.appId, redirect_uri: redirectUri(), response_type: 'code', scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`,
      { redirect: 'manual' },
    );
    assert.equal(atFabrikam.status, 400);
    const multiAtFabrikam = await fetch(
      `${listener}/${fabrikam.tenantId}/v2.0/auth?${new URLSearchParams({ client_id: multi.appId, redirect_uri: redirectUri(), response_type: 'code', scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`,
      { redirect: 'manual' },
    );
    assert.equal(multiAtFabrikam.status, 303);

    // The typed address of a tenant the app's audience does not allow: said, and no redirect.
    const dan = await member(fabrikam, 'dan');
    const request = new URL((await start(msal(single).cca)).url).search.slice(1);
    const typed = await fetch(`${listener}/common/v2.0/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, login: dan.upn }),
      redirect: 'manual',
    });
    assert.equal(typed.status, 400, 'a single-tenant app is refused at /common before any address');

    for (const body of <Record<string, string>[]>[
      { grant_type: 'authorization_code', code: 'no-such-code', client_id: multi.appId },
      { grant_type: 'refresh_token', refresh_token: 'no-such-token', client_id: multi.appId },
      { grant_type: 'client_credentials', client_id: multi.appId },
    ]) {
      const res = await fetch(`${listener}/organizations/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body),
      });
      assert.equal(res.status, 400);
      const error = (await res.json()) as { error: string; error_description: string };
      assert.match(error.error, /invalid_grant|unsupported_grant_type/);
      assert.match(error.error_description, /^AADSTS/);
    }
  });

  it('tells no more than a domain’s realm at /common: a personal account, a member’s mail elsewhere and an unknown address get the same answer', async () => {
    // A personal account through the product's own sign-up page (the account is all that matters here).
    const person = new PersonalBrowser({ baseUrl: listener } as TestServer);
    const email = `pat-${process.pid}@personal.example`;
    const signedUp = await person.submit('/personal/signup', {
      email,
      displayName: 'Pat',
      password: 'a long personal password',
    });
    assert.equal(signedUp.post.status, 303, signedUp.post.html);
    // A member of Fabrikam whose mail is at a domain no tenant verified (a mailbox provider's).
    const mail = `erin-${process.pid}@mailbox.example`;
    const erin = await fabrikam.api('POST', '/v1.0/users', newUserBody(`erin@${fabrikam.domain}`, 'Erin', { mail }));
    assert.equal(erin.status, 201, JSON.stringify(erin.body));
    const both = await register(contoso, { signInAudience: 'AzureADandPersonalMicrosoftAccount' });
    const orgsOnly = await register(contoso, { signInAudience: 'AzureADMultipleOrgs' });
    const typed = async (realm: string, app: { appId: string; secret: string }, login: string) => {
      const request = new URL((await start(msal(app, realm).cca)).url).search.slice(1);
      const res = await fetch(`${listener}/${realm}/v2.0/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request, login }),
        redirect: 'manual',
      });
      // What the page says of the address, the address itself left out (the rest carries the request, different
      // each time), or where it sends the browser, the login hint left out.
      const page = (/<p id="login-error"[^>]*>([^<]*)<\/p>/.exec(await res.text())?.[1] ?? '').replace(login, '…');
      const location = res.headers.get('location');
      const to = location && new URL(location);
      return { status: res.status, location, to: to && `${to.origin}${to.pathname}`, page };
    };
    const unknown = `nobody-${process.pid}@personal.example`;
    for (const [realm, app] of <const>[
      ['common', both],
      ['consumers', both],
      ['common', orgsOnly],
      ['organizations', both],
    ]) {
      const answers = await Promise.all([email, mail, unknown].map((login) => typed(realm, app, login)));
      // An app that admits personal accounts, at /common or /consumers: the personal accounts realm's sign-in for
      // each; else the same refusal (Entra's AADSTS50020) for each.
      const personal = app === both && realm !== 'organizations';
      for (const answer of answers) {
        assert.equal(answer.status, personal ? 303 : 400, `${realm}: ${answer.page.slice(0, 300)}`);
        assert.equal(answer.to, personal ? `${publicBaseUrl}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0/auth` : null);
        assert.equal(answer.page, answers[2]!.page, `${realm}: the same answer as for an unknown address`);
      }
      if (!personal) assert.match(answers[0]!.page, /AADSTS50020/);
    }
    // Fabrikam's own domain still finds Fabrikam.
    const atDomain = await typed('organizations', orgsOnly, `erin@${fabrikam.domain}`);
    assert.equal(atDomain.status, 303);
    assert.match(atDomain.location ?? '', new RegExp(`/${fabrikam.tenantId}/v2.0/auth\\?`));
  });
});

// What another tenant's multi-tenant app may do in a tenant whose user consented to it: sign the user in, nothing
// more (a security review's attacks, each as a regression test). Plain HTTP with the product's own sign-in pages.
suite('multi-tenant apps: what a foreign app may not do', { runWorker: false }, ({ s }) => {
  const REDIRECT = 'http://127.0.0.1:1/callback';
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };

  /** A multi-tenant app registered in `owner`, with its secret. */
  async function multiTenantApp(owner: TenantApi) {
    const reg = await owner.api('POST', '/v1.0/applications', {
      displayName: 'Harmless Timesheets',
      web: { redirectUris: [REDIRECT] },
      signInAudience: 'AzureADMultipleOrgs',
    });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    return {
      id: reg.body.id as string,
      appId: reg.body.appId as string,
      secret: reg.body.passwordCredentials[0].secretText as string,
    };
  }

  /**
   * B's administrator signs in to the app at B's own endpoint and accepts the consent page if one is shown; the
   * callback URL the browser arrives at, and the consent page's text (empty when none was shown).
   */
  async function signInAndConsent(at: TenantApi, params: Record<string, string>, jar = new CookieJar()) {
    const url = `${s.baseUrl}/${at.tenantId}/v2.0/auth?${new URLSearchParams({ response_type: 'code', redirect_uri: REDIRECT, state: 'st', ...params })}`;
    let page = await follow(jar, url, s.baseUrl);
    let consent = '';
    if (page.res) {
      let html = await page.res.text();
      if (html.includes('/identifier')) {
        const login = at.admin.userPrincipalName;
        const typed = await postForm(jar, new URL(formAction(html, '/identifier'), s.baseUrl).toString(), { login });
        const action = formAction(await typed.text(), '/password');
        const done = await postForm(jar, new URL(action, s.baseUrl).toString(), { login, password: at.adminPassword });
        // The consent page may come straight after the password, as the answer to its form.
        if (done.status === 200) html = await done.text();
        else {
          assert.equal(done.status, 303, (await done.text()).slice(0, 2000));
          page = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
          html = page.res ? await page.res.text() : '';
        }
      }
      if (page.res) {
        consent = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
        const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
        assert.ok(csrf, `a consent page: ${consent.slice(0, 500)}`);
        const res = await postForm(jar, new URL(formAction(html, 'app-consent'), s.baseUrl).toString(), {
          csrf,
          decision: 'accept',
        });
        page = await follow(jar, new URL(res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      }
    }
    assert.ok(page.url.startsWith(REDIRECT), page.url);
    return { callback: new URL(page.url), consent, jar };
  }

  const token = async (at: TenantApi, body: Record<string, string>) => {
    const res = await fetch(`${s.baseUrl}/${at.tenantId}/v2.0/token`, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };

  it('gets no token for Portico’s own API in another tenant, at the authorization or the token endpoint', async () => {
    const A = await tenantWithApi(s, 'Attacker');
    const B = await tenantWithApi(s, 'Victim');
    const app = await multiTenantApp(A);
    const graph = `${s.baseUrl}/v1.0`;
    const p = pkce();
    const asked = await signInAndConsent(B, {
      client_id: app.appId,
      scope: 'openid offline_access',
      resource: graph,
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
    });
    assert.equal(asked.callback.searchParams.get('code'), null, 'no code for a token to Portico’s API');
    assert.equal(asked.callback.searchParams.get('error'), 'invalid_target');
    assert.match(asked.callback.searchParams.get('error_description') ?? '', /^AADSTS650057: /);

    // Signed in for openid only, the code is good for an ID token, not for Portico's API.
    const q = pkce();
    const signedIn = await signInAndConsent(
      B,
      {
        client_id: app.appId,
        scope: 'openid offline_access',
        code_challenge: q.challenge,
        code_challenge_method: 'S256',
      },
      asked.jar,
    );
    // The app asked offline_access (a refresh token): the consent page says it keeps access, as Entra's does.
    assert.match(signedIn.consent, /Sign you in and read your profile/);
    assert.match(signedIn.consent, /Keep access to what you allowed/);
    const code = signedIn.callback.searchParams.get('code');
    assert.ok(code, signedIn.callback.toString());
    const redeemed = { client_id: app.appId, client_secret: app.secret };
    const refused = await token(B, {
      ...redeemed,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: q.verifier,
      resource: graph,
    });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.error, 'invalid_target');
    const users = await fetch(`${s.baseUrl}/v1.0/users`, {
      headers: { authorization: `Bearer ${refused.body.access_token ?? ''}` },
    });
    assert.equal(users.status, 401);
  });

  it('gets no token for the tenant’s own apps’ APIs without a consent that names them', async () => {
    const A = await tenantWithApi(s, 'Attacker2');
    const B = await tenantWithApi(s, 'Victim2');
    const app = await multiTenantApp(A);
    const down = await B.api('POST', '/v1.0/applications', {
      displayName: 'Files API',
      web: { redirectUris: ['http://127.0.0.1:1/down'] },
    });
    assert.equal(down.status, 201, JSON.stringify(down.body));
    const scope = {
      id: randomUUID(),
      value: 'Files.Read',
      type: 'User',
      adminConsentDisplayName: 'Read files',
      isEnabled: true,
    };
    const exposed = await B.api('PATCH', `/v1.0/applications/${down.body.id as string}`, {
      identifierUris: [`api://${down.body.appId as string}`],
      api: { oauth2PermissionScopes: [scope] },
    });
    assert.ok(exposed.status < 300, JSON.stringify(exposed.body));
    const p = pkce();
    const asked = await signInAndConsent(B, {
      client_id: app.appId,
      scope: `openid api://${down.body.appId as string}/Files.Read`,
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
    });
    assert.equal(asked.callback.searchParams.get('code'), null, asked.callback.toString());
    assert.equal(asked.callback.searchParams.get('error'), 'consent_required');
    assert.match(asked.callback.searchParams.get('error_description') ?? '', /^AADSTS65001: /);

    // Signing in without offline_access: the consent page does not speak of keeping access.
    const q = pkce();
    const signedIn = await signInAndConsent(
      B,
      { client_id: app.appId, scope: 'openid profile', code_challenge: q.challenge, code_challenge_method: 'S256' },
      asked.jar,
    );
    assert.match(signedIn.consent, /Sign you in and read your profile/);
    assert.doesNotMatch(signedIn.consent, /Keep access/);
    assert.ok(signedIn.callback.searchParams.get('code'), signedIn.callback.toString());
  });

  it('is removed from a tenant by DELETE /servicePrincipals/{id}: consents, grants and refresh tokens go with it', async () => {
    const A = await tenantWithApi(s, 'Publisher');
    const B = await tenantWithApi(s, 'Customer');
    const app = await multiTenantApp(A);
    const p = pkce();
    const signedIn = await signInAndConsent(B, {
      client_id: app.appId,
      scope: 'openid offline_access',
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
    });
    assert.match(signedIn.consent, /Sign you in/);
    const issued = await token(B, {
      client_id: app.appId,
      client_secret: app.secret,
      grant_type: 'authorization_code',
      code: signedIn.callback.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      code_verifier: p.verifier,
    });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    assert.ok(issued.body.refresh_token);
    const listed = await B.api(
      'GET',
      `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`,
    );
    const sp = (listed.body.value as { id: string }[])[0];
    assert.ok(sp, JSON.stringify(listed.body));
    // Not A's to remove, and not an id B has.
    assert.equal((await A.api('DELETE', `/v1.0/servicePrincipals/${sp.id}`)).status, 404);

    const removed = await B.api('DELETE', `/v1.0/servicePrincipals/${sp.id}`);
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    assert.equal((await B.api('GET', `/v1.0/servicePrincipals/${sp.id}`)).status, 404);
    assert.equal((await B.api('DELETE', `/v1.0/servicePrincipals/${sp.id}`)).status, 404);
    const refreshed = await token(B, {
      client_id: app.appId,
      client_secret: app.secret,
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token,
    });
    assert.equal(refreshed.status, 400, JSON.stringify(refreshed.body));
    assert.equal(refreshed.body.error, 'invalid_grant');
    // The next sign-in, in the same browser, asks the user's consent again.
    const q = pkce();
    const again = await signInAndConsent(
      B,
      { client_id: app.appId, scope: 'openid', code_challenge: q.challenge, code_challenge_method: 'S256' },
      signedIn.jar,
    );
    assert.match(again.consent, /Sign you in/);
  });
});
