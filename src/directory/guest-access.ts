// What a person may read of their own tenant's directory, by Entra's rules: a guest by the tenant's guestUserRoleId
// (same as members, limited: own profile and others by exact address or id, restricted: own profile only); a member
// by defaultUserRolePermissions.allowedToReadOtherUsers; anyone holding a directory role reads everything. The one
// decision every guest read path asks (today My Apps' people lookup: a guest's token carries no API permission
// unless a role grants one; a delegated token's reads should ask it too).
import type { Db } from '../store/index.ts';
import { normalize } from '../store/json.ts';
import { GUEST_ROLE_IDS } from './settings-schema.ts';
import { isUuid, type Tenant } from './tenants.ts';
import { findUserBy, getUser, listUsers, type User } from './users.ts';

/** How far a reader reaches: everyone (search), others by exact address or id only, or only themselves. */
export type DirectoryReach = 'all' | 'exact' | 'self';

export function directoryReachOf(tenant: Tenant, reader: User): DirectoryReach {
  if (reader.roles.length > 0) return 'all';
  const { guestUserRoleId, allowedToReadOtherUsers } = tenant.settings;
  if (reader.userType === 'Guest' && guestUserRoleId === GUEST_ROLE_IDS.restricted) return 'self';
  if (reader.userType === 'Guest' && guestUserRoleId === GUEST_ROLE_IDS.limited) return 'exact';
  return allowedToReadOtherUsers ? 'all' : 'self';
}

/** Whether `reader` may see `target` when it was asked for by exact address or id (`exact`) or found by a search. */
export function mayReadUser(reach: DirectoryReach, reader: User, target: User, how: 'exact' | 'search'): boolean {
  if (target.id === reader.id) return true;
  if (reach === 'all') return true;
  return reach === 'exact' && how === 'exact';
}

/** The exact match of an address, a userPrincipalName or an object id. */
async function exactUser(db: Db, tenantId: string, query: string): Promise<User | undefined> {
  if (isUuid(query) || !query.includes('@')) return getUser(db, tenantId, query);
  return (await findUserBy(db, tenantId, 'mail_normalized', normalize(query))) ?? getUser(db, tenantId, query);
}

/**
 * The users `reader` finds for `query` under their reach: an exact address or id always (the reader's own included),
 * a name or address beginning only with `all`. Disabled accounts are left out, as Entra's people pickers do.
 */
export async function lookUpPeople(db: Db, tenant: Tenant, reader: User, query: string, top = 20): Promise<User[]> {
  const reach = directoryReachOf(tenant, reader);
  const q = query.trim();
  if (!q) return [];
  const exact = await exactUser(db, tenant.id, q);
  const found: User[] = exact && mayReadUser(reach, reader, exact, 'exact') ? [exact] : [];
  if (reach === 'all') {
    const page = await listUsers(db, tenant.id, {
      top,
      filter: {
        op: 'or',
        left: { op: 'startswith', property: 'displayName', value: q },
        right: { op: 'startswith', property: 'mail', value: q },
      },
    });
    for (const u of page.items) if (!found.some((f) => f.id === u.id)) found.push(u);
  }
  return found.filter((u) => u.accountEnabled).slice(0, top);
}
