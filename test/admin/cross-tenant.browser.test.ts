// The cross-tenant access pages in Chromium at 1280 and 390 px, without any script of the page's: an administrator adds
// a partner by its domain, picks a group of the partner from a search and blocks it inbound, trusts the partner's MFA,
// and Graph reads back exactly that; each save's outcome is shown once (a reload records nothing); removing the
// partner asks first and Cancel changes nothing. Every page of the section, a search's results and the confirmation
// have the doctype, no horizontal scroll and no axe-core violations.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import type { TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { assertBlockedGroupTrustedMfa, newFabrikam, removePartners, XTAP } from '../helpers/cross-tenant.ts';
import { pageProblems, reloadChangesNothing as reloadOnce, shownPageProblems } from '../helpers/page-checks.ts';
import { suite } from '../helpers/suite.ts';

const WIDTHS = [1280, 390] as const;

suite(
  'cross-tenant access pages in a browser',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser;
    let fabrikam: TenantApi;
    let teamId: string;
    before(async () => {
      if (haveBrowser) browser = await launchBrowser();
      fabrikam = await newFabrikam(s);
      teamId = (
        await fabrikam.api('POST', '/v1.0/groups', {
          displayName: 'Partners team',
          mailEnabled: false,
          mailNickname: 'partnersteam',
          securityEnabled: true,
        })
      ).body.id;
    });
    after(async () => {
      await browser?.close();
    });

    const audits = async () =>
      ((await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999')).body.value as unknown[]).length;

    const reloadChangesNothing = (page: Page, what: string) => reloadOnce(page, what, audits);

    for (const width of WIDTHS)
      it(
        `at ${width} px: add a partner, block a picked group inbound, trust its MFA, remove it after asking`,
        { skip: browserSkip },
        async () => {
          await removePartners(t);
          // bypassCSP: the page's CSP forbids injected scripts; axe-core is the test's, not the page's.
          const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
          const page = await context.newPage();
          page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
          const base = `${s.baseUrl}/admin/${t.tenantId}/cross-tenant`;
          await page.goto(base);
          await page.getByLabel('Email address').fill('admin@contoso.example');
          await page.getByRole('button', { name: 'Next' }).click();
          await page.getByLabel('Password').fill(t.adminPassword);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByRole('heading', { name: 'Cross-tenant access', level: 1 }).waitFor();
          const problems: string[] = [];

          await page.getByLabel('Tenant id or verified domain name').fill('fabrikam.example');
          await page.getByRole('button', { name: 'Add', exact: true }).click();
          await page.getByRole('heading', { name: 'Cross-tenant access: Fabrikam', level: 1 }).waitFor();
          await page.getByRole('status').getByText('The organization was added').waitFor();
          await reloadChangesNothing(page, 'add');
          const partner = `${base}/partners/${fabrikam.tenantId}`;

          // Inbound users and groups: search Fabrikam's directory, tick the group, block it.
          await page.goto(partner);
          const users = page.getByRole('region', { name: 'Users and groups' });
          await users.getByLabel('Find users and groups of Fabrikam').fill('Partners');
          await users.getByRole('button', { name: 'Search' }).click();
          await users.getByLabel('Partners team, group').waitFor();
          problems.push(...(await shownPageProblems(page, page.url())));
          await page.getByRole('region', { name: 'Users and groups' }).getByLabel('Partners team, group').check();
          await page.getByRole('region', { name: 'Users and groups' }).getByRole('radio', { name: 'Block' }).check();
          assert.equal(
            await page
              .getByRole('region', { name: 'Users and groups' })
              .getByRole('radio', { name: 'Selected users and groups' })
              .isChecked(),
            true,
            'a search starts on the selected option',
          );
          await page.getByRole('region', { name: 'Users and groups' }).getByRole('button', { name: 'Save' }).click();
          await page.getByRole('status').getByText('The cross-tenant access settings were saved').waitFor();
          await page.getByRole('cell', { name: 'Partners team', exact: true }).waitFor();
          await reloadChangesNothing(page, 'block the group');

          await page.goto(partner);
          await page.getByRole('link', { name: 'Inbound trust' }).click();
          await page.getByRole('radio', { name: /^Trust it/ }).check();
          await page.getByRole('button', { name: 'Save' }).click();
          await page.getByRole('status').waitFor();
          await reloadChangesNothing(page, 'trust');

          await assertBlockedGroupTrustedMfa(t, fabrikam.tenantId, teamId);

          // Every page of the section at this width.
          for (const path of [
            '',
            '/default',
            '/default/outbound?find=outbound-users&q=admin',
            '/default/trust',
            '/default/redemption',
            `/partners/${fabrikam.tenantId}/inbound?find=inbound-apps&q=x`,
            `/partners/${fabrikam.tenantId}/outbound`,
            `/partners/${fabrikam.tenantId}/trust`,
            `/partners/${fabrikam.tenantId}/redemption`,
            `/partners/${fabrikam.tenantId}/remove/confirm`,
            '/reset/confirm',
          ])
            problems.push(...(await pageProblems(page, `${base}${path}`)));

          // Removing asks first; Cancel changes nothing, confirming removes.
          await page.goto(base);
          const before = await audits();
          await page.getByRole('link', { name: 'Remove Fabrikam' }).click();
          await page.getByRole('heading', { name: 'Remove Fabrikam?', level: 1 }).waitFor();
          await page.getByRole('link', { name: 'Cancel' }).click();
          await page.getByRole('heading', { name: 'Cross-tenant access', level: 1 }).waitFor();
          assert.equal((await t.api('GET', `${XTAP}/partners/${fabrikam.tenantId}`)).status, 200, 'cancel keeps it');
          assert.equal(await audits(), before, 'cancel records nothing');
          await page.getByRole('link', { name: 'Remove Fabrikam' }).click();
          await page.getByRole('button', { name: 'Remove organization' }).click();
          await page.getByRole('status').getByText("The organization's settings were removed").waitFor();
          assert.equal((await t.api('GET', `${XTAP}/partners/${fabrikam.tenantId}`)).status, 404);
          await reloadChangesNothing(page, 'remove');

          assert.deepEqual(problems, []);
          await context.close();
        },
      );
  },
);
