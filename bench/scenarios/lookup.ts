// `lookup`: guest lookup by address, GET /v1.0/users?$filter=mail eq '...', with --users guests in the store,
// seeded in batches straight into the store (the rows invitations make, without their emails).
import { requireTenant } from '../../src/directory/tenants.ts';
import { guestRow } from '../../src/invitations/guests.ts';
import { startCluster } from '../cluster.ts';
import { measure, type Report } from '../harness.ts';
import { baseline, managementApi, type Args } from './common.ts';

const BATCH = 1000;
const address = (i: number) => `guest${i}@partner${i % 997}.example`;

export async function lookupScenario(a: Args): Promise<Report> {
  const c = await startCluster({ store: a.store, nodes: a.nodes });
  try {
    const { db } = c.store.store;
    const tenant = await requireTenant(db, c.tenant.tenantId);
    const seeded = performance.now();
    const now = new Date().toISOString();
    for (let i = 0; i < a.users; i += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, a.users - i) }, (_, j) => guestRow(tenant, { email: address(i + j), userType: 'Guest', contactConflict: false }, now));
      await db.insertInto('users').values(rows).execute();
    }
    const seedSeconds = (performance.now() - seeded) / 1000;
    const { token } = await managementApi(c);
    let n = 0;
    const pick = () => address((n++ * 7919) % a.users);
    const figures = await measure(async () => {
      const res = await fetch(`${c.baseUrl}/v1.0/users?$filter=${encodeURIComponent(`mail eq '${pick()}'`)}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json() as { value: unknown[] };
      if (res.status !== 200 || body.value.length !== 1) throw new Error(String(res.status));
    }, { concurrency: a.clients, operations: a.ops, warmup: Math.min(500, a.ops) });
    const floor = await measure(async () => {
      await db.selectFrom('users').selectAll().where('tenant_id', '=', tenant.id).where('mail_normalized', '=', pick()).executeTakeFirst();
    }, { concurrency: a.clients, operations: a.ops, warmup: 200 });
    return {
      scenario: 'lookup', store: a.store, nodes: a.nodes, concurrency: a.clients, ...figures, peakRssMb: c.peakRssMb(),
      baselines: { 'the indexed lookup query alone': baseline(figures, floor) },
      note: `${a.users} guests in the tenant, seeded in ${seedSeconds.toFixed(1)} s.`,
    };
  } finally {
    await c.close();
  }
}
