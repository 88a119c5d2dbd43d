// Account switching in headless Chromium (sessions/switch.ts): a member of Fabrikam signed in with their password
// opens Contoso's invitation. For another address the page names the member, "Use another account" signs them out
// and the invitation is redeemed with the passcode mailed to the invited address; for the member's own address
// "Continue as" redeems with their organization account without asking for the password again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { registerApp } from '../../src/apps/apps.ts';
import { newUserBody, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('account switching in a browser (sqlite)', { skip: browserSkip }, () => {
  let s: TestServer;
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startLandingSite>>;

  before(async () => {
    if (!haveBrowser) return;
    s = await startTestServer('sqlite', { runWorker: false });
    contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    site = await startLandingSite();
    await s.portico.services.store.transaction((tx) =>
      registerApp(tx, s.portico.services.clock, contoso.tenantId, {
        displayName: 'Expenses',
        grantTypes: ['authorization_code'],
        redirectUris: [`${site.origin}/callback`],
      }),
    );
    assert.equal((await fabrikam.api('POST', '/v1.0/users', newUserBody('raj@fabrikam.example', 'Raj'))).status, 201);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await s?.close();
  });

  /** A browser where Raj signed in to Fabrikam's My Apps with his password. */
  async function signedInAsRaj(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    await page.goto(`${s.baseUrl}/myapps/fabrikam.example`);
    await page.getByLabel('Email address').fill('raj@fabrikam.example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My Apps' }).waitFor();
    return page;
  }

  async function invite(email: string) {
    const res = await contoso.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: `${site.origin}/welcome?from=invite`,
      sendInvitationMessage: false,
    });
    return res.body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  }

  /** Opens the invitation and finds the page that names Raj at Fabrikam. */
  async function openInvitation(page: Page, url: string) {
    await page.goto(url);
    await page.getByRole('heading', { name: "You're already signed in" }).waitFor();
    await page.getByText("You're signed in as Raj (raj@fabrikam.example) at Fabrikam.").waitFor();
  }

  async function consentAndLand(page: Page) {
    await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL(`${site.origin}/welcome?from=invite`);
  }

  const userOf = async (id: string) => (await contoso.api('GET', `/v1.0/users/${id}`)).body;

  it('an invitation for another address: use another account, then redeem with the passcode', async () => {
    const page = await signedInAsRaj();
    const inv = await invite('pat@partner.example');
    await openInvitation(page, inv.inviteRedeemUrl);
    assert.match(await page.content(), /This invitation from Contoso is for pat@partner\.example\./);
    await page.getByRole('button', { name: 'Use another account' }).click();

    await page.getByRole('heading', { name: 'Accept invitation' }).waitFor();
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('heading', { name: 'Enter code' }).waitFor();
    await page.getByLabel('Code').fill(await mailedCode(s, 'pat@partner.example'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await consentAndLand(page);
    const guest = await userOf(inv.invitedUser.id);
    assert.equal(guest.externalUserState, 'Accepted');
    assert.equal(guest.identities[0].issuer, 'mail');

    // Raj was signed out of Fabrikam in this browser: its My Apps asks for a sign-in again.
    await page.goto(`${s.baseUrl}/myapps/fabrikam.example`);
    await page.getByLabel('Email address').waitFor();
    await page.context().close();
  });

  it("the member's own address: continue as the member, with no password asked", async () => {
    const page = await signedInAsRaj();
    const inv = await invite('raj@fabrikam.example');
    await openInvitation(page, inv.inviteRedeemUrl);
    await page.getByRole('button', { name: 'Continue as Raj' }).click();
    await consentAndLand(page);
    const guest = await userOf(inv.invitedUser.id);
    assert.equal(guest.externalUserState, 'Accepted');
    assert.equal(guest.identities[0].issuer, `${s.baseUrl}/${fabrikam.tenantId}/v2.0`);

    // Still signed in at Fabrikam: its My Apps opens without a sign-in.
    await page.goto(`${s.baseUrl}/myapps/fabrikam.example`);
    await page.getByRole('heading', { name: 'My Apps' }).waitFor();
    await page.context().close();
  });
});
