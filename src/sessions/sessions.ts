// Portico's own sign-in session at a tenant. Redemption ends by starting a new one (a fresh id, never one the
// browser had before, so nothing planted earlier can be carried over); the tenant's sign-in page accepts it, so the
// guest reaches the app without signing in again.
import type { Clock } from '../clock.ts';
import { userSummaries } from '../directory/users.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { toJson } from '../store/json.ts';
import { parseAmr, type Amr } from './amr.ts';

export const SESSION_HOURS = 8;

/** One cookie per tenant, so sessions at two tenants never overwrite each other. */
export const sessionCookieName = (tenantId: string) => `portico_session_${tenantId.replace(/-/g, '').slice(0, 12)}`;

/** Starts a session for a user who just signed in by `amr` (see sessions/amr.ts); returns the cookie's secret. */
export async function startSession(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  amr: Amr[],
): Promise<string> {
  const secret = newSecret(32);
  const now = clock.now();
  await tx
    .insertInto('sessions')
    .values({
      tenant_id: tenantId,
      id: hashSecret(secret),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
      revoked_at: null,
      amr: toJson(amr),
    })
    .execute();
  return secret;
}

/** The user a session cookie signs in at this tenant and how they signed in, if it is live and the user may still sign in. */
export async function liveSession(
  db: Db,
  clock: Clock,
  tenantId: string,
  secret: string | undefined,
): Promise<{ userId: string; amr: Amr[]; signedInAt: string } | undefined> {
  if (!secret) return undefined;
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'expires_at', 'revoked_at', 'amr', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at <= clock.now().toISOString()) return undefined;
  const user = (await userSummaries(db, tenantId, [row.user_id])).get(row.user_id);
  if (!user?.accountEnabled) return undefined;
  return { userId: row.user_id, amr: parseAmr(row.amr), signedInAt: row.created_at };
}

/** The user a session cookie signs in at this tenant, if it is live and the user may still sign in. */
export const sessionUser = async (
  db: Db,
  clock: Clock,
  tenantId: string,
  secret: string | undefined,
): Promise<string | undefined> => (await liveSession(db, clock, tenantId, secret))?.userId;

export async function endSession(db: Db, clock: Clock, tenantId: string, secret: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', hashSecret(secret))
    .execute();
}

/** For the maintenance sweep (store/sweep.ts): sessions that ended before `before`. */
export async function sweepSessions(db: Db, before: string): Promise<number> {
  return Number((await db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows);
}
