// One-time recovery codes (recovery_codes, migration 0031): ten at a time, shown once when made, usable as a second
// factor when the person's other methods are out of reach. Each is stored as an HMAC under the deployment key
// (keyring.ts macs), as passcodes are: 60 random bits are too few for a plain hash a database copy could be searched
// against. A use marks the code in one conditional update, so it works once however many requests race.
// Making new codes replaces all the old ones.
import type { Clock } from '../clock.ts';
import { newCodeFrom, newId, sameSecret } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { keysOf } from '../store/keys.ts';

export const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32 without look-alikes: easy to read off paper and type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A code as typed: spaces and dashes dropped, upper case. */
const canonical = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();

const macsOf = (db: Db | Tx, tenantId: string, userId: string, code: string): string[] =>
  keysOf(db).macs('recovery-code', `${tenantId}:${userId}:${canonical(code)}`);

/** Replaces the user's recovery codes with ten new ones; returns them, formatted XXXX-XXXX-XXXX, to show once. */
export async function newRecoveryCodes(tx: Tx, clock: Clock, tenantId: string, userId: string): Promise<string[]> {
  await deleteRecoveryCodes(tx, tenantId, userId);
  const now = clock.now().toISOString();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newCodeFrom(ALPHABET, 12));
  await tx
    .insertInto('recovery_codes')
    .values(
      codes.map((code) => ({
        tenant_id: tenantId,
        id: newId(),
        user_id: userId,
        code_mac: macsOf(tx, tenantId, userId, code)[0]!,
        created_at: now,
        used_at: null,
      })),
    )
    .execute();
  return codes.map((c) => `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`);
}

export async function deleteRecoveryCodes(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx.deleteFrom('recovery_codes').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
}

/** How many of the user's recovery codes are still unused. */
export async function unusedRecoveryCodes(db: Db | Tx, tenantId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Uses `code` if it is one of the user's unused codes: marks it used in one conditional update. False for a wrong
 * code and for one already used (by this request's twin too).
 */
export async function useRecoveryCode(
  db: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  code: string,
): Promise<boolean> {
  if (!/^[0-9A-Z]{12}$/.test(canonical(code))) return false;
  const macs = macsOf(db, tenantId, userId, code);
  const rows = await db
    .selectFrom('recovery_codes')
    .select(['id', 'code_mac'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  const hit = rows.find((row) => macs.some((mac) => sameSecret(mac, row.code_mac)));
  if (!hit) return false;
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', hit.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
