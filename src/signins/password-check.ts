// The password check of every sign-in page that takes a password (the tenant's sign-in page, a redemption's sign-in
// at the guest's home tenant, a personal account's sign-in), written once: the per-IP budget, then the account's
// lockout count and the hash check (lockout.ts), then whether the account may sign in, each refusal in the sign-in
// log. The pages differ only in what they pass: whose account, how the hash is checked, where the log entry goes,
// and a few texts.
import type { Clock } from '../clock.ts';
import type { Messages } from '../i18n/index.ts';
import type { Store } from '../store/index.ts';
import { checkPassword, passwordAttemptsPerIp, SIGNIN_ERROR_OF, type PasswordAccount } from './lockout.ts';
import type { SignInErrorName } from './signins.ts';

export interface SignInPasswordCheck<T> {
  /** The client's address, for the per-IP password budget shared by every page (lockout.ts passwordAttemptsPerIp). */
  ip: string;
  /** Whose count the attempt goes on: the account the typed name matched, or the typed name itself. */
  account: PasswordAccount;
  /** Checks the password (argon2, against a dummy hash when there is no account): the account when right. */
  verify: () => Promise<T | undefined>;
  /** Writes the sign-in log entry of a refused attempt; it must not throw (a log write never fails the sign-in). */
  log: (error: SignInErrorName) => Promise<unknown>;
  /** The log's error for a wrong password on a name that matched no account ('userNotFound' in a tenant's own log). */
  unknownNameError: SignInErrorName;
  /** The text of a locked account (the reset that ends it differs between members and personal accounts). */
  lockedMessage: keyof Messages;
  /** A right password on an account that may not sign in: logged as userDisabled and refused with `message` (400). */
  disabled?: { is: (account: T) => boolean; message: keyof Messages };
}

/** The signed-in account, or the refusal to show: a message key and its status. */
export type SignInPasswordResult<T> =
  { ok: true; account: T } | { ok: false; message: keyof Messages; status: 400 | 429 };

/**
 * Runs the checks in their one order: the per-IP budget (refused as throttled without counting the account), the
 * account's count and the password (lockout.ts checkPassword), then `disabled`. Every refusal is logged once.
 */
export async function checkSignInPassword<T>(
  services: { store: Store; clock: Clock },
  check: SignInPasswordCheck<T>,
): Promise<SignInPasswordResult<T>> {
  if (!(await passwordAttemptsPerIp(services).hit(check.ip))) {
    await check.log('tooManyAttempts');
    return { ok: false, message: 'signin.throttled', status: 429 };
  }
  let account: T | undefined;
  const outcome = await checkPassword(
    services.store,
    services.clock,
    check.account,
    async () => (account = await check.verify()) !== undefined,
  );
  if (outcome !== 'ok' || account === undefined) {
    const failure = outcome === 'ok' ? 'wrong' : outcome;
    await check.log(
      failure === 'wrong' && check.account.kind === 'unknown' ? check.unknownNameError : SIGNIN_ERROR_OF[failure],
    );
    if (failure === 'wrong') return { ok: false, message: 'signin.badPassword', status: 400 };
    return { ok: false, message: failure === 'locked' ? check.lockedMessage : 'signin.throttled', status: 429 };
  }
  if (check.disabled?.is(account)) {
    await check.log('userDisabled');
    return { ok: false, message: check.disabled.message, status: 400 };
  }
  return { ok: true, account };
}
