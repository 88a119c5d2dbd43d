// Bulk invite in headless Chromium: the admin opens Bulk invite from the users list, uploads a CSV through the file
// input, watches the progress page (which reloads itself, no script) reach "Completed", and downloads the results.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';

import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('bulk invite in a browser (sqlite)', { skip: browserSkip }, () => {
  let s: TestServer;
  let t: TenantApi;
  let browser: Browser;

  before(async () => {
    if (!haveBrowser) return;
    s = await startTestServer('sqlite', { runWorker: false });
    t = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('uploads a CSV, follows the progress to "Completed" and downloads the results', async () => {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    await page.goto(`${s.baseUrl}/admin/${t.tenantId}`);
    await page.getByLabel('Email address').fill('admin@contoso.example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(t.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('link', { name: 'Bulk invite' }).click();
    await page.getByRole('heading', { name: 'Bulk invite' }).waitFor();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((el) => (el as HTMLInputElement).labels?.length === 0)
        .map((el) => el.outerHTML),
    );
    assert.deepEqual(unlabelled, []);

    const csv =
      'email,redirect url,send,message\numa@partner.example,,true,Hello Uma\nnope,,true,\nvic@partner.example,https://apps.contoso.example/,false,\n';
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'partners.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload and invite' }).click();
    await page.getByRole('heading', { name: 'Bulk invitation: partners.csv' }).waitFor();
    await page.getByText('Status: Completed.', { exact: false }).waitFor({ timeout: 20_000 });
    await page.getByText('3 of 3 rows processed, 2 succeeded, 1 failed').waitFor();
    assert.equal(await page.locator('progress').getAttribute('value'), '3');
    assert.match(
      await page.getByRole('row').filter({ hasText: 'nope' }).innerText(),
      /^3\s+nope\s+'nope' is not a valid email address/,
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the results (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^bulk-invite-\d{4}-\d{2}-\d{2}-results\.csv$/);
    const rows = parse(readFileSync((await download.path())!), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      rows.map((r) => [r.line, r.email, r.outcome]),
      [
        ['2', 'uma@partner.example', 'created'],
        ['3', 'nope', 'failed'],
        ['4', 'vic@partner.example', 'created'],
      ],
    );
    assert.ok(rows[0]!.userId);

    await s.portico.worker.runOnce();
    assert.match(s.smtp.messages().find((m) => m.to.includes('uma@partner.example'))!.text, /Hello Uma/);
    await page.context().close();
  });
});
