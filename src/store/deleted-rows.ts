// Entra's deleted items in the tables that keep deleted objects (`deleted_at`, users 0026, groups and apps 0029): the
// sweep's look-up of the rows deleted before a time (every tenant's), and one row's moves into and out of deleted
// items and its permanent delete. Each owner asks it for its own table.
import type { Db, Tx } from './index.ts';

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

/**
 * Moves one row of a tenant's groups or apps into deleted items (`at`, a time) or back out of them (null): one
 * conditional update, so of two racing moves one finds nothing. Whether it moved the row.
 */
export async function moveDeleted(
  tx: Tx,
  table: 'groups' | 'apps',
  tenantId: string,
  id: string,
  at: string | null,
): Promise<boolean> {
  const done = await tx
    .updateTable(table)
    .set({ deleted_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('deleted_at', at === null ? 'is not' : 'is', null)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** Deletes one row of a tenant's deleted items in `table` for good (a row in the directory stays). */
export async function eraseDeleted(
  tx: Tx,
  table: 'users' | 'groups' | 'apps',
  tenantId: string,
  id: string,
): Promise<void> {
  await tx
    .deleteFrom(table)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .execute();
}
