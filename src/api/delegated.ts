// What a user's delegated token may do in the API, as Graph decides it: the intersection of the token's scopes
// (`scp`, Graph's delegated scopes: apps/graph-api.ts) and what the signed-in user may do by their directory roles
// (admin/roles.ts). A write scope or permission covers its read (User.ReadWrite.All covers User.Read.All), as Graph's
// do. Guests' tokens read their own profile (`/me`) at most. Whether the user may invite guests is one decision,
// `mayInviteGuests`, so the tenant's guest invite settings can be added there.
import { apiPermissionsOf } from '../admin/roles.ts';
import { ME_SCOPES, permissionOfScope } from '../apps/graph-api.ts';
import { isAppPermission, type AppPermission } from '../apps/permissions.ts';
import type { User } from '../directory/users.ts';
import type { Services } from '../services.ts';

export interface DelegatedRights {
  /** the application permissions the token stands for here (route guards check these) */
  permissions: Set<AppPermission>;
  /** whether the token may read the signed-in user's own profile (`GET /me`) */
  me: boolean;
}

/** The permissions a set implies: each ReadWrite permission its Read one. */
function withReads(permissions: Iterable<AppPermission>): Set<AppPermission> {
  const out = new Set(permissions);
  for (const p of out) {
    const read = p.replace('.ReadWrite.', '.Read.');
    if (read !== p && isAppPermission(read)) out.add(read);
  }
  return out;
}

/**
 * Whether this member may invite guests through the API. Today: the directory roles that may invite in the admin
 * center (Global Administrator, User Administrator, Guest Inviter). The tenant's guest invite settings ("members
 * can invite") belong here, the one place that decides it.
 */
export async function mayInviteGuests(_services: Services, _tenantId: string, user: User): Promise<boolean> {
  return apiPermissionsOf(user.roles).has('User.Invite.All');
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
