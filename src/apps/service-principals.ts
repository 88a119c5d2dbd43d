// Multi-tenant apps in the tenants that use them. An app registered in tenant A with an audience beyond A
// (apps/audience.ts) is a client of every tenant's OpenID provider (oidc/adapter.ts asks clientAppFor); tenant B knows
// it as a service principal (Graph's servicePrincipal: appId the client id, appOwnerOrganizationId A), created by the
// first consent in B: a user's own, on their first sign-in (oidc/app-consent.tsx), or an administrator's for everyone
// (Graph POST /servicePrincipals, then .../adminConsent). The registration stays A's: its secrets, redirect URIs and
// permissions are read from A at each use; what is B's (consent, admin consent) is here.
import type { ExpressionBuilder, Selectable } from 'kysely';

import type { Clock } from '../clock.ts';
import { recordAudit, type Actor, type AuditTarget, type ChangeAs } from '../directory/audit.ts';
import { isUuid } from '../directory/tenants.ts';
import { InvalidRequest, ObjectConflict } from '../errors.ts';
import { newId } from '../secrets.ts';
import { revokeClient } from '../sessions/revoke.ts';
import type { Db, Tx } from '../store/index.ts';
import type { Database, ServicePrincipalsTable } from '../store/schema.ts';
import { findAppByClientId, liveApps, toApp, type App } from './apps.ts';
import { notFound } from './assignments.ts';
import { allowsOtherTenants } from './audience.ts';

export interface ServicePrincipal {
  tenantId: string;
  id: string;
  /** the app's client id */
  appId: string;
  appOwnerOrganizationId: string;
  createdDateTime: string;
  adminConsentGranted: boolean;
  adminConsentGrantedDateTime: string | null;
}

export const toServicePrincipal = (r: Selectable<ServicePrincipalsTable>): ServicePrincipal => ({
  tenantId: r.tenant_id,
  id: r.id,
  appId: r.app_id,
  appOwnerOrganizationId: r.app_owner_tenant_id,
  createdDateTime: r.created_at,
  adminConsentGranted: r.admin_consent_granted_at !== null,
  adminConsentGrantedDateTime: r.admin_consent_granted_at,
});

/**
 * An app as a tenant's sign-ins see it: the tenant's own registration, or another tenant's multi-tenant app with what
 * this tenant decided about it (its service principal: admin consent; assignment is not required of it here).
 */
export type TenantApp = App & {
  secretHash: string | null;
  /** set for another tenant's app: its owner tenant, and this tenant's service principal of it if there is one yet */
  foreign?: {
    ownerTenantId: string;
    servicePrincipal?: ServicePrincipal;
    /** the app's permissions only an administrator may grant: this tenant's administrator, for this tenant */
    adminConsentRequired: string[];
  };
};

/** The registration of a client id, in whichever tenant holds it (client ids are unique across the deployment). */
export async function findRegistration(db: Db | Tx, clientId: string): Promise<TenantApp | undefined> {
  if (!isUuid(clientId)) return undefined;
  const row = await liveApps(db).selectAll().where('client_id', '=', clientId.toLowerCase()).executeTakeFirst();
  return row && { ...toApp(row), secretHash: row.secret_hash };
}

/** Only service principals of apps in the directory: a deleted app's wait for its restore (deleted items). */
export const ofLiveApps = (db: Db | Tx) => (eb: ExpressionBuilder<Database, 'service_principals'>) =>
  eb('service_principals.app_id', 'in', liveApps(db).select('apps.client_id'));

/** The tenant's service principals whose app is in the directory (not in deleted items). */
const liveServicePrincipals = (db: Db | Tx, tenantId: string) =>
  db.selectFrom('service_principals').selectAll().where('tenant_id', '=', tenantId).where(ofLiveApps(db));

export async function getServicePrincipal(
  db: Db | Tx,
  tenantId: string,
  clientId: string,
): Promise<ServicePrincipal | undefined> {
  const row = await liveServicePrincipals(db, tenantId).where('app_id', '=', clientId.toLowerCase()).executeTakeFirst();
  return row && toServicePrincipal(row);
}

/**
 * The app `clientId` names at `tenantId`: its own, or another tenant's app whose audience lets this tenant's accounts
 * sign in, seen through this tenant's service principal (admin consent is this tenant's; assignment is not required).
 */
export async function clientAppFor(db: Db | Tx, tenantId: string, clientId: string): Promise<TenantApp | undefined> {
  return (await findAppByClientId(db, tenantId, clientId)) ?? foreignClientApp(db, tenantId, clientId);
}

/** Another tenant's app `clientId` names, when its audience lets other tenants' accounts sign in, or undefined. */
export async function otherTenantsApp(db: Db | Tx, clientId: string): Promise<TenantApp | undefined> {
  const app = await findRegistration(db, clientId);
  return app && !app.isManagement && allowsOtherTenants(app.signInAudience) ? app : undefined;
}

/** `clientAppFor` without the tenant's own apps: another tenant's multi-tenant app as `tenantId` sees it. */
export async function foreignClientApp(
  db: Db | Tx,
  tenantId: string,
  clientId: string,
): Promise<TenantApp | undefined> {
  const app = await otherTenantsApp(db, clientId);
  return app && foreignApp(app, await getServicePrincipal(db, tenantId, app.clientId));
}

/**
 * Another tenant's app as a realm that does not own it sees it (a tenant through its service principal, if any; the
 * personal accounts realm, oidc/consumers.ts, through none): signing in only.
 */
export function foreignApp(app: TenantApp, servicePrincipal?: ServicePrincipal): TenantApp {
  // Admin consent here is asked by the consent step (oidc/app-consent.tsx), which says how this tenant grants it.
  // Application permissions are the owner tenant's grants to it: here it has none, and no client-credentials grant (an
  // app would otherwise read this tenant's directory with what its own tenant granted it).
  return {
    ...app,
    grantTypes: app.grantTypes.filter((g) => g !== 'client_credentials'),
    appPermissions: [],
    assignmentRequired: false,
    adminConsentRequired: [],
    adminConsentGranted: servicePrincipal?.adminConsentGranted ?? false,
    adminConsentGrantedDateTime: servicePrincipal?.adminConsentGrantedDateTime ?? null,
    foreign: { ownerTenantId: app.tenantId, servicePrincipal, adminConsentRequired: app.adminConsentRequired },
  };
}

/** Whether the user (or an administrator for everyone) consented at this tenant to another tenant's app. */
export async function hasConsented(db: Db, tenantId: string, clientId: string, userId: string): Promise<boolean> {
  const sp = await getServicePrincipal(db, tenantId, clientId);
  if (!sp) return false;
  if (sp.adminConsentGranted) return true;
  const row = await db
    .selectFrom('app_user_consents')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('app_id', '=', sp.appId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A sign-in of this user to `clientId` must first ask their consent: the app is another tenant's, not consented to. */
export async function needsConsent(db: Db, tenantId: string, clientId: string, userId: string): Promise<boolean> {
  if (await findAppByClientId(db, tenantId, clientId)) return false;
  const app = await findRegistration(db, clientId);
  return app !== undefined && !(await hasConsented(db, tenantId, app.clientId, userId));
}

const spTarget = (app: App, sp: { id: string }): AuditTarget => ({
  id: sp.id,
  type: 'Application',
  displayName: app.displayName,
});

/** A consent in this tenant's audit log: a user's own (Principal) or an administrator's for everyone (AllPrincipals). */
const recordConsent = (
  tx: Tx,
  clock: Clock,
  tenantId: string,
  actor: Actor,
  app: App,
  sp: ServicePrincipal,
  consentType: 'Principal' | 'AllPrincipals',
  scope: string,
) =>
  recordAudit(tx, clock, tenantId, {
    category: 'ApplicationManagement',
    activity: 'Consent to application',
    operationType: 'Assign',
    actor,
    targets: [spTarget(app, sp)],
    details: { appId: app.clientId, consentType, scope },
  });

/** This tenant's service principal of another tenant's app, created if missing (one insert; a racing one wins). */
async function ensureServicePrincipal(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  app: App,
  actor: Actor,
): Promise<{ sp: ServicePrincipal; created: boolean }> {
  const inserted = await tx
    .insertInto('service_principals')
    .values({
      tenant_id: tenantId,
      id: newId(),
      app_id: app.clientId,
      app_owner_tenant_id: app.tenantId,
      created_at: clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'app_id']).doNothing())
    .executeTakeFirst();
  const sp = (await getServicePrincipal(tx, tenantId, app.clientId))!;
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  if (created)
    await recordAudit(tx, clock, tenantId, {
      category: 'ApplicationManagement',
      activity: 'Add service principal',
      operationType: 'Add',
      actor,
      targets: [spTarget(app, sp)],
      details: { appId: app.clientId, appOwnerOrganizationId: app.tenantId },
    });
  return { sp, created };
}

/** A user's consent at this tenant to another tenant's app: its service principal here first, if it has none yet. */
export async function consentForUser(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  app: App,
  user: { id: string; userPrincipalName: string },
  scope: string,
): Promise<ServicePrincipal> {
  const actor: Actor = { kind: 'user', id: user.id, userPrincipalName: user.userPrincipalName };
  const { sp } = await ensureServicePrincipal(tx, clock, tenantId, app, actor);
  await tx
    .insertInto('app_user_consents')
    .values({
      tenant_id: tenantId,
      app_id: app.clientId,
      user_id: user.id,
      scope,
      created_at: clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'app_id', 'user_id']).doUpdateSet({ scope }))
    .execute();
  await recordConsent(tx, clock, tenantId, actor, app, sp, 'Principal', scope);
  return sp;
}

/** An administrator adds another tenant's multi-tenant app to this tenant (Graph POST /servicePrincipals {appId}). */
export async function addServicePrincipal(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  clientId: string,
  actor: Actor,
): Promise<ServicePrincipal> {
  const app = await findRegistration(tx, clientId);
  if (!app) throw notFound(clientId);
  if (app.tenantId === tenantId) throw new InvalidRequest('servicePrincipals.ownApp', { appId: clientId });
  if (app.isManagement || !allowsOtherTenants(app.signInAudience))
    throw new InvalidRequest('servicePrincipals.notMultiTenant', { appId: clientId, audience: app.signInAudience });
  const { sp, created } = await ensureServicePrincipal(tx, clock, tenantId, app, actor);
  if (!created) throw new ObjectConflict('servicePrincipals.exists', { appId: clientId });
  return sp;
}

export async function requireServicePrincipal(db: Db | Tx, tenantId: string, id: string): Promise<ServicePrincipal> {
  if (!isUuid(id)) throw notFound(id);
  const row = await liveServicePrincipals(db, tenantId).where('id', '=', id.toLowerCase()).executeTakeFirst();
  if (!row) throw notFound(id);
  return toServicePrincipal(row);
}

/** This tenant's service principals of other tenants' apps, oldest first; `appId` narrows to one app. */
export async function listServicePrincipals(db: Db, tenantId: string, appId?: string): Promise<ServicePrincipal[]> {
  const rows = await liveServicePrincipals(db, tenantId)
    .$if(appId !== undefined, (q) => q.where('app_id', '=', appId!.toLowerCase()))
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
  return rows.map(toServicePrincipal);
}

/** An administrator consents for every user of this tenant to the app's permissions (its admin-consent ones too). */
export async function grantServicePrincipalConsent(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  actor: Actor,
): Promise<ServicePrincipal> {
  const sp = await requireServicePrincipal(tx, tenantId, id);
  const app = await findRegistration(tx, sp.appId);
  if (!app) throw notFound(id);
  await tx
    .updateTable('service_principals')
    .set({ admin_consent_granted_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sp.id)
    .execute();
  await recordConsent(tx, clock, tenantId, actor, app, sp, 'AllPrincipals', app.delegatedPermissions.join(' '));
  return requireServicePrincipal(tx, tenantId, sp.id);
}

/**
 * An administrator removes another tenant's app from this tenant (Graph DELETE /servicePrincipals/{id}): its service
 * principal, the admin consent kept in it, every user's consent to it here, and its grants and refresh tokens here
 * (sessions/revoke.ts), so its next sign-in asks for consent again and its refresh tokens are refused. Access tokens
 * already issued are JWTs that stay valid until they expire, as on Entra.
 */
export const removeServicePrincipal: ChangeAs<void> = async (tx, clock, tenantId, id, actor) => {
  const sp = await requireServicePrincipal(tx, tenantId, id);
  // Users' consents to it (app_user_consents) go with it: their key cascades (migration 0021).
  const removed = await tx
    .deleteFrom('service_principals')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', sp.id)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) throw notFound(id); // removed meanwhile by a racing request
  await revokeClient(tx, tenantId, sp.appId);
  const app = await findRegistration(tx, sp.appId);
  await recordAudit(tx, clock, tenantId, {
    category: 'ApplicationManagement',
    activity: 'Remove service principal',
    operationType: 'Delete',
    actor,
    targets: [{ id: sp.id, type: 'Application', displayName: app?.displayName ?? sp.appId }],
    details: { appId: sp.appId, appOwnerOrganizationId: sp.appOwnerOrganizationId },
  });
};

/** The service principals with their apps' names, for the admin center and the CLI. */
export async function listServicePrincipalsNamed(
  db: Db,
  tenantId: string,
): Promise<(ServicePrincipal & { displayName: string })[]> {
  const sps = await listServicePrincipals(db, tenantId);
  return Promise.all(
    sps.map(async (sp) => ({ ...sp, displayName: (await findRegistration(db, sp.appId))?.displayName ?? sp.appId })),
  );
}

/** A service principal by its object id or its app's client id (appId). */
export async function resolveServicePrincipal(db: Db | Tx, tenantId: string, ref: string): Promise<ServicePrincipal> {
  return (await getServicePrincipal(db, tenantId, ref)) ?? requireServicePrincipal(db, tenantId, ref);
}
