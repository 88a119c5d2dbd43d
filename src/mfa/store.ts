// The authentication_methods table (migration 0031): a person's second factors, one row per method whatever its
// type. Only src/mfa/ reads or writes it; a method type (methods.ts) keeps what it needs in `data` (its secrets sealed
// with the deployment key) and uses `counter` for what must never be accepted twice (a TOTP time step, a WebAuthn
// signature counter). Changes go through mfa/changes.ts, which records the audit event and queues the notification
// mail in the same transaction.
import type { Clock } from '../clock.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';

export interface StoredMethod {
  id: string;
  userId: string;
  /** methods.ts MethodType's `type` */
  type: string;
  displayName: string;
  /** the type's own JSON (secrets sealed inside) */
  data: Record<string, unknown>;
  counter: number | null;
  createdAt: string;
  lastUsedAt: string | null;
}

const toMethod = (row: {
  id: string;
  user_id: string;
  type: string;
  display_name: string;
  data: string;
  counter: number | null;
  created_at: string;
  last_used_at: string | null;
}): StoredMethod => ({
  id: row.id,
  userId: row.user_id,
  type: row.type,
  displayName: row.display_name,
  data: parseJson<Record<string, unknown>>(row.data, {}),
  counter: row.counter === null ? null : Number(row.counter),
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** The user's methods, oldest first; of one type when `type` is given. */
export async function listMethods(
  db: Db | Tx,
  tenantId: string,
  userId: string,
  type?: string,
): Promise<StoredMethod[]> {
  let q = db
    .selectFrom('authentication_methods')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId);
  if (type !== undefined) q = q.where('type', '=', type);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(toMethod);
}

export async function getMethod(
  db: Db | Tx,
  tenantId: string,
  userId: string,
  id: string,
): Promise<StoredMethod | undefined> {
  const row = await db
    .selectFrom('authentication_methods')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toMethod(row);
}

export async function hasMethods(db: Db | Tx, tenantId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('authentication_methods')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewMethod {
  type: string;
  displayName: string;
  data: Record<string, unknown>;
  counter?: number | null;
}

/** Inserts a method (callers: mfa/changes.ts addMethod, which audits and notifies). */
export async function insertMethod(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  method: NewMethod,
): Promise<StoredMethod> {
  const row = {
    tenant_id: tenantId,
    id: newId(),
    user_id: userId,
    type: method.type,
    display_name: method.displayName,
    data: toJson(method.data),
    counter: method.counter ?? null,
    created_at: clock.now().toISOString(),
    last_used_at: null,
  };
  await tx.insertInto('authentication_methods').values(row).execute();
  return toMethod(row);
}

/** Deletes one method; false when it was not there (already deleted). */
export async function deleteMethodRow(tx: Tx, tenantId: string, userId: string, id: string): Promise<boolean> {
  const r = await tx
    .deleteFrom('authentication_methods')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Records a use of the method that consumed `counter` (a TOTP time step, a WebAuthn signature counter): one
 * conditional update that succeeds only when the stored counter is below it, so two uses of the same code (or a
 * replayed signature) cannot both pass, on any node. False: already used (or the method is gone).
 */
export async function consumeCounter(
  db: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  counter: number,
): Promise<boolean> {
  const r = await db
    .updateTable('authentication_methods')
    .set({ counter, last_used_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('counter', 'is', null), eb('counter', '<', counter)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records a use of a method without a counter (last_used_at only). */
export async function touchMethod(db: Tx, clock: Clock, tenantId: string, id: string): Promise<void> {
  await db
    .updateTable('authentication_methods')
    .set({ last_used_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Replaces a method's data (a type that updates what it keeps, e.g. a passkey's backup state). */
export async function updateMethodData(
  db: Tx,
  tenantId: string,
  id: string,
  data: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('authentication_methods')
    .set({ data: toJson(data) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
