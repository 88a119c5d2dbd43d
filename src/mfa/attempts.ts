// Second-factor tries, counted per account in the store (attempt_counters, like the password lockout of
// signins/lockout.ts), whatever the method (an authenticator app's code, a recovery code) and whichever page: 10 per
// 15 minutes; the 11th is refused without checking the code. A right code clears the count. A 6-digit code has a
// million values, three of them valid at a time (the window), so 10 tries per quarter hour make guessing hopeless.
import { clearAttempts, countAttempt, type AttemptLimits } from '../http/rate-limit.ts';
import type { Services } from '../services.ts';

const MFA_LIMITS: AttemptLimits = { limit: 10, windowMs: 15 * 60_000 };

export const mfaAttemptKey = (tenantId: string, userId: string): string => `mfa:${tenantId}:${userId}`;

export type CheckOutcome<T> = { ok: T } | { refused: 'wrong' | 'throttled' | 'reused' };

/**
 * Counts one try on the account, then runs `check` only when under the limit; a success clears the count.
 * `check` answers `{ ok }` with what passed, 'wrong', or 'reused' (a code already used in its window).
 */
export async function countedCheck<T>(
  services: Services,
  tenantId: string,
  userId: string,
  check: () => Promise<{ ok: T } | 'wrong' | 'reused'>,
): Promise<CheckOutcome<T>> {
  const { store, clock } = services;
  const key = mfaAttemptKey(tenantId, userId);
  if (!(await store.write((db) => countAttempt(db, clock, key, MFA_LIMITS)))) return { refused: 'throttled' };
  const result = await check();
  if (typeof result === 'string') return { refused: result };
  await store.write((db) => clearAttempts(db, key));
  return result;
}
