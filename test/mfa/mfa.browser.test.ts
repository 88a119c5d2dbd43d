// MFA in Chromium (issue #20), on both stores, with a real Conditional Access policy "guests, all apps, require MFA"
// made through the API: a passcode guest signs in to an app (openid-client), accepts the invitation, is told "More
// information required", registers an authenticator app (the test computes codes with otpauth from the key it reads
// off the page), saves the recovery codes, and reaches the app with mfa and otp in the ID token's amr. Then Security
// info from My Apps: new recovery codes shown once, the method deleted after a confirmation page (audited, mailed);
// the guest's next sign-in asks them to register again.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';

import { inviteGuest } from '../helpers/api.ts';
import { appClient, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { mailedCode, passcodeInBrowser } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

suite('MFA in a browser', { clock: 'manual', tenant: 'Contoso' }, ({ s, t, clock }) => {
  let browser: Browser | undefined;
  let rp: AppClient;
  const email = 'gia@partner.example';
  let guestId = '';

  before(async () => {
    if (!haveBrowser) return;
    browser = await launchBrowser();
    rp = await appClient(s, t.tenantId);
    const policy = await t.api('POST', '/v1.0/identity/conditionalAccess/policies', {
      displayName: 'Guests need MFA',
      state: 'enabled',
      conditions: {
        users: { includeUsers: ['GuestsOrExternalUsers'] },
        applications: { includeApplications: ['All'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    guestId = (await inviteGuest(t.api, email, 'Gia')).id;
  });
  after(async () => browser?.close());

  const newPage = async (): Promise<Page> => {
    const page = await (await browser!.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    // The app's callback: answered here, so the browser stops at it with the code in its URL.
    await page.route(`${REDIRECT}**`, (route) => route.fulfill({ status: 200, body: 'signed in' }));
    return page;
  };
  const amrAt = async (page: Page, attempt: Awaited<ReturnType<AppClient['start']>>) => {
    await page.waitForURL(`${REDIRECT}**`);
    return decodeJwt((await attempt.tokens(page.url())).id_token!).amr as string[];
  };

  let secret = '';
  const code = () => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });
  let page: Page;

  it(
    'a passcode guest registers an authenticator app at sign-in; the app gets mfa and otp',
    { skip: browserSkip },
    async () => {
      page = await newPage();
      const attempt = await rp.start();
      await page.goto(attempt.url);
      await passcodeInBrowser(s, page, email);
      await page.getByRole('heading', { name: 'More information required' }).waitFor();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
      assert.ok(await page.getByRole('img', { name: 'QR code for your authenticator app' }).isVisible());
      secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
      // A wrong code first: said beside the field.
      await page.getByLabel('Enter the 6-digit code the app shows').fill(code() === '123456' ? '654321' : '123456');
      await page.getByRole('button', { name: 'Next' }).click();
      assert.match(await page.getByRole('alert').innerText(), /not right/);
      await page.getByLabel('Enter the 6-digit code the app shows').fill(code());
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
      assert.equal(await page.locator('#recovery-codes li').count(), 10);
      await page.getByRole('button', { name: 'Continue' }).click();
      const amr = await amrAt(page, attempt);
      assert.ok(amr.includes('mfa') && amr.includes('otp'), amr.join(' '));
      assert.equal((await t.api('GET', `/v1.0/users/${guestId}`)).body.externalUserState, 'Accepted');
    },
  );

  it(
    'Security info lists the app, makes new recovery codes once, and deletes the app after confirming',
    { skip: browserSkip },
    async () => {
      await page.goto(`${s.baseUrl}/myapps?tenantid=${t.tenantId}`);
      await page.getByRole('link', { name: 'Security info' }).click();
      await page.getByRole('heading', { name: 'Security info', level: 1 }).waitFor();
      assert.match(await page.locator('table').innerText(), /Authenticator app/);
      assert.match(await page.locator('main').innerText(), /10 of 10 unused/);
      await page.getByRole('button', { name: 'Get new recovery codes' }).click();
      await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
      assert.equal(await page.locator('#recovery-codes li').count(), 10);
      // Shown once: a reload leads back to the list.
      await page.reload();
      await page.getByRole('heading', { name: 'Security info', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Delete' }).click();
      await page.getByRole('heading', { name: 'Delete Authenticator app?' }).waitFor();
      await page.getByRole('link', { name: 'Cancel' }).click();
      await page.getByRole('heading', { name: 'Security info', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Delete' }).click();
      assert.equal(await page.getByRole('status').innerText(), 'Authenticator app was deleted.');
      assert.match(await page.locator('main').innerText(), /You have not set up any sign-in method yet/);
      assert.deepEqual(
        (await t.api('GET', `/v1.0/users/${guestId}/authentication/methods`)).body.value,
        [],
        'a passcode guest has no password method',
      );
      const audits = (await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=100')).body.value as {
        activityDisplayName: string;
      }[];
      assert.ok(audits.some((a) => a.activityDisplayName === 'User deleted security info'));
      await s.portico.worker.runOnce();
      const removed = 'A sign-in method was removed from your Contoso account';
      for (let i = 0; i < 100 && !s.smtp.messages().some((m) => m.to.includes(email) && m.subject === removed); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(s.smtp.messages().some((m) => m.to.includes(email) && m.subject === removed));
    },
  );

  it('the next sign-in asks the guest to register again', { skip: browserSkip }, async () => {
    const again = await newPage();
    await again.goto((await rp.start()).url);
    await again.getByLabel('Email address').fill(email);
    await again.getByRole('button', { name: 'Next' }).click();
    await again.getByRole('heading', { name: 'Enter code' }).waitFor();
    await again.getByLabel('Code').fill(await mailedCode(s, email));
    await again.getByLabel('Code').press('Enter');
    await again.getByRole('heading', { name: 'More information required' }).waitFor();
  });
});
