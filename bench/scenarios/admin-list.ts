// `admin-list`: the admin center's list of users at --users guests (100,000 by default), through HTTP as a signed-in
// administrator: page 1 sorted by name, a page deep in (the middle of the list), the last page sorted by creation
// time descending, and a substring search for one partner domain (100 of the guests), each with its total count.
//
// The guests are seeded straight into the store with the rows invitations make (lookup's seeding: `guestRow`, prepared
// inserts on SQLite, multi-row inserts on PostgreSQL), not through the bulk invitation: what is measured is reading
// the list, and inviting 100,000 guests one by one (the `bulk-invite` scenario measures that) would take most of the
// run for rows that are the same. One client, one request at a time: these are latency figures. Each page is checked
// once, then requested by autocannon from a generator process of its own (bench/load/) with the same session.
import { sql } from 'kysely';

import { openAdmin } from '../../test/helpers/admin.ts';
import { CookieJar, request } from '../../test/helpers/signin.ts';
import { startCluster } from '../cluster.ts';
import { measure, type Figures, type Report } from '../harness.ts';
import { load } from '../load/index.ts';
import type { Args } from './common.ts';
import { seedGuests } from './lookup.ts';

const PAGE_SIZE = 50;

export async function adminListScenario(a: Args): Promise<Report> {
  const c = await startCluster({ store: a.store, nodes: a.nodes, built: true });
  try {
    const { db } = c.store.store;
    const { tenant, seedSeconds } = await seedGuests(c, a);

    const jar = new CookieJar();
    const list = `${c.baseUrl}/admin/${tenant.id}/users`;
    const opened = await openAdmin({ baseUrl: c.baseUrl }, jar, list, {
      email: c.tenant.admin.userPrincipalName,
      password: c.tenant.admin.password,
    });
    if (opened.status !== 200) throw new Error(`the admin center answered ${opened.status}`);
    const total = a.users + 1; // the guests and the administrator
    const middle = Math.floor(total / PAGE_SIZE / 2);
    // The guests at partner5.example: lookup's addresses spread guests over 997 partners (guest i at partner i % 997).
    const partner5 = Math.floor((a.users - 1 - 5) / 997) + 1;
    const last = Math.ceil(total / PAGE_SIZE);
    const pages: [string, string, RegExp][] = [
      ['page 1 by name', '', /guest0</],
      [`page ${middle} by name`, `?page=${middle}`, new RegExp(`of ${total.toLocaleString('en-US')}<`)],
      [`page ${last} by creation, newest first`, `?sort=created&dir=desc&page=${last}`, /rel="prev"/],
      ['search "partner5.example"', '?q=partner5.example', new RegExp(`1–50 of ${partner5}<`)],
      [
        'search "partner5.example", guests, page 2',
        '?q=partner5.example&type=Guest&page=2',
        new RegExp(`51–100 of ${partner5}<`),
      ],
    ];
    const ops = Math.max(20, a.ops);
    const figures: [string, Figures][] = [];
    for (const [label, query, expect] of pages) {
      // Checked once here; the load (statuses only) then repeats the same request with the same session.
      const res = await request(jar, `${list}${query}`);
      if (res.status !== 200 || !expect.test(await res.text())) throw new Error(`${label}: ${res.status}`);
      const figure = await load({
        kind: 'http',
        url: c.baseUrl,
        method: 'GET',
        path: new URL(`${list}${query}`).pathname + query,
        headers: { cookie: jar.header() },
        status: 200,
        connections: 1,
        operations: ops,
        warmup: Math.min(20, ops),
      });
      figures.push([label, figure]);
    }
    // The count alone, as the list asks it for the search (no index can answer a substring count on SQLite).
    const count = await measure(
      async () => {
        await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('tenant_id', '=', tenant.id)
          .where('deleted_at', 'is', null)
          .where(sql<boolean>`mail_normalized like ${'%partner5.example%'}`)
          .executeTakeFirst();
      },
      { concurrency: 1, operations: ops, warmup: Math.min(20, ops) },
    );
    const worst = figures.reduce((w, f) => (f[1].p95Ms > w[1].p95Ms ? f : w));
    const line = ([label, f]: [string, Figures]) => `${label}: ${f.p50Ms} / ${f.p95Ms} / ${f.p99Ms} ms`;
    return {
      scenario: 'admin-list',
      store: a.store,
      nodes: a.nodes,
      concurrency: 1,
      throughput: worst[1].throughput,
      p50Ms: worst[1].p50Ms,
      p95Ms: worst[1].p95Ms,
      p99Ms: worst[1].p99Ms,
      errors: figures.reduce((n, [, f]) => n + f.errors, 0),
      ...(figures.find(([, f]) => f.firstError) && {
        firstError: figures.find(([, f]) => f.firstError)![1].firstError,
      }),
      operations: ops,
      peakRssMb: c.peakRssMb(),
      baselines: {},
      note: `${a.users} guests seeded in ${seedSeconds.toFixed(1)} s. The figures are the slowest page's (${worst[0]}); p50 / p95 / p99 of each, one request at a time: ${figures.map(line).join('; ')}. The substring count alone in the store: ${count.p50Ms} / ${count.p95Ms} / ${count.p99Ms} ms.`,
    };
  } finally {
    await c.close();
  }
}
