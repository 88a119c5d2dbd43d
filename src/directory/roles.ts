// Directory role assignments: who holds which built-in role (role-definitions.ts). A user's roles are held on the
// user (users.roles, by display name), so a role assignment is (role, user) and its id is Entra's: the role
// definition id and the principal id as GUID bytes, base64url, with the directory scope's "-1". Every change is
// audited in its transaction. The tenant always keeps one enabled Global Administrator (assertNotLastGlobalAdmin).
import { createHash } from 'node:crypto';
import { PostgresAdapter } from 'kysely';

import type { Clock } from '../clock.ts';
import { AuthorizationDenied, InvalidRequest, ObjectConflict, ResourceNotFound } from '../errors.ts';
import type { Tx } from '../store/index.ts';
import { toJson } from '../store/json.ts';
import { recordAudit, type Actor } from './audit.ts';
import {
  GLOBAL_ADMINISTRATOR,
  GUEST_INVITER,
  HELPDESK_ADMINISTRATOR,
  REPORTS_READER,
  ROLE_DEFINITIONS,
  roleDefinition,
  USER_ADMINISTRATOR,
  type RoleDefinition,
} from './role-definitions.ts';
import { isUuid } from './tenants.ts';
import { getUser, toUser, type User } from './users.ts';

export interface RoleAssignment {
  id: string;
  roleDefinitionId: string;
  principalId: string;
  directoryScopeId: '/';
}

/** A GUID's bytes as .NET and Entra write them (the first three groups little-endian). */
function guidBytes(guid: string): Buffer {
  const b = Buffer.from(guid.replace(/-/g, ''), 'hex');
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

function guidOf(bytes: Buffer): string {
  const hex = Buffer.concat([
    Buffer.from(bytes.subarray(0, 4)).reverse(),
    Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(),
    bytes.subarray(8, 16),
  ]).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const roleAssignmentId = (roleDefinitionId: string, principalId: string): string =>
  `${Buffer.concat([guidBytes(roleDefinitionId), guidBytes(principalId)]).toString('base64url')}-1`;

/** The role and principal an assignment id names, or undefined for an id that is not one. */
export function parseRoleAssignmentId(id: string): { roleDefinitionId: string; principalId: string } | undefined {
  const m = /^([A-Za-z0-9_-]{43})-1$/.exec(id);
  if (!m) return undefined;
  const bytes = Buffer.from(m[1]!, 'base64url');
  if (bytes.length !== 32) return undefined;
  return { roleDefinitionId: guidOf(bytes.subarray(0, 16)), principalId: guidOf(bytes.subarray(16)) };
}

const assignment = (role: RoleDefinition, userId: string): RoleAssignment => ({
  id: roleAssignmentId(role.id, userId),
  roleDefinitionId: role.id,
  principalId: userId,
  directoryScopeId: '/',
});

/** The built-in role of a definition id, or a clear refusal. */
export function requireRoleDefinition(id: string): RoleDefinition {
  const role = roleDefinition(id);
  if (!role) throw new ResourceNotFound('role.unknown', { id });
  return role;
}

/** The roles a user holds (their definitions, in ROLE_DEFINITIONS' order). */
export const rolesOfUser = (user: Pick<User, 'roles'>): RoleDefinition[] =>
  ROLE_DEFINITIONS.filter((r) => user.roles.includes(r.displayName));

const isPostgres = (tx: Tx) => tx.getExecutor().adapter instanceof PostgresAdapter;

/** Role changes of one tenant take turns (PostgreSQL: the tenant row's lock; SQLite has one writer). */
async function lockTenantRoles(tx: Tx, tenantId: string): Promise<void> {
  if (!isPostgres(tx)) return;
  await tx.selectFrom('tenants').select('id').where('id', '=', tenantId).forUpdate().execute();
}

/** The users holding a role (the JSON list of names holds it quoted). */
function holdersQuery(tx: Tx, tenantId: string, roleName: string) {
  return (
    tx
      .selectFrom('users')
      .where('tenant_id', '=', tenantId)
      .where('roles', 'like', `%${JSON.stringify(roleName)}%`)
      // a user in deleted items holds no role that counts
      .where('deleted_at', 'is', null)
  );
}

/**
 * Refuses a change that would leave the tenant without an enabled Global Administrator: removing the role from,
 * disabling or deleting `userId` when it is the last one. Call it inside the change's transaction, before the change
 * (user delete and disable call it through directory/users.ts; role removal here).
 */
export async function assertNotLastGlobalAdmin(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await lockTenantRoles(tx, tenantId);
  const user = await getUser(tx, tenantId, userId);
  if (!user || !user.accountEnabled || !user.roles.includes(GLOBAL_ADMINISTRATOR)) return;
  const other = await holdersQuery(tx, tenantId, GLOBAL_ADMINISTRATOR)
    .select('id')
    .where('id', '<>', user.id)
    .where('account_enabled', '=', 1)
    .limit(1)
    .executeTakeFirst();
  if (!other) throw new InvalidRequest('role.lastGlobalAdmin', { user: user.userPrincipalName });
}

/**
 * Entra's "limited admins": the roles whose holders an administrator other than a Global Administrator manages, by
 * the actor's role. A User Administrator manages non-administrators and the limited admins, other User
 * Administrators among them; a Helpdesk Administrator only non-administrators, other Helpdesk Administrators and the
 * readers and inviters, never a User Administrator (else a helpdesk resets a User Administrator guest's redemption to
 * an address of their own and signs in with more rights than they hold).
 */
const MANAGEABLE_BY: Readonly<Record<string, readonly string[]>> = {
  [USER_ADMINISTRATOR]: [USER_ADMINISTRATOR, HELPDESK_ADMINISTRATOR, GUEST_INVITER, REPORTS_READER],
  [HELPDESK_ADMINISTRATOR]: [HELPDESK_ADMINISTRATOR, GUEST_INVITER, REPORTS_READER],
};
/** What any other actor who reaches a change of a user manages: the narrowest of the limited admins' sets. */
const MANAGEABLE_OTHERWISE = MANAGEABLE_BY[HELPDESK_ADMINISTRATOR]!;

/** Whether an actor holding `actorRoles` may change a user holding `targetRoles` (Entra's limited admins). */
function mayManage(actorRoles: readonly string[], targetRoles: readonly string[]): boolean {
  if (actorRoles.includes(GLOBAL_ADMINISTRATOR)) return true;
  const granting = actorRoles.filter((r) => MANAGEABLE_BY[r]);
  const manageable = granting.length ? granting.flatMap((r) => MANAGEABLE_BY[r]!) : MANAGEABLE_OTHERWISE;
  return targetRoles.every((r) => manageable.includes(r));
}

/**
 * Refuses a signed-in administrator who is not a Global Administrator changing (password, sign-in name, enabled,
 * delete, reset redemption) a user who holds a role beyond what the administrator's own role manages (a Global
 * Administrator above all): else a User Administrator resets a Global Administrator's password and signs in as one.
 */
export function assertMayManageUser(actorRoles: readonly string[], target: Pick<User, 'roles' | 'userPrincipalName'>) {
  if (mayManage(actorRoles, target.roles)) return;
  // a role a User Administrator manages, so not only a Global Administrator's to manage
  if (mayManage([USER_ADMINISTRATOR], target.roles))
    throw new AuthorizationDenied('role.beyondYourRole', { user: target.userPrincipalName });
  throw new AuthorizationDenied('role.privilegedTarget', { user: target.userPrincipalName });
}

/** The application permission Graph asks of an app (client credentials) that changes a privileged user. */
export const PRIVILEGED_USER_PERMISSION = 'RoleManagement.ReadWrite.Directory';

/**
 * assertMayManageUser for an API or page actor: a signed-in user's own roles limit it. An application (client
 * credentials) changes a user holding an administrator role beyond a User Administrator's reach only with
 * RoleManagement.ReadWrite.Directory besides its user permission, as Graph requires: User.ReadWrite.All alone does
 * not let an app disable, reset or delete a Global Administrator. `appPermissions` are the app's (absent: none).
 */
export async function assertActorMayManageUser(
  tx: Tx,
  tenantId: string,
  actor: Actor,
  targetId: string,
  appPermissions?: ReadonlySet<string>,
) {
  if (actor.kind === 'system') return;
  if (actor.kind === 'app' && appPermissions?.has(PRIVILEGED_USER_PERMISSION)) return;
  const target = await getUser(tx, tenantId, targetId);
  if (!target) return; // the change itself says it is not found
  if (actor.kind === 'app') {
    if (mayManage([USER_ADMINISTRATOR], target.roles)) return;
    throw new AuthorizationDenied('role.privilegedTargetApp', {
      user: target.userPrincipalName,
      permission: PRIVILEGED_USER_PERMISSION,
    });
  }
  assertMayManageUser((await getUser(tx, tenantId, actor.id))?.roles ?? [], target);
}

async function writeRoles(tx: Tx, clock: Clock, tenantId: string, userId: string, roles: string[]): Promise<void> {
  await tx
    .updateTable('users')
    .set({ roles: toJson(roles), updated_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .execute();
}

const auditTargets = (user: User, role: RoleDefinition) => [
  { id: user.id, type: 'User' as const, displayName: user.displayName, userPrincipalName: user.userPrincipalName },
  { id: role.id, type: 'Other' as const, displayName: role.displayName },
];

/** Gives `principalId` (a user of the tenant) the role: Graph's POST roleAssignments. */
export async function assignRole(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: { roleDefinitionId: string; principalId: string },
  actor: Actor,
): Promise<RoleAssignment> {
  const role = requireRoleDefinition(input.roleDefinitionId);
  await lockTenantRoles(tx, tenantId);
  const user = isUuid(input.principalId) ? await getUser(tx, tenantId, input.principalId) : undefined;
  if (!user) throw new InvalidRequest('role.principalUnknown', { id: input.principalId });
  if (user.roles.includes(role.displayName))
    throw new ObjectConflict('role.alreadyAssigned', { role: role.displayName, user: user.userPrincipalName });
  await writeRoles(tx, clock, tenantId, user.id, [...user.roles, role.displayName]);
  await recordAudit(tx, clock, tenantId, {
    category: 'RoleManagement',
    activity: 'Add member to role',
    operationType: 'Assign',
    actor,
    targets: auditTargets(user, role),
    details: { 'Role.DisplayName': role.displayName, 'Role.TemplateId': role.id },
  });
  return assignment(role, user.id);
}

/** One assignment by its id, or undefined when it names none (malformed, unknown role, or not held). */
export async function getRoleAssignment(tx: Tx, tenantId: string, id: string): Promise<RoleAssignment | undefined> {
  const parsed = parseRoleAssignmentId(id);
  const role = parsed && roleDefinition(parsed.roleDefinitionId);
  if (!parsed || !role) return undefined;
  const user = await getUser(tx, tenantId, parsed.principalId);
  return user?.roles.includes(role.displayName) ? assignment(role, user.id) : undefined;
}

/** Takes a role back: Graph's DELETE roleAssignments/{id}. Never the last enabled Global Administrator's. */
export async function removeRoleAssignment(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  actor: Actor,
): Promise<RoleAssignment> {
  await lockTenantRoles(tx, tenantId);
  const found = await getRoleAssignment(tx, tenantId, id);
  if (!found) throw new ResourceNotFound('resource.notFound', { id });
  const role = requireRoleDefinition(found.roleDefinitionId);
  if (role.displayName === GLOBAL_ADMINISTRATOR) await assertNotLastGlobalAdmin(tx, tenantId, found.principalId);
  const user = (await getUser(tx, tenantId, found.principalId))!;
  await writeRoles(
    tx,
    clock,
    tenantId,
    user.id,
    user.roles.filter((r) => r !== role.displayName),
  );
  await recordAudit(tx, clock, tenantId, {
    category: 'RoleManagement',
    activity: 'Remove member from role',
    operationType: 'Unassign',
    actor,
    targets: auditTargets(user, role),
    details: { 'Role.DisplayName': role.displayName, 'Role.TemplateId': role.id },
  });
  return found;
}

/** The tenant's role assignments, optionally of one principal and/or one role (Graph's $filter). */
export async function listRoleAssignments(
  tx: Tx,
  tenantId: string,
  filter: { principalId?: string; roleDefinitionId?: string } = {},
): Promise<RoleAssignment[]> {
  const role = filter.roleDefinitionId === undefined ? undefined : roleDefinition(filter.roleDefinitionId);
  if (filter.roleDefinitionId !== undefined && !role) return [];
  if (filter.principalId !== undefined && !isUuid(filter.principalId)) return [];
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'roles'])
    .where('tenant_id', '=', tenantId)
    .where('roles', '<>', '[]')
    // a user in deleted items holds no role that counts
    .where('deleted_at', 'is', null)
    .$if(filter.principalId !== undefined, (q) => q.where('id', '=', filter.principalId!.toLowerCase()))
    .$if(role !== undefined, (q) => q.where('roles', 'like', `%${JSON.stringify(role!.displayName)}%`))
    .orderBy('id')
    .execute();
  const out: RoleAssignment[] = [];
  for (const row of rows) {
    const held = JSON.parse(row.roles) as string[];
    for (const r of ROLE_DEFINITIONS)
      if (held.includes(r.displayName) && (!role || r === role)) out.push(assignment(r, row.id));
  }
  return out;
}

/** The users who hold a role. */
export async function roleMembers(tx: Tx, tenantId: string, role: RoleDefinition): Promise<User[]> {
  const rows = await holdersQuery(tx, tenantId, role.displayName).selectAll().orderBy('display_name').execute();
  return rows.map(toUser).filter((u) => u.roles.includes(role.displayName));
}

/**
 * Graph's directoryRole: a role activated in the tenant, with an object id of its own. Portico derives that id from
 * the tenant and the template, so it is stable without being stored. A role is activated once someone holds it; the
 * Global Administrator role always is.
 */
export interface DirectoryRole {
  id: string;
  roleTemplateId: string;
  displayName: string;
  description: string;
}

export function directoryRoleOf(tenantId: string, role: RoleDefinition): DirectoryRole {
  const h = createHash('sha256').update(`directoryRole:${tenantId}:${role.id}`).digest('hex');
  // A version-4-shaped GUID, as Entra's object ids are.
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return { id, roleTemplateId: role.id, displayName: role.displayName, description: role.description };
}

export async function activatedRoles(tx: Tx, tenantId: string): Promise<DirectoryRole[]> {
  const held = new Set((await listRoleAssignments(tx, tenantId)).map((a) => a.roleDefinitionId));
  return ROLE_DEFINITIONS.filter((r) => r.displayName === GLOBAL_ADMINISTRATOR || held.has(r.id)).map((r) =>
    directoryRoleOf(tenantId, r),
  );
}

/** A directoryRole by its object id, or by `roleTemplateId=<template id>` (Graph's alternate key). */
export function findDirectoryRole(
  tenantId: string,
  key: string,
): { role: RoleDefinition; dir: DirectoryRole } | undefined {
  const template = /^roleTemplateId=(.+)$/i.exec(key)?.[1];
  for (const role of ROLE_DEFINITIONS) {
    const dir = directoryRoleOf(tenantId, role);
    if (template !== undefined ? role.id === template.toLowerCase() : dir.id === key.toLowerCase())
      return { role, dir };
  }
  return undefined;
}
