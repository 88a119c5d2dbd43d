// External collaboration in headless Chromium: an admin opens the admin center's External collaboration page from
// the navigation, lets members invite and denies *.contoso.example; a member then invites a guest from My Apps'
// "Invite someone" (the guest's mail names the member) and is refused, with the rule named, for a denied subdomain;
// set back to adminsAndGuestInviters, the member gets the refusal page instead of the form.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PASSWORD = 'correct-horse-battery';

describe('external collaboration settings and My Apps invitations in a browser (sqlite)', { skip: browserSkip }, () => {
  let s: TestServer;
  let t: TenantApi;
  let browser: Browser;

  before(async () => {
    if (!haveBrowser) return;
    s = await startTestServer('sqlite', { runWorker: false });
    t = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    const res = await t.api('POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'Mia Member',
      mailNickname: 'mia',
      userPrincipalName: 'mia@contoso.example',
      passwordProfile: { password: PASSWORD },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function newPage(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    return page;
  }

  async function press(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('load');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
  }

  async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
    await page.goto(url);
    await page.getByLabel('Email address').fill(email);
    await press(page, 'Next');
    await page.getByLabel('Password').fill(password);
    await press(page, 'Sign in');
  }

  it('an admin sets who may invite and a deny list; a member invites from My Apps as they allow', async () => {
    const admin = await newPage();
    await signIn(admin, `${s.baseUrl}/admin/${t.tenantId}`, 'admin@contoso.example', t.adminPassword);
    await admin
      .getByRole('navigation', { name: 'Admin center sections' })
      .getByRole('link', { name: 'External collaboration', exact: true })
      .click();
    await admin.getByRole('heading', { name: 'External collaboration', level: 1 }).waitFor();
    assert.equal(
      await admin.getByLabel('Anyone in the organization can invite, guests included').isChecked(),
      true,
      "Entra's default",
    );
    await admin.getByLabel('Members and users assigned to administrator roles can invite').check();
    await admin.getByLabel('Deny invitations to the listed domains').check();
    await admin.getByLabel(/^Target domains/).fill('*.contoso.example\nnot a domain');
    await press(admin, 'Save');
    await admin.getByRole('alert').filter({ hasText: "'not a domain' is not a domain name" }).waitFor();
    await admin.getByLabel(/^Target domains/).fill('*.contoso.example');
    await press(admin, 'Save');
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = await t.api('GET', '/v1.0/policies/b2bCollaborationRestrictions');
    assert.deepEqual(stored.body, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#policies/b2bCollaborationRestrictions/$entity`,
      id: 'b2bCollaborationRestrictions',
      mode: 'deny',
      domains: ['*.contoso.example'],
    });

    const member = await newPage();
    await signIn(member, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`, 'mia@contoso.example', PASSWORD);
    await member.getByRole('link', { name: 'Invite someone' }).click();
    await member.getByRole('heading', { name: 'Invite someone', level: 1 }).waitFor();
    await member.getByLabel('Email address').fill('a@sub.contoso.example');
    await press(member, 'Send invitation');
    await member
      .getByRole('alert')
      .filter({
        hasText:
          "Contoso does not allow invitations to sub.contoso.example: its collaboration restrictions deny '*.contoso.example'.",
      })
      .waitFor();

    await member.getByLabel('Email address').fill('gina@partner.example');
    await member.getByLabel('Message (optional)').fill('See you on Monday');
    await press(member, 'Send invitation');
    await member.getByRole('status').filter({ hasText: 'Invitation sent to gina@partner.example.' }).waitFor();
    await s.portico.worker.runOnce();
    const mail = s.smtp.messages().find((m) => m.to.includes('gina@partner.example'));
    assert.ok(mail, 'the guest got the invitation');
    assert.match(mail.text, /Mia Member/, 'the mail names the member');

    await admin
      .getByLabel(
        'Only users assigned to administrator roles (Global Administrator, User Administrator, Guest Inviter) can invite',
      )
      .check();
    await press(admin, 'Save');
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await member.goto(`${s.baseUrl}/myapps/invite?tenantid=${t.tenantId}`);
    await member.getByRole('heading', { name: 'You cannot invite guests', level: 1 }).waitFor();
    assert.match(
      await member.locator('main').innerText(),
      /Only administrators and Guest Inviters may invite guests to Contoso/,
    );
  });
});
