// The admin center's lists other than users (contacts, groups, app registrations, enterprise apps, outbox, audit log,
// sign-in log) in Chromium, issue #21: each has more than a page of rows made through the product (the Graph API, the
// invitations' mail, the administrator's own sign-ins). At 1280 px: the default order, sorting by each column, a
// search by a substring from the middle of a value, next then previous with the "x–y of N" count, and the CSV export
// of the same search equal to the rows shown. At 390 px: every list page is `<!doctype html>`, no wider than the
// viewport, axe clean.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';

import { openAdmin } from '../helpers/admin.ts';
import { tenantWithApi } from '../helpers/api.ts';
import { browserSkip, haveBrowser, launchBrowser } from '../helpers/browser.ts';
import { pageProblems } from '../helpers/page-checks.ts';
import { CookieJar } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const ROWS = 55; // more than the page size of 50
const SIGNINS = 52;
const pad = (i: number) => String(i).padStart(4, '0');
/** Row i of the creation order: a fixed shuffle, so creation order is not name order. */
const order = Array.from({ length: ROWS }, (_, i) => (i * 37) % ROWS);

interface Spec {
  name: string;
  path: string;
  /** the column (0-based) whose values the test reads, and its CSV field */
  column: number;
  field: string;
  /** the values this test made start with it (other rows, the tenant's own, are left out of order checks) */
  prefix: string;
  /** the default order: by `column` ascending, or newest first */
  byDefault: 'asc' | 'newest';
  /** a substring from the middle of a value, and how many rows it finds */
  q: string;
  found: number;
}

const LISTS: Spec[] = [
  {
    name: 'contacts',
    path: 'contacts',
    column: 0,
    field: 'displayName',
    prefix: 'contact',
    byDefault: 'asc',
    q: 'TACT004',
    found: 10,
  },
  {
    name: 'groups',
    path: 'groups',
    column: 0,
    field: 'displayName',
    prefix: 'group',
    byDefault: 'asc',
    q: 'OUP003',
    found: 10,
  },
  {
    name: 'app registrations',
    path: 'apps',
    column: 0,
    field: 'displayName',
    prefix: 'app',
    byDefault: 'asc',
    q: 'PP001',
    found: 10,
  },
  {
    name: 'enterprise apps',
    path: 'enterprise-apps',
    column: 0,
    field: 'displayName',
    prefix: 'ent',
    byDefault: 'asc',
    q: 'NT002',
    found: 10,
  },
  {
    name: 'outbox',
    path: 'outbox',
    column: 0,
    field: 'to',
    prefix: 'guest',
    byDefault: 'newest',
    q: 'EST004',
    found: 10,
  },
  {
    name: 'audit log',
    path: 'logs?log=audit',
    column: 1,
    field: 'activityDisplayName',
    prefix: '',
    byDefault: 'newest',
    q: 'dd grou',
    found: ROWS,
  },
  {
    name: 'sign-in log',
    path: 'logs?log=signins',
    column: 1,
    field: 'userPrincipalName',
    prefix: '',
    byDefault: 'newest',
    q: 'MIN@CONTOSO',
    // the administrator's sign-ins (other rows are the API client's tokens): the ones above and one per list test so far
    found: SIGNINS + 7,
  },
];

suite(
  'admin center lists in a browser',
  {
    runWorker: false,
    clock: 'manual',
    tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' },
  },
  ({ s, t, clock }) => {
    let browser: Browser;
    const login = () => ({ email: 'admin@contoso.example', password: t.adminPassword });
    const url = (path: string) => `${s.baseUrl}/admin/${t.tenantId}/${path}`;
    before(async () => {
      if (!haveBrowser) return;
      const fabrikam = await tenantWithApi(s, 'Fabrikam');
      for (const i of order) {
        const made = [
          await t.api('POST', '/v1.0/contacts', { displayName: `contact${pad(i)}`, mail: `c${i}@fabrikam.example` }),
          await t.api('POST', '/v1.0/groups', {
            displayName: `group${pad(i)}`,
            description: `d${pad(ROWS - i)}`,
            mailNickname: `g${i}`,
            mailEnabled: false,
            securityEnabled: true,
          }),
          await t.api('POST', '/v1.0/invitations', {
            invitedUserEmailAddress: `guest${pad(i)}@partner.example`,
            inviteRedirectUrl: 'https://apps.example/',
            sendInvitationMessage: true,
          }),
        ];
        const app = await t.api('POST', '/v1.0/applications', {
          displayName: `app${pad(i)}`,
          web: { redirectUris: ['https://apps.example/callback'] },
        });
        made.push(app);
        // An enterprise app is another tenant's multi-tenant app added here (its own apps are managed as apps).
        const foreign = await fabrikam.api('POST', '/v1.0/applications', {
          displayName: `ent${pad(i)}`,
          signInAudience: 'AzureADMultipleOrgs',
          web: { redirectUris: ['https://apps.example/callback'] },
        });
        made.push(foreign);
        made.push(await t.api('POST', '/v1.0/servicePrincipals', { appId: foreign.body.appId }));
        for (const res of made) assert.equal(res.status, 201, JSON.stringify(res.body));
        clock.advance(1000); // distinct times, so newest first is one order
      }
      // Sign-ins: the administrator signs in to the admin center again and again (each one a row of the log).
      for (let i = 0; i < SIGNINS; i++) {
        await openAdmin(s, new CookieJar(), url('contacts'), login());
        clock.advance(10 * 60_000); // past the sign-in rate limit's window (it counts on the server's clock)
      }
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    const signIn = async (width: number, path: string) => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
      await page.goto(url(path));
      await page.getByLabel('Email address').fill('admin@contoso.example');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Password').fill(t.adminPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('table tbody tr').first().waitFor();
      return page;
    };
    const column = (page: Page, index: number) =>
      page.locator(`table tbody tr td:nth-child(${index + 1})`).allInnerTexts();
    const status = (page: Page) => page.getByRole('navigation', { name: 'Pages' }).getByRole('status').innerText();
    const times = (page: Page) =>
      page
        .locator('table tbody tr td:first-child time')
        .evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    const sorted = (values: string[], dir: 'asc' | 'desc') =>
      values.every((v, i) => i === 0 || (dir === 'asc' ? values[i - 1]! <= v : values[i - 1]! >= v));
    const ours = (spec: Spec, values: string[]) => values.filter((v) => v.startsWith(spec.prefix));
    const total = async (page: Page) => Number(/of ([\d,]+)$/.exec(await status(page))![1]!.replace(/,/g, ''));

    for (const spec of LISTS) {
      it(
        `${spec.name}: default order, sorting, paging, search and export at 1280 px`,
        { skip: browserSkip },
        async () => {
          const page = await signIn(1280, spec.path);
          const n = await total(page);
          assert.ok(n > 50, `${spec.name}: more than a page (${n})`);
          assert.equal(await status(page), `1–50 of ${n.toLocaleString('en-US')}`);
          const first = await column(page, spec.column);
          assert.equal(first.length, 50);
          if (spec.byDefault === 'asc') {
            const mine = ours(spec, first);
            assert.ok(mine.length >= 40, `${spec.name}: our rows on page 1`);
            assert.deepEqual(mine, [...mine].sort(), `${spec.name}: by name`);
            assert.equal(mine[0], `${spec.prefix}${pad(0)}`);
          } else assert.ok(sorted(await times(page), 'desc'), `${spec.name}: newest first`);

          // Next, then previous: the count moves on and comes back to the same rows.
          await page.getByRole('link', { name: 'Next page' }).click();
          await page.waitForURL(/page=2/);
          assert.equal(await status(page), `51–${Math.min(100, n)} of ${n.toLocaleString('en-US')}`);
          const second = await column(page, spec.column);
          assert.equal(second.length, Math.min(50, n - 50));
          if (spec.byDefault === 'asc') assert.ok(ours(spec, second).every((v) => v > ours(spec, first).at(-1)!));
          await page.getByRole('link', { name: 'Previous page' }).click();
          await page.waitForURL((u) => !u.search.includes('page='));
          assert.deepEqual(await column(page, spec.column), first);
          assert.equal(
            await page.getByRole('link', { name: 'Previous page' }).count(),
            0,
            'no previous page on page 1',
          );

          // Every sortable column sorts both ways; the test's own column must come in order.
          const keys = await page
            .locator('table thead th a')
            .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).searchParams.get('sort')!));
          assert.ok(keys.length >= 2, `${spec.name}: sortable columns`);
          for (const [index, key] of keys.entries()) {
            for (let turn = 0; turn < 2; turn++) {
              const link = page
                .locator('table thead th')
                .filter({ has: page.locator('a') })
                .nth(index)
                .locator('a');
              const href = new URL((await link.getAttribute('href'))!, s.baseUrl);
              const dir = href.searchParams.get('dir') as 'asc' | 'desc';
              assert.equal(href.searchParams.get('sort'), key);
              await link.click();
              await page.waitForURL((u) => u.searchParams.get('sort') === key && u.searchParams.get('dir') === dir);
              const th = page.locator('table thead th[aria-sort]');
              assert.equal(await th.count(), 1, `${spec.name} ${key}: one column in force`);
              assert.equal(await th.getAttribute('aria-sort'), dir === 'asc' ? 'ascending' : 'descending');
              assert.equal(
                await status(page),
                `1–50 of ${n.toLocaleString('en-US')}`,
                `${spec.name} ${key}: same rows`,
              );
              const thIndex = await th.evaluate((el) => Array.from(el.parentElement!.children).indexOf(el));
              if (thIndex === spec.column) {
                const values = await column(page, spec.column);
                const mine = spec.prefix ? ours(spec, values) : values;
                assert.ok(sorted(mine, dir), `${spec.name}: ${key} ${dir}`);
                if (spec.prefix && mine.length)
                  assert.equal(
                    mine[0]!.split('@')[0],
                    `${spec.prefix}${pad(dir === 'asc' ? 0 : ROWS - 1)}`,
                    `${spec.name}: ${key} ${dir}`,
                  );
              }
            }
          }

          // A substring from the middle of a value, in another case; its export is the same rows in the same order.
          await page.goto(url(spec.path));
          await page.locator('#q').fill(spec.q);
          await page.getByRole('search').getByRole('button').click();
          await page.waitForURL((u) => u.searchParams.get('q') === spec.q);
          const found = spec.found;
          assert.equal(await status(page), `1–${Math.min(50, found)} of ${found}`);
          const shown = await column(page, spec.column);
          assert.ok(
            shown.every((v) => v.toLowerCase().includes(spec.q.toLowerCase())),
            `${spec.name}: every row found has "${spec.q}"`,
          );
          const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
          assert.equal(new URL(href!, s.baseUrl).searchParams.get('q'), spec.q);
          const res = await page.request.get(new URL(href!, s.baseUrl).toString());
          assert.equal(res.status(), 200);
          assert.match(res.headers()['content-type']!, /^text\/csv/);
          const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
          assert.equal(rows.length, found, `${spec.name}: every match`);
          assert.deepEqual(
            rows.slice(0, 50).map((r) => r[spec.field]),
            shown,
            `${spec.name}: the export is the rows shown`,
          );
          await page.context().close();
        },
      );
    }

    it('every list page passes the page checks at 390 px', { skip: browserSkip }, async () => {
      const page = await signIn(390, LISTS[0]!.path);
      const problems: string[] = [];
      for (const spec of LISTS) {
        problems.push(...(await pageProblems(page, url(spec.path))));
        problems.push(...(await pageProblems(page, `${url(spec.path)}${spec.path.includes('?') ? '&' : '?'}page=2`)));
      }
      assert.deepEqual(problems, []);
      await page.context().close();
    });
  },
);
