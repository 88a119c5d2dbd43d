// Groups and their memberships (users only for now; nested groups are not supported).
import type { Selectable } from 'kysely';

import { forgetPrincipal } from '../apps/assignments.ts';
import type { Clock } from '../clock.ts';
import { InvalidRequest, orNotFound, ResourceNotFound } from '../errors.ts';
import { newId } from '../secrets.ts';
import { eraseDeleted, moveDeleted, rowsDeletedBefore } from '../store/deleted-rows.ts';
import type { Db, Tx } from '../store/index.ts';
import type { GroupsTable } from '../store/schema.ts';
import { audited, recordAudit, userTarget, type Actor, type AuditTarget } from './audit.ts';
import { type PropertyMap } from './filter.ts';
import { filteredPageOf } from './paging.ts';
import { isUuid } from './tenants.ts';
import { getUser, listUsers, requireUser, userExists, type ListOptions, type Page, type User } from './users.ts';

export interface Group {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string | null;
  createdDateTime: string;
}

export const toGroup = (r: Omit<Selectable<GroupsTable>, 'deleted_at'>): Group => ({
  id: r.id,
  displayName: r.display_name,
  description: r.description,
  mailNickname: r.mail_nickname,
  createdDateTime: r.created_at,
});

export const groupProperties: PropertyMap<keyof GroupsTable & string> = {
  id: { column: 'id', type: 'string', caseInsensitive: true },
  displayName: { column: 'display_name', type: 'string' },
  mailNickname: { column: 'mail_nickname', type: 'string' },
};

export async function createGroup(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: { displayName: string; description?: string | null; mailNickname?: string | null },
): Promise<Group> {
  const id = newId();
  await tx
    .insertInto('groups')
    .values({
      tenant_id: tenantId,
      id,
      display_name: input.displayName,
      description: input.description ?? null,
      mail_nickname: input.mailNickname ?? null,
      created_at: clock.now().toISOString(),
    })
    .execute();
  return (await getGroup(tx, tenantId, id))!;
}

/**
 * The groups of the directory: every read of a group starts here, so a deleted group (in deleted items, `deleted_at`
 * set) is no group to any feature until it is restored (issue #19, as `inDirectory` for users).
 */
export const liveGroups = (db: Db | Tx) => db.selectFrom('groups').where('deleted_at', 'is', null);

export async function getGroup(db: Tx, tenantId: string, id: string): Promise<Group | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await liveGroups(db)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row && toGroup(row);
}

export const requireGroup = orNotFound(getGroup);

export async function listGroups(db: Db, tenantId: string, opts: ListOptions): Promise<Page<Group>> {
  return filteredPageOf(liveGroups(db).where('tenant_id', '=', tenantId), opts, groupProperties, toGroup);
}

export async function updateGroup(
  tx: Tx,
  tenantId: string,
  id: string,
  patch: { displayName?: string; description?: string | null; mailNickname?: string | null },
): Promise<Group> {
  const group = await requireGroup(tx, tenantId, id);
  if (patch.displayName !== undefined || patch.description !== undefined || patch.mailNickname !== undefined) {
    await tx
      .updateTable('groups')
      .set({
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.mailNickname !== undefined && { mail_nickname: patch.mailNickname }),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', group.id)
      .execute();
  }
  return (await getGroup(tx, tenantId, group.id))!;
}

/**
 * Deleting a group moves it to deleted items: the row stays, marked `deleted_at`, with its members and app role
 * assignments, which no read finds until `restoreGroup` (every read goes through `liveGroups`, `groupIdsOf` only names
 * groups of the directory). The permanent delete is `eraseDeletedGroup` (deleted/items.ts, by an administrator or the
 * sweep after 30 days). One conditional update, so of two racing deletes one is refused.
 */
export async function deleteGroup(tx: Tx, clock: Clock, tenantId: string, id: string): Promise<Group> {
  const group = await requireGroup(tx, tenantId, id);
  if (!(await moveDeleted(tx, 'groups', tenantId, group.id, clock.now().toISOString())))
    throw new ResourceNotFound('resource.notFound', { id });
  return group;
}

/** A group in deleted items: the group as it was, and when it was deleted. */
export type DeletedGroup = Group & { deletedDateTime: string };

const toDeletedGroup = (row: Selectable<GroupsTable>): DeletedGroup => ({
  ...toGroup(row),
  deletedDateTime: row.deleted_at!,
});

const deletedGroups = (db: Db | Tx, tenantId: string) =>
  db.selectFrom('groups').where('tenant_id', '=', tenantId).where('deleted_at', 'is not', null);

/** A group of the tenant's deleted items, by object id. */
export async function getDeletedGroup(db: Db | Tx, tenantId: string, id: string): Promise<DeletedGroup | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await deletedGroups(db, tenantId).selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
  return row && toDeletedGroup(row);
}

const requireDeletedGroup = orNotFound(getDeletedGroup);

/** A page of the tenant's deleted groups (Graph's deletedItems/microsoft.graph.group), filtered as groups are. */
export function listDeletedGroups(db: Db, tenantId: string, opts: ListOptions): Promise<Page<DeletedGroup>> {
  return filteredPageOf(deletedGroups(db, tenantId), opts, groupProperties, toDeletedGroup);
}

/** Brings a deleted group back as it was: same id, members (those still in the directory), app role assignments. */
export async function restoreGroup(tx: Tx, tenantId: string, id: string): Promise<Group> {
  const group = await requireDeletedGroup(tx, tenantId, id);
  if (!(await moveDeleted(tx, 'groups', tenantId, group.id, null)))
    throw new ResourceNotFound('resource.notFound', { id });
  return (await getGroup(tx, tenantId, group.id))!;
}

/**
 * Removes a deleted group for good: its memberships, its app role assignments (principal_id names a user or a group,
 * so nothing cascades, migration 0017) and its row. Only `deleted/items.ts` calls it.
 */
export async function eraseDeletedGroup(tx: Tx, tenantId: string, id: string): Promise<DeletedGroup> {
  const group = await requireDeletedGroup(tx, tenantId, id);
  await tx.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('group_id', '=', group.id).execute();
  await forgetPrincipal(tx, tenantId, group.id);
  await eraseDeleted(tx, 'groups', tenantId, group.id);
  return group;
}

/** Groups deleted before `before` (ISO time), every tenant's: the sweep's permanent deletes. */
export const groupsDeletedBefore = (db: Db, before: string, limit: number) =>
  rowsDeletedBefore(db, 'groups', before, limit);

export async function addMember(tx: Tx, tenantId: string, groupId: string, userId: string): Promise<void> {
  const group = await requireGroup(tx, tenantId, groupId);
  // A user of the directory (not one in deleted items): directory/users.ts owns the table.
  if (!(await userExists(tx, tenantId, userId))) throw new ResourceNotFound('resource.notFound', { id: userId });
  const user = { id: userId.toLowerCase() };
  const existing = await tx
    .selectFrom('group_members')
    .select('member_id')
    .where('tenant_id', '=', tenantId)
    .where('group_id', '=', group.id)
    .where('member_id', '=', user.id)
    .executeTakeFirst();
  if (existing) throw new InvalidRequest('group.memberExists');
  await tx
    .insertInto('group_members')
    .values({ tenant_id: tenantId, group_id: group.id, member_id: user.id })
    .execute();
}

export async function removeMember(tx: Tx, tenantId: string, groupId: string, userId: string): Promise<void> {
  const group = await requireGroup(tx, tenantId, groupId);
  const result = await tx
    .deleteFrom('group_members')
    .where('tenant_id', '=', tenantId)
    .where('group_id', '=', group.id)
    .where('member_id', '=', userId.toLowerCase())
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new ResourceNotFound('group.notMember', { userId, groupId });
}

/** A page of a group's members: filtered and paged as the users list is, since members are users. */
export async function listMembers(db: Db, tenantId: string, groupId: string, opts: ListOptions): Promise<Page<User>> {
  const group = await requireGroup(db, tenantId, groupId);
  return listUsers(db, tenantId, { ...opts, memberOf: group.id });
}

export async function groupsOfUser(db: Db, tenantId: string, userId: string): Promise<Group[]> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', (j) =>
      j.onRef('groups.tenant_id', '=', 'group_members.tenant_id').onRef('groups.id', '=', 'group_members.group_id'),
    )
    .selectAll('groups')
    .where('group_members.tenant_id', '=', tenantId)
    .where('group_members.member_id', '=', userId)
    .where('groups.deleted_at', 'is', null)
    .orderBy('groups.display_name')
    .execute();
  return rows.map(toGroup);
}

/**
 * The ids of the groups of the directory `memberId` is a direct member of (a deleted group's memberships wait for its
 * restore), as a query (callers run it or use it as a subquery).
 */
export const groupIdsOf = (db: Tx, tenantId: string, memberId: string) =>
  db
    .selectFrom('group_members')
    .select('group_id')
    .where('tenant_id', '=', tenantId)
    .where('member_id', '=', memberId)
    .where('group_id', 'in', liveGroups(db).select('id').where('tenant_id', '=', tenantId));

/** The display names of the groups of `ids` that exist, by id (one query). */
export async function groupNames(db: Tx, tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await liveGroups(db)
    .select(['id', 'display_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export type GroupInput = { displayName: string; description?: string | null; mailNickname?: string | null };

const groupTarget = (g: Group): AuditTarget => ({ id: g.id, type: 'Group', displayName: g.displayName });

/** A change to one group and its audit event (Entra's activity names), in the caller's transaction. */
export const auditedGroup = audited<Group>('GroupManagement', groupTarget);

// The changes with their audit events, as the API and the admin center make them on behalf of `actor`.

export const createGroupAs = async (tx: Tx, clock: Clock, tenantId: string, input: GroupInput, actor: Actor) =>
  auditedGroup(tx, clock, tenantId, actor, 'Add group', 'Add', await createGroup(tx, clock, tenantId, input));

export async function updateGroupAs(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  patch: Partial<GroupInput>,
  actor: Actor,
): Promise<Group> {
  return auditedGroup(tx, clock, tenantId, actor, 'Update group', 'Update', await updateGroup(tx, tenantId, id, patch));
}

/** Moves a group to deleted items, with its audit event. */
export const deleteGroupAs = async (tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<Group> =>
  auditedGroup(tx, clock, tenantId, actor, 'Delete group', 'Delete', await deleteGroup(tx, clock, tenantId, id));

/**
 * A membership change with its audit event. An added member must be in the directory; a removed one may be gone
 * (then the event names it by its id).
 */
const membershipChangeAs =
  (change: 'add' | 'remove') =>
  async (tx: Tx, clock: Clock, tenantId: string, groupId: string, userId: string, actor: Actor): Promise<void> => {
    await (change === 'add' ? addMember : removeMember)(tx, tenantId, groupId, userId);
    const group = await requireGroup(tx, tenantId, groupId);
    const user = change === 'add' ? await requireUser(tx, tenantId, userId) : await getUser(tx, tenantId, userId);
    await recordAudit(tx, clock, tenantId, {
      category: 'GroupManagement',
      activity: change === 'add' ? 'Add member to group' : 'Remove member from group',
      operationType: change === 'add' ? 'Assign' : 'Unassign',
      actor,
      targets: [groupTarget(group), user ? userTarget(user) : { id: userId.toLowerCase(), type: 'User' }],
    });
  };

export const addMemberAs = membershipChangeAs('add');
export const removeMemberAs = membershipChangeAs('remove');
