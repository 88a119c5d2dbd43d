// Who an administrator means when assigning an app: a user by email or sign-in name, a group by name (either also
// by object id), found with the directory's own listings; or, when nothing or several match, what to type instead.
import { findPrincipal, type Principal } from '../apps/assignments.ts';
import { listGroups } from '../directory/groups.ts';
import { isUuid } from '../directory/tenants.ts';
import { listUsers } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Db } from '../store/index.ts';

export type Found = { principal: Principal; problem?: undefined } | { principal?: undefined; problem: string };

const byId = async (db: Db, lang: Lang, tenantId: string, id: string, type: Principal['type']): Promise<Found> => {
  const principal = await findPrincipal(db, tenantId, id, type);
  return principal
    ? { principal }
    : { problem: t(lang, type === 'User' ? 'admin.apps.noUser' : 'admin.apps.noGroup', { name: id }) };
};

export async function findUserByName(db: Db, lang: Lang, tenantId: string, name: string): Promise<Found> {
  if (!name) return { problem: t(lang, 'admin.apps.userMissing') };
  if (isUuid(name)) return byId(db, lang, tenantId, name, 'User');
  const { items } = await listUsers(db, tenantId, {
    filter: {
      op: 'or',
      left: { op: 'eq', property: 'userPrincipalName', value: name },
      right: { op: 'eq', property: 'mail', value: name },
    },
    top: 5,
  });
  if (items.length === 0) return { problem: t(lang, 'admin.apps.noUser', { name }) };
  // One person's mail can be another's sign-in name; the sign-in name is unique, so ask for it.
  if (items.length > 1)
    return {
      problem: t(lang, 'admin.apps.severalUsers', { name, names: items.map((u) => u.userPrincipalName).join(', ') }),
    };
  const u = items[0]!;
  return { principal: { id: u.id, type: 'User', displayName: u.displayName, userPrincipalName: u.userPrincipalName } };
}

export async function findGroupByName(db: Db, lang: Lang, tenantId: string, name: string): Promise<Found> {
  if (!name) return { problem: t(lang, 'admin.apps.groupMissing') };
  if (isUuid(name)) return byId(db, lang, tenantId, name, 'Group');
  // The exact name first; then the same name in other letter case, and names that begin with it as suggestions.
  let matches = (await listGroups(db, tenantId, { filter: { op: 'eq', property: 'displayName', value: name }, top: 5 }))
    .items;
  let similar: string[] = [];
  if (matches.length === 0) {
    const begins = (
      await listGroups(db, tenantId, { filter: { op: 'startswith', property: 'displayName', value: name }, top: 50 })
    ).items;
    matches = begins.filter((g) => g.displayName.toLowerCase() === name.toLowerCase());
    similar = begins.slice(0, 5).map((g) => g.displayName);
  }
  if (matches.length === 1)
    return { principal: { id: matches[0]!.id, type: 'Group', displayName: matches[0]!.displayName } };
  if (matches.length > 1)
    return { problem: t(lang, 'admin.apps.severalGroups', { name, ids: matches.map((g) => g.id).join(', ') }) };
  if (similar.length) return { problem: t(lang, 'admin.apps.noGroupSimilar', { name, names: similar.join(', ') }) };
  return { problem: t(lang, 'admin.apps.noGroup', { name }) };
}
