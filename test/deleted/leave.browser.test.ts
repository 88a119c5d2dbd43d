// A guest leaves an organization from My Apps in Chromium, on both stores: the confirmation page, the guest object in
// the tenant's deleted items, no more sign-in there, and the tenant's audit log saying who left. Entra's rules: a
// member cannot leave their own organization, and a tenant may forbid guests to leave.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { mailedCode, redeemedGuest } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

suite(
  'leaving an organization',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser | undefined;
    let fabrikam: TenantApi;
    before(async () => {
      if (!haveBrowser) return;
      browser = await launchBrowser();
      fabrikam = await tenantWithApi(s, 'Fabrikam', {
        domain: 'fabrikam.example',
        adminEmail: 'admin@fabrikam.example',
      });
    });
    after(async () => browser?.close());

    const newPage = async (): Promise<Page> => {
      const page = await (await browser!.newContext()).newPage();
      page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
      return page;
    };

    /** A guest signs in to the tenant's My Apps with a mailed passcode. */
    async function guestMyApps(page: Page, tenantId: string, email: string) {
      await page.goto(`${s.baseUrl}/myapps?tenantid=${tenantId}`);
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Enter code' }).waitFor();
      await page.getByLabel('Code').fill(await mailedCode(s, email));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'My Apps', level: 1 }).waitFor();
    }

    it('a guest leaves from My Apps and can no longer sign in there', { skip: browserSkip }, async () => {
      const email = 'lea@partner.example';
      const { id } = await redeemedGuest(s, t.api, email, 'Lea');
      const other = await redeemedGuest(s, fabrikam.api, email, 'Lea');
      const page = await newPage();
      await guestMyApps(page, t.tenantId, email);
      const orgs = page.locator('ul.orgs');
      assert.match(await orgs.innerText(), /Fabrikam/);
      await page.getByRole('link', { name: 'Leave organization' }).click();
      await page.getByRole('heading', { name: 'Leave Contoso?', level: 1 }).waitFor();
      // Cancel goes back; a forged form changes nothing.
      await page.getByRole('link', { name: 'Cancel' }).click();
      await page.getByRole('heading', { name: 'My Apps', level: 1 }).waitFor();
      // My Apps shows a refusal at a GET address too (post/redirect/get), with its status.
      const forged = await page.request.post(`${s.baseUrl}/myapps/leave`, {
        form: { tenantid: t.tenantId, csrf: 'forged' },
      });
      assert.equal(forged.status(), 403);
      assert.equal((await t.api('GET', `/v1.0/users/${id}`)).status, 200);

      await page.getByRole('link', { name: 'Leave organization' }).click();
      await page.getByRole('button', { name: 'Leave' }).click();
      assert.equal(await page.getByRole('status').innerText(), 'You left Contoso.');
      assert.equal((await t.api('GET', `/v1.0/users/${id}`)).status, 404);
      assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${id}`)).status, 200);
      // Still a guest of Fabrikam, whose My Apps no longer lists Contoso.
      assert.equal((await fabrikam.api('GET', `/v1.0/users/${other.id}`)).status, 200);
      const there = await newPage();
      await guestMyApps(there, fabrikam.tenantId, email);
      assert.doesNotMatch(await there.locator('ul.orgs').innerText(), /Contoso/);
      const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=50')).body.value as {
        activityDisplayName: string;
        initiatedBy: unknown;
        targetResources: { id: string }[];
      }[];
      const left = audit.find((e) => e.activityDisplayName === 'User left the organization');
      assert.ok(left, 'the audit log says who left');
      assert.deepEqual(
        left.targetResources.map((r) => r.id),
        [id],
      );

      // The session there ended; signing in again finds no account.
      await page.goto(`${s.baseUrl}/myapps?tenantid=${t.tenantId}`);
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('alert').waitFor();
      assert.match(await page.getByRole('alert').innerText(), /find an account with that address in Contoso/);
    });

    it('a member cannot leave, nor a guest where the tenant forbids it', { skip: browserSkip }, async () => {
      const email = 'max@partner.example';
      await redeemedGuest(s, fabrikam.api, email, 'Max');
      await setTenantSettings(s, fabrikam.tenantId, 'allowExternalIdentitiesToLeave=false');
      const page = await newPage();
      await guestMyApps(page, fabrikam.tenantId, email);
      assert.equal(await page.getByRole('link', { name: 'Leave organization' }).count(), 0);
      await page.goto(`${s.baseUrl}/myapps/leave?tenantid=${fabrikam.tenantId}`);
      assert.match(await page.locator('main').innerText(), /Fabrikam does not allow guests to leave/);

      const admin = await newPage();
      await admin.goto(`${s.baseUrl}/myapps?tenantid=${t.tenantId}`);
      await admin.getByLabel('Email address').fill('admin@contoso.example');
      await admin.getByRole('button', { name: 'Next' }).click();
      await admin.getByLabel('Password').fill(t.adminPassword);
      await admin.getByRole('button', { name: 'Sign in' }).click();
      await admin.getByRole('heading', { name: 'My Apps', level: 1 }).waitFor();
      assert.equal(await admin.getByRole('link', { name: 'Leave organization' }).count(), 0);
      await admin.goto(`${s.baseUrl}/myapps/leave?tenantid=${t.tenantId}`);
      assert.match(await admin.locator('main').innerText(), /a member cannot leave their own organization/);
    });
  },
);
