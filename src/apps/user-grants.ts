// A user's own consent to delegated scopes of an API of the tenant (Graph's oauth2PermissionGrant with consentType
// Principal), beside an administrator's consent for everyone (AllPrincipals, app_permission_grants kind Scope in
// api-exposure.ts). Whether users may consent at all is the tenant's `userConsent` setting (Entra's "Users can
// consent to apps"): `none`, `lowRisk` (the tenant's own apps only) or `allowAll`. Only type User scopes are a user's
// to grant; type Admin ones always need an administrator (oidc/resources.ts refuses them before any page).
import type { Clock } from '../clock.ts';
import type { Actor, ChangeAs } from '../directory/audit.ts';
import type { TenantSettings } from '../directory/settings-schema.ts';
import { isUuid } from '../directory/tenants.ts';
import { InvalidRequest } from '../errors.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { findApi, grantedTo, type ApiExposure, type PermissionScope } from './api-exposure.ts';
import { findAppByClientId, recordAppEvent, type App } from './apps.ts';
import { notFound } from './assignments.ts';

/** Whether the tenant lets its users consent for themselves: to its own apps (`foreign` false) or another tenant's. */
export const usersMayConsent = (settings: Pick<TenantSettings, 'userConsent'>, foreign: boolean): boolean =>
  settings.userConsent === 'allowAll' || (settings.userConsent === 'lowRisk' && !foreign);

type Api = ApiExposure & { id: string; clientId: string; displayName: string };

/** What a sign-in asks of an API for the user: the scopes (enabled, type User) and those not yet granted. */
export interface ApiConsent {
  client: App;
  api: Api;
  /** every type User scope the request names */
  requested: PermissionScope[];
  /** those neither an administrator (for everyone) nor the user granted yet */
  missing: PermissionScope[];
}

/** The scope values the user granted the client app (object id) on the API (object id). */
async function userGranted(db: Db, tenantId: string, clientAppId: string, apiId: string, userId: string) {
  const row = await db
    .selectFrom('app_user_grants')
    .select(['id', 'scope'])
    .where('tenant_id', '=', tenantId)
    .where('client_app_id', '=', clientAppId)
    .where('resource_app_id', '=', apiId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return { id: row?.id, values: new Set(row?.scope.split(' ').filter(Boolean) ?? []) };
}

/**
 * The consent a user's authorization request to the tenant's own app needs for the API it names (`resource` and the
 * fully qualified scopes, as oidc/resources.ts rewrote them), or undefined when it names no API of the tenant.
 */
export async function apiConsentFor(
  db: Db,
  tenantId: string,
  clientId: string,
  userId: string,
  params: Record<string, unknown>,
): Promise<ApiConsent | undefined> {
  const resource = params.resource;
  if (typeof resource !== 'string') return undefined;
  const client = await findAppByClientId(db, tenantId, clientId);
  const api = client && (await findApi(db, tenantId, resource));
  if (!client || !api) return undefined;
  const values = String(params.scope ?? '')
    .split(' ')
    .filter((s) => s.startsWith(`${resource}/`))
    .map((s) => s.slice(resource.length + 1));
  const requested = api.oauth2PermissionScopes.filter(
    (s) => s.isEnabled && s.type === 'User' && values.includes(s.value),
  );
  const admin = await grantedTo(db, tenantId, client.id, api.id);
  const own = await userGranted(db, tenantId, client.id, api.id, userId);
  const missing = requested.filter((s) => !admin.scopes.has(s.id) && !own.values.has(s.value));
  return { client, api, requested, missing };
}

/** Records the user's consent to `scopes` (added to what they granted before), in the audit log. */
export async function grantUserScopes(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  consent: Pick<ApiConsent, 'client' | 'api'>,
  user: { id: string; userPrincipalName: string },
  scopes: PermissionScope[],
): Promise<void> {
  const { client, api } = consent;
  const before = await userGranted(tx, tenantId, client.id, api.id, user.id);
  const scope = [...new Set([...before.values, ...scopes.map((s) => s.value)])].join(' ');
  await tx
    .insertInto('app_user_grants')
    .values({
      tenant_id: tenantId,
      id: newId(),
      client_app_id: client.id,
      resource_app_id: api.id,
      user_id: user.id,
      scope,
      created_at: clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'client_app_id', 'resource_app_id', 'user_id']).doUpdateSet({ scope }))
    .execute();
  const actor: Actor = { kind: 'user', id: user.id, userPrincipalName: user.userPrincipalName };
  await recordAppEvent(tx, clock, tenantId, actor, client, {
    activity: 'Consent to application',
    operationType: 'Assign',
    details: { ConsentType: 'Principal', Resource: api.clientId, Scope: scope },
  });
}

/** Graph's oauth2PermissionGrant. `clientId` and `resourceId` are the apps' object ids (Portico's own apps have no
 * separate service principal objects). */
export interface PermissionGrant {
  id: string;
  clientId: string;
  consentType: 'Principal' | 'AllPrincipals';
  principalId: string | null;
  resourceId: string;
  scope: string;
}

/** An AllPrincipals grant's id: its client and resource, as Graph's ids are opaque strings. */
const allPrincipalsId = (clientAppId: string, resourceAppId: string) =>
  Buffer.from(`${clientAppId}:${resourceAppId}`).toString('base64url');

/** The delegated grants of the tenant (users' own, then administrators' for everyone), narrowed to one client app. */
export async function listPermissionGrants(
  db: Db,
  tenantId: string,
  filter: { clientId?: string; principalId?: string } = {},
): Promise<PermissionGrant[]> {
  const users = await db
    .selectFrom('app_user_grants')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(filter.clientId !== undefined, (q) => q.where('client_app_id', '=', filter.clientId!.toLowerCase()))
    .$if(filter.principalId !== undefined, (q) => q.where('user_id', '=', filter.principalId!.toLowerCase()))
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
  const grants: PermissionGrant[] = users.map((r) => ({
    id: r.id,
    clientId: r.client_app_id,
    consentType: 'Principal',
    principalId: r.user_id,
    resourceId: r.resource_app_id,
    scope: r.scope,
  }));
  if (filter.principalId !== undefined) return grants;
  const admin = await db
    .selectFrom('app_permission_grants')
    .innerJoin('apps', (j) =>
      j
        .onRef('apps.tenant_id', '=', 'app_permission_grants.tenant_id')
        .onRef('apps.id', '=', 'app_permission_grants.resource_app_id'),
    )
    .select(['client_app_id', 'resource_app_id', 'permission_id', 'apps.api_scopes'])
    .where('app_permission_grants.tenant_id', '=', tenantId)
    .where('apps.deleted_at', 'is', null)
    .where('kind', '=', 'Scope')
    .$if(filter.clientId !== undefined, (q) => q.where('client_app_id', '=', filter.clientId!.toLowerCase()))
    .orderBy('client_app_id')
    .orderBy('resource_app_id')
    .execute();
  const byPair = new Map<string, PermissionGrant>();
  for (const row of admin) {
    const scopes = JSON.parse(row.api_scopes) as PermissionScope[];
    const value = scopes.find((s) => s.id === row.permission_id)?.value;
    if (!value) continue;
    const id = allPrincipalsId(row.client_app_id, row.resource_app_id);
    const grant = byPair.get(id) ?? {
      id,
      clientId: row.client_app_id,
      consentType: 'AllPrincipals' as const,
      principalId: null,
      resourceId: row.resource_app_id,
      scope: '',
    };
    grant.scope = [grant.scope, value].filter(Boolean).join(' ');
    byPair.set(id, grant);
  }
  return [...grants, ...byPair.values()];
}

/**
 * Deletes a grant (Graph DELETE /oauth2PermissionGrants/{id}): a user's own, or an administrator's for everyone (the
 * delegated scopes of one client on one API). The next sign-in asks for consent again; tokens already issued stay
 * valid until they expire, as on Entra.
 */
export const deletePermissionGrant: ChangeAs<void> = async (tx, clock, tenantId, id, actor) => {
  if (id.length > 200) throw notFound(id.slice(0, 100));
  let client: string;
  let resource: string;
  let principal: string | null = null;
  if (isUuid(id)) {
    const row = await tx
      .deleteFrom('app_user_grants')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id.toLowerCase())
      .returning(['client_app_id', 'resource_app_id', 'user_id'])
      .executeTakeFirst();
    if (!row) throw notFound(id);
    [client, resource, principal] = [row.client_app_id, row.resource_app_id, row.user_id];
  } else {
    const [c, r] = Buffer.from(id, 'base64url').toString().split(':');
    if (!c || !r || !isUuid(c) || !isUuid(r) || allPrincipalsId(c, r) !== id) throw notFound(id);
    const removed = await tx
      .deleteFrom('app_permission_grants')
      .where('tenant_id', '=', tenantId)
      .where('client_app_id', '=', c)
      .where('resource_app_id', '=', r)
      .where('kind', '=', 'Scope')
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw notFound(id);
    [client, resource] = [c, r];
  }
  await recordAppEvent(
    tx,
    clock,
    tenantId,
    actor,
    { id: client, displayName: client },
    {
      activity: 'Remove delegated permission grant',
      operationType: 'Unassign',
      details: {
        ConsentType: principal ? 'Principal' : 'AllPrincipals',
        Resource: resource,
        ...(principal && { PrincipalId: principal }),
      },
    },
  );
};

/** `clientId eq '<id>'` or `principalId eq '<id>'`, Graph's filters of oauth2PermissionGrants. */
export function parseGrantFilter(filter: string | undefined): { clientId?: string; principalId?: string } {
  if (filter === undefined) return {};
  const m = /^(clientId|principalId) eq '([0-9a-fA-F-]{36})'$/.exec(filter.trim());
  if (!m) throw new InvalidRequest('permissionGrants.filter');
  return { [m[1]!]: m[2]! };
}
