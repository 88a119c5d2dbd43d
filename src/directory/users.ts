// Users of a tenant: members (local credentials) and guests (invited). Queries filter on tenant_id first.
import { sql, type ExpressionBuilder, type Selectable, type SelectQueryBuilder } from 'kysely';

import type { Clock } from '../clock.ts';
import { InvalidRequest, ObjectConflict, orNotFound, ResourceNotFound } from '../errors.ts';
import { newId } from '../secrets.ts';
import { revokeUser } from '../sessions/revoke.ts';
import { SIGN_IN_TIMES, signInTimeCondition, signInTimeOf, type SignInTime } from '../signins/activity.ts';
import { endLockout } from '../signins/lockout.ts';
import { eraseDeleted, rowsDeletedBefore } from '../store/deleted-rows.ts';
import type { Db, Tx } from '../store/index.ts';
import { bool, isUniqueViolation, normalize, parseJson, toJson } from '../store/json.ts';
import type { Database, UsersTable } from '../store/schema.ts';
import { requireEmailAddress } from './address.ts';
import { type Filter, type PropertyMap } from './filter.ts';
import { filteredPageOf, type PageOrder } from './paging.ts';
import { assertNotLastGlobalAdmin } from './roles.ts';
import { isUuid, listDomains } from './tenants.ts';

export interface Identity {
  signInType: string;
  issuer: string;
  issuerAssignedId: string;
}

export interface User {
  tenantId: string;
  id: string;
  userType: 'Member' | 'Guest';
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  otherMails: string[];
  proxyAddresses: string[];
  accountEnabled: boolean;
  createdDateTime: string;
  creationType: string | null;
  externalUserState: string | null;
  externalUserStateChangeDateTime: string | null;
  identities: Identity[];
  roles: string[];
  hasPassword: boolean;
  /** invited at an address a contact holds: created without mail (the seed's contact conflict) */
  contactConflict: boolean;
  invitedEmail: string | null;
}

export { GLOBAL_ADMINISTRATOR } from './role-definitions.ts';

/**
 * The users of the directory: every read of a user starts here, so a deleted user (in deleted items, `deleted_at` set)
 * is no user to any feature: it cannot sign in, redeem, be found by mail or identity, be listed or be given anything.
 * This is the one check of "is this user there"; only the deleted items' functions below read deleted rows.
 */
export const inDirectory = (db: Db | Tx): SelectQueryBuilder<Database, 'users', object> =>
  db.selectFrom('users').where('deleted_at', 'is', null);

export function toUser(row: Omit<Selectable<UsersTable>, 'deleted_at' | 'must_change_password'>): User {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    userType: row.user_type,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    givenName: row.given_name,
    surname: row.surname,
    mail: row.mail,
    otherMails: parseJson(row.other_mails, []),
    proxyAddresses: parseJson(row.proxy_addresses, []),
    accountEnabled: row.account_enabled === 1,
    createdDateTime: row.created_at,
    creationType: row.creation_type,
    externalUserState: row.external_user_state,
    externalUserStateChangeDateTime: row.external_user_state_changed_at,
    identities: parseJson(row.identities, []),
    roles: parseJson(row.roles, []),
    hasPassword: row.password_hash !== null,
    contactConflict: row.contact_conflict === 1,
    invitedEmail: row.invited_email,
  };
}

export interface NewMember {
  displayName: string;
  userPrincipalName: string;
  mail?: string | null;
  givenName?: string | null;
  surname?: string | null;
  accountEnabled?: boolean;
  passwordHash: string | null;
  roles?: string[];
}

export async function createMember(tx: Tx, clock: Clock, tenantId: string, input: NewMember): Promise<User> {
  const upn = input.userPrincipalName.trim();
  requireEmailAddress(upn, 'userPrincipalName');
  const domain = upn.split('@')[1]!.toLowerCase();
  const domains = await listDomains(tx, tenantId);
  if (!domains.some((d) => d.isVerified && d.name === domain)) {
    throw new InvalidRequest('user.upnDomain', {
      upn,
      domains: domains
        .filter((d) => d.isVerified)
        .map((d) => d.name)
        .join(', '),
    });
  }
  const mail = input.mail === undefined ? upn : input.mail;
  if (mail !== null) requireEmailAddress(mail, 'mail');
  const now = clock.now().toISOString();
  const id = newId();
  try {
    await tx
      .insertInto('users')
      .values({
        tenant_id: tenantId,
        id,
        user_type: 'Member',
        user_principal_name: upn,
        upn_normalized: normalize(upn),
        display_name: input.displayName,
        given_name: input.givenName ?? null,
        surname: input.surname ?? null,
        mail,
        mail_normalized: mail ? normalize(mail) : null,
        other_mails: '[]',
        proxy_addresses: toJson(mail ? [`SMTP:${mail}`] : []),
        account_enabled: bool(input.accountEnabled ?? true),
        created_at: now,
        creation_type: null,
        external_user_state: null,
        external_user_state_changed_at: null,
        identities: toJson([
          {
            signInType: 'userPrincipalName',
            issuer: domains.find((d) => d.isInitial)?.name ?? domain,
            issuerAssignedId: upn,
          },
        ]),
        password_hash: input.passwordHash,
        roles: toJson(input.roles ?? []),
        updated_at: now,
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ObjectConflict('user.upnTaken', { upn });
    throw error;
  }
  return (await getUser(tx, tenantId, id))!;
}

/** By object id or userPrincipalName, as Graph's /users/{id | userPrincipalName}. */
export async function getUser(db: Tx, tenantId: string, idOrUpn: string): Promise<User | undefined> {
  const q = inDirectory(db).selectAll().where('tenant_id', '=', tenantId);
  const row = isUuid(idOrUpn)
    ? await q.where('id', '=', idOrUpn.toLowerCase()).executeTakeFirst()
    : await q.where('upn_normalized', '=', normalize(idOrUpn)).executeTakeFirst();
  return row && toUser(row);
}

export const requireUser = orNotFound(getUser);

/** A member who may sign in with a password here, by UPN or mail (identifier-first sign-in). */
export async function findMemberBySignInName(
  db: Db,
  tenantId: string,
  name: string,
): Promise<(User & { passwordHash: string | null }) | undefined> {
  const n = normalize(name);
  const row = await inDirectory(db)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_type', '=', 'Member')
    .where((eb) => eb.or([eb('upn_normalized', '=', n), eb('mail_normalized', '=', n)]))
    .executeTakeFirst();
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

/**
 * A managed tenant other than `exceptTenantId` where the address is a member (not an invited user), by mail or by
 * user principal name (Entra's user-based discovery goes by UPN).
 */
export async function memberTenantOf(db: Db, email: string, exceptTenantId: string): Promise<string | undefined> {
  // One statement: the earliest member by mail, else the earliest by user principal name (each through its index).
  const match = (column: 'mail_normalized' | 'upn_normalized', rank: number) =>
    inDirectory(db)
      .select(['tenant_id', 'created_at', sql.lit<number>(rank).as('rank')])
      .where(column, '=', email)
      .where('user_type', '=', 'Member')
      .where('tenant_id', '<>', exceptTenantId)
      .where((eb) => eb.or([eb('creation_type', 'is', null), eb('creation_type', '<>', 'Invitation')]));
  const row = await db
    .selectFrom(match('mail_normalized', 0).unionAll(match('upn_normalized', 1)).as('m'))
    .select('tenant_id')
    .orderBy('rank')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row?.tenant_id;
}

// The look-ups of many values at once below ask for the values by `in` alone (tenant and deletion are checked on the
// rows that come back): with `deleted_at is null` or `tenant_id = ?` beside a long `in` list, SQLite's planner (it has
// no statistics) walks every user of the tenant, or every user, through another index instead of looking each value
// up, and a bulk invitation's look-ups grew with the directory (checked with `explain query plan`).

/**
 * Of `addresses` (as given and normalized: memberTenantOf compares them as given), those that are the mail or user
 * principal name of a member of a managed tenant other than `exceptTenantId`: memberTenantOf for many addresses at
 * once, answering only whether there is one.
 */
export async function membersElsewhere(db: Tx, addresses: string[], exceptTenantId: string): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const match = (column: 'mail_normalized' | 'upn_normalized') =>
    db
      .selectFrom('users')
      .select([`${column} as address`, 'deleted_at'])
      .where(column, 'in', addresses)
      .where('user_type', '=', 'Member')
      .where('tenant_id', '<>', exceptTenantId)
      .where((eb) => eb.or([eb('creation_type', 'is', null), eb('creation_type', '<>', 'Invitation')]));
  const rows = await match('mail_normalized').unionAll(match('upn_normalized')).execute();
  return new Set(rows.flatMap((r) => (r.deleted_at === null && r.address !== null ? [r.address] : [])));
}

/**
 * Of `values` (normalized), those that a user of the tenant holds as its mail, invited address or user principal
 * name: findUserByFirst for many values at once, answering only whether there is one.
 */
export async function addressesInUse(db: Tx, tenantId: string, values: string[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const match = (column: 'mail_normalized' | 'upn_normalized') =>
    db
      .selectFrom('users')
      .select([`${column} as value`, 'tenant_id', 'deleted_at'])
      .where(column, 'in', values);
  // Invited addresses have an index only under the tenant, which the planner does take.
  const invited = db
    .selectFrom('users')
    .select(['invited_email as value', 'tenant_id', 'deleted_at'])
    .where('tenant_id', '=', tenantId)
    .where('invited_email', 'in', values);
  const rows = await match('mail_normalized').unionAll(match('upn_normalized')).unionAll(invited).execute();
  return new Set(
    rows.flatMap((r) => (r.tenant_id === tenantId && r.deleted_at === null && r.value !== null ? [r.value] : [])),
  );
}

export const userProperties: PropertyMap<keyof UsersTable & string> = {
  id: { column: 'id', type: 'string', caseInsensitive: true },
  userType: { column: 'user_type', type: 'string' },
  mail: { column: 'mail_normalized', type: 'string', caseInsensitive: true },
  userPrincipalName: { column: 'upn_normalized', type: 'string', caseInsensitive: true },
  externalUserState: { column: 'external_user_state', type: 'string' },
  displayName: { column: 'display_name', type: 'string' },
  creationType: { column: 'creation_type', type: 'string' },
  accountEnabled: { column: 'account_enabled', type: 'boolean' },
};

export interface Page<T> {
  items: T[];
  /** the id to continue after, when more remain */
  next?: string;
  count?: number;
}

export interface ListOptions {
  filter?: Filter;
  /** $orderby (directory/paging.ts): without it, id order */
  order?: PageOrder;
  top: number;
  /** the id to continue after (from the previous page's `next`) */
  after?: string;
  count?: boolean;
}

/**
 * The $filter properties of the tenant's users with Graph's signInActivity times, which the sign-in log keeps
 * (signins/activity.ts): compared as a subquery of user ids, never a join of its table.
 */
function userPropertiesOf(db: Db, tenantId: string): PropertyMap<keyof UsersTable & string> {
  const properties = { ...userProperties };
  for (const name of Object.keys(SIGN_IN_TIMES) as SignInTime[])
    properties[name] = {
      column: 'id',
      type: 'dateTime',
      via: (op, at) => signInTimeCondition(db, tenantId, name, op, at),
    };
  return properties;
}

/** The $orderby of the users' list: a signInActivity time (Graph's), then the id. */
export const userOrderBy = (db: Db, tenantId: string, property: SignInTime, desc: boolean): PageOrder => ({
  key: signInTimeOf(db, tenantId, property, sql.ref<string>('users.id')),
  desc,
});

/**
 * A page of the tenant's users, or only of one group's members with `memberOf` (same filter and paging). With
 * `bySignIn` (a caller that checked the right to read the sign-in log), the filter may also name signInActivity.
 */
export async function listUsers(
  db: Db,
  tenantId: string,
  opts: ListOptions & { memberOf?: string; bySignIn?: boolean },
): Promise<Page<User>> {
  const properties = opts.bySignIn ? userPropertiesOf(db, tenantId) : userProperties;
  const base = inDirectory(db)
    .where('tenant_id', '=', tenantId)
    .$if(opts.memberOf !== undefined, (q) =>
      q.where('id', 'in', (eb) =>
        eb
          .selectFrom('group_members')
          .select('member_id')
          .where('group_members.tenant_id', '=', tenantId)
          .where('group_members.group_id', '=', opts.memberOf!),
      ),
    );
  return filteredPageOf(base, opts, properties, toUser);
}

export interface UserPatch {
  displayName?: string;
  givenName?: string | null;
  surname?: string | null;
  accountEnabled?: boolean;
  mail?: string | null;
  otherMails?: string[];
  userPrincipalName?: string;
  passwordHash?: string;
  /** Graph's passwordProfile.forceChangePasswordNextSignIn: a new password at the next sign-in (signin/change-password) */
  mustChangePassword?: boolean;
}

export async function updateUser(tx: Tx, clock: Clock, tenantId: string, id: string, patch: UserPatch): Promise<User> {
  const user = await requireUser(tx, tenantId, id);
  // The tenant keeps an enabled Global Administrator (directory/roles.ts).
  if (patch.accountEnabled === false) await assertNotLastGlobalAdmin(tx, tenantId, user.id);
  if (patch.mail) requireEmailAddress(patch.mail, 'mail');
  for (const m of patch.otherMails ?? []) requireEmailAddress(m, 'otherMails');
  if (patch.userPrincipalName !== undefined && patch.userPrincipalName !== user.userPrincipalName) {
    if (user.userType === 'Guest') throw new InvalidRequest('user.guestUpn');
    const domain = patch.userPrincipalName.split('@')[1]?.toLowerCase() ?? '';
    requireEmailAddress(patch.userPrincipalName, 'userPrincipalName');
    const domains = await listDomains(tx, tenantId);
    if (!domains.some((d) => d.isVerified && d.name === domain)) {
      throw new InvalidRequest('user.upnInvalid', { userPrincipalName: patch.userPrincipalName });
    }
  }
  try {
    await tx
      .updateTable('users')
      .set({
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...(patch.givenName !== undefined && { given_name: patch.givenName }),
        ...(patch.surname !== undefined && { surname: patch.surname }),
        ...(patch.accountEnabled !== undefined && { account_enabled: bool(patch.accountEnabled) }),
        ...(patch.mail !== undefined && {
          mail: patch.mail,
          mail_normalized: patch.mail ? normalize(patch.mail) : null,
        }),
        ...(patch.otherMails !== undefined && { other_mails: toJson(patch.otherMails) }),
        ...(patch.userPrincipalName !== undefined && {
          user_principal_name: patch.userPrincipalName,
          upn_normalized: normalize(patch.userPrincipalName),
        }),
        ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
        ...(patch.mustChangePassword !== undefined && { must_change_password: bool(patch.mustChangePassword) }),
        updated_at: clock.now().toISOString(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', user.id)
      .where('deleted_at', 'is', null)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ObjectConflict('user.upnOrMailTaken');
    throw error;
  }
  // Disabling ends every sign-in of the user at once: sessions, grants and refresh tokens in every app. So does an
  // administrator's password reset, as in Entra: whoever knew the old password is signed out everywhere.
  if (patch.accountEnabled === false || patch.passwordHash !== undefined) await revokeUser(tx, tenantId, user.id);
  // A new password ends a lockout after 100 consecutive failures (signins/lockout.ts).
  if (patch.passwordHash !== undefined) await endLockout(tx, { kind: 'member', tenantId, userId: user.id });
  return (await getUser(tx, tenantId, user.id))!;
}

/** Whether the user must set a new password before their sign-in goes on (an administrator's reset, migration 0029). */
export async function mustChangePassword(db: Db | Tx, tenantId: string, userId: string): Promise<boolean> {
  const row = await inDirectory(db)
    .select('must_change_password')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.must_change_password === 1;
}

/** The password hash (null: none) of a user who must change their password, to refuse the same one; else undefined. */
export async function passwordToChange(
  db: Db | Tx,
  tenantId: string,
  userId: string,
): Promise<string | null | undefined> {
  const row = await inDirectory(db)
    .select('password_hash')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .where('must_change_password', '=', 1)
    .executeTakeFirst();
  return row ? row.password_hash : undefined;
}

/**
 * The user's own new password in place of one an administrator reset: one conditional update, so of two racing
 * submits one sets it and the other finds nothing left to change (false). Their other sessions stay: the person who
 * just proved the reset password is the one signing in.
 */
export async function changeRequiredPassword(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  passwordHash: string,
): Promise<boolean> {
  const done = await tx
    .updateTable('users')
    .set({ password_hash: passwordHash, must_change_password: 0, updated_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('must_change_password', '=', 1)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/**
 * What must hold before a user may be deleted, checked in one place for every way of deleting (API, admin center,
 * CLI, leaving an organization). PRECONDITIONS OF DELETING A USER: a new rule (the last Global Administrator, #19's
 * roles) is one more check here.
 */
export async function assertDeletable(tx: Tx, tenantId: string, user: User): Promise<void> {
  // Never the last enabled Global Administrator (directory/roles.ts).
  await assertNotLastGlobalAdmin(tx, tenantId, user.id);
}

/**
 * Deleting a user moves it to deleted items (Entra's soft delete): the row stays, marked `deleted_at`, so nothing
 * cascades and `restoreUser` brings back the same object with its group memberships, app assignments, identities and
 * invitation state. Every sign-in ends at once (sessions and tokens, as disabling does), and from now on no read of
 * the directory finds the user (`inDirectory`). The permanent delete (`deleted/items.ts purgeUser`, by an
 * administrator or by the sweep after 30 days) removes the row, and what was the user's cascades (migration 0017).
 */
export async function deleteUser(tx: Tx, clock: Clock, tenantId: string, id: string): Promise<User> {
  const user = await requireUser(tx, tenantId, id);
  await assertDeletable(tx, tenantId, user);
  const now = clock.now().toISOString();
  const done = await tx
    .updateTable('users')
    .set({ deleted_at: now, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', user.id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  // A concurrent delete got there first: the user is no longer in the directory.
  if (Number(done.numUpdatedRows) !== 1) throw new ResourceNotFound('resource.notFound', { id });
  await revokeUser(tx, tenantId, user.id);
  return user;
}

/** A user in deleted items: the user as it was, and when it was deleted. */
export type DeletedUser = User & { deletedDateTime: string };

const toDeletedUser = (row: Selectable<UsersTable>): DeletedUser => ({
  ...toUser(row),
  deletedDateTime: row.deleted_at!,
});

const deletedUsers = (db: Db | Tx, tenantId: string) =>
  db.selectFrom('users').where('tenant_id', '=', tenantId).where('deleted_at', 'is not', null);

/** A user of the tenant's deleted items, by object id. */
export async function getDeletedUser(db: Db | Tx, tenantId: string, id: string): Promise<DeletedUser | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await deletedUsers(db, tenantId).selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
  return row && toDeletedUser(row);
}

export const requireDeletedUser = orNotFound(getDeletedUser);

/** A page of the tenant's deleted users (Graph's deletedItems/microsoft.graph.user), same filter and paging as users. */
export function listDeletedUsers(db: Db, tenantId: string, opts: ListOptions): Promise<Page<DeletedUser>> {
  return filteredPageOf(deletedUsers(db, tenantId), opts, userProperties, toDeletedUser);
}

/**
 * Brings a deleted user back, as it was: same id, memberships, assignments, identities, invitation state. As in Entra,
 * the userPrincipalName and mail were free while it was deleted; if another user took one, the restore is refused.
 */
export async function restoreUser(tx: Tx, clock: Clock, tenantId: string, id: string): Promise<User> {
  const user = await requireDeletedUser(tx, tenantId, id);
  try {
    const done = await tx
      .updateTable('users')
      .set({ deleted_at: null, updated_at: clock.now().toISOString() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', user.id)
      .where('deleted_at', 'is not', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new ResourceNotFound('resource.notFound', { id });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ObjectConflict('deleted.restoreConflict', { upn: user.userPrincipalName, mail: user.mail ?? '' });
    throw error;
  }
  return (await getUser(tx, tenantId, user.id))!;
}

/**
 * Removes a deleted user's row for good; what is the user's cascades (migration 0017). Only `deleted/items.ts
 * purgeUser` calls it, after asking the owners of what cannot cascade.
 */
export const eraseDeletedUser = (tx: Tx, tenantId: string, id: string): Promise<void> =>
  eraseDeleted(tx, 'users', tenantId, id);

/** Users deleted before `before` (ISO time), every tenant's: the sweep's permanent deletes. */
export const usersDeletedBefore = (db: Db, before: string, limit: number) =>
  rowsDeletedBefore(db, 'users', before, limit);

export const userExists = async (db: Db | Tx, tenantId: string, id: string): Promise<boolean> =>
  isUuid(id) &&
  (await inDirectory(db)
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst()) !== undefined;

/** For an invitation read in one statement with what it needs: whether its guest is in the directory. */
export const inviteeInDirectory = (eb: ExpressionBuilder<Database, 'invitations'>) =>
  eb.exists(
    eb
      .selectFrom('users')
      .select('users.id')
      .where('users.deleted_at', 'is', null)
      .whereRef('users.tenant_id', '=', 'invitations.tenant_id')
      .whereRef('users.id', '=', 'invitations.user_id'),
  );

/** A user by object id, userPrincipalName (a guest's #EXT# one too) or mail: how a person names one (CLI, pages). */
export async function findUserByRef(db: Db, tenantId: string, ref: string): Promise<User | undefined> {
  return (await getUser(db, tenantId, ref.trim())) ?? (await findUserByMail(db, tenantId, ref.trim()));
}

/** A user of the tenant by mail (the CLI's `--user` takes an id, a userPrincipalName or a mail). */
export async function findUserByMail(db: Db, tenantId: string, mail: string): Promise<User | undefined> {
  const row = await inDirectory(db)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('mail_normalized', '=', normalize(mail))
    .executeTakeFirst();
  return row && toUser(row);
}

/** How many users of a type the tenant has; only those whose invitation is still pending with `pending`. */
export async function countUsers(
  db: Db,
  tenantId: string,
  userType: User['userType'],
  { pending = false } = {},
): Promise<number> {
  const row = await inDirectory(db)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('user_type', '=', userType)
    .$if(pending, (q) => q.where('external_user_state', '=', 'PendingAcceptance'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * A guest has redeemed: Accepted from now, signing in with `identities` (the redemption's or the automatic one's).
 * Returns the user as it now is (undefined: not in the directory).
 */
export async function markRedeemed(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  identities: Identity[],
): Promise<User | undefined> {
  const now = clock.now().toISOString();
  const row = await tx
    .updateTable('users')
    .set({
      external_user_state: 'Accepted',
      external_user_state_changed_at: now,
      identities: toJson(identities),
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row && toUser(row);
}

/** The user whose `column` holds `value` (already normalized), if any: one indexed lookup. */
export async function findUserBy(
  db: Tx,
  tenantId: string,
  column: 'mail_normalized' | 'invited_email' | 'upn_normalized',
  value: string,
): Promise<User | undefined> {
  const row = await inDirectory(db)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(column, '=', value)
    .executeTakeFirst();
  return row && toUser(row);
}

/**
 * The user of the first of `lookups` that finds one, in one statement: each lookup is an indexed query, put together
 * by UNION ALL (SQLite answers `tenant_id = ? AND (a OR b OR c)` by scanning the tenant) and taken in their order.
 */
export async function findUserByFirst(
  db: Tx,
  tenantId: string,
  lookups: readonly (readonly ['mail_normalized' | 'invited_email' | 'upn_normalized', string])[],
): Promise<User | undefined> {
  const queries = lookups.map(([column, value], k) =>
    inDirectory(db).selectAll().select(sql.lit(k).as('k')).where('tenant_id', '=', tenantId).where(column, '=', value),
  );
  const [first, ...rest] = queries;
  if (!first) return undefined;
  const row = await rest
    .reduce((all, q) => all.unionAll(q), first)
    .orderBy('k')
    .limit(1)
    .executeTakeFirst();
  return row && toUser(row);
}

/** The guests created without mail because a contact held one of `addresses` (the contact's side of the conflict). */
export async function conflictedGuests(db: Tx, tenantId: string, addresses: string[]): Promise<User[]> {
  if (addresses.length === 0) return [];
  const rows = await inDirectory(db)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invited_email', 'in', addresses.map(normalize))
    .where('contact_conflict', '=', 1)
    .orderBy('id')
    .execute();
  return rows.map(toUser);
}

/**
 * Inserts a user row unless one with the same id, UPN or address is there (a concurrent invite of the same address);
 * true when it did. ON CONFLICT keeps the transaction usable on PostgreSQL.
 */
export async function insertUserIfAbsent(
  tx: Tx,
  row: Omit<Selectable<UsersTable>, 'deleted_at' | 'must_change_password'>,
): Promise<boolean> {
  const result = await tx
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** insertUserIfAbsent for several rows in one statement: the ids of the rows inserted. */
export async function insertUsersIfAbsent(
  tx: Tx,
  rows: Omit<Selectable<UsersTable>, 'deleted_at' | 'must_change_password'>[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await tx
    .insertInto('users')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return new Set(inserted.map((r) => r.id));
}

/** A guest's redemption reset: pending again at `invitedEmail` (its mail too, unless a contact holds it), one identity. */
export async function markPending(
  tx: Tx,
  tenantId: string,
  userId: string,
  to: { invitedEmail: string; contactConflict: boolean; identity: Identity; now: string },
): Promise<void> {
  const { now } = to;
  const mail = to.contactConflict ? null : to.invitedEmail;
  await tx
    .updateTable('users')
    .set({
      mail,
      mail_normalized: mail ? normalize(mail) : null,
      proxy_addresses: toJson(mail ? [`SMTP:${mail}`] : []),
      invited_email: normalize(to.invitedEmail),
      contact_conflict: to.contactConflict ? 1 : 0,
      external_user_state: 'PendingAcceptance',
      external_user_state_changed_at: now,
      identities: toJson([to.identity]),
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Changes to one user take turns from here: a row lock on PostgreSQL (SQLite has one writer, so nothing to do). */
export async function lockUser(tx: Tx, kind: 'sqlite' | 'postgres', tenantId: string, userId: string): Promise<void> {
  if (kind !== 'postgres') return;
  await tx
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .forUpdate()
    .execute();
}

/** What lists show of a user they name (assignments, acceptances, sponsors, a session's check). */
export interface UserSummary {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  accountEnabled: boolean;
}

/** The users of `ids` that exist, by id (one query; an id that names no user is absent from the map). */
export async function userSummaries(
  db: Tx,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, UserSummary>> {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await inDirectory(db)
    .select(['id', 'display_name', 'user_principal_name', 'mail', 'account_enabled'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', wanted)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        displayName: r.display_name,
        userPrincipalName: r.user_principal_name,
        mail: r.mail,
        accountEnabled: r.account_enabled === 1,
      },
    ]),
  );
}
