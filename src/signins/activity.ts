// Graph's signInActivity of a user (lastSignInDateTime, lastSuccessfulSignInDateTime and the entries' ids), kept in
// this module's own table by the sign-in log's writer (attempt.ts) in the same write as the entry. The directory
// (directory/users.ts) owns users and asks here: signInActivityOf for the $select, inactiveUserIds for the
// $filter and the "Inactive guests" view. A user's row is deleted with the user (foreign key, 0025).
import type { Expression } from 'kysely';

import type { Db, Tx } from '../store/index.ts';

export interface SignInActivity {
  lastSignInDateTime: string | null;
  lastSignInRequestId: string | null;
  lastSuccessfulSignInDateTime: string | null;
  lastSuccessfulSignInRequestId: string | null;
}

export const NO_ACTIVITY: SignInActivity = {
  lastSignInDateTime: null,
  lastSignInRequestId: null,
  lastSuccessfulSignInDateTime: null,
  lastSuccessfulSignInRequestId: null,
};

/** Records an attempt of `userId` at `at` (ISO); one upsert, which never moves a time backwards. */
export async function touchActivity(
  tx: Tx,
  tenantId: string,
  userId: string,
  entry: { at: string; id: string; succeeded: boolean },
): Promise<void> {
  const ok = entry.succeeded;
  await tx
    .insertInto('sign_in_activity')
    .values({
      tenant_id: tenantId,
      user_id: userId,
      last_sign_in_at: entry.at,
      last_sign_in_id: entry.id,
      last_successful_sign_in_at: ok ? entry.at : null,
      last_successful_sign_in_id: ok ? entry.id : null,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'user_id']).doUpdateSet((eb) => ({
        last_sign_in_at: entry.at,
        last_sign_in_id: entry.id,
        ...(ok
          ? {
              last_successful_sign_in_at: entry.at,
              last_successful_sign_in_id: entry.id,
            }
          : {
              last_successful_sign_in_at: eb.ref('sign_in_activity.last_successful_sign_in_at'),
              last_successful_sign_in_id: eb.ref('sign_in_activity.last_successful_sign_in_id'),
            }),
      })),
    )
    .execute();
}

/** The activity of each of `userIds` (absent: never tried to sign in). */
export async function signInActivityOf(
  db: Db,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, SignInActivity>> {
  const found = new Map<string, SignInActivity>();
  if (!userIds.length) return found;
  const rows = await db
    .selectFrom('sign_in_activity')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', [...userIds])
    .execute();
  for (const r of rows)
    found.set(r.user_id, {
      lastSignInDateTime: r.last_sign_in_at,
      lastSignInRequestId: r.last_sign_in_id,
      lastSuccessfulSignInDateTime: r.last_successful_sign_in_at,
      lastSuccessfulSignInRequestId: r.last_successful_sign_in_id,
    });
  return found;
}

/**
 * The ids of the tenant's users whose last sign-in (any outcome, Graph's lastSignInDateTime) compares to `at` by
 * `op`; with `orNever`, also those who never signed in. For directory/users.ts's $filter and the inactive view.
 */
export function usersBySignInTime(db: Db, tenantId: string, op: '<' | '<=' | '>' | '>=', at: string) {
  return db
    .selectFrom('sign_in_activity')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('last_sign_in_at', op, at);
}

/** The ids of the tenant's users with any sign-in recorded. */
export function usersWithActivity(db: Db, tenantId: string) {
  return db.selectFrom('sign_in_activity').select('user_id').where('tenant_id', '=', tenantId);
}

/** The signInActivity times GET /v1.0/users filters and orders by (Graph's `signInActivity/<name>`). */
export const SIGN_IN_TIMES = {
  'signInActivity/lastSignInDateTime': 'last_sign_in_at',
  'signInActivity/lastSuccessfulSignInDateTime': 'last_successful_sign_in_at',
} as const;
export type SignInTime = keyof typeof SIGN_IN_TIMES;

/**
 * The users of the tenant whose signInActivity time compares to `at` by `op`, as a condition on `users.id`, with
 * OData's null: `eq null` is a user who never did (no row, or only failures for the successful time), `ne null` one
 * who did, and `ne <time>` everyone but those at that time (the never-signed-in included).
 */
export function signInTimeCondition(
  db: Db,
  tenantId: string,
  property: SignInTime,
  op: '=' | '<>' | '>=' | '<=',
  at: string | null,
): { in: boolean; ids: Expression<unknown> } {
  const column = SIGN_IN_TIMES[property];
  const ids = usersWithActivity(db, tenantId);
  if (at === null) return { in: op === '<>', ids: ids.where(column, 'is not', null) };
  if (op === '<>') return { in: false, ids: ids.where(column, '=', at) };
  return { in: true, ids: ids.where(column, op, at) };
}

/** A user's signInActivity time, for ordering the users' query by it (empty when never: first ascending). */
export function signInTimeOf(
  db: Db,
  tenantId: string,
  property: SignInTime,
  userId: Expression<string>,
): Expression<string | null> {
  return db
    .selectFrom('sign_in_activity')
    .select(SIGN_IN_TIMES[property])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .$asScalar();
}
