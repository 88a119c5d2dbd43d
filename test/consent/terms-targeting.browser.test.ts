// Terms of use targeted at guests, in Chromium at 1280 and 390 px: the tenant's administrator (a member) signs in to
// the admin center without being asked; a guest redeeming the invitation is asked, and sees the Markdown terms as
// HTML, with the raw HTML in them shown as text.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';

import { inviteGuest } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { mailedCode } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

const MARKDOWN = [
  '# Contoso guest terms',
  '',
  'Be **nice** to the [people](https://contoso.example/people) you meet.',
  '',
  '<script>window.ran = true</script>',
  '',
  '[Click me](javascript:alert(1))',
].join('\n');

suite(
  'guest-targeted Markdown terms in a browser',
  { tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser;
    before(async () => {
      if (!haveBrowser) return;
      const created = await t.api('POST', '/v1.0/identityGovernance/termsOfUse/agreements', {
        displayName: 'Guest terms',
        file: {
          localizations: [
            { fileName: 'terms.md', language: 'en-US', fileData: { data: Buffer.from(MARKDOWN).toString('base64') } },
          ],
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.appliesTo.users, 'allGuests');
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    for (const [width, n] of [
      [1280, 1],
      [390, 2],
    ] as const) {
      it(
        `asks the guest, not the administrator, and shows Markdown safely, at ${width} px`,
        { skip: browserSkip },
        async () => {
          const context = await browser.newContext({ viewport: { width, height: 900 } });
          const page = await context.newPage();
          page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
          await page.goto(`${s.baseUrl}/admin/${t.tenantId}`);
          await page.getByLabel('Email address').fill('admin@contoso.example');
          await page.getByRole('button', { name: 'Next' }).click();
          await page.getByLabel('Password').fill(t.adminPassword);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
          const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value as {
            activityDisplayName: string;
          }[];
          assert.ok(
            !audit.some((e) => e.activityDisplayName.endsWith('terms of use')),
            'the administrator was not asked',
          );
          await context.close();

          const email = `gina${n}@partner.example`;
          const guest = await browser.newPage({ viewport: { width, height: 900 } });
          guest.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
          const { redeemUrl } = await inviteGuest(t.api, email);
          await guest.goto(redeemUrl);
          await guest.getByRole('button', { name: 'Accept invitation' }).click();
          await guest.getByLabel('Code').fill(await mailedCode(s, email));
          await guest.getByLabel('Code').press('Enter');
          await guest.getByRole('heading', { name: 'Review permissions' }).waitFor();
          await guest.getByRole('button', { name: 'Accept' }).click();
          await guest.getByRole('heading', { name: 'Guest terms', level: 1 }).waitFor();
          const terms = guest.getByRole('region', { name: 'Terms of use' });
          await terms.getByRole('heading', { name: 'Contoso guest terms', level: 2 }).waitFor();
          assert.equal(await terms.locator('strong').innerText(), 'nice');
          const link = terms.getByRole('link', { name: 'people' });
          assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
          assert.equal(await link.getAttribute('href'), 'https://contoso.example/people');
          assert.match(await terms.innerText(), /<script>window\.ran = true<\/script>/, 'raw HTML is shown as text');
          assert.equal(await terms.locator('script').count(), 0);
          assert.equal(await guest.evaluate(() => (window as { ran?: boolean }).ran), undefined);
          assert.equal(await terms.getByRole('link', { name: 'Click me' }).count(), 0, 'no javascript: link');
          await guest.close();
        },
      );
    }
  },
);
