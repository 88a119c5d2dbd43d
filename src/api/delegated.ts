// What a user's delegated token may do in the API, as Graph decides it: the intersection of the token's scopes
// (`scp`, Graph's delegated scopes: apps/graph-api.ts) and what the signed-in user may do by their directory roles
// (admin/roles.ts). A write scope or permission covers its read (User.ReadWrite.All covers User.Read.All), as Graph's
// do. Guests' tokens read their own profile (`/me`) at most. Whether the user may invite guests is the tenant's guest
// invite settings (invitations/policy.ts mayInvite, the one decision every way of inviting asks).
import { apiPermissionsOf } from '../admin/roles.ts';
import { ME_SCOPES, permissionOfScope } from '../apps/graph-api.ts';
import { isAppPermission, type AppPermission } from '../apps/permissions.ts';
import { requireTenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { mayInvite } from '../invitations/policy.ts';
import type { Services } from '../services.ts';

export interface DelegatedRights {
  /** the application permissions the token stands for here (route guards check these) */
  permissions: Set<AppPermission>;
  /** whether the token may read the signed-in user's own profile (`GET /me`) */
  me: boolean;
}

/** The permissions a set implies: each ReadWrite permission its Read one. */
export function withReads(permissions: Iterable<AppPermission>): Set<AppPermission> {
  const out = new Set(permissions);
  for (const p of out) {
    const read = p.replace('.ReadWrite.', '.Read.');
    if (read !== p && isAppPermission(read)) out.add(read);
  }
  return out;
}

/**
 * Whether this user may invite guests through the API: the tenant's guest invite settings (Graph's
 * authorizationPolicy.allowInvitesFrom), decided by invitations/policy.ts as for every other way of inviting.
 */
export async function mayInviteGuests(services: Services, tenantId: string, user: User): Promise<boolean> {
  const tenant = await requireTenant(services.store.db, tenantId);
  const invitingRole = apiPermissionsOf(user.roles).has('User.Invite.All');
  return mayInvite(tenant.settings.allowInvitesFrom, {
    kind: 'user',
    userType: user.userType,
    invitingRole,
    userPrincipalName: user.userPrincipalName,
  }).allowed;
}

/** What the user's token with these delegated scopes may do. */
export async function delegatedRights(
  services: Services,
  tenantId: string,
  user: User,
  scopes: ReadonlySet<string>,
): Promise<DelegatedRights> {
  const me = ME_SCOPES.some((s) => scopes.has(s));
  // A guest's token: their own profile at most, whatever it carries (and whatever roles the guest holds).
  if (user.userType === 'Guest') return { permissions: new Set(), me };
  const byRole = apiPermissionsOf(user.roles);
  byRole.delete('User.Invite.All');
  if (await mayInviteGuests(services, tenantId, user)) byRole.add('User.Invite.All');
  const mayDo = withReads(byRole);
  const asked = withReads([...scopes].flatMap((s) => permissionOfScope(s) ?? []));
  return { permissions: new Set([...asked].filter((p) => mayDo.has(p))), me };
}
