// Fixed-window attempt counters per key (an IP, an address, an account), for what an attacker can repeat. They live
// in the store (attempt_counters), so a limit holds across every node sharing it and across every page that uses
// the same key: a per-node counter would let N nodes behind a balancer grant N times the limit.
import { sql } from 'kysely';

import type { Clock } from '../clock.ts';
import type { Store, Tx } from '../store/index.ts';

export interface AttemptLimits {
  /** attempts allowed per window */
  limit: number;
  windowMs: number;
  /**
   * Also refuse once this many attempts in a row were counted without a `clearAttempts` in between, whatever the
   * window (NIST SP 800-63B 5.2.2's consecutive failures); absent, only the window counts.
   */
  consecutiveLimit?: number;
}

/**
 * Counts one attempt on `key` when it is allowed, in one conditional upsert (no read-then-write race: two nodes
 * counting at once get two different counts, and the attempt over the limit is refused). A window that has ended
 * starts again at 1. Returns false, and counts nothing, when the key is over a limit.
 */
export async function countAttempt(db: Tx, clock: Clock, key: string, limits: AttemptLimits): Promise<boolean> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const ends = new Date(now.getTime() + limits.windowMs).toISOString();
  const row = await db
    .insertInto('attempt_counters')
    .values({ key, count: 1, window_ends: ends, consecutive: 1, updated_at: nowIso })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet((eb) => {
          const ended = eb('attempt_counters.window_ends', '<=', nowIso);
          return {
            count: eb
              .case()
              .when(ended)
              .then(sql<number>`1`)
              .else(eb('attempt_counters.count', '+', sql<number>`1`))
              .end(),
            window_ends: eb.case().when(ended).then(ends).else(eb.ref('attempt_counters.window_ends')).end(),
            consecutive: eb('attempt_counters.consecutive', '+', sql<number>`1`),
            updated_at: nowIso,
          };
        })
        .where((eb) =>
          eb.and([
            eb.or([
              eb('attempt_counters.window_ends', '<=', nowIso),
              eb('attempt_counters.count', '<', sql<number>`${sql.lit(limits.limit)}`),
            ]),
            ...(limits.consecutiveLimit === undefined
              ? []
              : [eb('attempt_counters.consecutive', '<', sql<number>`${sql.lit(limits.consecutiveLimit)}`)]),
          ]),
        ),
    )
    .returning('count')
    .executeTakeFirst();
  return row !== undefined;
}

/** Why `key` is refused now: its consecutive count reached `consecutiveLimit`, or only its window is full. */
export async function refusalOf(db: Tx, key: string, limits: AttemptLimits): Promise<'consecutive' | 'window'> {
  const row = await db.selectFrom('attempt_counters').select('consecutive').where('key', '=', key).executeTakeFirst();
  return limits.consecutiveLimit !== undefined &&
    row !== undefined &&
    Number(row.consecutive) >= limits.consecutiveLimit
    ? 'consecutive'
    : 'window';
}

/** Forgets `key`'s counts (a success, a password reset). */
export async function clearAttempts(db: Tx, key: string): Promise<void> {
  await db.deleteFrom('attempt_counters').where('key', '=', key).execute();
}

export interface RateLimiter {
  /** Counts one attempt; false when the key is over its limit in the current window. */
  hit(key: string): Promise<boolean>;
  reset(key: string): Promise<void>;
}

/**
 * A named limiter over the store's counters: `name` keeps its keys apart from other limiters', and two limiters
 * with the same name (e.g. the tenant sign-in page and the redemption's home sign-in counting password attempts per
 * IP) share one budget. Each hit is one statement; on SQLite it joins the group commit.
 */
export function createRateLimiter(
  store: Store,
  clock: Clock,
  opts: { name: string; limit: number; windowMs: number },
): RateLimiter {
  const keyOf = (key: string) => `rate:${opts.name}:${key}`;
  return {
    hit: (key) => store.write((db) => countAttempt(db, clock, keyOf(key), opts)),
    reset: (key) => store.write((db) => clearAttempts(db, keyOf(key))),
  };
}
