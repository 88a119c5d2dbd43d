// `lookup`: guest lookup by address, GET /v1.0/users?$filter=mail eq '...', with --users guests in the store,
// seeded in batches straight into the store (the rows invitations make, without their emails).
//
// The target is a latency target (p99 under 2 ms), so the percentiles come from one client, one request at a time:
// with --clients on the same 2 cores, a request's time is mostly its wait behind the others. Throughput comes from a
// second pass with --clients concurrent clients (its percentiles are in the note, beside GET /healthz's from one
// client: the floor the machine puts under any request). The requests come from autocannon in a generator process
// of its own (bench/load/), keep-alive; a sample of lookups is checked first for the one guest each must find.
import http from 'node:http';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';

import { requireTenant, type Tenant } from '../../src/directory/tenants.ts';
import { guestRow } from '../../src/invitations/guests.ts';
import type { Db } from '../../src/store/index.ts';
import { startCluster, type Cluster } from '../cluster.ts';
import { measure, type Report } from '../harness.ts';
import { load } from '../load/index.ts';
import { baseline, managementApi, type Args } from './common.ts';

export const address = (i: number) => `guest${i}@partner${i % 997}.example`;

/**
 * SQLite: its own connection with a large page cache, one prepared statement, 50,000 rows a transaction, then a
 * checkpoint so the server reads a database at rest, not a long WAL. Past a million rows, users' own indexes (not its
 * primary key nor the search triggers, which stay) are dropped for the load and built again after it, as a bulk load
 * does: built from sorted keys rather than by ten million random inserts each (the same indexes, the same rows).
 */
export function seedSqlite(path: string, tenant: Tenant, users: number, now: string): void {
  const database = new SQLite(path);
  try {
    database.pragma('busy_timeout = 5000');
    database.pragma(`cache_size = ${users > 1_000_000 ? -4_194_304 : -262_144}`);
    const indexes =
      users > 1_000_000
        ? (database
            .prepare(
              `select name, sql from sqlite_master where type = 'index' and tbl_name = 'users' and sql is not null`,
            )
            .all() as { name: string; sql: string }[])
        : [];
    for (const index of indexes) database.exec(`drop index "${index.name}"`);
    const columns = Object.keys(
      guestRow(tenant, { email: address(0), userType: 'Guest', contactConflict: false }, now),
    );
    const insert = database.prepare(
      `insert into users (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    const batch = database.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++)
        insert.run(guestRow(tenant, { email: address(i), userType: 'Guest', contactConflict: false }, now));
    });
    for (let i = 0; i < users; i += 50_000) batch(i, Math.min(users, i + 50_000));
    for (const index of indexes) database.exec(index.sql);
    database.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    database.close();
  }
}

/** PostgreSQL: multi-row inserts of 2,000 rows (under its 65,535 bound parameters), four at a time on the pool. */
export async function seedPostgres(db: Db, tenant: Tenant, users: number, now: string): Promise<void> {
  const BATCH = 2000;
  let next = 0;
  const loader = async () => {
    while (next < users) {
      const from = next;
      next = Math.min(users, next + BATCH);
      const rows = Array.from({ length: next - from }, (_, j) =>
        guestRow(tenant, { email: address(from + j), userType: 'Guest', contactConflict: false }, now),
      );
      await db.insertInto('users').values(rows).execute();
    }
  };
  await Promise.all(Array.from({ length: 4 }, loader));
  // As autovacuum would soon after a load this size: the planner's statistics for the new rows.
  await sql`analyze users`.execute(db);
}

function get(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The cluster's tenant with `a.users` guests seeded into it (the store's way above), and how long that took. */
export async function seedGuests(c: Cluster, a: Args): Promise<{ tenant: Tenant; seedSeconds: number }> {
  const { db } = c.store.store;
  const tenant = await requireTenant(db, c.tenant.tenantId);
  const seeded = performance.now();
  const now = new Date().toISOString();
  if (a.store === 'sqlite') seedSqlite(c.store.url.slice('sqlite:'.length), tenant, a.users, now);
  else await seedPostgres(db, tenant, a.users, now);
  return { tenant, seedSeconds: (performance.now() - seeded) / 1000 };
}

export async function lookupScenario(a: Args): Promise<Report> {
  const c = await startCluster({ store: a.store, nodes: a.nodes, built: true });
  try {
    const { db } = c.store.store;
    const { tenant, seedSeconds } = await seedGuests(c, a);
    const { token } = await managementApi(c);
    let n = 0;
    const pick = () => address((n++ * 7919) % a.users);
    const path = (mail: string) => `/v1.0/users?$filter=${encodeURIComponent(`mail eq '${mail}'`)}`;
    const headers = { authorization: `Bearer ${token}` };
    // What the load cannot check in each answer (it counts statuses only): a sample finds exactly its guest.
    const agent = new http.Agent({ keepAlive: true });
    for (let i = 0; i < Math.min(20, a.users); i++) {
      const mail = pick();
      const res = await get(agent, `${c.baseUrl}${path(mail)}`, headers);
      const found = res.status === 200 ? (JSON.parse(res.body) as { value: { mail: string }[] }).value : [];
      if (found.length !== 1 || found[0]!.mail !== mail) throw new Error(`looking up ${mail}: ${res.status}`);
    }
    agent.destroy();
    const paths = Array.from({ length: Math.min(a.users, a.ops + 2000) }, () => path(pick()));
    const job = { kind: 'http', url: c.baseUrl, method: 'GET', paths, headers, status: 200 } as const;
    // The loaded pass first: its warm-up and load leave the node's code compiled, so the latency pass sees it warm.
    const loaded = await load({ ...job, connections: a.connections, operations: a.ops, warmup: Math.min(2000, a.ops) });
    const latency = await load({ ...job, connections: 1, operations: a.ops, warmup: Math.min(500, a.ops) });
    // What the machine lets one request cost at all: the same generator and node answering GET /healthz (no store).
    const bare = await load({
      kind: 'http',
      url: c.baseUrl,
      method: 'GET',
      path: '/healthz',
      headers: {},
      status: 200,
      connections: 1,
      operations: a.ops,
      warmup: Math.min(500, a.ops),
    });
    const floor = await measure(
      async () => {
        await db
          .selectFrom('users')
          .selectAll()
          .where('tenant_id', '=', tenant.id)
          .where('mail_normalized', '=', pick())
          .executeTakeFirst();
      },
      { concurrency: a.clients, operations: a.ops, warmup: 200 },
    );
    return {
      scenario: 'lookup',
      store: a.store,
      nodes: a.nodes,
      concurrency: a.connections,
      throughput: loaded.throughput,
      p50Ms: latency.p50Ms,
      p95Ms: latency.p95Ms,
      p99Ms: latency.p99Ms,
      errors: latency.errors + loaded.errors,
      ...((latency.firstError ?? loaded.firstError) && { firstError: latency.firstError ?? loaded.firstError }),
      operations: a.ops,
      peakRssMb: c.peakRssMb(),
      baselines: { 'the indexed lookup query alone': baseline(loaded, floor) },
      note: `${a.users} guests in the tenant, seeded in ${seedSeconds.toFixed(1)} s. Latency p50/p95/p99 from 1 client, one request at a time (${latency.throughput} ops/s); throughput from ${a.connections} connections, whose p50/p95/p99 were ${loaded.p50Ms} / ${loaded.p95Ms} / ${loaded.p99Ms} ms (mostly waiting behind each other on ${a.nodes === 1 ? 'one node' : 'the nodes'} and 2 cores). GET /healthz from the same client, one at a time: ${bare.p50Ms} / ${bare.p95Ms} / ${bare.p99Ms} ms.`,
    };
  } finally {
    await c.close();
  }
}
