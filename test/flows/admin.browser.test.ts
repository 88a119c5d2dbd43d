// The admin center in headless Chromium: an admin signs in, invites a guest with a custom message using only the
// keyboard, sees the guest pending; the guest redeems through the mail the SMTP catcher received; the admin sees
// "Invitation accepted: Yes" with the source, then resets, resends and deletes. Every form control is labelled, and
// a role without invite rights is refused the invite page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { HELPDESK_ADMINISTRATOR } from '../../src/admin/roles.ts';
import { grantRoles } from '../helpers/admin.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('the admin center in a browser (sqlite)', { skip: browserSkip }, () => {
  let s: TestServer;
  let t: TenantApi;
  let browser: Browser;
  let adminUrl: string;

  before(async () => {
    if (!haveBrowser) return;
    s = await startTestServer('sqlite', { runWorker: false });
    t = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
    const helpdesk = (
      await t.api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: 'Hal',
        mailNickname: 'hal',
        userPrincipalName: 'hal@contoso.example',
        passwordProfile: { password: 'correct-horse-battery' },
      })
    ).body;
    await grantRoles(t, helpdesk.id, [HELPDESK_ADMINISTRATOR]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function signIn(email: string, password: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    await page.goto(adminUrl);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  /** Every visible form control on the page has a label. */
  const unlabelled = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((el) => (el as HTMLInputElement).labels?.length === 0)
        .map((el) => el.outerHTML),
    );

  it('invites with the keyboard, follows the guest to "accepted", then resets, resends and deletes', async () => {
    const admin = await signIn('admin@contoso.example', t.adminPassword);
    await admin.getByRole('heading', { name: 'Overview' }).waitFor();
    await admin.getByRole('link', { name: 'Users', exact: true }).click();
    await admin.getByRole('link', { name: 'Invite user' }).click();
    await admin.getByRole('heading', { name: 'Invite user' }).waitFor();
    assert.deepEqual(await unlabelled(admin), []);

    // Keyboard only: the email field has focus; Tab walks the form in order; Enter submits.
    await admin.keyboard.type('gwen@partner.example');
    await admin.keyboard.press('Tab');
    await admin.keyboard.type('Gwen Partner');
    await admin.keyboard.press('Tab'); // user type (Guest checked)
    await admin.keyboard.press('Tab'); // CC
    await admin.keyboard.press('Tab');
    await admin.keyboard.type('Welcome to the Contoso project!');
    // language, redirect (prefilled with My Apps), sponsors, groups and apps (when there are any), send (checked):
    // Tab walks on to the Invite button.
    const focused = () => admin.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    for (let i = 0; i < 10 && (await focused()) !== 'Invite'; i++) await admin.keyboard.press('Tab');
    assert.equal(await focused(), 'Invite');
    await admin.keyboard.press('Enter');
    await admin.getByText('Invitation sent to gwen@partner.example.').waitFor();
    assert.match(await admin.content(), /<th scope="row">Invitation accepted<\/th><td>No<\/td>/);
    // The outcome is shown once (post/redirect/get): the user page itself is the one to come back to.
    const userPage = await admin.getByRole('link', { name: 'Users', exact: true }).getAttribute('href');
    const gwenId = (await t.api('GET', `/v1.0/users?$filter=mail eq 'gwen@partner.example'`)).body.value[0]
      .id as string;

    await s.portico.worker.runOnce();
    const mail = s.smtp.messages().find((m) => m.to.includes('gwen@partner.example'))!;
    assert.match(mail.text, /Welcome to the Contoso project!/);
    const link = /(http:\/\/\S+\/redeem\?ticket=[\w-]+)/.exec(mail.text)![1]!;
    const guest = await (await browser.newContext()).newPage();
    await guest.goto(link);
    await guest.getByRole('button', { name: 'Accept invitation' }).click();
    await guest.getByLabel('Code').fill(await mailedCode(s, 'gwen@partner.example'));
    await guest.getByRole('button', { name: 'Sign in' }).click();
    await guest.getByRole('button', { name: 'Accept' }).click();
    await guest.waitForURL((u) => u.pathname === '/myapps' || u.pathname.includes('/v2.0/'));
    await guest.context().close();

    await admin.goto(`${s.baseUrl}${userPage}/${gwenId}`);
    const html = await admin.content();
    assert.match(html, /<th scope="row">Invitation accepted<\/th><td>Yes<\/td>/);
    assert.match(html, /<th scope="row">Source<\/th><td>Email OTP<\/td>/);

    // Destructive actions ask first (admin/confirm.tsx).
    await admin.getByRole('link', { name: 'Reset redemption status' }).click();
    await admin.getByRole('button', { name: 'Reset redemption status' }).click();
    await admin.getByText('Done: Reset redemption status.').waitFor();
    assert.match(await admin.content(), /<th scope="row">Invitation accepted<\/th><td>No<\/td>/);
    await admin.getByRole('button', { name: 'Resend invitation' }).click();
    await admin.getByText('Done: Resend invitation.').waitFor();
    await admin.getByRole('link', { name: 'Delete user' }).click();
    await admin.getByRole('button', { name: 'Delete user' }).click();
    await admin.getByText('Gwen Partner was deleted.').waitFor();
    await admin.context().close();
  });

  it('a helpdesk administrator sees users but is refused the invite page', async () => {
    const page = await signIn('hal@contoso.example', 'correct-horse-battery');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const res = await page.goto(`${adminUrl}/users/invite`);
    assert.equal(res?.status(), 403);
    assert.match(await page.content(), /Your role doesn(?:'|&#39;)t allow this/);
    await page.context().close();
  });
});
