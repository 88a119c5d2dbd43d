// Inbound trust of MFA done with a passkey at the guest's home tenant (issue #20), in Debian's Chromium with a CDP
// virtual authenticator, on both stores, with Portico at http://localhost (a secure context for WebAuthn). Contoso
// requires MFA of everyone for every app (a Conditional Access policy through the API); Fabrikam requires it of its
// members Raj and Kim, who each set up a passkey at "More information required" when they first sign in to a Fabrikam
// app, then sign in again with password + passkey (amr pwd, mfa, hwk). Contoso invites each; in the same browser they
// open the invitation and continue as their Fabrikam account.
//  - without `inboundTrust.isMfaAccepted` on Contoso's partner settings for Fabrikam, Raj must register a method at
//    Contoso ("More information required") and stays PendingAcceptance;
//  - with it (set through Graph), Kim is asked nothing at Contoso: the redemption lands at the redirect, Contoso's app
//    signs her in without a page and its ID token says mfa and hwk, and Contoso's sign-in log says MFA was satisfied
//    by the claim of the external provider.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { newUserBody, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { passkeyPage, requireMfa } from '../helpers/mfa.ts';
import { freePort } from '../helpers/net.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;
const XTAP = '/v1.0/policies/crossTenantAccessPolicy';

suite('MFA by passkey trusted from the home tenant in Chromium', {}, ({ s, prepare }) => {
  let browser: Browser | undefined;
  let landing: Awaited<ReturnType<typeof startLandingSite>>;
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  let fabrikamRp: client.Configuration;
  let contosoRp: client.Configuration;
  const redirectUri = () => `${landing.origin}/callback`;

  prepare(async () => {
    const port = await freePort();
    return { env: { PORTICO_PORT: String(port), PORTICO_BASE_URL: `http://localhost:${port}` } };
  });

  /** An app of the tenant returning to the landing site, as openid-client sees it. */
  async function relyingParty(t: TenantApi, displayName: string) {
    const app = await t.api('POST', '/v1.0/applications', { displayName, web: { redirectUris: [redirectUri()] } });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    return client.discovery(
      new URL(`${s.baseUrl}/${t.tenantId}/v2.0`),
      app.body.appId as string,
      app.body.passwordCredentials[0].secretText as string,
      undefined,
      { execute: [client.allowInsecureRequests] },
    );
  }

  before(async () => {
    landing = await startLandingSite();
    contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    const ids: string[] = [];
    for (const [upn, name] of [
      ['raj@fabrikam.example', 'Raj'],
      ['kim@fabrikam.example', 'Kim'],
    ]) {
      const created = await fabrikam.api('POST', '/v1.0/users', newUserBody(upn!, name!));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids.push(created.body.id as string);
    }
    await requireMfa(fabrikam.api, ids);
    await requireMfa(contoso.api, ['All']);
    fabrikamRp = await relyingParty(fabrikam, 'Fabrikam Timesheets');
    contosoRp = await relyingParty(contoso, 'Contoso Expenses');
    if (haveBrowser) browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await landing?.close();
  });

  /** A fresh browser context whose script errors fail the test, with a virtual authenticator attached. */
  const newPage = () => passkeyPage(browser!, { timeout: 30_000 });

  /** An authorization request of an app: its URL, and the redemption of the callback the browser reaches. */
  async function authorization(rp: client.Configuration) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: redirectUri(),
      scope: 'openid profile',
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return {
      url: url.href,
      amr: async (page: Page) => {
        await page.waitForURL((u) => u.href.startsWith(redirectUri()));
        const tokens = await client.authorizationCodeGrant(rp, new URL(page.url()), {
          pkceCodeVerifier: verifier,
          expectedState: state,
        });
        return tokens.claims()!.amr as string[];
      },
    };
  }

  async function signInWithPassword(page: Page, upn: string) {
    await page.getByLabel('Email address').fill(upn);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /**
   * The member sets up a passkey at their first sign-in to Fabrikam's app, then signs in there again (a new session)
   * with password + passkey: Fabrikam's ID token says pwd, mfa, hwk. The browser stays signed in at Fabrikam.
   */
  async function signedInAtFabrikamWithPasskey(context: BrowserContext, page: Page, upn: string) {
    const first = await authorization(fabrikamRp);
    await page.goto(first.url);
    await signInWithPassword(page, upn);
    await page.getByRole('heading', { name: 'More information required' }).waitFor();
    await page.getByRole('button', { name: 'Set up a passkey instead' }).click();
    await page.getByRole('heading', { name: 'Add a passkey' }).waitFor();
    await page.getByLabel('Name of the passkey').fill('Laptop');
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.deepEqual(await first.amr(page), ['pwd', 'mfa', 'hwk']);

    await context.clearCookies();
    const again = await authorization(fabrikamRp);
    await page.goto(again.url);
    await signInWithPassword(page, upn);
    await page.getByRole('heading', { name: 'Use your passkey' }).waitFor();
    await page.getByRole('button', { name: 'Use passkey' }).click();
    const amr = await again.amr(page);
    assert.ok(amr.includes('mfa') && (amr.includes('hwk') || amr.includes('swk')), JSON.stringify(amr));
  }

  /** Contoso invites `email`; the browser opens the link, continues as the Fabrikam account and accepts. */
  async function redeemAsSignedIn(page: Page, email: string, name: string) {
    const inv = await contoso.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: `${landing.origin}/welcome`,
      sendInvitationMessage: false,
    });
    assert.equal(inv.status, 201, JSON.stringify(inv.body));
    await page.goto(inv.body.inviteRedeemUrl as string);
    await page.getByRole('heading', { name: "You're already signed in" }).waitFor();
    await page.getByRole('button', { name: `Continue as ${name}` }).click();
    await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    return inv.body.invitedUser.id as string;
  }

  const state = async (id: string) => (await contoso.api('GET', `/v1.0/users/${id}`)).body.externalUserState;

  it(
    'without isMfaAccepted, Raj (password + passkey at Fabrikam) must register a method at Contoso',
    { skip: browserSkip },
    async () => {
      assert.ok(haveBrowser, 'CI is set but /usr/bin/chromium is missing');
      const { context, page, problems } = await newPage();
      try {
        await signedInAtFabrikamWithPasskey(context, page, 'raj@fabrikam.example');
        const id = await redeemAsSignedIn(page, 'raj@fabrikam.example', 'Raj');
        await page.getByRole('heading', { name: 'More information required' }).waitFor();
        assert.ok(!page.url().startsWith(landing.origin), 'not at the redirect');
        assert.equal(await state(id), 'PendingAcceptance');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    },
  );

  it(
    "with isMfaAccepted, Kim's passkey at Fabrikam counts at Contoso: no MFA page, the token and the sign-in log say mfa",
    { skip: browserSkip },
    async () => {
      assert.ok(haveBrowser, 'CI is set but /usr/bin/chromium is missing');
      const partner = await contoso.api('POST', `${XTAP}/partners`, {
        tenantId: fabrikam.tenantId,
        inboundTrust: { isMfaAccepted: true },
      });
      assert.equal(partner.status, 201, JSON.stringify(partner.body));
      const { context, page, problems } = await newPage();
      try {
        await signedInAtFabrikamWithPasskey(context, page, 'kim@fabrikam.example');
        const id = await redeemAsSignedIn(page, 'kim@fabrikam.example', 'Kim');
        // Straight to the invitation's redirect: no "More information required", no code or passkey asked by Contoso.
        await page.waitForURL((u) => u.href === `${landing.origin}/welcome`);
        assert.equal(await state(id), 'Accepted');

        // Contoso's app (its policy requires MFA) signs her in through that session, asking nothing.
        const app = await authorization(contosoRp);
        await page.goto(app.url);
        assert.deepEqual(await app.amr(page), ['fed', 'mfa', 'hwk'], "federated, MFA by Fabrikam's passkey");

        const log = await contoso.api('GET', `/v1.0/auditLogs/signIns?$filter=userId eq '${id}'`);
        assert.equal(log.status, 200, JSON.stringify(log.body));
        const entries = log.body.value as {
          signInMethod: string;
          authenticationRequirement: string;
          authenticationDetails: { authenticationStepResultDetail?: string }[];
        }[];
        assert.ok(entries.length >= 1, JSON.stringify(entries));
        for (const e of entries) assert.equal(e.authenticationRequirement, 'multiFactorAuthentication');
        const redemption = entries.find((e) => e.signInMethod === 'federated');
        assert.ok(
          redemption?.authenticationDetails.some((d) =>
            d.authenticationStepResultDetail?.includes('satisfied by claim provided by external provider'),
          ),
          JSON.stringify(entries),
        );
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    },
  );
});
