// Apps that expose an API and apps that call one, as Graph's application has them: `identifierUris` (the names a
// client asks for the API by, `api://<appId>`), `api.oauth2PermissionScopes` (delegated scopes, type User: a user
// may consent; Admin: only an administrator), `appRoles` (for users, or application permissions for apps) and
// `requiredResourceAccess` (the scopes and roles a client app asks for). What an administrator granted (admin
// consent: every Scope and Role the client asks for) is held in app_permission_grants; identifier URIs are unique in
// a tenant through app_identifier_uris. apps.ts stores the four properties with the app and calls checkExposure.
import type { Selectable } from 'kysely';

import type { Clock } from '../clock.ts';
import { getDomain } from '../directory/domains.ts';
import { isUuid } from '../directory/tenants.ts';
import { InvalidRequest, type RefusalKey, type RefusalParams } from '../errors.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import type { AppsTable } from '../store/schema.ts';
import {
  grantGraphScopes,
  GRAPH_APP_ID,
  GRAPH_SCOPES,
  graphExposure,
  graphGrantsOf,
  revokeGraphGrants,
} from './graph-api.ts';

export interface PermissionScope {
  id: string;
  value: string;
  type: 'User' | 'Admin';
  adminConsentDisplayName: string;
  adminConsentDescription: string | null;
  userConsentDisplayName: string | null;
  userConsentDescription: string | null;
  isEnabled: boolean;
}

export type AppRoleMemberType = 'User' | 'Application';

export interface AppRole {
  id: string;
  value: string;
  allowedMemberTypes: AppRoleMemberType[];
  displayName: string;
  description: string | null;
  isEnabled: boolean;
}

export interface ResourceAccess {
  id: string;
  type: 'Scope' | 'Role';
}

export interface RequiredResourceAccess {
  /** the resource app's appId (client id) */
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

export interface ApiExposure {
  identifierUris: string[];
  oauth2PermissionScopes: PermissionScope[];
  appRoles: AppRole[];
  requiredResourceAccess: RequiredResourceAccess[];
}

export const EXPOSURE_LIMITS = { identifierUris: 20, uri: 255, permissions: 100, value: 120, text: 1024 } as const;

export function exposureOf(r: Selectable<AppsTable>): ApiExposure {
  return {
    identifierUris: parseJson(r.identifier_uris, []),
    oauth2PermissionScopes: parseJson(r.api_scopes, []),
    appRoles: parseJson(r.app_roles, []),
    requiredResourceAccess: parseJson(r.required_resource_access, []),
  };
}

export const exposureColumns = (e: ApiExposure) => ({
  identifier_uris: toJson(e.identifierUris),
  api_scopes: toJson(e.oauth2PermissionScopes),
  app_roles: toJson(e.appRoles),
  required_resource_access: toJson(e.requiredResourceAccess),
});

export type ExposureField = 'identifierUris' | 'api' | 'appRoles' | 'requiredResourceAccess';
const invalid = (field: ExposureField, key: RefusalKey, params?: RefusalParams) =>
  new InvalidRequest(key, params, { field });

/** A scope or role value: no spaces, no leading dot (`.default` is the client's word for "all"), as Entra refuses. */
export const isPermissionValue = (value: string): boolean =>
  value.length <= EXPOSURE_LIMITS.value && /^[A-Za-z0-9_][\w.:-]*$/.test(value);

const repeated = (values: string[]): string | undefined =>
  values.find((v, i) => values.findIndex((w) => w.toLowerCase() === v.toLowerCase()) !== i);

/** An identifier URI: `api://…` (any host, as apps name themselves `api://<appId>`) or https on a verified domain. */
async function checkIdentifierUri(db: Tx, tenantId: string, uri: string): Promise<void> {
  const shown = uri.slice(0, 300);
  const bad = (key: RefusalKey, params: RefusalParams = {}) =>
    invalid('identifierUris', key, { uri: shown, ...params });
  if (uri.length > EXPOSURE_LIMITS.uri) throw bad('exposure.uriTooLong', { max: EXPOSURE_LIMITS.uri });
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw bad('exposure.uriNotAbsolute');
  }
  if (u.protocol !== 'api:' && u.protocol !== 'https:') throw bad('exposure.uriScheme');
  if (!u.host || u.username || u.password || u.search || u.hash || /[\s*#?]/.test(uri)) throw bad('exposure.uriParts');
  if (uri.endsWith('/')) throw bad('exposure.uriTrailingSlash');
  if (u.protocol === 'https:') {
    // Entra: an https identifier URI must be on one of the tenant's verified domains (or below one).
    const labels = u.hostname.toLowerCase().split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const domain = await getDomain(db, tenantId, labels.slice(i).join('.'));
      if (domain?.isVerified) return;
    }
    throw bad('exposure.uriNotVerified', { host: u.hostname });
  }
}

/**
 * Refuses exposure no app may have. `current` is the app's exposure before the change (undefined for a new app):
 * as in Entra, an enabled scope or role cannot be removed or renamed; it is disabled first.
 */
export async function checkExposure(
  db: Tx,
  tenantId: string,
  current: ApiExposure | undefined,
  next: ApiExposure,
): Promise<void> {
  const { identifierUris, oauth2PermissionScopes: scopes, appRoles: roles, requiredResourceAccess } = next;
  if (identifierUris.length > EXPOSURE_LIMITS.identifierUris)
    throw invalid('identifierUris', 'exposure.tooManyUris', { max: EXPOSURE_LIMITS.identifierUris });
  const twice = repeated(identifierUris);
  if (twice) throw invalid('identifierUris', 'exposure.uriTwice', { uri: twice });
  for (const uri of identifierUris) {
    if (!current?.identifierUris.includes(uri)) await checkIdentifierUri(db, tenantId, uri);
  }

  if (scopes.length > EXPOSURE_LIMITS.permissions || roles.length > EXPOSURE_LIMITS.permissions)
    throw invalid('api', 'exposure.tooManyPermissions', { max: EXPOSURE_LIMITS.permissions });
  for (const [field, list] of [
    ['api', scopes],
    ['appRoles', roles],
  ] as const) {
    for (const p of list) {
      if (!isUuid(p.id)) throw invalid(field, 'exposure.badId', { id: p.id.slice(0, 100) });
      if (!isPermissionValue(p.value)) throw invalid(field, 'exposure.badValue', { value: p.value.slice(0, 130) });
    }
    const value = repeated(list.map((p) => p.value));
    if (value) throw invalid(field, 'exposure.valueTwice', { value });
  }
  const id = repeated([...scopes, ...roles].map((p) => p.id));
  if (id) throw invalid('api', 'exposure.idTwice', { id });
  for (const s of scopes) {
    if (!s.adminConsentDisplayName.trim()) throw invalid('api', 'exposure.scopeNeedsName', { value: s.value });
  }
  for (const r of roles) {
    if (!r.displayName.trim()) throw invalid('appRoles', 'exposure.roleNeedsName', { value: r.value });
    if (!r.allowedMemberTypes.length || new Set(r.allowedMemberTypes).size !== r.allowedMemberTypes.length)
      throw invalid('appRoles', 'exposure.roleNeedsTypes', { value: r.value });
  }
  for (const [field, before, after] of [
    ['api', current?.oauth2PermissionScopes ?? [], scopes],
    ['appRoles', current?.appRoles ?? [], roles],
  ] as const) {
    for (const old of before) {
      const now = after.find((p) => p.id === old.id);
      if (old.isEnabled && (!now || now.value !== old.value))
        throw invalid(field, 'exposure.stillEnabled', { value: old.value });
    }
  }

  if (requiredResourceAccess.length > EXPOSURE_LIMITS.permissions)
    throw invalid('requiredResourceAccess', 'exposure.tooManyResources', { max: EXPOSURE_LIMITS.permissions });
  const resource = repeated(requiredResourceAccess.map((r) => r.resourceAppId));
  if (resource) throw invalid('requiredResourceAccess', 'exposure.resourceTwice', { resource });
  for (const r of requiredResourceAccess) {
    // Microsoft Graph's appId names Portico's own API (apps/graph-api.ts).
    const api =
      r.resourceAppId === GRAPH_APP_ID
        ? graphExposure()
        : isUuid(r.resourceAppId)
          ? await exposureByClientId(db, tenantId, r.resourceAppId)
          : undefined;
    if (!api) throw invalid('requiredResourceAccess', 'exposure.noSuchApi', { appId: r.resourceAppId.slice(0, 100) });
    for (const a of r.resourceAccess) {
      const known =
        a.type === 'Scope'
          ? api.oauth2PermissionScopes.some((s) => s.id === a.id)
          : api.appRoles.some((role) => role.id === a.id && role.allowedMemberTypes.includes('Application'));
      if (!known)
        throw invalid('requiredResourceAccess', a.type === 'Scope' ? 'exposure.noSuchScope' : 'exposure.noSuchRole', {
          resource: r.resourceAppId,
          id: a.id.slice(0, 100),
        });
    }
    if (repeated(r.resourceAccess.map((a) => `${a.type}:${a.id}`)))
      throw invalid('requiredResourceAccess', 'exposure.permissionTwice', { resource: r.resourceAppId });
  }
}

/** An app's exposure and ids, by its appId (client id). */
export async function exposureByClientId(
  db: Tx,
  tenantId: string,
  clientId: string,
): Promise<(ApiExposure & { id: string; clientId: string; displayName: string }) | undefined> {
  const row = await db
    .selectFrom('apps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('client_id', '=', clientId.toLowerCase())
    // A deleted app (deleted items) exposes no API until it is restored.
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && { ...exposureOf(row), id: row.id, clientId: row.client_id, displayName: row.display_name };
}

/**
 * Claims the app's identifier URIs in the tenant (after the app's row is written): one row per URI, whose key makes
 * a URI another app holds, even one claimed by a transaction running now, fail as a 400.
 */
export async function claimIdentifierUris(tx: Tx, tenantId: string, appId: string, uris: string[]): Promise<void> {
  await tx
    .deleteFrom('app_identifier_uris')
    .where('tenant_id', '=', tenantId)
    .where('app_id', '=', appId)
    .$if(uris.length > 0, (q) => q.where('uri', 'not in', uris))
    .execute();
  for (const uri of uris) {
    const inserted = await tx
      .insertInto('app_identifier_uris')
      .values({ tenant_id: tenantId, uri, app_id: appId })
      .onConflict((oc) => oc.columns(['tenant_id', 'uri']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const holder = await tx
        .selectFrom('app_identifier_uris')
        .select('app_id')
        .where('tenant_id', '=', tenantId)
        .where('uri', '=', uri)
        .executeTakeFirst();
      if (holder?.app_id !== appId) throw invalid('identifierUris', 'exposure.uriTaken', { uri });
    }
  }
}

/** The API a token request names: by identifier URI, or by its appId (Entra accepts `<appId>/.default`). */
export async function findApi(
  db: Db,
  tenantId: string,
  resource: string,
): Promise<(ApiExposure & { id: string; clientId: string; displayName: string }) | undefined> {
  const held = await db
    .selectFrom('app_identifier_uris')
    .innerJoin('apps', (j) =>
      j
        .onRef('apps.tenant_id', '=', 'app_identifier_uris.tenant_id')
        .onRef('apps.id', '=', 'app_identifier_uris.app_id'),
    )
    .select('apps.client_id')
    .where('app_identifier_uris.tenant_id', '=', tenantId)
    .where('app_identifier_uris.uri', '=', resource)
    .executeTakeFirst();
  if (held) return exposureByClientId(db, tenantId, held.client_id);
  if (!isUuid(resource)) return undefined;
  const api = await exposureByClientId(db, tenantId, resource);
  return api?.identifierUris.length ? api : undefined;
}

export interface Granted {
  /** ids of delegated scopes an administrator granted for every user */
  scopes: Set<string>;
  /** ids of app roles granted to the client app itself */
  roles: Set<string>;
}

/** What an administrator granted a client app (object id) on a resource app (object id). */
export async function grantedTo(
  db: Db,
  tenantId: string,
  clientAppId: string,
  resourceAppId: string,
): Promise<Granted> {
  const rows = await db
    .selectFrom('app_permission_grants')
    .select(['kind', 'permission_id'])
    .where('tenant_id', '=', tenantId)
    .where('client_app_id', '=', clientAppId)
    .where('resource_app_id', '=', resourceAppId)
    .execute();
  return {
    scopes: new Set(rows.filter((r) => r.kind === 'Scope').map((r) => r.permission_id)),
    roles: new Set(rows.filter((r) => r.kind === 'Role').map((r) => r.permission_id)),
  };
}

export interface GrantedPermission {
  resourceAppId: string;
  resourceDisplayName: string;
  kind: 'Scope' | 'Role';
  value: string;
}

/**
 * Admin consent for what a client app asks of other apps' APIs: every enabled Scope and Role of its
 * requiredResourceAccess is granted (Entra's "Grant admin consent"); earlier grants it no longer asks for are
 * removed. Returns what is granted now. The caller holds the client app's lock.
 */
export async function grantRequiredResourceAccess(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  clientAppId: string,
  required: RequiredResourceAccess[],
): Promise<GrantedPermission[]> {
  await revokeResourceGrants(tx, tenantId, clientAppId);
  const granted: GrantedPermission[] = (await grantGraphScopes(tx, clock, tenantId, clientAppId, required)).map(
    (value) => ({
      resourceAppId: GRAPH_APP_ID,
      resourceDisplayName: graphExposure().displayName,
      kind: 'Scope',
      value,
    }),
  );
  for (const r of required) {
    const api = await exposureByClientId(tx, tenantId, r.resourceAppId);
    if (!api) continue;
    for (const a of r.resourceAccess) {
      const p =
        a.type === 'Scope'
          ? api.oauth2PermissionScopes.find((s) => s.id === a.id && s.isEnabled)
          : api.appRoles.find((x) => x.id === a.id && x.isEnabled && x.allowedMemberTypes.includes('Application'));
      if (!p) continue;
      await tx
        .insertInto('app_permission_grants')
        .values({
          tenant_id: tenantId,
          client_app_id: clientAppId,
          resource_app_id: api.id,
          kind: a.type,
          permission_id: a.id,
          created_at: clock.now().toISOString(),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      granted.push({ resourceAppId: api.clientId, resourceDisplayName: api.displayName, kind: a.type, value: p.value });
    }
  }
  return granted;
}

export async function revokeResourceGrants(tx: Tx, tenantId: string, clientAppId: string): Promise<void> {
  await revokeGraphGrants(tx, tenantId, clientAppId);
  await tx
    .deleteFrom('app_permission_grants')
    .where('tenant_id', '=', tenantId)
    .where('client_app_id', '=', clientAppId)
    .execute();
}

/** Everything granted to a client app, named, for its page, the CLI and the API. */
export async function listResourceGrants(db: Db, tenantId: string, clientAppId: string): Promise<GrantedPermission[]> {
  const rows = await db
    .selectFrom('app_permission_grants')
    .innerJoin('apps', (j) =>
      j
        .onRef('apps.tenant_id', '=', 'app_permission_grants.tenant_id')
        .onRef('apps.id', '=', 'app_permission_grants.resource_app_id'),
    )
    .selectAll('apps')
    .select(['app_permission_grants.kind', 'app_permission_grants.permission_id'])
    .where('app_permission_grants.tenant_id', '=', tenantId)
    .where('app_permission_grants.client_app_id', '=', clientAppId)
    .where('apps.deleted_at', 'is', null)
    .orderBy('apps.display_name')
    .execute();
  const graph = await graphGrantsOf(db, tenantId, clientAppId);
  const onGraph: GrantedPermission[] = GRAPH_SCOPES.filter((s) => graph.has(s.id)).map((s) => ({
    resourceAppId: GRAPH_APP_ID,
    resourceDisplayName: graphExposure().displayName,
    kind: 'Scope',
    value: s.value,
  }));
  return onGraph.concat(
    rows.flatMap((row) => {
      const api = exposureOf(row);
      const p =
        row.kind === 'Scope'
          ? api.oauth2PermissionScopes.find((s) => s.id === row.permission_id)
          : api.appRoles.find((x) => x.id === row.permission_id);
      return p
        ? [{ resourceAppId: row.client_id, resourceDisplayName: row.display_name, kind: row.kind, value: p.value }]
        : [];
    }),
  );
}
