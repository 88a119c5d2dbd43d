// The site's shell in Chromium, at 1280 and 390 px: post/redirect/get (reloading the page after a refused invite, a
// no-email invite, a resend, a reset, an app registration or a delete changes nothing: the audit log keeps its count,
// and the redeem link is shown once), confirmation before every destructive action (cancel changes nothing, confirm acts), and
// every admin and guest page reached: `<!doctype html>` first, no wider than the viewport, no axe-core violations.
// `/`, `/admin` and `/myapps` lead somewhere useful.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { ADMIN_SECTIONS } from '../../src/admin/sections.ts';
import { adminInBrowser, checkedAt } from '../helpers/admin.ts';
import { newUserBody, type GraphObject } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { pageProblems, reloadChangesNothing as reloadOnce } from '../helpers/page-checks.ts';
import { redeemedGuest } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

const WIDTHS = [1280, 390] as const;

suite(
  'the shell: post/redirect/get, confirmations, every width',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser;
    before(async () => {
      if (haveBrowser) browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    /** A browser signed in to the admin center as the tenant's Global Administrator, `width` px wide. */
    const adminAt = (width: number) => adminInBrowser(browser, s, t, 'admin@contoso.example', checkedAt(width));

    const audits = async () =>
      ((await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999')).body.value as unknown[]).length;

    const reloadChangesNothing = (page: Page, what: string) => reloadOnce(page, what, audits);

    const checkPage = pageProblems;

    it(
      'reloading after an invite without email, resend, reset and app registration repeats nothing',
      { skip: browserSkip },
      async () => {
        const { context, page } = await adminAt(1280);
        // A refusal beside its form is an outcome too: shown once at a GET address with its status, never re-posted.
        await page.goto(`${s.baseUrl}/admin/${t.tenantId}/users/invite`);
        await page.getByLabel('Email address').fill('ann@fabrikam.example');
        await page.getByLabel('Sponsors (optional)').fill('nobody@contoso.example');
        const refused = page.waitForResponse((r) => r.request().method() === 'GET' && /\/results\//.test(r.url()));
        await page.getByRole('button', { name: 'Invite', exact: true }).click();
        assert.equal((await refused).status(), 400, 'the refusal keeps its status at its GET address');
        await page
          .getByText("No user of this organization has the address or user name 'nobody@contoso.example'.")
          .waitFor();
        assert.equal(
          await page.getByLabel('Email address').inputValue(),
          'ann@fabrikam.example',
          'what was typed stays',
        );
        await reloadChangesNothing(page, 'refused invite');

        await page.goto(`${s.baseUrl}/admin/${t.tenantId}/users/invite`);
        await page.getByLabel('Email address').fill('ann@fabrikam.example');
        await page.getByLabel('Send the invitation email').uncheck();
        await page.getByRole('button', { name: 'Invite', exact: true }).click();
        const notice = page.getByText('Share the redemption link');
        await notice.waitFor();
        const link = /(http\S+)/.exec(await notice.innerText())![1]!;
        assert.doesNotMatch(page.url(), /redeem|ticket/, 'the redeem link stays out of the address');
        await reloadChangesNothing(page, 'no-email invite');
        assert.equal(await page.getByText(link).count(), 0, 'the link is shown once');
        assert.equal(
          (await t.api('GET', `/v1.0/users?$filter=mail eq 'ann@fabrikam.example'`)).body.value.length,
          1,
          'one guest',
        );

        const ann = (await t.api('GET', `/v1.0/users?$filter=mail eq 'ann@fabrikam.example'`)).body
          .value[0] as GraphObject;
        await page.goto(`${s.baseUrl}/admin/${t.tenantId}/users/${ann.id}`);
        await page.getByRole('button', { name: 'Resend invitation' }).click();
        await page.getByRole('status').waitFor();
        await reloadChangesNothing(page, 'resend');

        // Reset redemption (after its confirmation) of a guest who redeemed.
        const cy = await redeemedGuest(s, t.api, 'cy@fabrikam.example', 'Cy');
        await page.goto(`${s.baseUrl}/admin/${t.tenantId}/users/${cy.id}`);
        await page.getByRole('link', { name: 'Reset redemption status' }).click();
        await page.getByRole('button', { name: 'Reset redemption status' }).click();
        await page.getByRole('status').waitFor();
        await reloadChangesNothing(page, 'reset');

        await page.goto(`${s.baseUrl}/admin/${t.tenantId}/apps/new`);
        await page.getByLabel('Name users see').fill('Payroll');
        await page.getByLabel('Redirect URIs (one per line)').fill('https://payroll.example/callback');
        await page.getByRole('button', { name: 'Register', exact: true }).click();
        await page.getByRole('heading', { name: /Payroll is registered/ }).waitFor();
        await reloadChangesNothing(page, 'app registration');
        assert.equal(
          (await t.api('GET', `/v1.0/applications?$filter=displayName eq 'Payroll'`)).body.value.length,
          1,
          'one app',
        );
        await context.close();
      },
    );

    it(
      'asks before deleting: cancel changes nothing, confirm deletes, reload repeats nothing',
      { skip: browserSkip },
      async () => {
        const mia = (await t.api('POST', '/v1.0/users', newUserBody('mia@contoso.example', 'Mia'))).body as GraphObject;
        const { context, page } = await adminAt(390);
        const userUrl = `${s.baseUrl}/admin/${t.tenantId}/users/${mia.id}`;
        await page.goto(userUrl);
        const before = await audits();
        await page.getByRole('link', { name: 'Delete user' }).click();
        await page.getByRole('heading', { name: 'Delete Mia?', level: 1 }).waitFor();
        assert.equal(await page.locator('nav#admin-nav').count(), 1, 'the confirmation has the navigation');
        await page.getByRole('link', { name: 'Cancel' }).click();
        await page.getByRole('heading', { name: 'Mia', level: 1 }).waitFor();
        assert.equal((await t.api('GET', `/v1.0/users/${mia.id}`)).status, 200, 'cancel: Mia is still there');
        assert.equal(await audits(), before, 'cancel records nothing');

        await page.getByRole('link', { name: 'Delete user' }).click();
        await page.getByRole('button', { name: 'Delete user' }).click();
        await page.getByText('Mia was deleted.').waitFor();
        assert.ok(await page.getByRole('heading', { level: 1 }).count(), 'the page after the delete has a heading');
        assert.equal((await t.api('GET', `/v1.0/users/${mia.id}`)).status, 404, 'confirmed: Mia is deleted');
        assert.equal(await audits(), before + 1);
        await reloadChangesNothing(page, 'delete');
        await context.close();
      },
    );

    for (const width of WIDTHS)
      it(
        `every page at ${width} px: doctype, no horizontal scroll, no accessibility violations`,
        { skip: browserSkip },
        async () => {
          const ben = (await t.api('POST', '/v1.0/users', newUserBody(`ben${width}@contoso.example`, 'Ben'))).body;
          const { context, page } = await adminAt(width);
          const base = `${s.baseUrl}/admin/${t.tenantId}`;
          const pages = [
            ...ADMIN_SECTIONS.map((x) => `${base}${x.path}`),
            `${base}/users/invite`,
            `${base}/users/${ben.id}`,
            `${base}/users/${ben.id}/delete/confirm`,
            `${base}/apps/new`,
            `${base}/groups/new`,
            `${base}/contacts/new`,
          ];
          // The guest side too: the start page, /admin's box, My Apps signed in.
          pages.push(`${s.baseUrl}/`, `${s.baseUrl}/admin`, `${s.baseUrl}/myapps?tenantid=${t.tenantId}`);
          const problems: string[] = [];
          for (const url of pages) problems.push(...(await checkPage(page, url)));
          // Signed out: My Apps' address box, a page that isn't there, the tenant's sign-in page.
          const anonymous = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
          const guest = await anonymous.newPage();
          for (const url of [`${s.baseUrl}/myapps`, `${s.baseUrl}/nowhere`])
            problems.push(...(await checkPage(guest, url)));
          await guest.goto(`${s.baseUrl}/admin/${t.tenantId}`);
          problems.push(...(await checkPage(guest, guest.url())));
          await anonymous.close();
          assert.deepEqual(problems, []);
          await context.close();
        },
      );

    it('/, /admin and /myapps lead somewhere useful', { skip: browserSkip }, async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${s.baseUrl}/`);
      assert.equal(await page.getByRole('link', { name: 'Go to My Apps' }).getAttribute('href'), '/myapps');
      await page.getByLabel("Organization's domain name").fill('nowhere.example');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page
        .getByRole('alert')
        .getByText(/nowhere\.example/)
        .waitFor();
      await page.getByLabel("Organization's domain name").fill('contoso.example');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Email address').waitFor();
      assert.match(page.url(), new RegExp(`/${t.tenantId}/`), "the organization's own sign-in page");

      await page.goto(`${s.baseUrl}/admin`);
      await page.getByRole('heading', { name: 'Sign in to the admin center' }).waitFor();

      // My Apps' address box: the domain of the address finds the organization; an unknown one says what to do
      // without saying whether any account exists.
      await context.clearCookies();
      await page.goto(`${s.baseUrl}/myapps`);
      await page.getByLabel('Your email address').fill('someone@gmail.example');
      await page.getByRole('button', { name: 'Find my organization' }).click();
      await page
        .getByRole('alert')
        .getByText(/gmail\.example/)
        .waitFor();
      await page.getByLabel('Your email address').fill('nobody@contoso.example');
      await page.getByRole('button', { name: 'Find my organization' }).click();
      await page.getByLabel('Email address').waitFor();
      assert.match(page.url(), new RegExp(`/${t.tenantId}/`));
      await context.close();
    });
  },
);
