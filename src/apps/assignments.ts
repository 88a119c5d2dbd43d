// Who may use an app (user and group assignments, Graph's appRoleAssignedTo with the default role), what My Apps
// shows a user, and the tenant-wide admin consent to an app's delegated permissions.
import type { Clock } from '../clock.ts';
import type { Actor, AuditTarget, ChangeAs } from '../directory/audit.ts';
import { getGroup, groupIdsOf, groupNames } from '../directory/groups.ts';
import { isUuid } from '../directory/tenants.ts';
import { userSummaries } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import { tenantChanged } from '../store/epochs.ts';
import type { Db, Tx } from '../store/index.ts';
import { isUniqueViolation } from '../store/json.ts';
import { grantRequiredResourceAccess, revokeResourceGrants } from './api-exposure.ts';
import { liveApps, lockApp, recordAppEvent, requireApp, toApp, type App } from './apps.ts';

export type PrincipalType = 'User' | 'Group';

export interface Principal {
  id: string;
  type: PrincipalType;
  displayName: string;
  userPrincipalName?: string;
}

export interface Assignment {
  appId: string;
  principalId: string;
  principalType: PrincipalType;
  principalDisplayName: string | null;
  createdDateTime: string;
  /** the app role (Graph's appRoleId); the default access role for a plain assignment */
  appRoleId: string;
}

/** Entra's default access role: an assignment to the app without an app role. */
export const DEFAULT_ACCESS_ROLE = '00000000-0000-0000-0000-000000000000';

export const notFound = (id: string) => new ResourceNotFound('resource.notFound', { id });

/** A user (guests included) or group of the tenant by object id; `type` narrows the search. */
export async function findPrincipal(
  db: Tx,
  tenantId: string,
  id: string,
  type?: PrincipalType,
): Promise<Principal | undefined> {
  if (!isUuid(id)) return undefined;
  const key = id.toLowerCase();
  if (type !== 'Group') {
    const user = (await userSummaries(db, tenantId, [key])).get(key);
    if (user)
      return { id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName };
  }
  if (type !== 'User') {
    const group = await getGroup(db, tenantId, key);
    if (group) return { id: group.id, type: 'Group', displayName: group.displayName };
  }
  return undefined;
}

const principalTarget = (p: Principal): AuditTarget => ({
  id: p.id,
  type: p.type,
  displayName: p.displayName,
  ...(p.userPrincipalName && { userPrincipalName: p.userPrincipalName }),
});

export async function assignPrincipal(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  appId: string,
  principalId: string,
  principalType: PrincipalType | undefined,
  actor: Actor,
  appRoleId: string = DEFAULT_ACCESS_ROLE,
): Promise<Assignment> {
  const app = await requireApp(tx, tenantId, appId);
  const principal = await findPrincipal(tx, tenantId, principalId, principalType);
  if (!principal) throw notFound(principalId);
  // An app role for users and groups (Graph's appRoleAssignment), or the default access role.
  if (
    appRoleId !== DEFAULT_ACCESS_ROLE &&
    !app.appRoles.some((r) => r.id === appRoleId.toLowerCase() && r.isEnabled && r.allowedMemberTypes.includes('User'))
  )
    throw new InvalidRequest('apps.noSuchAppRole', { id: appRoleId.slice(0, 100) });
  const exists = new InvalidRequest('apps.alreadyAssigned');
  const existing = await tx
    .selectFrom('app_assignments')
    .select('principal_id')
    .where('tenant_id', '=', tenantId)
    .where('app_id', '=', app.id)
    .where('principal_id', '=', principal.id)
    .where('app_role_id', '=', appRoleId.toLowerCase())
    .executeTakeFirst();
  if (existing) throw exists;
  const createdDateTime = clock.now().toISOString();
  try {
    await tx
      .insertInto('app_assignments')
      .values({
        tenant_id: tenantId,
        app_id: app.id,
        principal_id: principal.id,
        principal_type: principal.type,
        created_at: createdDateTime,
        app_role_id: appRoleId.toLowerCase(),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw exists;
    throw error;
  }
  await recordAppEvent(tx, clock, tenantId, actor, app, {
    activity: principal.type === 'User' ? 'Add app role assignment grant to user' : 'Add app role assignment to group',
    operationType: 'Assign',
    more: [principalTarget(principal)],
    details: appRoleId !== DEFAULT_ACCESS_ROLE ? { AppRoleId: appRoleId.toLowerCase() } : undefined,
  });
  return {
    appId: app.id,
    principalId: principal.id,
    principalType: principal.type,
    principalDisplayName: principal.displayName,
    createdDateTime,
    appRoleId: appRoleId.toLowerCase(),
  };
}

export async function unassign(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  appId: string,
  principalId: string,
  actor: Actor,
  /** one app role's assignment only; every one of the principal's when undefined */
  appRoleId?: string,
): Promise<void> {
  const app = await requireApp(tx, tenantId, appId);
  const key = principalId.toLowerCase();
  const row = await tx
    .deleteFrom('app_assignments')
    .where('tenant_id', '=', tenantId)
    .where('app_id', '=', app.id)
    .where('principal_id', '=', key)
    .$if(appRoleId !== undefined, (q) => q.where('app_role_id', '=', appRoleId!))
    .returning(['principal_type'])
    .executeTakeFirst();
  if (!row) throw new ResourceNotFound('apps.notAssigned', { principalId, id: app.id });
  const principal = (await findPrincipal(tx, tenantId, key, row.principal_type)) ?? {
    id: key,
    type: row.principal_type,
    displayName: '',
  };
  await recordAppEvent(tx, clock, tenantId, actor, app, {
    activity:
      principal.type === 'User' ? 'Remove app role assignment from user' : 'Remove app role assignment from group',
    operationType: 'Unassign',
    more: [principalTarget(principal)],
  });
}

/**
 * A deleted principal's assignments (a user's or a group's): principal_id names either, so no foreign key can
 * cascade (migration 0017); directory/users.ts and directory/groups.ts call this before deleting.
 */
export async function forgetPrincipal(tx: Tx, tenantId: string, principalId: string): Promise<void> {
  await tx
    .deleteFrom('app_assignments')
    .where('tenant_id', '=', tenantId)
    .where('principal_id', '=', principalId)
    .execute();
}

export async function listAssignments(db: Db, tenantId: string, appId: string): Promise<Assignment[]> {
  const rows = await db
    .selectFrom('app_assignments as a')
    .select(['a.app_id', 'a.principal_id', 'a.principal_type', 'a.created_at', 'a.app_role_id'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.app_id', '=', appId.toLowerCase())
    // A deleted app's assignments wait for its restore (deleted items).
    .where('a.app_id', 'in', liveApps(db).select('apps.id').where('apps.tenant_id', '=', tenantId))
    .orderBy('a.created_at')
    .orderBy('a.principal_id')
    .execute();
  const ids = (type: PrincipalType) => rows.filter((r) => r.principal_type === type).map((r) => r.principal_id);
  const groups = await groupNames(db, tenantId, ids('Group'));
  const users = await userSummaries(db, tenantId, ids('User'));
  // A deleted user's or group's assignment stays for a restore (deleted items) but is no assignment meanwhile.
  const listed = rows.filter((r) => (r.principal_type === 'User' ? users : groups).has(r.principal_id));
  return listed.map((r) => ({
    appId: r.app_id,
    principalId: r.principal_id,
    principalType: r.principal_type,
    principalDisplayName:
      (r.principal_type === 'User' ? users.get(r.principal_id)?.displayName : groups.get(r.principal_id)) ?? null,
    createdDateTime: r.created_at,
    appRoleId: r.app_role_id,
  }));
}

/** The ids of the apps assigned to the user, directly or through a group the user is a member of. */
function assignedAppIds(db: Db, tenantId: string, userId: string) {
  const id = userId.toLowerCase();
  return db
    .selectFrom('app_assignments')
    .select('app_id')
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('principal_id', '=', id), eb('principal_id', 'in', groupIdsOf(db, tenantId, id))]));
}

/** Whether the user may use the app: anyone may when it does not require assignment. */
export async function isAssigned(db: Db, tenantId: string, app: App, userId: string): Promise<boolean> {
  if (!app.assignmentRequired) return true;
  return (await assignedAppIds(db, tenantId, userId).where('app_id', '=', app.id).executeTakeFirst()) !== undefined;
}

/** What My Apps shows the user: visible apps that sign users in and that the user may use, by name. */
export async function appsForUser(db: Db, tenantId: string, userId: string): Promise<App[]> {
  const rows = await liveApps(db)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('visible_in_my_apps', '=', 1)
    .where((eb) => eb.or([eb('assignment_required', '=', 0), eb('id', 'in', assignedAppIds(db, tenantId, userId))]))
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows
    .map(toApp)
    .filter(
      (a) => a.grantTypes.includes('authorization_code') && (a.homepageUrl !== null || a.redirectUris.length > 0),
    );
}

/** Users cannot consent for themselves to what needs an administrator, until one consents for everyone. */
export const needsAdminConsent = (app: App): boolean => app.adminConsentRequired.length > 0 && !app.adminConsentGranted;

/** Consents, for every user of the tenant, to all the app's delegated permissions (Graph: consentType AllPrincipals). */
export const grantAdminConsent: ChangeAs<App> = async (tx, clock, tenantId, appId, actor) => {
  const app = await lockApp(tx, tenantId, appId);
  const now = clock.now().toISOString();
  // The permissions it asks of other apps' APIs: delegated scopes for every user and application permissions.
  const granted = await grantRequiredResourceAccess(tx, clock, tenantId, app.id, app.requiredResourceAccess);
  await setAdminConsent(tx, tenantId, app.id, now);
  await recordAppEvent(tx, clock, tenantId, actor, app, {
    activity: 'Consent to application',
    operationType: 'Assign',
    details: {
      ConsentType: 'AllPrincipals',
      Scope: app.delegatedPermissions.join(' '),
      ...(granted.length && {
        ResourceAccess: granted.map((g) => `${g.resourceDisplayName}:${g.kind}:${g.value}`).join(' '),
      }),
    },
  });
  return { ...app, adminConsentGranted: true, adminConsentGrantedDateTime: now };
};

/** When the tenant's admin consented to the app's permissions for every user, or null: not (any more). */
async function setAdminConsent(tx: Tx, tenantId: string, appId: string, at: string | null): Promise<void> {
  await tx
    .updateTable('apps')
    .set({ admin_consent_granted_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', appId)
    .execute();
  await tenantChanged(tx, tenantId); // the app as nodes cache it (apps.ts findAppByClientId)
}

export const revokeAdminConsent: ChangeAs<App> = async (tx, clock, tenantId, appId, actor) => {
  const app = await lockApp(tx, tenantId, appId);
  await revokeResourceGrants(tx, tenantId, app.id);
  await setAdminConsent(tx, tenantId, app.id, null);
  await recordAppEvent(tx, clock, tenantId, actor, app, {
    activity: 'Remove delegated permission grant',
    operationType: 'Unassign',
    details: { ConsentType: 'AllPrincipals', wasGranted: String(app.adminConsentGranted) },
  });
  return { ...app, adminConsentGranted: false, adminConsentGrantedDateTime: null };
};
