// B2B collaboration between two tenants of this deployment, decided by both tenants' cross-tenant access settings:
// the guest's home tenant must allow the person out (outbound) and the inviting tenant must let them in (inbound),
// checked at invitation and again at redemption and sign-in (settings can change in between). Automatic redemption
// needs the inviting tenant's inbound and the home tenant's outbound `automaticUserConsentSettings` both on.
import { groupIdsOf } from '../directory/groups.ts';
import { findMemberBySignInName, memberTenantOf, type User } from '../directory/users.ts';
import type { Db, Tx } from '../store/index.ts';
import { ALL_APPLICATIONS, ALL_USERS, allows, effectivePolicy } from './policy.ts';

export interface Crossing {
  homeTenantId: string;
  homeUser: User;
}

/** The member account an invited address has in another tenant here: the collaboration the settings govern. */
export async function crossingFor(db: Db | Tx, invitingTenantId: string, email: string): Promise<Crossing | undefined> {
  const homeTenantId = await memberTenantOf(db as Db, email, invitingTenantId);
  const homeUser = homeTenantId && (await findMemberBySignInName(db as Db, homeTenantId, email));
  return homeTenantId && homeUser ? { homeTenantId, homeUser } : undefined;
}

export type Verdict = { allowed: true } | { allowed: false; side: 'inbound' | 'outbound' };

async function principalIds(db: Db | Tx, tenantId: string, userId: string): Promise<string[]> {
  const groups = await groupIdsOf(db, tenantId, userId).execute();
  return [userId, ...groups.map((g) => g.group_id)];
}

/** Whether a member of `homeTenantId` may collaborate as a guest of `invitingTenantId` (and, given, use an app there). */
export async function collaborationVerdict(
  db: Db | Tx,
  invitingTenantId: string,
  homeTenantId: string,
  homeUserId: string,
  appClientId?: string,
): Promise<Verdict> {
  const ids = await principalIds(db, homeTenantId, homeUserId);
  const outbound = (await effectivePolicy(db, homeTenantId, invitingTenantId)).b2bCollaborationOutbound;
  if (!allows(outbound.usersAndGroups, ids, ALL_USERS)) return { allowed: false, side: 'outbound' };
  if (appClientId && !allows(outbound.applications, [appClientId], ALL_APPLICATIONS))
    return { allowed: false, side: 'outbound' };
  const inbound = (await effectivePolicy(db, invitingTenantId, homeTenantId)).b2bCollaborationInbound;
  if (!allows(inbound.usersAndGroups, ids, ALL_USERS)) return { allowed: false, side: 'inbound' };
  if (appClientId && !allows(inbound.applications, [appClientId], ALL_APPLICATIONS))
    return { allowed: false, side: 'inbound' };
  return { allowed: true };
}

/** Automatic redemption: both tenants agreed to skip the consent prompt for each other. */
export async function automaticRedemption(
  db: Db | Tx,
  invitingTenantId: string,
  homeTenantId: string,
): Promise<boolean> {
  const [inviting, home] = await Promise.all([
    effectivePolicy(db, invitingTenantId, homeTenantId),
    effectivePolicy(db, homeTenantId, invitingTenantId),
  ]);
  return (
    inviting.automaticUserConsentSettings.inboundAllowed === true &&
    home.automaticUserConsentSettings.outboundAllowed === true
  );
}
