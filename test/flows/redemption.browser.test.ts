// Redeeming an invitation in real headless Chromium, by each discovery path: email passcode, member of another
// tenant, the alias case with proof of the invited address, an existing personal account, a new personal account
// when the passcode is off, and the account picker. Each ends Accepted, with the right issuer, at the redirect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { registerApp } from '../../src/apps/apps.ts';
import { createPersonalAccount } from '../../src/personal/accounts.ts';
import { hashPassword } from '../../src/secrets.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser, startLandingSite } from '../helpers/browser.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('redeeming an invitation in a browser (sqlite)', { skip: browserSkip }, () => {
  let s: TestServer;
  let t: TenantApi;
  let home: TenantApi;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startLandingSite>>;

  before(async () => {
    if (!haveBrowser) return;
    s = await startTestServer('sqlite', { runWorker: false });
    t = await tenantWithApi(s, 'Contoso');
    home = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    site = await startLandingSite();
    await s.portico.services.store.transaction((tx) =>
      registerApp(tx, s.portico.services.clock, t.tenantId, {
        displayName: 'Expenses',
        grantTypes: ['authorization_code'],
        redirectUris: [`${site.origin}/callback`],
      }),
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await s?.close();
  });

  async function invite(email: string) {
    const res = await t.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: `${site.origin}/welcome?from=invite`,
    });
    return res.body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  }

  async function openInvitation(url: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    await page.goto(url);
    await page.getByRole('heading', { name: 'Accept invitation' }).waitFor();
    assert.match(await page.content(), /Contoso/);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    return page;
  }

  async function consentAndLand(page: Page) {
    await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL(`${site.origin}/welcome?from=invite`);
  }

  const userOf = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body;

  it('email passcode', async () => {
    const inv = await invite('pia@partner.example');
    const page = await openInvitation(inv.inviteRedeemUrl);
    await page.getByRole('heading', { name: 'Enter code' }).waitFor();
    await page.getByLabel('Code').fill(await mailedCode(s, 'pia@partner.example'));
    await page.getByLabel('Code').press('Enter');
    await consentAndLand(page);
    const u = await userOf(inv.invitedUser.id);
    assert.equal(u.externalUserState, 'Accepted');
    assert.equal(u.identities[0].issuer, 'mail');
  });

  it('member of another tenant, on its branded page', async () => {
    await home.api('POST', '/v1.0/users', {
      displayName: 'Raj',
      mailNickname: 'raj',
      userPrincipalName: 'raj@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    const inv = await invite('raj@fabrikam.example');
    const page = await openInvitation(inv.inviteRedeemUrl);
    await page.getByRole('heading', { name: 'Sign in to Fabrikam' }).waitFor();
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await consentAndLand(page);
    const u = await userOf(inv.invitedUser.id);
    assert.equal(u.externalUserState, 'Accepted');
    assert.equal(u.identities[0].issuer, `${s.baseUrl}/${home.tenantId}/v2.0`);
  });

  it('alias: proves the invited address before binding', async () => {
    await home.api('POST', '/v1.0/users', {
      displayName: 'Sol',
      mailNickname: 'sol',
      userPrincipalName: 'sol@fabrikam.example',
      mail: 'sol.other@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    const inv = await invite('sol@fabrikam.example');
    const page = await openInvitation(inv.inviteRedeemUrl);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enter code' }).waitFor();
    await page.getByLabel('Code').fill(await mailedCode(s, 'sol@fabrikam.example'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await consentAndLand(page);
    assert.equal((await userOf(inv.invitedUser.id)).externalUserState, 'Accepted');
  });

  it('cancel leaves the guest pending', async () => {
    const inv = await invite('quin@partner.example');
    const page = await openInvitation(inv.inviteRedeemUrl);
    await page.getByLabel('Code').fill(await mailedCode(s, 'quin@partner.example'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Invitation not accepted' }).waitFor();
    assert.equal((await userOf(inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
  });

  async function personal(email: string, password: string) {
    const { services } = s.portico;
    const passwordHash = await hashPassword(password, services.config.passwordCost);
    return services.store.transaction((tx) =>
      createPersonalAccount(tx, services.clock, {
        email,
        displayName: email.split('@')[0]!,
        passwordHash,
        verified: true,
      }),
    );
  }

  it('existing personal account', async () => {
    const account = await personal('pax@partner.example', 'personal-password-1');
    const inv = await invite('pax@partner.example');
    const page = await openInvitation(inv.inviteRedeemUrl);
    await page.getByRole('heading', { name: 'Sign in with your personal account' }).waitFor();
    await page.getByLabel('Password').fill('personal-password-1');
    await page.getByLabel('Password').press('Enter');
    await consentAndLand(page);
    const u = await userOf(inv.invitedUser.id);
    assert.deepEqual(
      [u.externalUserState, u.identities[0].issuer, u.identities[0].issuerAssignedId],
      ['Accepted', 'personal', account.id],
    );
  });

  it('new personal account when the passcode is off', async () => {
    await setTenantSettings(s, t.tenantId, 'emailPasscodeEnabled=false');
    try {
      const inv = await invite('neo@partner.example');
      const page = await openInvitation(inv.inviteRedeemUrl);
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await page.getByLabel('Your name').fill('Neo');
      await page.getByLabel('New password').fill('a-long-enough-password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Enter code' }).waitFor();
      await page.getByLabel('Code').fill(await mailedCode(s, 'neo@partner.example'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await consentAndLand(page);
      const u = await userOf(inv.invitedUser.id);
      assert.deepEqual([u.externalUserState, u.identities[0].issuer], ['Accepted', 'personal']);
    } finally {
      await setTenantSettings(s, t.tenantId, 'emailPasscodeEnabled=true');
    }
  });

  it('account picker: work account or personal account', async () => {
    await home.api('POST', '/v1.0/users', {
      displayName: 'Uma',
      mailNickname: 'uma',
      userPrincipalName: 'uma@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    await personal('uma@fabrikam.example', 'personal-password-2');
    const inv = await invite('uma@fabrikam.example');
    const page = await openInvitation(inv.inviteRedeemUrl);
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    await page.getByRole('button', { name: 'Work or school account at Fabrikam' }).click();
    await page.getByRole('heading', { name: 'Sign in to Fabrikam' }).waitFor();
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await consentAndLand(page);
    const u = await userOf(inv.invitedUser.id);
    assert.deepEqual([u.externalUserState, u.identities[0].issuer], ['Accepted', `${s.baseUrl}/${home.tenantId}/v2.0`]);
  });
});
