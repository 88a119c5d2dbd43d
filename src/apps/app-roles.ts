// App roles for users and groups (Graph's appRoleAssignment): an assignment (apps/assignments.ts, app_assignments)
// names a user or group, the app (the resource) and the app role, Entra's default access role
// 00000000-0000-0000-0000-000000000000 when none. A user's tokens for an app (its ID token) or an API (an access
// token whose audience is it) carry `roles`: the values of the enabled roles of type User assigned to them, directly
// or through a group they are a member of (oidc/provider.ts, oidc/resources.ts).
import type { Clock } from '../clock.ts';
import type { Actor } from '../directory/audit.ts';
import { groupIdsOf } from '../directory/groups.ts';
import type { Db, Tx } from '../store/index.ts';
import { findAppByClientId } from './apps.ts';
import { DEFAULT_ACCESS_ROLE, notFound, unassign, type Assignment } from './assignments.ts';

/** An assignment's Graph id: opaque, as Entra's are; it names the app, the principal and the role. */
export const assignmentId = (a: Pick<Assignment, 'appId' | 'principalId' | 'appRoleId'>): string =>
  Buffer.from(`${a.appId}:${a.principalId}:${a.appRoleId}`).toString('base64url');

/** The assignments of one user or group, to every app (Graph's /users/{id}/appRoleAssignments). */
export async function assignmentsOf(db: Db, tenantId: string, principalId: string) {
  const rows = await db
    .selectFrom('app_assignments')
    .innerJoin('apps', (j) =>
      j.onRef('apps.tenant_id', '=', 'app_assignments.tenant_id').onRef('apps.id', '=', 'app_assignments.app_id'),
    )
    .select([
      'app_assignments.app_id',
      'app_assignments.principal_id',
      'app_assignments.principal_type',
      'app_assignments.app_role_id',
      'app_assignments.created_at',
      'apps.display_name',
    ])
    .where('app_assignments.tenant_id', '=', tenantId)
    .where('app_assignments.principal_id', '=', principalId.toLowerCase())
    .where('apps.deleted_at', 'is', null)
    .orderBy('app_assignments.created_at')
    .execute();
  return rows.map((r) => ({
    appId: r.app_id,
    principalId: r.principal_id,
    principalType: r.principal_type,
    appRoleId: r.app_role_id,
    createdDateTime: r.created_at,
    resourceDisplayName: r.display_name,
  }));
}

/** Removes one assignment of a user or group by its Graph id. */
export async function removeAssignment(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  principalId: string,
  id: string,
  actor: Actor,
): Promise<void> {
  const [appId, principal, roleId] = Buffer.from(id.slice(0, 200), 'base64url').toString().split(':');
  if (
    !appId ||
    !roleId ||
    principal !== principalId.toLowerCase() ||
    assignmentId({ appId, principalId: principal, appRoleId: roleId }) !== id
  )
    throw notFound(id.slice(0, 100));
  await unassign(tx, clock, tenantId, appId, principal, actor, roleId);
}

/** The values of the app's enabled User roles assigned to the user, directly or through their groups. */
export async function userAppRoles(db: Db, tenantId: string, clientId: string, userId: string): Promise<string[]> {
  const app = await findAppByClientId(db, tenantId, clientId);
  if (!app?.appRoles.length) return [];
  const id = userId.toLowerCase();
  const rows = await db
    .selectFrom('app_assignments')
    .select('app_role_id')
    .where('tenant_id', '=', tenantId)
    .where('app_id', '=', app.id)
    .where('app_role_id', '!=', DEFAULT_ACCESS_ROLE)
    .where((eb) => eb.or([eb('principal_id', '=', id), eb('principal_id', 'in', groupIdsOf(db, tenantId, id))]))
    .execute();
  const assigned = new Set(rows.map((r) => r.app_role_id));
  return app.appRoles
    .filter((r) => r.isEnabled && r.allowedMemberTypes.includes('User') && assigned.has(r.id))
    .map((r) => r.value);
}
