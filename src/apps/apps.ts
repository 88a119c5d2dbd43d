// App registrations: OAuth clients of a tenant's OpenID provider. Secrets are returned once and stored hashed.
import type { Selectable } from 'kysely';

import type { Clock } from '../clock.ts';
import {
  audited,
  recordAudit,
  type Actor,
  type Audited,
  type AuditInput,
  type AuditTarget,
} from '../directory/audit.ts';
import { type PropertyMap } from '../directory/filter.ts';
import { filteredPageOf } from '../directory/paging.ts';
import { isUuid } from '../directory/tenants.ts';
import type { ListOptions, Page } from '../directory/users.ts';
import { InvalidRequest, orNotFound, ResourceNotFound, type RefusalKey, type RefusalParams } from '../errors.ts';
import { hashSecret, newId, newSecret } from '../secrets.ts';
import { parseAmr, type Amr } from '../sessions/amr.ts';
import { eraseDeleted, moveDeleted, rowsDeletedBefore } from '../store/deleted-rows.ts';
import { tenantCache, tenantChanged } from '../store/epochs.ts';
import type { Db, Tx } from '../store/index.ts';
import { bool, parseJson, toJson } from '../store/json.ts';
import type { AppsTable } from '../store/schema.ts';
import {
  checkExposure,
  claimIdentifierUris,
  exposureColumns,
  exposureOf,
  type ApiExposure,
  type ExposureField,
} from './api-exposure.ts';
import { audienceOf, isSignInAudience, SIGN_IN_AUDIENCES, type SignInAudience } from './audience.ts';
import { APP_PERMISSIONS, isAppPermission, type AppPermission } from './permissions.ts';
import { deleteSecretsOf, storeSecret } from './secret-store.ts';

export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

export interface App extends ApiExposure {
  tenantId: string;
  id: string;
  clientId: string;
  displayName: string;
  confidential: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  appPermissions: AppPermission[];
  isManagement: boolean;
  createdDateTime: string;
  logoUrl: string | null;
  homepageUrl: string | null;
  assignmentRequired: boolean;
  /** delegated scopes the app asks users for, e.g. User.Read */
  delegatedPermissions: string[];
  /** the subset of delegatedPermissions only an administrator may consent to */
  adminConsentRequired: string[];
  adminConsentGranted: boolean;
  adminConsentGrantedDateTime: string | null;
  visibleInMyApps: boolean;
  /** the sign-in methods (amr) the app accepts; null accepts any (apps/sign-in-methods.ts) */
  requiredSignInMethods: Amr[] | null;
  /** whose accounts may sign in (apps/audience.ts) */
  signInAudience: SignInAudience;
  /**
   * Entra's "Allow public client flows": the app is a public client (it authenticates with no secret) and may use the
   * device code grant (oidc/device-flow.ts).
   */
  isFallbackPublicClient: boolean;
}

export function toApp(r: Selectable<AppsTable>): App {
  const isManagement = r.is_management === 1;
  return {
    tenantId: r.tenant_id,
    id: r.id,
    clientId: r.client_id,
    displayName: r.display_name,
    confidential: r.secret_hash !== null,
    redirectUris: parseJson(r.redirect_uris, []),
    postLogoutRedirectUris: parseJson(r.post_logout_redirect_uris, []),
    grantTypes: parseJson(r.grant_types, []),
    appPermissions: isManagement
      ? [...APP_PERMISSIONS]
      : parseJson<string[]>(r.app_permissions, []).filter(isAppPermission),
    isManagement,
    createdDateTime: r.created_at,
    logoUrl: r.logo_url,
    homepageUrl: r.homepage_url,
    assignmentRequired: r.assignment_required === 1,
    delegatedPermissions: parseJson(r.delegated_permissions, []),
    adminConsentRequired: parseJson(r.admin_consent_required, []),
    adminConsentGranted: r.admin_consent_granted_at !== null,
    adminConsentGrantedDateTime: r.admin_consent_granted_at,
    visibleInMyApps: r.visible_in_my_apps === 1,
    requiredSignInMethods: r.required_amr === null ? null : parseAmr(r.required_amr),
    signInAudience: audienceOf(r.sign_in_audience),
    ...exposureOf(r),
    isFallbackPublicClient: r.is_fallback_public_client === 1,
  };
}

/** What an administrator may change on an app after registering it. */
export interface AppSettings extends Partial<ApiExposure> {
  displayName?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  logoUrl?: string | null;
  homepageUrl?: string | null;
  assignmentRequired?: boolean;
  delegatedPermissions?: string[];
  adminConsentRequired?: string[];
  visibleInMyApps?: boolean;
  signInAudience?: SignInAudience;
  isFallbackPublicClient?: boolean;
}

export interface NewApp extends AppSettings {
  displayName: string;
  grantTypes: GrantType[];
  appPermissions?: string[];
  confidential?: boolean;
  isManagement?: boolean;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** https, or http on loopback (local development); never credentials in the URL. */
function webUrl(uri: string, allowFragment: boolean): boolean {
  try {
    const u = new URL(uri);
    if ((u.hash && !allowFragment) || u.username || u.password) return false;
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.includes(u.hostname));
  } catch {
    return false;
  }
}

/** A delegated scope as Graph names them: dotted words (User.Read, Files.ReadWrite.All, offline_access). */
export const isDelegatedPermission = (value: string): boolean =>
  value.length <= 100 && /^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)*$/.test(value);

/** The limits the API's schema sets, kept here too so every caller (admin center, CLI) has them. */
export const APP_LIMITS = { displayName: 256, uri: 2048, uris: 100, permissions: 100 } as const;

/** The form field an app setting's error belongs to (PorticoError details), so a page can show it there. */
export type AppField =
  | 'displayName'
  | 'redirectUris'
  | 'delegatedPermissions'
  | 'adminConsentRequired'
  | 'logoUrl'
  | 'homepageUrl'
  | 'signInAudience'
  | ExposureField;
const invalid = (field: AppField, key: RefusalKey, params?: RefusalParams) =>
  new InvalidRequest(key, params, { field });

/** Refuses settings no app may have; `state` is the app as it would be saved. */
function checkSettings(
  state: Required<
    Pick<
      NewApp,
      'grantTypes' | 'redirectUris' | 'postLogoutRedirectUris' | 'delegatedPermissions' | 'adminConsentRequired'
    >
  > &
    AppSettings & { isManagement?: boolean },
): void {
  if (state.displayName !== undefined && !state.displayName.trim())
    throw invalid('displayName', 'apps.displayNameEmpty');
  if (state.displayName !== undefined && state.displayName.trim().length > APP_LIMITS.displayName)
    throw invalid('displayName', 'apps.displayNameLong', { max: APP_LIMITS.displayName });
  if (state.redirectUris.length > APP_LIMITS.uris)
    throw invalid('redirectUris', 'apps.tooManyRedirectUris', { max: APP_LIMITS.uris });
  for (const uri of [...state.redirectUris, ...state.postLogoutRedirectUris]) {
    if (uri.length > APP_LIMITS.uri) throw invalid('redirectUris', 'apps.redirectUriLong', { max: APP_LIMITS.uri });
    if (!webUrl(uri, false)) throw invalid('redirectUris', 'apps.redirectUri', { uri });
  }
  for (const [name, uri] of [
    ['logoUrl', state.logoUrl],
    ['homepageUrl', state.homepageUrl],
  ] as const) {
    if (uri != null && !webUrl(uri, true)) throw invalid(name, 'apps.urlNotAllowed', { name, uri });
  }
  if (state.delegatedPermissions.length > APP_LIMITS.permissions)
    throw invalid('delegatedPermissions', 'apps.tooManyPermissions', { max: APP_LIMITS.permissions });
  const bad = state.delegatedPermissions.filter((p) => !isDelegatedPermission(p));
  if (bad.length)
    throw invalid('delegatedPermissions', 'apps.permissionName', {
      names: bad.map((p) => `'${p.slice(0, 100)}'`).join(', '),
    });
  if (new Set(state.delegatedPermissions).size !== state.delegatedPermissions.length)
    throw invalid('delegatedPermissions', 'apps.permissionTwice');
  const stray = state.adminConsentRequired.filter((p) => !state.delegatedPermissions.includes(p));
  if (stray.length) throw invalid('adminConsentRequired', 'apps.adminConsentStray', { stray: stray.join(', ') });
  if (state.signInAudience !== undefined && !isSignInAudience(state.signInAudience))
    throw invalid('signInAudience', 'apps.signInAudience', { values: SIGN_IN_AUDIENCES.join(', ') });
  if (state.signInAudience !== undefined && state.signInAudience !== 'AzureADMyOrg' && state.isManagement)
    throw invalid('signInAudience', 'apps.managementSingleTenant');
  // A public client app (a CLI using the device code flow) may have none: it then signs in by the device code only.
  if (state.grantTypes.includes('authorization_code') && !state.redirectUris.length && !state.isFallbackPublicClient)
    throw invalid('redirectUris', 'apps.noRedirectUri');
}

/** Registers an app; returns it with its client secret, which is never retrievable again. */
export async function registerApp(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: NewApp,
): Promise<{ app: App; clientSecret: string | null }> {
  const delegatedPermissions = input.delegatedPermissions ?? [];
  const adminConsentRequired = [...new Set(input.adminConsentRequired ?? [])];
  checkSettings({
    ...input,
    redirectUris: input.redirectUris ?? [],
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    delegatedPermissions,
    adminConsentRequired,
  });
  const unknown = (input.appPermissions ?? []).filter((p) => !isAppPermission(p));
  if (unknown.length) throw new InvalidRequest('apps.unknownPermission', { unknown: unknown.join(', ') });
  const confidential = input.confidential ?? true;
  if (input.grantTypes.includes('client_credentials') && !confidential)
    throw new InvalidRequest('apps.clientCredentialsConfidential');
  if (input.isFallbackPublicClient && confidential) throw new InvalidRequest('apps.publicClientWithSecret');
  const clientSecret = confidential ? newSecret(32) : null;
  const id = newId();
  const exposure = {
    identifierUris: input.identifierUris ?? [],
    oauth2PermissionScopes: input.oauth2PermissionScopes ?? [],
    appRoles: input.appRoles ?? [],
    requiredResourceAccess: input.requiredResourceAccess ?? [],
  };
  await checkExposure(tx, tenantId, undefined, exposure);
  await tx
    .insertInto('apps')
    .values({
      tenant_id: tenantId,
      id,
      client_id: newId(),
      display_name: input.displayName,
      secret_hash: clientSecret ? hashSecret(clientSecret) : null,
      redirect_uris: toJson(input.redirectUris ?? []),
      post_logout_redirect_uris: toJson(input.postLogoutRedirectUris ?? []),
      grant_types: toJson(input.grantTypes),
      app_permissions: toJson(input.appPermissions ?? []),
      is_management: bool(input.isManagement ?? false),
      created_at: clock.now().toISOString(),
      logo_url: input.logoUrl ?? null,
      homepage_url: input.homepageUrl ?? null,
      assignment_required: bool(input.assignmentRequired ?? false),
      delegated_permissions: toJson(delegatedPermissions),
      admin_consent_required: toJson(adminConsentRequired),
      visible_in_my_apps: bool(input.visibleInMyApps ?? true),
      sign_in_audience: input.signInAudience ?? 'AzureADMyOrg',
      ...exposureColumns(exposure),
      is_fallback_public_client: bool(input.isFallbackPublicClient ?? false),
    })
    .execute();
  if (clientSecret) await storeSecret(tx, clock, tenantId, id, clientSecret);
  await claimIdentifierUris(tx, tenantId, id, exposure.identifierUris);
  const row = await tx
    .selectFrom('apps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { app: toApp(row), clientSecret };
}

export const appTarget = (app: Pick<App, 'id' | 'displayName'>): AuditTarget => ({
  id: app.id,
  type: 'Application',
  displayName: app.displayName,
});

/** An audit event of the ApplicationManagement category whose first target is `app` (`more` targets after it). */
export const recordAppEvent = (
  tx: Tx,
  clock: Clock,
  tenantId: string,
  actor: Actor,
  app: Pick<App, 'id' | 'displayName'>,
  event: Pick<AuditInput, 'activity' | 'operationType' | 'details'> & { more?: AuditTarget[] },
) =>
  recordAudit(tx, clock, tenantId, {
    category: 'ApplicationManagement',
    activity: event.activity,
    operationType: event.operationType,
    actor,
    targets: [appTarget(app), ...(event.more ?? [])],
    details: event.details,
  });

/** registerApp for an administrator (API, CLI): the same, with its audit event. */
export async function createApp(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: NewApp,
  actor: Actor,
): Promise<{ app: App; clientSecret: string | null }> {
  const created = await registerApp(tx, clock, tenantId, input);
  await recordAppEvent(tx, clock, tenantId, actor, created.app, {
    activity: 'Add application',
    operationType: 'Add',
    details: { appId: created.app.clientId },
  });
  return created;
}

/**
 * The app registrations of the directory: every read of an app starts here (or adds `apps.deleted_at is null` to a
 * join), so a deleted app (in deleted items, `deleted_at` set) is no app to any feature, sign-ins and tokens included,
 * until it is restored (issue #19).
 */
export const liveApps = (db: Db | Tx) => db.selectFrom('apps').where('apps.deleted_at', 'is', null);

type AppWithSecret = App & { secretHash: string | null };

const appsByClientId = tenantCache<AppWithSecret>({ max: 10_000 });

/**
 * The tenant's live app with this client id. Outside a transaction (every sign-in and token reads it) from this node's
 * cache (store/epochs.ts: every change to an app ends in `auditAppUpdate` or `auditedApp`, which count the tenant's
 * epoch); in a transaction, from the store.
 */
export async function findAppByClientId(
  db: Tx,
  tenantId: string,
  clientId: string,
): Promise<AppWithSecret | undefined> {
  if (db.isTransaction) return readAppByClientId(db, tenantId, clientId);
  return appsByClientId(db).get(tenantId, clientId, () => readAppByClientId(db, tenantId, clientId));
}

async function readAppByClientId(db: Tx, tenantId: string, clientId: string): Promise<AppWithSecret | undefined> {
  const row = await liveApps(db)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row && { ...toApp(row), secretHash: row.secret_hash };
}

/** By object id, or with `orClientId` also by client id (the CLI takes either). */
export async function getApp(db: Tx, tenantId: string, id: string, orClientId = false): Promise<App | undefined> {
  if (!isUuid(id)) return undefined;
  const q = liveApps(db).selectAll().where('tenant_id', '=', tenantId);
  const row =
    (await q.where('id', '=', id.toLowerCase()).executeTakeFirst()) ??
    (orClientId ? await q.where('client_id', '=', id.toLowerCase()).executeTakeFirst() : undefined);
  return row && toApp(row);
}

export async function requireApp(db: Tx, tenantId: string, id: string, orClientId = false): Promise<App> {
  const app = await getApp(db, tenantId, id, orClientId);
  if (!app) throw new ResourceNotFound('resource.notFound', { id });
  return app;
}

/**
 * The app, after taking its row's write lock (a no-op UPDATE: a row lock on PostgreSQL, the write lock on SQLite)
 * so read-modify-write changes of one app take turns. Call it first in the transaction.
 */
export async function lockApp(tx: Tx, tenantId: string, id: string): Promise<App> {
  if (isUuid(id)) {
    await tx
      .updateTable('apps')
      .set((eb) => ({ display_name: eb.ref('display_name') }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id.toLowerCase())
      .execute();
  }
  return requireApp(tx, tenantId, id);
}

export const appProperties: PropertyMap<keyof AppsTable & string> = {
  id: { column: 'id', type: 'string', caseInsensitive: true },
  appId: { column: 'client_id', type: 'string', caseInsensitive: true },
  displayName: { column: 'display_name', type: 'string' },
};

export async function listApps(db: Db, tenantId: string, opts: ListOptions): Promise<Page<App>> {
  return filteredPageOf(liveApps(db).where('tenant_id', '=', tenantId), opts, appProperties, toApp);
}

/** Applies a partial change (absent fields keep their value) and records it. */
export async function updateApp(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  patch: AppSettings,
  actor: Actor,
): Promise<App> {
  const current = await lockApp(tx, tenantId, id);
  const changed = (Object.keys(patch) as (keyof AppSettings)[]).filter((k) => patch[k] !== undefined);
  if (!changed.length) return current;
  const next = { ...current, ...Object.fromEntries(changed.map((k) => [k, patch[k]])) } as App;
  next.adminConsentRequired = [...new Set(next.adminConsentRequired)];
  checkSettings(next);
  // oidc-provider has one authentication method per client, not one per grant: Entra's confidential app that also
  // allows public client flows (a secret for its code and refresh grants, none for the device code) cannot be had,
  // and making the app public would let its refresh tokens be redeemed without the secret. So it is refused.
  if (patch.isFallbackPublicClient === true && current.confidential)
    throw new InvalidRequest('apps.publicClientWithSecret');
  await checkExposure(tx, tenantId, current, next);
  // A consent covers what was asked when it was given: asking an administrator for more needs a new consent.
  const asksMore = next.adminConsentRequired.some((p) => !current.adminConsentRequired.includes(p));
  const resetConsent = asksMore && current.adminConsentGranted;
  await tx
    .updateTable('apps')
    .set({
      display_name: next.displayName.trim(),
      redirect_uris: toJson(next.redirectUris),
      post_logout_redirect_uris: toJson(next.postLogoutRedirectUris),
      logo_url: next.logoUrl,
      homepage_url: next.homepageUrl,
      assignment_required: bool(next.assignmentRequired),
      delegated_permissions: toJson(next.delegatedPermissions),
      admin_consent_required: toJson(next.adminConsentRequired),
      visible_in_my_apps: bool(next.visibleInMyApps),
      sign_in_audience: next.signInAudience,
      ...exposureColumns(next),
      is_fallback_public_client: bool(next.isFallbackPublicClient),
      ...(resetConsent && { admin_consent_granted_at: null }),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', current.id)
    .execute();
  if (patch.identifierUris) await claimIdentifierUris(tx, tenantId, current.id, next.identifierUris);
  const details: Record<string, string> = { modifiedProperties: changed.join(',') };
  if (resetConsent) details.adminConsent = 'revoked: the app asks for more permissions that need admin consent';
  return auditAppUpdate(tx, clock, tenantId, current.id, details, actor);
}

/**
 * After a change to an app: reads it back, records 'Update application' with `details`, and returns it. Every change
 * to an app ends here or in `auditedApp`, which count the tenant's epoch: nodes drop their cached clients (oidc/adapter.ts)
 * and secrets (apps/secrets.ts) of the tenant.
 */
export async function auditAppUpdate(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  appId: string,
  details: Record<string, string>,
  actor: Actor,
): Promise<App> {
  await tenantChanged(tx, tenantId);
  const updated = await requireApp(tx, tenantId, appId);
  await recordAppEvent(tx, clock, tenantId, actor, updated, {
    activity: 'Update application',
    operationType: 'Update',
    details,
  });
  return updated;
}

const recordedApp = audited<App>('ApplicationManagement', appTarget, (app) => ({ appId: app.clientId }));

/** A change to one app and its audit event (Entra's activity names), in the caller's transaction. */
const auditedApp: Audited<App> = async (tx, clock, tenantId, ...change) => {
  await tenantChanged(tx, tenantId);
  return recordedApp(tx, clock, tenantId, ...change);
};

/**
 * Moves an app to deleted items: the row stays, marked `deleted_at`, with its appId, credentials, redirect URIs,
 * assignments and grants, and other tenants' service principals and consents of it; no read finds any of them until
 * `restoreApp` (`liveApps`), so its client cannot sign in or get tokens. One conditional update. The management app
 * cannot go: the tenant would lose its API access.
 */
export async function deleteApp(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<App> {
  const app = await lockApp(tx, tenantId, id);
  if (app.isManagement) throw new InvalidRequest('apps.managementApp');
  if (!(await moveDeleted(tx, 'apps', tenantId, app.id, clock.now().toISOString())))
    throw new ResourceNotFound('resource.notFound', { id });
  return auditedApp(tx, clock, tenantId, actor, 'Delete application', 'Delete', app);
}

/** An app registration in deleted items: the app as it was, and when it was deleted. */
export type DeletedApp = App & { deletedDateTime: string };

const deletedApps = (db: Db | Tx, tenantId: string) =>
  db.selectFrom('apps').where('tenant_id', '=', tenantId).where('deleted_at', 'is not', null);

const toDeletedApp = (row: Selectable<AppsTable>): DeletedApp => ({ ...toApp(row), deletedDateTime: row.deleted_at! });

/** An app of the tenant's deleted items, by object id (or with `orClientId` by appId, as the CLI takes either). */
export async function getDeletedApp(
  db: Db | Tx,
  tenantId: string,
  id: string,
  orClientId = false,
): Promise<DeletedApp | undefined> {
  if (!isUuid(id)) return undefined;
  const q = deletedApps(db, tenantId).selectAll();
  const row =
    (await q.where('id', '=', id.toLowerCase()).executeTakeFirst()) ??
    (orClientId ? await q.where('client_id', '=', id.toLowerCase()).executeTakeFirst() : undefined);
  return row && toDeletedApp(row);
}

const requireDeletedApp = orNotFound(getDeletedApp);

/** A page of the tenant's deleted apps (Graph's deletedItems/microsoft.graph.application), filtered as apps are. */
export function listDeletedApps(db: Db, tenantId: string, opts: ListOptions): Promise<Page<DeletedApp>> {
  return filteredPageOf(deletedApps(db, tenantId), opts, appProperties, toDeletedApp);
}

/** Brings a deleted app back as it was (same appId, credentials, redirect URIs, assignments), with its audit event. */
export async function restoreApp(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<App> {
  const app = await requireDeletedApp(tx, tenantId, id);
  if (!(await moveDeleted(tx, 'apps', tenantId, app.id, null))) throw new ResourceNotFound('resource.notFound', { id });
  return auditedApp(tx, clock, tenantId, actor, 'Restore application', 'Update', (await getApp(tx, tenantId, app.id))!);
}

/**
 * Deletes a deleted app for good, with its audit event: its assignments, then its row; what else is the app's
 * (identifier URIs, grants, other tenants' service principals and their consents) cascades.
 */
export async function purgeApp(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<DeletedApp> {
  const app = await requireDeletedApp(tx, tenantId, id);
  await tx.deleteFrom('app_assignments').where('tenant_id', '=', tenantId).where('app_id', '=', app.id).execute();
  await deleteSecretsOf(tx, tenantId, app.id);
  await eraseDeleted(tx, 'apps', tenantId, app.id);
  return auditedApp(tx, clock, tenantId, actor, 'Hard delete application', 'Delete', app);
}

/** Apps deleted before `before` (ISO time), every tenant's: the sweep's permanent deletes. */
export const appsDeletedBefore = (db: Db, before: string, limit: number) =>
  rowsDeletedBefore(db, 'apps', before, limit);
