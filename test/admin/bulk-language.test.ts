// A refused bulk row is stored by code (migration 0028), so each reader sees it in their own language: a German
// admin's results page and the CLI under LANG=de_DE say it in German, while the result CSV and the CLI's JSON keep the
// en-US text the API speaks.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { parse } from 'csv-parse/sync';

import { openAdmin } from '../helpers/admin.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { CookieJar, request } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

const CSV = [
  'email,redirectUrl,send',
  'ann@partner.example,,true',
  'bo@partner.example,,perhaps',
  'not-an-address,,true',
].join('\n');
const SEND_EN = '"perhaps" is not true or false in the send column';
const SEND_DE = '„perhaps“ ist in der Spalte „send“ weder true noch false';
const unescape = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

suite(
  'bulk invitation: row refusals in the reader’s language',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-bulk-lang-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('shows a German admin German row errors; the result CSV keeps English', async () => {
      const base = `${s.baseUrl}/admin/${t.tenantId}/users/bulk`;
      const jar = new CookieJar({ 'accept-language': 'de-DE' });
      const page = await openAdmin(s, jar, base, { email: 'admin@contoso.example', password: t.adminPassword });
      const form = new FormData();
      form.set('csrf', /name="csrf" value="([^"]+)"/.exec(page.page)![1]!);
      form.set('file', new Blob([CSV], { type: 'text/csv' }), 'guests.csv');
      const posted = await request(jar, base, { method: 'POST', body: form });
      assert.equal(posted.status, 303);
      const jobUrl = new URL(posted.headers.get('location')!, s.baseUrl).toString();
      await s.portico.bulk.idle();

      const german = unescape(await (await request(jar, jobUrl)).text());
      assert.match(german, new RegExp(`<tr><td>3</td><td>bo@partner\\.example</td><td>${SEND_DE}</td>`));
      assert.match(german, /<tr><td>4<\/td><td>not-an-address<\/td><td>[^<]*ist keine gültige E-Mail-Adresse/);
      assert.doesNotMatch(german, /is not true or false|is not a valid email address/);

      const english = unescape(await (await request(jar, jobUrl, { headers: { 'accept-language': 'en-US' } })).text());
      assert.match(english, new RegExp(`<td>3</td><td>bo@partner\\.example</td><td>${SEND_EN}</td>`));

      const csv = await (await request(jar, `${jobUrl}/result.csv`)).text();
      const rows = parse(csv, { columns: true }) as Record<string, string>[];
      assert.deepEqual(
        rows.map((r) => [r.line, r.outcome]),
        [
          ['2', 'created'],
          ['3', 'failed'],
          ['4', 'failed'],
        ],
      );
      assert.equal(rows[1]!.error, SEND_EN);
      assert.match(rows[2]!.error!, /^'not-an-address' is not a valid email address/);
    });

    it('prints the CLI’s row errors in its language; its JSON and result file keep English', async () => {
      const file = join(dir, 'guests.csv');
      writeFileSync(file, CSV.replace(/ann@/, 'cy@').replace(/bo@/, 'dee@'));
      const env = {
        PORTICO_DATABASE_URL: s.testStore.url,
        PORTICO_BASE_URL: s.baseUrl,
        ...TEST_PASSWORD_COST,
        LC_ALL: '',
        LC_MESSAGES: '',
        LANG: 'de_DE.UTF-8',
      };
      const ran = await runCli(['invite', '--csv', file, '--tenant', t.domain, '--result', join(dir, 'out.csv')], env);
      assert.equal(ran.code, 3, ran.stderr);
      assert.match(ran.stdout, new RegExp(`line 3: dee@partner\\.example: ${SEND_DE}`));
      assert.match(ran.stdout, /line 4: not-an-address: [^\n]*ist keine gültige E-Mail-Adresse/);
      const out = parse(readFileSync(join(dir, 'out.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
      assert.equal(out[1]!.error, SEND_EN);

      const json = await runCli(['invite', '--csv', file, '--tenant', t.domain, '--json'], env);
      const failures = (JSON.parse(json.stdout) as { failures: { line: number; error: string }[] }).failures;
      assert.deepEqual(
        failures.map((f) => [f.line, f.error.startsWith(f.line === 3 ? SEND_EN : "'not-an-address' is not")]),
        [
          [3, true],
          [4, true],
        ],
      );
    });
  },
);
