// One-time codes mailed to an address (redemption passcodes, proof of an invited address, personal-account
// verification and reset). A code is 6 digits (a tenant may ask for up to 8) from a CSPRNG, stored as an HMAC under
// the deployment key (keyring.ts), which the database does not hold: a 6-digit space is too small for a plain hash, and
// under a key kept in the `deployment` table a copy of the database (a replica read while a code is open) would give
// the code back after a million HMACs. Bound to one subject (a flow or an account), valid for a few minutes,
// single use, dead after 5 wrong tries. Issuing is limited per subject (cool-down), per address and per IP, counted
// in the store so the limits hold across nodes. Guessing is limited per address too, across codes and purposes:
// asking for fresh codes gives no fresh guesses beyond perAddressTriesPerHour.
import type { Clock } from '../clock.ts';
import { TooManyRequests } from '../errors.ts';
import { clearAttempts, countAttempt } from '../http/rate-limit.ts';
import { newId, newNumericCode, sameSecret } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { normalize } from '../store/json.ts';
import { keysOf } from '../store/keys.ts';
import type { CodePurpose } from '../store/schema.ts';

/** Defaults; a tenant's passcode settings may override validity, attempts and cool-down. */
export const CODE_DEFAULTS = {
  digits: 6,
  validityMinutes: 10,
  maxAttempts: 5,
  resendCooldownSeconds: 60,
  perAddressPerHour: 10,
  perIpPerHour: 30,
  /** codes checked per address per hour, whichever code and purpose; a right code clears the count */
  perAddressTriesPerHour: 10,
};

export type CodePolicy = typeof CODE_DEFAULTS;

export interface CodeRef {
  realm: string;
  purpose: CodePurpose;
  subject: string;
}

/** The code's MACs under each deployment key, the sealing key's first (what issueCode stores). */
const macs = (db: Db | Tx, id: string, code: string): string[] => keysOf(db).macs('email-code', `${id}:${code}`);

/** The latest code issued for `ref`: when, and to which address. */
export async function latestCode(
  db: Db | Tx,
  ref: CodeRef,
): Promise<{ created_at: string; email_normalized: string } | undefined> {
  return db
    .selectFrom('email_codes')
    .select(['created_at', 'email_normalized'])
    .where('realm', '=', ref.realm)
    .where('purpose', '=', ref.purpose)
    .where('subject', '=', ref.subject)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Whether a code of `realm` and `purpose` went to `email` after `since`, whatever its subject. */
export async function codeSentSince(
  db: Db | Tx,
  realm: string,
  purpose: CodePurpose,
  email: string,
  since: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('email_codes')
    .select('id')
    .where('realm', '=', realm)
    .where('purpose', '=', purpose)
    .where('email_normalized', '=', normalize(email))
    .where('created_at', '>', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The codes issued in the last hour to `address` and from `clientIp` (none counted without one), in one statement. */
async function issuedLastHour(
  tx: Tx,
  since: string,
  address: string,
  clientIp: string | null,
): Promise<{ toAddress: number; fromIp: number }> {
  const issued = (column: 'email_normalized' | 'client_ip', value: string) =>
    tx
      .selectFrom('email_codes')
      .select((eb) => eb.fn.countAll().as('n'))
      .where(column, '=', value)
      .where('created_at', '>', since);
  const row = await tx
    .selectNoFrom([
      issued('email_normalized', address).as('to_address'),
      ...(clientIp ? [issued('client_ip', clientIp).as('from_ip')] : []),
    ])
    .executeTakeFirstOrThrow();
  const counts = row as { to_address: unknown; from_ip?: unknown };
  return { toAddress: Number(counts.to_address), fromIp: Number(counts.from_ip ?? 0) };
}

/**
 * Issues a new code for `ref` to `email` (older open codes of the same subject stop working). Throws
 * TooManyRequests within the cool-down or over the per-address / per-IP limits. Returns the code to mail.
 * `newSubject`: the subject was created in the caller's transaction (a new flow), so no code of it can exist yet:
 * there is no cool-down to check and no older code to retire.
 */
export async function issueCode(
  tx: Tx,
  clock: Clock,
  ref: CodeRef,
  email: string,
  clientIp: string | null,
  policy: CodePolicy = CODE_DEFAULTS,
  { newSubject = false }: { newSubject?: boolean } = {},
): Promise<{ code: string; expiresAt: string }> {
  const now = clock.now();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const address = normalize(email);
  const last = newSubject ? undefined : await latestCode(tx, ref);
  if (last && now.getTime() - Date.parse(last.created_at) < policy.resendCooldownSeconds * 1000) {
    throw new TooManyRequests('passcode.cooldown', { resendCooldownSeconds: policy.resendCooldownSeconds });
  }
  const issued = await issuedLastHour(tx, hourAgo, address, clientIp);
  if (issued.toAddress >= policy.perAddressPerHour) throw new TooManyRequests('passcode.perAddress');
  if (clientIp && issued.fromIp >= policy.perIpPerHour) throw new TooManyRequests('passcode.perNetwork');

  if (!newSubject)
    await tx
      .updateTable('email_codes')
      .set({ consumed_at: now.toISOString() })
      .where('realm', '=', ref.realm)
      .where('purpose', '=', ref.purpose)
      .where('subject', '=', ref.subject)
      .where('consumed_at', 'is', null)
      .execute();
  const id = newId();
  const code = newNumericCode(policy.digits);
  const expiresAt = new Date(now.getTime() + policy.validityMinutes * 60_000).toISOString();
  await tx
    .insertInto('email_codes')
    .values({
      realm: ref.realm,
      id,
      purpose: ref.purpose,
      subject: ref.subject,
      email_normalized: address,
      code_hash: macs(tx, id, code)[0]!,
      expires_at: expiresAt,
      attempts: 0,
      consumed_at: null,
      created_at: now.toISOString(),
      client_ip: clientIp,
    })
    .execute();
  return { code, expiresAt };
}

/** 'locked': this code had its wrong tries; 'throttled': the address had its tries this hour (a new code will not help). */
export type CodeCheck = 'ok' | 'wrong' | 'expired' | 'locked' | 'none' | 'throttled';

/**
 * Checks a typed code against the subject's open code. A right code is consumed by one conditional update, so two
 * parallel submissions of it succeed once; a wrong one counts an attempt.
 */
export async function verifyCode(
  db: Db,
  clock: Clock,
  ref: CodeRef,
  typed: string,
  policy: CodePolicy = CODE_DEFAULTS,
): Promise<{ result: CodeCheck; email?: string }> {
  const now = clock.now().toISOString();
  const row = await db
    .selectFrom('email_codes')
    .selectAll()
    .where('realm', '=', ref.realm)
    .where('purpose', '=', ref.purpose)
    .where('subject', '=', ref.subject)
    .where('consumed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return { result: 'none' };
  if (row.expires_at <= now) return { result: 'expired' };
  if (row.attempts >= policy.maxAttempts) return { result: 'locked' };
  const addressKey = `code:${row.email_normalized}`;
  if (!(await countAttempt(db, clock, addressKey, { limit: policy.perAddressTriesPerHour, windowMs: 3_600_000 })))
    return { result: 'throttled' };
  const match =
    /^\d+$/.test(typed.trim()) && macs(db, row.id, typed.trim()).some((mac) => sameSecret(mac, row.code_hash));
  if (!match) {
    const bumped = await db
      .updateTable('email_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('realm', '=', ref.realm)
      .where('id', '=', row.id)
      .where('consumed_at', 'is', null)
      .returning('attempts')
      .executeTakeFirst();
    return { result: (bumped?.attempts ?? policy.maxAttempts) >= policy.maxAttempts ? 'locked' : 'wrong' };
  }
  const consumed = await db
    .updateTable('email_codes')
    .set({ consumed_at: now })
    .where('realm', '=', ref.realm)
    .where('id', '=', row.id)
    .where('consumed_at', 'is', null)
    .where('attempts', '<', policy.maxAttempts)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(consumed.numUpdatedRows) !== 1) return { result: 'none' };
  await clearAttempts(db, addressKey);
  return { result: 'ok', email: row.email_normalized };
}

/** For the maintenance sweep (store/sweep.ts): codes that expired before `before`. */
export async function sweepCodes(db: Db, before: string): Promise<number> {
  return Number(
    (await db.deleteFrom('email_codes').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows,
  );
}
