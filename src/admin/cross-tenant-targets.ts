// The pickers of the cross-tenant access pages: who a rule may name (users and groups, or applications, of the tenant
// whose people or apps the rule is about), found by a search, and the names of the targets a rule names. Each kind is
// asked of its owner: users through directory/user-search.ts and userSummaries, groups through listGroups and
// groupNames, applications (by client id, as the rules name them) through apps.ts listApps.
import { listApps } from '../apps/apps.ts';
import type { Access } from '../crosstenant/policy.ts';
import { groupNames, listGroups } from '../directory/groups.ts';
import { isUuid } from '../directory/tenants.ts';
import { searchUsers } from '../directory/user-search.ts';
import { userSummaries } from '../directory/users.ts';
import type { Db } from '../store/index.ts';

export type Kind = 'users' | 'apps';
export type TargetType = Access['targets'][number]['targetType'];

/** One user, group or application a rule may name, as a picker lists it. */
export interface Candidate {
  id: string;
  type: TargetType;
  name: string;
  /** the user principal name of a user, the client id of an application */
  detail?: string;
}

/** How many of each kind a search lists. */
export const FOUND = 10;
/** The longest search text. */
export const MAX_QUERY = 100;

/** The members and groups of `tenantId` whose names (or, for users, addresses) match `q`. */
async function findPrincipals(db: Db, tenantId: string, q: string): Promise<Candidate[]> {
  const [users, groups] = await Promise.all([
    searchUsers(
      db,
      tenantId,
      { q, type: 'Member', state: '', source: '', sort: 'name', dir: 'asc' },
      { offset: 0, limit: FOUND },
    ),
    listGroups(db, tenantId, { filter: { op: 'startswith', property: 'displayName', value: q }, top: FOUND }),
  ]);
  return [
    ...groups.items.map((g) => ({ id: g.id, type: 'group' as const, name: g.displayName })),
    ...users.items.map((u) => ({
      id: u.id,
      type: 'user' as const,
      name: u.displayName || u.userPrincipalName,
      detail: u.userPrincipalName,
    })),
  ];
}

/** The applications of `tenantId` whose names start with `q`, by client id. */
async function findApps(db: Db, tenantId: string, q: string): Promise<Candidate[]> {
  const apps = await listApps(db, tenantId, {
    filter: { op: 'startswith', property: 'displayName', value: q },
    top: FOUND,
  });
  return apps.items.map((a) => ({
    id: a.clientId,
    type: 'application' as const,
    name: a.displayName,
    detail: a.clientId,
  }));
}

export function findCandidates(db: Db, tenantId: string, kind: Kind, q: string): Promise<Candidate[]> {
  const text = q.trim().slice(0, MAX_QUERY);
  return kind === 'users' ? findPrincipals(db, tenantId, text) : findApps(db, tenantId, text);
}

/**
 * The ids of `ids` that name a user or group (`users`) or an application's client id (`apps`) of `tenantId`, with
 * their names and types; ids that name nothing there are absent.
 */
export async function candidatesByIds(
  db: Db,
  tenantId: string,
  kind: Kind,
  ids: readonly string[],
): Promise<Map<string, Candidate>> {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  const found = new Map<string, Candidate>();
  if (wanted.length === 0) return found;
  if (kind === 'apps') {
    const apps = await listApps(db, tenantId, {
      filter: { op: 'in', property: 'appId', values: wanted },
      top: wanted.length,
    });
    for (const a of apps.items)
      found.set(a.clientId, { id: a.clientId, type: 'application', name: a.displayName, detail: a.clientId });
    return found;
  }
  const [users, groups] = await Promise.all([userSummaries(db, tenantId, wanted), groupNames(db, tenantId, wanted)]);
  for (const [id, name] of groups) found.set(id, { id, type: 'group', name });
  for (const [id, u] of users)
    found.set(id, { id, type: 'user', name: u.displayName || u.userPrincipalName, detail: u.userPrincipalName });
  return found;
}
