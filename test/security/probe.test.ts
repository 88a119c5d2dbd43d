// The probe suite: every route the app mounts (read from `portico.app.routes`, so a new route cannot escape it) gets
// malformed and hostile input: a one-byte multipart body, bad urlencoded escapes, broken and deeply nested JSON,
// control characters in the path, the query, form fields and JSON strings, and $filters nested 4,000 deep or 999
// terms long. No answer may be a 5xx, the edge's refusals must be 400 with a message saying what to do, and no row of
// any table (enumerated from the store's catalog) may change.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';

import { MAX_FILTER_DEPTH, MAX_FILTER_TERMS } from '../../src/api/odata.ts';
import { uploadRoute } from '../../src/http/body-limits.ts';
import { t } from '../../src/i18n/index.ts';
import { openAdmin } from '../helpers/admin.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { type TestServer } from '../helpers/server.ts';
import { CookieJar } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const UUID = '0b5e7f3c-1d2a-4c6b-9e8f-7a6b5c4d3e2f';
const API_PATH = /^(?:\/[^/]+)?\/v1\.0(?:\/|$)/;

/** Every table and its rows, from the store's own catalog: what "nothing changed" compares. */
async function snapshot(s: TestServer): Promise<Record<string, string[]>> {
  const { db, kind } = s.portico.services.store;
  const tables =
    kind === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db))
          .rows
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(
            db,
          )
        ).rows;
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    out[name] = rows
      .map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)))
      .sort();
  }
  return out;
}

/** A route's path with its parameters filled in: the tenant's id, a brand stylesheet name, or an unknown id. */
function concrete(path: string, tenantId: string): string {
  return path
    .replace(/:(\w+)(\{(?:[^{}]|\{[^{}]*\})*\})?/g, (_m, name: string) =>
      name === 'tenant' ? tenantId : name === 'file' ? `${tenantId}.css` : UUID,
    )
    .replace(/\/\*$/, '/token')
    .replace(/\*/g, 'x');
}

type Probe = {
  name: string;
  kind: 'body' | 'url' | 'filter';
  contentType?: string;
  body?: Uint8Array<ArrayBuffer> | string;
  suffix?: (path: string) => string;
};

const multipart = (value: string) => `--b\r\nContent-Disposition: form-data; name="email"\r\n\r\n${value}\r\n--b--\r\n`;
// 999 terms as short as a term can be, so the request line stays under Node's 16 KiB header limit and reaches Portico.
const longOr = Array(999).fill('id+eq+1').join('+or+');
const PROBES: Probe[] = [
  { name: 'one-byte multipart', kind: 'body', contentType: 'multipart/form-data; boundary=b', body: 'x' },
  { name: 'multipart without a boundary', kind: 'body', contentType: 'multipart/form-data', body: multipart('a') },
  {
    name: 'truncated multipart',
    kind: 'body',
    contentType: 'multipart/form-data; boundary=b',
    body: multipart('a').slice(0, 40),
  },
  {
    name: 'NUL in a multipart field',
    kind: 'body',
    contentType: 'multipart/form-data; boundary=b',
    body: multipart('a\u0000b@partner.example'),
  },
  {
    name: 'bad % escape in urlencoded',
    kind: 'body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'email=%zz&csrf=%',
  },
  {
    name: 'escaped invalid UTF-8 in urlencoded',
    kind: 'body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'email=%e0%a4&x=%ff',
  },
  {
    name: 'raw invalid UTF-8 in urlencoded',
    kind: 'body',
    contentType: 'application/x-www-form-urlencoded',
    body: new Uint8Array([0x65, 0x3d, 0xc3, 0x28, 0xff]),
  },
  {
    name: 'NUL in a urlencoded field',
    kind: 'body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'email=a%00b%40partner.example&password=x',
  },
  {
    name: 'escape and bell in a urlencoded field',
    kind: 'body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'displayName=%1b%5b31m%07',
  },
  {
    name: 'DEL in a urlencoded field name',
    kind: 'body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'ema%7fil=x',
  },
  { name: 'truncated JSON', kind: 'body', contentType: 'application/json', body: '{"displayName":' },
  {
    name: 'JSON that is not UTF-8',
    kind: 'body',
    contentType: 'application/json',
    body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
  },
  {
    name: 'JSON nested 5,000 deep',
    kind: 'body',
    contentType: 'application/json',
    body: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  },
  {
    name: 'NUL in a JSON string',
    kind: 'body',
    contentType: 'application/json',
    body: '{"displayName":"a\\u0000b","mailNickname":"ab"}',
  },
  { name: 'NUL in a JSON key', kind: 'body', contentType: 'application/json', body: '{"display\\u0000Name":"a"}' },
  {
    name: 'DEL in a nested JSON string',
    kind: 'body',
    contentType: 'application/json; charset=utf-8',
    body: '{"web":{"redirectUris":["https://a.example/\\u007f"]}}',
  },
  { name: 'NUL in the path', kind: 'url', suffix: (p) => `${p.replace(/\/$/, '')}/a%00b` },
  {
    name: 'NUL in a path segment',
    kind: 'url',
    suffix: (p) => p.replace(UUID, `${UUID}%00`).replace(/^\/([^/]*)/, '/$1%00'),
  },
  { name: 'raw-encoded DEL and escape in the query', kind: 'url', suffix: (p) => `${p}?q=%7f%1b&ticket=a%00` },
  { name: 'NUL in $filter', kind: 'url', suffix: (p) => `${p}?$filter=id+eq+'a%00'` },
  { name: 'CRLF in the query', kind: 'url', suffix: (p) => `${p}?redirect=%0d%0aSet-Cookie:x=1` },
  {
    name: '$filter nested 4,000 deep',
    kind: 'filter',
    suffix: (p) => `${p}?$filter=${'('.repeat(4000)}id+eq+'x'${')'.repeat(4000)}`,
  },
  { name: '$filter with 999 or terms', kind: 'filter', suffix: (p) => `${p}?$filter=${longOr}` },
  { name: '$select of 2,000 names', kind: 'filter', suffix: (p) => `${p}?$select=${'id,'.repeat(2000)}id` },
  {
    name: '$orderby and $search, long',
    kind: 'filter',
    suffix: (p) => `${p}?$orderby=${'id,'.repeat(1000)}id&$search="${'a'.repeat(3000)}"`,
  },
  {
    name: '$top out of range and a bad $skiptoken',
    kind: 'filter',
    suffix: (p) => `${p}?$top=-1&$skiptoken=%ff%fe&$count=maybe`,
  },
];

/** What a browser is told for each kind of refusal (en-US), so a page always says what to do. */
const PAGE_TEXT = [t('en-US', 'edge.badForm'), t('en-US', 'edge.badJson'), t('en-US', 'edge.controlCharacter')];
const unescapeHtml = (html: string) =>
  html
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

suite('probe: every mounted route against bad input', { runWorker: false }, ({ s }) => {
  let tenant: TenantApi;
  const jar = new CookieJar();

  before(async () => {
    tenant = await tenantWithApi(s, 'Contoso');
    // A signed-in administrator, so admin routes get past their sign-in check to what they parse.
    const admin = await openAdmin(s, jar, `${s.baseUrl}/admin/${tenant.tenantId}`, {
      email: tenant.admin.userPrincipalName,
      password: tenant.adminPassword,
    });
    assert.equal(admin.status, 200);
  });

  it('answers every route and probe with no 5xx, refuses at the edge with 400 and a page that says what to do, and changes no row', async () => {
    const routes = new Map<string, { method: string; path: string }>();
    for (const r of s.portico.app.routes) {
      if (r.path === '*' || r.path === '/*') continue;
      for (const method of r.method === 'ALL' ? ['GET', 'POST'] : [r.method]) {
        const path = concrete(r.path, tenant.tenantId);
        routes.set(`${method} ${path}`, { method, path });
      }
    }
    assert.ok(routes.size > 150, `the app's routes were enumerated (${routes.size})`);
    // One plain GET of every page first: some create a deployment key on first use (the opt-out and personal
    // pages' cookie keys), which is not a probe's doing.
    for (const { method, path } of routes.values()) {
      if (method === 'GET')
        await (
          await fetch(`${s.baseUrl}${path}`, {
            redirect: 'manual',
            headers: API_PATH.test(path) ? { authorization: `Bearer ${tenant.token}` } : { cookie: jar.header() },
          })
        ).arrayBuffer();
    }
    const before = await snapshot(s);
    assert.ok(Object.keys(before).length > 30, `every table was enumerated (${Object.keys(before).length})`);

    const failures: string[] = [];
    const requests: (() => Promise<void>)[] = [];
    for (const { method, path } of routes.values()) {
      const api = API_PATH.test(path);
      const headers: Record<string, string> = api
        ? { authorization: `Bearer ${tenant.token}` }
        : { cookie: jar.header() };
      for (const probe of PROBES) {
        const hasBody = method !== 'GET' && method !== 'HEAD';
        if (probe.kind === 'body' && !hasBody) continue;
        if (probe.kind === 'filter' && method !== 'GET') continue;
        requests.push(async () => {
          const url = `${s.baseUrl}${probe.suffix ? probe.suffix(path) : path}`;
          const res = await fetch(url, {
            method,
            redirect: 'manual',
            headers: {
              ...headers,
              ...(probe.contentType && { 'content-type': probe.contentType }),
              ...(!api && { accept: 'text/html' }),
            },
            body: probe.kind === 'body' ? probe.body : undefined,
          });
          const text = await res.text();
          const where = `${probe.name}: ${method} ${path} -> ${res.status}`;
          if (res.status >= 500) {
            failures.push(`${where} ${text.slice(0, 200)}`);
            return;
          }
          if (res.status === 431) {
            failures.push(`${where}: Node refused the request line, so the probe never reached Portico`);
            return;
          }
          // The edge refuses these before any route: 400 everywhere but the upload routes, which parse (and refuse)
          // bodies themselves after checking who sends them (http/body-limits.ts).
          const edgeRefusal = probe.kind === 'url' || (probe.kind === 'body' && !uploadRoute(path));
          if (edgeRefusal && res.status !== 400) failures.push(`${where}, expected 400`);
          if (
            edgeRefusal &&
            !api &&
            !/\/v2\.0\/(token|me)/.test(path) &&
            !PAGE_TEXT.some((m) => unescapeHtml(text).includes(m))
          )
            failures.push(`${where}, the page does not say what to do`);
          if (!res.headers.get('cache-control')) failures.push(`${where}, no Cache-Control`);
        });
      }
    }
    const sent = requests.length;
    // Four at a time: quicker, and closer to an attacker than one by one.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = requests.shift(); next; next = requests.shift()) await next();
      }),
    );
    assert.deepEqual(failures, [], `${failures.length} of ${sent} probes failed`);
    const afterwards = await snapshot(s);
    for (const table of Object.keys(before))
      assert.deepEqual(afterwards[table], before[table], `table ${table} changed`);
  });

  it(`refuses a $filter nested deeper than ${MAX_FILTER_DEPTH} or longer than ${MAX_FILTER_TERMS} terms with 400 naming the limit, and runs one at the limits`, async () => {
    // Spaces as '+' and quotes unescaped, as curl sends them: the URL stays under Node's 16 KiB header limit.
    const list = (filter: string) => tenant.api('GET', `/v1.0/users?$filter=${filter.replace(/ /g, '+')}`);
    const nested = (n: number) => `${'('.repeat(n)}mail eq 'a@b.example'${')'.repeat(n)}`;
    const terms = (n: number) => Array.from({ length: n }, (_, i) => `mail eq 'u${i}@b.example'`).join(' or ');
    for (const [filter, limit] of [
      [nested(4000), /deeper than 16 levels/],
      [nested(MAX_FILTER_DEPTH + 1), /deeper than 16 levels/],
      [Array(999).fill('id eq 1').join(' or '), /more than 100 conditions/],
      [terms(MAX_FILTER_TERMS + 1), /more than 100 conditions/],
    ] as const) {
      const res = await list(filter);
      assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 200));
      assert.equal(res.body.error.code, 'Request_UnsupportedQuery');
      assert.match(res.body.error.message, limit);
    }
    // At the limits the store runs the query: the limits sit well below what breaks SQLite's expression tree.
    for (const filter of [
      nested(MAX_FILTER_DEPTH),
      terms(MAX_FILTER_TERMS),
      `${terms(MAX_FILTER_TERMS - 1)} or mail in (${Array.from({ length: 50 }, (_, i) => `'v${i}@b.example'`).join(',')})`,
    ]) {
      const res = await list(filter);
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
      assert.deepEqual(res.body.value, []);
    }
  });

  it('refuses a NUL in an id, a JSON string and a form field with 400 on this store, and the user is unchanged', async () => {
    const user = (await tenant.api('GET', `/v1.0/users/${tenant.admin.id}`)).body;
    for (const path of [
      `/v1.0/users/${tenant.admin.id}%00`,
      '/v1.0/users/%00',
      `/v1.0/users?$filter=${encodeURIComponent("mail eq 'a\u0000'")}`,
    ]) {
      const res = await tenant.api('GET', path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error.code, 'BadRequest');
      assert.match(res.body.error.message, /control character/);
    }
    const patched = await tenant.api('PATCH', `/v1.0/users/${tenant.admin.id}`, '{"displayName":"Eve\\u0000"}');
    assert.equal(patched.status, 400);
    assert.match(patched.body.error.message, /JSON body contains a control character/);
    assert.deepEqual((await tenant.api('GET', `/v1.0/users/${tenant.admin.id}`)).body, user);

    const signup = await fetch(`${s.baseUrl}/personal/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de-DE' },
      body: 'email=eve%00%40partner.example',
    });
    assert.equal(signup.status, 400);
    assert.equal(signup.headers.get('cache-control'), 'no-store');
    assert.ok(
      unescapeHtml(await signup.text()).includes(t('de-DE', 'edge.controlCharacter')),
      "the page says, in the reader's language, what to do",
    );
  });
});
