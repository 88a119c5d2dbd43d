// The admin center's users list in Chromium at 1280 and 390 px, with 2,000 guests invited through the bulk
// invitation (an uploaded CSV, the runner inviting each row): sorted by name by default, every column sorts both ways,
// a search by a domain substring, previous and next pages with the count, and the CSV export of what the filters
// select, formula-safe.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';

import { csrfOf, openAdmin } from '../helpers/admin.ts';
import { newUserBody } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { CookieJar, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const GUESTS = 2000;
const HEADINGS =
  'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]';
const pad = (i: number) => String(i).padStart(4, '0');
/** Guest i's address: its name is the local part (the bulk invitation's default), its domain one of 20 partners. */
const address = (i: number) => `guest${pad(i)}@partner${i % 20}.example`;

suite(
  'admin center users list in a browser',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let browser: Browser;
    let list: string;
    before(async () => {
      if (!haveBrowser) return;
      list = `${s.baseUrl}/admin/${t.tenantId}/users`;
      // The guests come in a shuffled order (a fixed one), so creation order is not name order.
      const order = Array.from({ length: GUESTS }, (_, i) => (i * 7919) % GUESTS);
      const csv = ['version:v1.0', HEADINGS, ...order.map((i) => `${address(i)},,false,`)].join('\n');
      const jar = new CookieJar();
      const bulk = await openAdmin(s, jar, `${list}/bulk`, {
        email: 'admin@contoso.example',
        password: t.adminPassword,
      });
      const form = new FormData();
      form.set('csrf', csrfOf(bulk.page));
      form.set('file', new Blob([csv], { type: 'text/csv' }), 'guests.csv');
      const posted = await request(jar, `${list}/bulk`, { method: 'POST', body: form });
      assert.equal(posted.status, 303);
      s.portico.bulk.start();
      await s.portico.bulk.idle();
      // A member whose name a spreadsheet would run as a formula: the export must neutralise it.
      await t.api('POST', '/v1.0/users', newUserBody('formula@contoso.example', '=HYPERLINK("http://evil.example")'));
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    const TOTAL = GUESTS + 2; // the guests, the administrator, the formula member
    const signIn = async (width: number) => {
      const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
      page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
      await page.goto(list);
      await page.getByLabel('Email address').fill('admin@contoso.example');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Password').fill(t.adminPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      return page;
    };
    /** The texts of one column of the table, by its heading's position. */
    const column = (page: Page, index: number) =>
      page.locator(`table tbody tr td:nth-child(${index + 1})`).allInnerTexts();
    const status = (page: Page) => page.getByRole('navigation', { name: 'Pages' }).getByRole('status').innerText();
    const sorted = (values: string[], dir: 'asc' | 'desc') =>
      values.every((v, i) => i === 0 || (dir === 'asc' ? values[i - 1]! <= v : values[i - 1]! >= v));

    for (const width of [1280, 390]) {
      it(`is sorted by name, pages back and forth with the count, at ${width} px`, { skip: browserSkip }, async () => {
        const page = await signIn(width);
        assert.equal(await status(page), `1–50 of ${TOTAL.toLocaleString('en-US')}`);
        const names = await column(page, 0);
        assert.equal(names.length, 50);
        // Stable default order: display name (then id); the administrator and the member sort apart from the guests.
        const guests = names.filter((n) => n.startsWith('guest'));
        assert.ok(guests.length >= 48);
        assert.deepEqual(
          guests,
          Array.from({ length: guests.length }, (_, i) => `guest${pad(i)}`),
        );
        await page.getByRole('link', { name: 'Next page' }).click();
        await page.waitForURL(/page=2/);
        assert.equal(await status(page), `51–100 of ${TOTAL.toLocaleString('en-US')}`);
        assert.equal((await column(page, 0))[0], `guest${pad(guests.length)}`);
        await page.getByRole('link', { name: 'Previous page' }).click();
        await page.waitForURL((url) => !url.search.includes('page='));
        assert.deepEqual(await column(page, 0), names);
        assert.equal(await page.getByRole('link', { name: 'Previous page' }).count(), 0, 'no previous page on page 1');
      });
    }

    it('sorts by each column, both ways', { skip: browserSkip }, async () => {
      const page = await signIn(1280);
      const headings = ['Name', 'Email or sign-in name', 'Type', 'Invitation state', 'Created'];
      for (const [index, heading] of headings.entries()) {
        // Name is the order in force: its first click turns it round.
        const dirs = heading === 'Name' ? (['desc', 'asc'] as const) : (['asc', 'desc'] as const);
        for (const dir of dirs) {
          await page.getByRole('columnheader', { name: heading, exact: true }).getByRole('link').click();
          await page.waitForURL(new RegExp(`sort=${['name', 'mail', 'type', 'state', 'created'][index]}&dir=${dir}`));
          const th = page.getByRole('columnheader', { name: heading, exact: true });
          assert.equal(await th.getAttribute('aria-sort'), dir === 'asc' ? 'ascending' : 'descending');
          const values =
            heading === 'Created'
              ? await page
                  .locator('table tbody td:nth-child(5) time')
                  .evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!))
              : await column(page, index);
          assert.equal(values.length, 50);
          if (heading !== 'Name' && heading !== 'Email or sign-in name')
            assert.ok(sorted(values, dir), `${heading} ${dir}`);
          else
            // The addresses and names are lowercase ASCII but for the member and the administrator, which are first.
            assert.ok(
              sorted(
                values.filter((v) => v.startsWith('guest')),
                dir,
              ),
              `${heading} ${dir}`,
            );
        }
      }
      // Sorted by creation time, newest first: the last guest of the upload's order leads, before the formula member.
      assert.equal(new URL(page.url()).searchParams.get('sort'), 'created');
    });

    it(
      'searches by a domain substring and exports what it selects as formula-safe CSV',
      { skip: browserSkip },
      async () => {
        for (const width of [1280, 390]) {
          const page = await signIn(width);
          await page.getByLabel('Search by name, email, user name or domain').fill('ARTNER7.exam');
          await page.getByRole('button', { name: 'Apply' }).click();
          await page.waitForURL(/q=ARTNER7/);
          assert.equal(await status(page), '1–50 of 100');
          const mails = await column(page, 1);
          assert.ok(mails.every((m) => m.endsWith('@partner7.example')));
          assert.deepEqual(
            await column(page, 0),
            mails.map((m) => m.split('@')[0]),
          );
          await page.getByRole('link', { name: 'Next page' }).click();
          await page.waitForURL(/page=2/);
          assert.equal(await status(page), '51–100 of 100');
          assert.equal(await page.getByRole('link', { name: 'Next page' }).count(), 0, 'no next page after the last');

          const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
          const res = await page.request.get(new URL(href!, s.baseUrl).toString());
          assert.equal(res.status(), 200);
          assert.match(res.headers()['content-type']!, /^text\/csv/);
          const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
          assert.equal(rows.length, 100, 'every match, not only the page shown');
          assert.deepEqual(
            rows.map((r) => r.displayName),
            Array.from({ length: GUESTS }, (_, i) => i)
              .filter((i) => i % 20 === 7)
              .map((i) => `guest${pad(i)}`),
          );
          assert.ok(rows.every((r) => r.userType === 'Guest' && r.externalUserState === 'PendingAcceptance'));
        }
        const page = await signIn(1280);
        await page.getByLabel('User type').selectOption({ label: 'Member' });
        await page.getByRole('button', { name: 'Apply' }).click();
        await page.waitForURL(/type=Member/);
        assert.equal(await status(page), '1–2 of 2');
        const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
        const rows = parse(await (await page.request.get(new URL(href!, s.baseUrl).toString())).text(), {
          columns: true,
        }) as Record<string, string>[];
        assert.deepEqual(
          rows.map((r) => r.displayName).sort(),
          ['\'=HYPERLINK("http://evil.example")', 'Administrator'],
          'a cell that starts with = is prefixed, so a spreadsheet shows it as text',
        );
      },
    );
  },
);
