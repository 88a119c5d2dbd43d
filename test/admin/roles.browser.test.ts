// The admin center's roles in Chromium: a Global Administrator grants Guest Inviter on a member's page, the member
// then opens the invite page; the Roles section lists each role's members, adds and removes one, and refuses to
// remove the last Global Administrator. Every form control is labelled.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { openAdmin } from '../helpers/admin.ts';
import { newUserBody, type GraphObject } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { CookieJar } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite(
  'admin center roles in a browser',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser;
    let mia: GraphObject;
    const password = newUserBody('x').passwordProfile.password;
    before(async () => {
      if (!haveBrowser) return;
      mia = (await t.api('POST', '/v1.0/users', newUserBody('mia@contoso.example', 'Mia'))).body;
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });
    const invitePage = async () =>
      (
        await openAdmin(s, new CookieJar(), `${s.baseUrl}/admin/${t.tenantId}/users/invite`, {
          email: 'mia@contoso.example',
          password,
        })
      ).status;
    const unlabelled = (page: Page) =>
      page.evaluate(() =>
        [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter((el) => (el as HTMLInputElement).labels?.length === 0)
          .map((el) => el.outerHTML),
      );

    it('grants and revokes on the user page and in the Roles section', { skip: browserSkip }, async () => {
      const page = await (await browser.newContext()).newPage();
      page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
      await page.goto(`${s.baseUrl}/admin/${t.tenantId}/users/${mia.id}`);
      await page.getByLabel('Email address').fill('admin@contoso.example');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Password').fill(t.adminPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Mia' }).waitFor();
      assert.deepEqual(await unlabelled(page), []);
      assert.equal(await invitePage(), 403);

      await page.getByLabel('Role to grant').selectOption({ label: 'Guest Inviter' });
      await page.getByRole('button', { name: 'Grant role' }).click();
      await page.getByRole('link', { name: 'Revoke Guest Inviter' }).waitFor();
      assert.equal(await invitePage(), 200, 'the Guest Inviter opens the invite page');

      await page.getByRole('link', { name: 'Roles' }).click();
      await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
      assert.deepEqual(await unlabelled(page), []);
      const inviters = page.locator('section', { has: page.getByRole('heading', { name: 'Guest Inviter' }) });
      assert.match(await inviters.locator('tbody').innerText(), /Mia\s+mia@contoso\.example/);
      // Removing a role asks first (admin/confirm.tsx).
      await page.getByRole('link', { name: 'Remove Mia from Guest Inviter' }).click();
      await page.getByRole('heading', { name: 'Remove the role Guest Inviter from Mia?' }).waitFor();
      await page.getByRole('button', { name: 'Remove role' }).click();
      await page.getByText('Mia no longer holds Guest Inviter.').waitFor();
      assert.equal(await invitePage(), 403, 'revoked: refused again');

      await page
        .getByLabel('Add a member to Helpdesk Administrator (user name or email address)')
        .fill('mia@contoso.example');
      await page
        .locator('section', { has: page.getByRole('heading', { name: 'Helpdesk Administrator' }) })
        .getByRole('button', { name: 'Add' })
        .click();
      await page.getByText('Mia now holds Helpdesk Administrator.').waitFor();

      await page.getByRole('link', { name: 'Remove Administrator from Global Administrator' }).click();
      await page.getByRole('button', { name: 'Remove role' }).click();
      await page
        .getByRole('alert')
        .getByText(/last enabled Global Administrator/)
        .waitFor();
      const assignments = await t.api(
        'GET',
        `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${t.admin.id}'`,
      );
      assert.equal(assignments.body.value.length, 1, 'the Global Administrator keeps the role');

      // The audit log names the admin as the actor of each change.
      const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value as {
        activityDisplayName: string;
        initiatedBy: { user: { id: string } | null };
      }[];
      const roleEvents = audit.filter((e) => e.activityDisplayName.endsWith('role'));
      assert.equal(roleEvents.length, 3);
      assert.ok(roleEvents.every((e) => e.initiatedBy.user?.id === t.admin.id));
    });
  },
);
