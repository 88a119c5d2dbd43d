// Redeeming through each kind of upstream identity provider in headless Chromium: SAML 2.0 and WS-Federation
// (the in-process IdP fixture), Google (a second oidc-provider as Google) and a generic OIDC IdP. Each ends
// Accepted with the provider's issuer in `identities`; then the guest signs in to an app again through the same
// provider by typing their address at the tenant's sign-in page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { relyingParty, startPartners, type Partners } from '../helpers/federation.ts';
import { freePort } from '../helpers/net.ts';
import type { OidcIdp } from '../helpers/oidc-idp.ts';
import type { SamlIdp } from '../helpers/saml-idp.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('redeeming through federated identity providers in a browser (sqlite)', { skip: browserSkip }, () => {
  let s: TestServer;
  let t: TenantApi;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startLandingSite>>;
  let samlIdp: SamlIdp;
  let google: OidcIdp;
  let corp: OidcIdp;
  let partners: Partners | undefined;
  let app: Awaited<ReturnType<typeof relyingParty>>;

  before(async () => {
    if (!haveBrowser) return;
    const googlePort = await freePort();
    s = await startTestServer('sqlite', {
      runWorker: false,
      env: { PORTICO_GOOGLE_ISSUER: `http://127.0.0.1:${googlePort}` },
    });
    t = await tenantWithApi(s, 'Contoso');
    site = await startLandingSite();
    ({
      saml: samlIdp,
      google,
      corp,
    } = partners = await startPartners(s, t.tenantId, {
      googlePort,
      wsfedDomain: 'adfs.test',
      wsfedCertificate: 'base64',
    }));
    // The app is registered before the invitations: its origin is where a redemption may redirect.
    app = await relyingParty(s, t.tenantId, `${site.origin}/callback`);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await s?.close();
    await partners?.close();
  });

  const newPage = async (): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    return page;
  };

  /** Whatever the provider's page asks: the SAML fixture's Continue, or oidc-provider's login form. */
  async function signInAtProvider(page: Page, login: string) {
    if (
      await page
        .getByRole('button', { name: 'Continue' })
        .isVisible()
        .catch(() => false)
    ) {
      await page.getByRole('button', { name: 'Continue' }).click();
      return;
    }
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('anything');
    await page.getByRole('button', { name: /sign-?in/i }).click();
  }

  async function redeem(email: string, login: string, providerHost: string) {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: `${site.origin}/welcome`,
      })
    ).body as { inviteRedeemUrl: string; invitedUser: { id: string } };
    const page = await newPage();
    await page.goto(inv.inviteRedeemUrl);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL((url) => url.origin === providerHost);
    await signInAtProvider(page, login);
    await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL(`${site.origin}/welcome`);
    await page.context().close();
    return (await t.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body;
  }

  async function signInAgain(email: string, login: string, providerHost: string) {
    const { url, claims } = await app.authorize();
    const page = await newPage();
    await page.goto(url);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL((u) => u.origin === providerHost);
    await signInAtProvider(page, login);
    await page.waitForURL((u) => u.href.startsWith(`${site.origin}/callback`));
    const result = await claims(page.url());
    await page.context().close();
    return result;
  }

  it('SAML 2.0', async () => {
    samlIdp.user = { nameId: 'saml-sam', email: 'sam@partner.test', displayName: 'Sam' };
    const u = await redeem('sam@partner.test', '', new URL(samlIdp.url).origin);
    assert.equal(u.externalUserState, 'Accepted');
    assert.deepEqual(u.identities, [{ signInType: 'federated', issuer: samlIdp.issuer, issuerAssignedId: 'saml-sam' }]);
    assert.equal((await signInAgain('sam@partner.test', '', new URL(samlIdp.url).origin)).oid, u.id);
  });

  it('WS-Federation', async () => {
    samlIdp.user = { nameId: 'wsfed-wanda', email: 'wanda@adfs.test' };
    const u = await redeem('wanda@adfs.test', '', new URL(samlIdp.url).origin);
    assert.deepEqual(u.identities, [
      { signInType: 'federated', issuer: samlIdp.issuer, issuerAssignedId: 'wsfed-wanda' },
    ]);
    assert.equal((await signInAgain('wanda@adfs.test', '', new URL(samlIdp.url).origin)).oid, u.id);
  });

  it('Google', async () => {
    google.accounts.set('gus', { sub: 'google-gus', email: 'gus@gmail.com', email_verified: true });
    const u = await redeem('gus@gmail.com', 'gus', new URL(google.issuer).origin);
    assert.deepEqual(u.identities, [{ signInType: 'federated', issuer: 'google.com', issuerAssignedId: 'google-gus' }]);
    assert.equal((await signInAgain('gus@gmail.com', 'gus', new URL(google.issuer).origin)).oid, u.id);
  });

  it('OpenID Connect', async () => {
    corp.accounts.set('olive', { sub: 'corp-olive', email: 'olive@corp.test', email_verified: true });
    const u = await redeem('olive@corp.test', 'olive', new URL(corp.issuer).origin);
    assert.deepEqual(u.identities, [{ signInType: 'federated', issuer: corp.issuer, issuerAssignedId: 'corp-olive' }]);
    assert.equal((await signInAgain('olive@corp.test', 'olive', new URL(corp.issuer).origin)).oid, u.id);
  });
});
