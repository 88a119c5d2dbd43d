// One lockout per account, whatever the path. Every password check (the tenant's sign-in page, a redemption's
// sign-in at the guest's home tenant, a personal account's sign-in) goes through checkSignInPassword
// (password-check.ts) and so through checkPassword, which counts the attempt on the account's one counter in the store
// (http/rate-limit.ts), so the limit holds across pages and nodes.
//
// The policy:
// - 10 attempts per account per 15 minutes (the throttle the tenant page always had): the 11th is refused with 429
//   without looking at the password, until the window ends. A right password clears the count.
// - 100 consecutive attempts without a success (NIST SP 800-63B 5.2.2's ceiling) lock the account: every password
//   sign-in is refused, right password or not, until the password is changed: an administrator's reset (Graph's
//   passwordProfile, directory/users.ts updateUser) for a member, the reset flow at /personal/reset (a code to the
//   address) for a personal account. Other sign-in methods (federation, passcodes) are not affected. The consecutive
//   count never lapses with time: it is what NIST caps, and a slow attacker (10 tries each quarter hour) reaches it
//   in about 2.5 hours instead of guessing on forever.
// - A name that matches no account is counted the same way under its typed name, so the answers (400, 429, locked)
//   never tell which names exist.
import type { Clock } from '../clock.ts';
import {
  clearAttempts,
  countAttempt,
  createRateLimiter,
  refusalOf,
  type AttemptLimits,
  type RateLimiter,
} from '../http/rate-limit.ts';
import type { Store, Tx } from '../store/index.ts';
import { normalize } from '../store/json.ts';
import type { SignInErrorName } from './signins.ts';

/**
 * Password attempts per client IP, over every account and every page that checks a password (password spraying):
 * 50 per 15 minutes, in the store like the account's count. Each page makes its own; they share the name, so one count.
 */
export const passwordAttemptsPerIp = (services: { store: Store; clock: Clock }): RateLimiter =>
  createRateLimiter(services.store, services.clock, { name: 'pw-ip', limit: 50, windowMs: 15 * 60_000 });

const PASSWORD_LOCKOUT: Required<AttemptLimits> = { limit: 10, windowMs: 15 * 60_000, consecutiveLimit: 100 };

/** Whose password is being checked. */
export type PasswordAccount =
  | { kind: 'member'; tenantId: string; userId: string }
  | { kind: 'personal'; accountId: string }
  /** a typed name that matched no account, in a tenant or 'personal' */
  | { kind: 'unknown'; realm: string; name: string };

/** Key prefix of password counters; the sweep keeps those of real accounts (their consecutive count never lapses). */
export const LOCKOUT_KEY_PREFIX = 'pw:';
export const UNKNOWN_NAME_KEY_PREFIX = 'pw:name:';

export function lockoutKey(account: PasswordAccount): string {
  if (account.kind === 'member') return `${LOCKOUT_KEY_PREFIX}user:${account.tenantId}:${account.userId}`;
  if (account.kind === 'personal') return `${LOCKOUT_KEY_PREFIX}personal:${account.accountId}`;
  return `${UNKNOWN_NAME_KEY_PREFIX}${account.realm}:${normalize(account.name)}`;
}

/** 'throttled': the 15-minute window is full; 'locked': 100 consecutive failures, until the password changes. */
export type PasswordOutcome = 'ok' | 'wrong' | 'throttled' | 'locked';

/** The sign-in log's outcome for a failed check (Entra's 50126 wrong password, 50053 locked). */
export const SIGNIN_ERROR_OF: Record<Exclude<PasswordOutcome, 'ok'>, SignInErrorName> = {
  wrong: 'invalidCredentials',
  throttled: 'tooManyAttempts',
  locked: 'tooManyAttempts',
};

/**
 * Counts one attempt on the account, then runs `verify` (the password hash check) only when the account is under
 * its limits. The count is taken before verifying, in one conditional upsert, so parallel guesses cannot all slip
 * under the limit; a right password then clears it (the consecutive count too).
 */
export async function checkPassword(
  store: Store,
  clock: Clock,
  account: PasswordAccount,
  verify: () => Promise<boolean>,
): Promise<PasswordOutcome> {
  const key = lockoutKey(account);
  if (!(await store.write((db) => countAttempt(db, clock, key, PASSWORD_LOCKOUT)))) {
    return (await refusalOf(store.db, key, PASSWORD_LOCKOUT)) === 'consecutive' ? 'locked' : 'throttled';
  }
  if (!(await verify())) return 'wrong';
  await store.write((db) => clearAttempts(db, key));
  return 'ok';
}

/** A new password (an administrator's reset, the personal reset flow) ends the account's lockout. */
export const endLockout = (tx: Tx, account: PasswordAccount): Promise<void> => clearAttempts(tx, lockoutKey(account));

/**
 * For the maintenance sweep (store/sweep.ts): counters whose window ended before `before`, except an account's
 * password count, whose consecutive failures never lapse (a success or a new password deletes it); a typed name
 * that matched no account is swept.
 */
export async function sweepAttemptCounters(db: Tx, before: string): Promise<number> {
  const r = await db
    .deleteFrom('attempt_counters')
    .where('window_ends', '<', before)
    .where((eb) =>
      eb.or([eb('key', 'not like', `${LOCKOUT_KEY_PREFIX}%`), eb('key', 'like', `${UNKNOWN_NAME_KEY_PREFIX}%`)]),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
