// The deployment-wide personal accounts realm (Entra's "Microsoft account"): an email address, a display name and
// a password, owned by nobody but the person. An account becomes trustworthy as a home identity only once its address
// is verified (a code mailed to it was typed back); until then `emailVerified` is false and callers such as the
// redemption flow must not treat the address as proven.
import type { Clock } from '../clock.ts';
import { requireEmailAddress } from '../directory/address.ts';
import { InvalidRequest, ObjectConflict, ResourceNotFound, type RefusalKey, type RefusalParams } from '../errors.ts';
import { defaultPasswordCost, newId, verifyPasswordOrDummy, type PasswordCost } from '../secrets.ts';
import { revokePersonalAccount } from '../sessions/revoke.ts';
import { endLockout } from '../signins/lockout.ts';
import type { Db, Tx } from '../store/index.ts';
import { isUniqueViolation, normalize } from '../store/json.ts';
import type { PersonalAccountsTable } from '../store/schema.ts';

/** The realm name used for this realm's codes (email_codes.realm) and mail (outbox.tenant_id). */
export const PERSONAL_REALM = 'personal';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const DISPLAY_NAME_MAX_LENGTH = 256;

export interface PersonalAccount {
  id: string;
  /** the address as the person typed it */
  email: string;
  displayName: string;
  emailVerified: boolean;
  emailVerifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewPersonalAccount {
  email: string;
  displayName: string;
  /** an argon2id hash from hashPassword (check the plain password with passwordProblem first) */
  passwordHash: string;
  verified: boolean;
}

function toAccount(row: PersonalAccountsTable): PersonalAccount {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    emailVerified: row.email_verified_at !== null,
    emailVerifiedAt: row.email_verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type PasswordProblem = 'tooShort' | 'tooLong' | 'sameAsEmail';

/** What is wrong with a chosen password, or undefined when it meets the policy. */
export function passwordProblem(password: string, email: string): PasswordProblem | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'tooLong';
  if (normalize(password) === normalize(email)) return 'sameAsEmail';
  return undefined;
}

const PASSWORD_REFUSALS: Record<PasswordProblem, [RefusalKey, RefusalParams?]> = {
  tooShort: ['password.tooShort', { min: PASSWORD_MIN_LENGTH }],
  tooLong: ['password.tooLong', { max: PASSWORD_MAX_LENGTH }],
  sameAsEmail: ['password.sameAsEmail'],
};

/** Throws InvalidRequest saying what is wrong when the password does not meet the policy. */
export function assertPasswordPolicy(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new InvalidRequest(...PASSWORD_REFUSALS[problem], { problem });
}

/** A display name is 1-256 characters after trimming, with no control characters. */
export function isDisplayName(value: string): boolean {
  const v = value.trim();
  // eslint-disable-next-line no-control-regex
  return v.length > 0 && v.length <= DISPLAY_NAME_MAX_LENGTH && !/[\u0000-\u001f\u007f]/.test(v);
}

/** The account with this address (case-insensitive), verified or not. */
export async function findPersonalAccount(db: Db | Tx, email: string): Promise<PersonalAccount | undefined> {
  const row = await db
    .selectFrom('personal_accounts')
    .selectAll()
    .where('email_normalized', '=', normalize(email))
    .executeTakeFirst();
  return row && toAccount(row);
}

/** Whether the deployment's consumer realm has an account for the (normalized) address: discovery step 4. */
export async function personalAccountExists(db: Db, email: string): Promise<boolean> {
  return (
    (await db.selectFrom('personal_accounts').select('id').where('email_normalized', '=', email).executeTakeFirst()) !==
    undefined
  );
}

export async function getPersonalAccount(db: Db | Tx, id: string): Promise<PersonalAccount | undefined> {
  const row = await db.selectFrom('personal_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAccount(row);
}

/**
 * Creates an account. Throws InvalidRequest for a malformed address, display name or empty hash, and ObjectConflict
 * when the address (case-insensitive) already has an account.
 */
export async function createPersonalAccount(tx: Tx, clock: Clock, input: NewPersonalAccount): Promise<PersonalAccount> {
  const email = input.email.trim();
  requireEmailAddress(email, 'a personal account');
  if (!isDisplayName(input.displayName)) {
    throw new InvalidRequest('personal.displayName', { displayNameMaxLength: DISPLAY_NAME_MAX_LENGTH });
  }
  if (!input.passwordHash.startsWith('$argon2')) throw new InvalidRequest('personal.passwordHash');
  if (await findPersonalAccount(tx, email)) throw new ObjectConflict('personal.exists', { email });
  const now = clock.now().toISOString();
  const row: PersonalAccountsTable = {
    id: newId(),
    email,
    email_normalized: normalize(email),
    display_name: input.displayName.trim(),
    password_hash: input.passwordHash,
    email_verified_at: input.verified ? now : null,
    created_at: now,
    updated_at: now,
  };
  try {
    await tx.insertInto('personal_accounts').values(row).execute();
  } catch (error) {
    // A concurrent sign-up of the same address won the race.
    if (isUniqueViolation(error)) throw new ObjectConflict('personal.exists', { email });
    throw error;
  }
  return toAccount(row);
}

/**
 * The account when `password` is its password, else undefined. The password is verified even when no account has the
 * address (against a dummy hash at `cost`, which should be the deployment's config.passwordCost), so the time taken
 * does not tell which addresses have accounts. Unverified accounts are returned too: check `emailVerified`.
 */
export async function checkPersonalPassword(
  db: Db | Tx,
  email: string,
  password: string,
  cost: PasswordCost = defaultPasswordCost,
): Promise<PersonalAccount | undefined> {
  const row = await db
    .selectFrom('personal_accounts')
    .selectAll()
    .where('email_normalized', '=', normalize(email))
    .executeTakeFirst();
  const ok = await verifyPasswordOrDummy(password, row?.password_hash, cost);
  return row && ok ? toAccount(row) : undefined;
}

/** Replaces the password hash. Throws ResourceNotFound when there is no such account. */
export async function setPersonalPassword(tx: Tx, clock: Clock, id: string, passwordHash: string): Promise<void> {
  if (!passwordHash.startsWith('$argon2')) throw new InvalidRequest('personal.passwordHash');
  const result = await tx
    .updateTable('personal_accounts')
    .set({ password_hash: passwordHash, updated_at: clock.now().toISOString() })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new ResourceNotFound('personal.notFound', { id });
  // The reset flow is how a person ends a lockout after 100 consecutive failures (signins/lockout.ts).
  await endLockout(tx, { kind: 'personal', accountId: id });
  // And ends the account's sign-ins to apps (its sessions and refresh tokens at the personal accounts realm).
  await revokePersonalAccount(tx, id);
}

/** Marks the address verified (keeps the first verification time). Throws ResourceNotFound when there is no such account. */
export async function markVerified(tx: Tx, clock: Clock, id: string): Promise<PersonalAccount> {
  const now = clock.now().toISOString();
  await tx
    .updateTable('personal_accounts')
    .set({ email_verified_at: now, updated_at: now })
    .where('id', '=', id)
    .where('email_verified_at', 'is', null)
    .execute();
  const account = await getPersonalAccount(tx, id);
  if (!account) throw new ResourceNotFound('personal.notFound', { id });
  return account;
}
