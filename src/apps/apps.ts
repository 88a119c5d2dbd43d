// App registrations: OAuth clients of a tenant's OpenID provider. Secrets are returned once and stored hashed.
import type { Selectable } from 'kysely';

import type { Clock } from '../clock.ts';
import { recordAudit, type Actor, type AuditTarget } from '../directory/audit.ts';
import { compileFilter, type PropertyMap } from '../directory/filter.ts';
import { pageOf } from '../directory/paging.ts';
import { isUuid } from '../directory/tenants.ts';
import type { ListOptions, Page } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import { hashSecret, newId, newSecret } from '../secrets.ts';
import { parseAmr, type Amr } from '../sessions/amr.ts';
import type { Db, Tx } from '../store/index.ts';
import { bool, parseJson, toJson } from '../store/json.ts';
import type { AppsTable } from '../store/schema.ts';
import { APP_PERMISSIONS, isAppPermission, type AppPermission } from './permissions.ts';

export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

export interface App {
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
  };
}

/** What an administrator may change on an app after registering it. */
export interface AppSettings {
  displayName?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  logoUrl?: string | null;
  homepageUrl?: string | null;
  assignmentRequired?: boolean;
  delegatedPermissions?: string[];
  adminConsentRequired?: string[];
  visibleInMyApps?: boolean;
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
  'displayName' | 'redirectUris' | 'delegatedPermissions' | 'adminConsentRequired' | 'logoUrl' | 'homepageUrl';
const invalid = (field: AppField, message: string) => new InvalidRequest(message, { field });

/** Refuses settings no app may have; `state` is the app as it would be saved. */
function checkSettings(
  state: Required<
    Pick<
      NewApp,
      'grantTypes' | 'redirectUris' | 'postLogoutRedirectUris' | 'delegatedPermissions' | 'adminConsentRequired'
    >
  > &
    AppSettings,
): void {
  if (state.displayName !== undefined && !state.displayName.trim())
    throw invalid('displayName', 'displayName must not be empty.');
  if (state.displayName !== undefined && state.displayName.trim().length > APP_LIMITS.displayName)
    throw invalid('displayName', `displayName must be at most ${APP_LIMITS.displayName} characters.`);
  if (state.redirectUris.length > APP_LIMITS.uris)
    throw invalid('redirectUris', `An app may have at most ${APP_LIMITS.uris} redirect URIs.`);
  for (const uri of [...state.redirectUris, ...state.postLogoutRedirectUris]) {
    if (uri.length > APP_LIMITS.uri)
      throw invalid('redirectUris', `A redirect URI may be at most ${APP_LIMITS.uri} characters.`);
    if (!webUrl(uri, false))
      throw invalid(
        'redirectUris',
        `'${uri}' is not an allowed redirect URI (https, or http on localhost; no fragment or credentials).`,
      );
  }
  for (const [name, uri] of [
    ['logoUrl', state.logoUrl],
    ['homepageUrl', state.homepageUrl],
  ] as const) {
    if (uri != null && !webUrl(uri, true))
      throw invalid(
        name,
        `${name} '${uri}' is not allowed: give an https URL (http on localhost) without credentials.`,
      );
  }
  if (state.delegatedPermissions.length > APP_LIMITS.permissions)
    throw invalid('delegatedPermissions', `An app may ask for at most ${APP_LIMITS.permissions} permissions.`);
  const bad = state.delegatedPermissions.filter((p) => !isDelegatedPermission(p));
  if (bad.length)
    throw invalid(
      'delegatedPermissions',
      `Not a permission name: ${bad.map((p) => `'${p.slice(0, 100)}'`).join(', ')} (expected a name like User.Read).`,
    );
  if (new Set(state.delegatedPermissions).size !== state.delegatedPermissions.length)
    throw invalid('delegatedPermissions', 'A delegated permission is listed twice.');
  const stray = state.adminConsentRequired.filter((p) => !state.delegatedPermissions.includes(p));
  if (stray.length)
    throw invalid(
      'adminConsentRequired',
      `Admin consent can only be required for permissions the app asks for: ${stray.join(', ')}.`,
    );
  if (state.grantTypes.includes('authorization_code') && !state.redirectUris.length)
    throw invalid('redirectUris', 'An app that signs users in needs at least one redirect URI.');
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
  if (unknown.length) throw new InvalidRequest(`Unknown application permission(s): ${unknown.join(', ')}.`);
  const confidential = input.confidential ?? true;
  if (input.grantTypes.includes('client_credentials') && !confidential)
    throw new InvalidRequest('Client credentials need a confidential app.');
  const clientSecret = confidential ? newSecret(32) : null;
  const id = newId();
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
    })
    .execute();
  const row = await tx
    .selectFrom('apps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { app: toApp(row), clientSecret };
}

export const appTarget = (app: App): AuditTarget => ({ id: app.id, type: 'Application', displayName: app.displayName });

/** registerApp for an administrator (API, CLI): the same, with its audit event. */
export async function createApp(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: NewApp,
  actor: Actor,
): Promise<{ app: App; clientSecret: string | null }> {
  const created = await registerApp(tx, clock, tenantId, input);
  await recordAudit(tx, clock, tenantId, {
    category: 'ApplicationManagement',
    activity: 'Add application',
    operationType: 'Add',
    actor,
    targets: [appTarget(created.app)],
    details: { appId: created.app.clientId },
  });
  return created;
}

export async function findAppByClientId(
  db: Tx,
  tenantId: string,
  clientId: string,
): Promise<(App & { secretHash: string | null }) | undefined> {
  const row = await db
    .selectFrom('apps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row && { ...toApp(row), secretHash: row.secret_hash };
}

/** By object id, or with `orClientId` also by client id (the CLI takes either). */
export async function getApp(db: Tx, tenantId: string, id: string, orClientId = false): Promise<App | undefined> {
  if (!isUuid(id)) return undefined;
  const q = db.selectFrom('apps').selectAll().where('tenant_id', '=', tenantId);
  const row =
    (await q.where('id', '=', id.toLowerCase()).executeTakeFirst()) ??
    (orClientId ? await q.where('client_id', '=', id.toLowerCase()).executeTakeFirst() : undefined);
  return row && toApp(row);
}

export async function requireApp(db: Tx, tenantId: string, id: string, orClientId = false): Promise<App> {
  const app = await getApp(db, tenantId, id, orClientId);
  if (!app)
    throw new ResourceNotFound(
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
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
  const base = db
    .selectFrom('apps')
    .where('tenant_id', '=', tenantId)
    .$if(opts.filter !== undefined, (q) => q.where((eb) => compileFilter(eb, opts.filter!, appProperties)));
  return pageOf(base, opts, toApp);
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
      ...(resetConsent && { admin_consent_granted_at: null }),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', current.id)
    .execute();
  const updated = await requireApp(tx, tenantId, current.id);
  const details: Record<string, string> = { modifiedProperties: changed.join(',') };
  if (resetConsent) details.adminConsent = 'revoked: the app asks for more permissions that need admin consent';
  await recordAudit(tx, clock, tenantId, {
    category: 'ApplicationManagement',
    activity: 'Update application',
    operationType: 'Update',
    actor,
    targets: [appTarget(updated)],
    details,
  });
  return updated;
}

/** Deletes an app and its assignments. The management app cannot go: the tenant would lose its API access. */
export async function deleteApp(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<App> {
  const app = await lockApp(tx, tenantId, id);
  if (app.isManagement)
    throw new InvalidRequest(
      "The tenant's management app cannot be deleted: it is how the tenant is administered through the API.",
    );
  await tx.deleteFrom('app_assignments').where('tenant_id', '=', tenantId).where('app_id', '=', app.id).execute();
  await tx.deleteFrom('apps').where('tenant_id', '=', tenantId).where('id', '=', app.id).execute();
  await recordAudit(tx, clock, tenantId, {
    category: 'ApplicationManagement',
    activity: 'Delete application',
    operationType: 'Delete',
    actor,
    targets: [appTarget(app)],
    details: { appId: app.clientId },
  });
  return app;
}
