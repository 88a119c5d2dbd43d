// Guest user objects as invitations create and reset them.
import type { Selectable } from 'kysely';

import type { Clock } from '../clock.ts';
import type { Tenant } from '../directory/tenants.ts';
import {
  findUserByFirst,
  getUser,
  insertUserIfAbsent,
  markPending,
  toUser,
  type Identity,
  type User,
} from '../directory/users.ts';
import { InvalidRequest, ObjectConflict } from '../errors.ts';
import { unlinkIdentities } from '../federation/identities.ts';
import { newId } from '../secrets.ts';
import { revokeUser } from '../sessions/revoke.ts';
import type { Tx } from '../store/index.ts';
import { normalize, toJson } from '../store/json.ts';
import type { UsersTable } from '../store/schema.ts';

/** Entra's form: alice@example.com invited to contoso → alice_example.com#EXT#@contoso.<suffix>. */
export function guestUpn(email: string, initialDomain: string): string {
  return `${email.trim().replace('@', '_')}#EXT#@${initialDomain}`;
}

/** Before redemption the inviting tenant is the guest's issuer, as in Entra. */
export const pendingIdentity = (tenant: Tenant, upn: string): Identity => ({
  signInType: 'userPrincipalName',
  issuer: tenant.initialDomain,
  issuerAssignedId: upn,
});

/** The user an invitation to `email` concerns: by mail, by the invited address, or by the UPN the invite would give. */
export async function findInvitee(tx: Tx, tenant: Tenant, email: string): Promise<User | undefined> {
  const n = normalize(email);
  return findUserByFirst(tx, tenant.id, [
    ['mail_normalized', n],
    ['invited_email', n],
    ['upn_normalized', normalize(guestUpn(email, tenant.initialDomain))],
  ]);
}

export interface NewGuest {
  email: string;
  displayName?: string;
  userType: 'Guest' | 'Member';
  contactConflict: boolean;
}

/** The users row of a new pending guest (also what the benchmarks seed in bulk). */
export function guestRow(
  tenant: Tenant,
  input: NewGuest,
  now: string,
): Omit<Selectable<UsersTable>, 'deleted_at' | 'must_change_password'> {
  const upn = guestUpn(input.email, tenant.initialDomain);
  const mail = input.contactConflict ? null : input.email;
  return {
    tenant_id: tenant.id,
    id: newId(),
    user_type: input.userType,
    user_principal_name: upn,
    upn_normalized: normalize(upn),
    display_name: input.displayName?.trim() || input.email.split('@')[0]!,
    given_name: null,
    surname: null,
    mail,
    mail_normalized: mail ? normalize(mail) : null,
    other_mails: '[]',
    proxy_addresses: toJson(mail ? [`SMTP:${mail}`] : []),
    account_enabled: 1,
    created_at: now,
    creation_type: 'Invitation',
    external_user_state: 'PendingAcceptance',
    external_user_state_changed_at: now,
    identities: toJson([pendingIdentity(tenant, upn)]),
    password_hash: null,
    roles: '[]',
    updated_at: now,
    contact_conflict: input.contactConflict ? 1 : 0,
    invited_email: normalize(input.email),
  };
}

/**
 * Inserts the guest, or does nothing when a concurrent invite of the same address (in any case) got there first;
 * returns the user either way. ON CONFLICT keeps the transaction usable on PostgreSQL.
 */
export async function createGuest(
  tx: Tx,
  clock: Clock,
  tenant: Tenant,
  input: NewGuest,
): Promise<{ user: User; created: boolean }> {
  const row = guestRow(tenant, input, clock.now().toISOString());
  const created = await insertUserIfAbsent(tx, row);
  // The row just inserted is the user: reading it back cost three lookups on every invitation.
  if (created) return { user: toUser(row), created };
  const user = await findInvitee(tx, tenant, input.email);
  if (!user) throw new ObjectConflict('invitation.addressTaken', { email: input.email });
  return { user, created };
}

/**
 * Resets a guest's redemption (Graph's resetRedemption): same object id, groups and assignments; the redeemed
 * identity is dropped and the user is pending again, possibly at another address.
 */
export async function resetGuest(
  tx: Tx,
  clock: Clock,
  tenant: Tenant,
  user: User,
  email: string,
  contactConflict: boolean,
): Promise<User> {
  if (user.creationType !== 'Invitation')
    throw new InvalidRequest('invitation.resetNotInvited', { userPrincipalName: user.userPrincipalName });
  const other = await findInvitee(tx, tenant, email);
  if (other && other.id !== user.id) throw new ObjectConflict('user.mailTaken', { email });
  const now = clock.now().toISOString();
  await markPending(tx, tenant.id, user.id, {
    invitedEmail: email,
    contactConflict,
    identity: pendingIdentity(tenant, user.userPrincipalName),
    now,
  });
  await unlinkIdentities(tx, tenant.id, user.id);
  // The identity they signed in with is no longer theirs: every sign-in made with it ends now.
  await revokeUser(tx, tenant.id, user.id);
  return (await getUser(tx, tenant.id, user.id))!;
}
