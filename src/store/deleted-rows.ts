// The sweep's look-up for Entra's deleted items: the rows of a table that keeps deleted objects (`deleted_at`, users
// 0026, groups and apps 0029) deleted before a time, every tenant's. Each owner asks it for its own table.
import type { Db } from './index.ts';

export async function rowsDeletedBefore(
  db: Db,
  table: 'users' | 'groups' | 'apps',
  before: string,
  limit: number,
): Promise<{ tenantId: string; id: string }[]> {
  const rows = await db
    .selectFrom(table)
    .select(['tenant_id', 'id'])
    .where('deleted_at', 'is not', null)
    .where('deleted_at', '<', before)
    .orderBy('deleted_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));
}
