// Portico's own sign-in session at a tenant. Redemption ends by starting a new one (a fresh id, never one the
// browser had before, so nothing planted earlier can be carried over); the tenant's sign-in page accepts it, so the
// guest reaches the app without signing in again.
import type { Clock } from '../clock.ts';
import { userSummaries } from '../directory/users.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import { isMfaAmr, parseAmr, type Amr, type MfaAmr } from './amr.ts';

export const SESSION_HOURS = 8;

/** One cookie per tenant, so sessions at two tenants never overwrite each other. */
export const sessionCookieName = (tenantId: string) => `portico_session_${tenantId.replace(/-/g, '').slice(0, 12)}`;

/** Multifactor authentication done in a session (src/mfa/): when, and the second factor's amr values. */
export interface SessionMfa {
  at: string;
  /** [] for a method without an amr value of its own (a recovery code: sessions/amr.ts) */
  amr: MfaAmr[];
  /** the second factor was a recovery code (the sign-in log names it; the session keeps only that MFA was done) */
  recoveryCode?: true;
}

/**
 * Starts a session for a user who just signed in by `amr` (see sessions/amr.ts), and did MFA when `mfa` says so;
 * returns the cookie's secret.
 */
export async function startSession(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  amr: Amr[],
  mfa?: SessionMfa,
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
      mfa_at: mfa?.at ?? null,
      mfa_method: mfa ? toJson(mfa.amr) : null,
    })
    .execute();
  return secret;
}

/** Records that the person did MFA in this session (the MFA step, at either entry point). */
export async function recordSessionMfa(
  tx: Tx,
  tenantId: string,
  secret: string,
  userId: string,
  mfa: SessionMfa,
): Promise<void> {
  await tx
    .updateTable('sessions')
    .set({ mfa_at: mfa.at, mfa_method: toJson(mfa.amr) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', hashSecret(secret))
    .where('user_id', '=', userId)
    .execute();
}

/** The user a session cookie signs in at this tenant and how they signed in, if it is live and the user may still sign in. */
export async function liveSession(
  db: Db,
  clock: Clock,
  tenantId: string,
  secret: string | undefined,
): Promise<{ userId: string; amr: Amr[]; signedInAt: string; mfa?: SessionMfa } | undefined> {
  if (!secret) return undefined;
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'expires_at', 'revoked_at', 'amr', 'created_at', 'mfa_at', 'mfa_method'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at <= clock.now().toISOString()) return undefined;
  const user = (await userSummaries(db, tenantId, [row.user_id])).get(row.user_id);
  if (!user?.accountEnabled) return undefined;
  const mfaAmr = parseJson<unknown[]>(row.mfa_method, []).filter(isMfaAmr);
  return {
    userId: row.user_id,
    amr: parseAmr(row.amr),
    signedInAt: row.created_at,
    ...(row.mfa_at && row.mfa_method !== null ? { mfa: { at: row.mfa_at, amr: mfaAmr } } : {}),
  };
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
