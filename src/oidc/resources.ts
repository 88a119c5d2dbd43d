// Apps' own APIs as resource servers of the tenant's provider (apps/api-exposure.ts has the registrations).
//
// Clients name an API the way Entra's v2.0 endpoint takes it, inside `scope`: `api://<id>/Scope.Name` or
// `api://<id>/.default`. oidc-provider speaks resource indicators (RFC 8707), so the edge (mount.ts) rewrites the
// request first: `resource=<the API's identifier URI>` beside scopes that stay fully qualified (`api://<id>/Read`),
// which are the resource server's scope values here; `.default` becomes the scopes the client's
// requiredResourceAccess lists (delegated) or goes away (client credentials, whose token carries the app roles an
// administrator granted, as `roles`). The token is a JWT whose `aud` is the API's appId, as Entra's v2.0 tokens are,
// signed RS256 by the tenant's keys, with Entra's `scp` (the scope values, space-separated), `roles`, `azp`, `tid`,
// `oid` and `ver`.
//
// Refusals carry Entra's AADSTS codes in error_description, where MSAL shows them: AADSTS500011 (no such resource
// in the tenant), AADSTS70011 (a scope the API does not have, or client credentials without `/.default`),
// AADSTS28000 (two resources in one request), AADSTS65001 (a scope that needs an administrator's consent).
import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';

import { findApi, grantedTo, type ApiExposure, type Granted } from '../apps/api-exposure.ts';
import { userAppRoles } from '../apps/app-roles.ts';
import { findAppByClientId } from '../apps/apps.ts';
import { graphExposure, graphGrantsOf, graphScope, isGraphResource } from '../apps/graph-api.ts';
import type { Db } from '../store/index.ts';
import { ID_TOKEN_ALG } from './keys.ts';

/** The OpenID Connect scopes: never a resource's. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
export const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

type Api = ApiExposure & { id: string; clientId: string; displayName: string };

/** An OAuth error in Entra's shape: the standard code, the AADSTS code first in the description and in error_codes. */
export class EntraError extends errors.CustomOIDCProviderError {
  constructor(error: string, aadsts: number, message: string) {
    super(error, `AADSTS${aadsts}: ${message}`);
  }
  get code(): number {
    return Number(/^AADSTS(\d+)/.exec(String(this.error_description))?.[1]);
  }
}

const notFound = (resource: string, tenantId: string) =>
  new EntraError(
    'invalid_resource',
    500011,
    `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
  );
const badScope = (scope: string) =>
  new EntraError(
    'invalid_scope',
    70011,
    `The provided value for the input parameter 'scope' is not valid. The scope '${scope}' is not valid.`,
  );

/** The values of a space-separated scope string's scopes of `resource`: `api://x/Read openid` → `Read`. */
const valuesUnder = (scope: unknown, resource: string): string[] =>
  String(scope ?? '')
    .split(' ')
    .filter((s) => s.startsWith(`${resource}/`))
    .map((s) => s.slice(resource.length + 1));

/** `api://x/Read` → `api://x` and `Read`; scopes without a resource (User.Read, openid) → undefined. */
function split(scope: string): { resource: string; value: string } | undefined {
  if (OIDC_SCOPES.has(scope)) return undefined;
  const slash = scope.lastIndexOf('/');
  if (slash <= 0) return undefined;
  return { resource: scope.slice(0, slash), value: scope.slice(slash + 1) };
}

/**
 * Portico's own API under any of its names (apps/graph-api.ts): `https://graph.microsoft.com/User.Read`,
 * `00000003-0000-0000-c000-000000000000/.default`, `<base>/v1.0/User.Read` and Graph's bare `User.Read` (Entra reads a
 * scope without a resource as Graph's) all become `<base>/v1.0/<value>`, the value in Graph's spelling.
 */
function porticoScope(token: string, porticoApi: string): string {
  const parts = split(token);
  if (parts && isGraphResource(parts.resource, porticoApi))
    return `${porticoApi}/${graphScope(parts.value)?.value ?? parts.value}`;
  const bare = !parts && !OIDC_SCOPES.has(token) && !token.includes('/') ? graphScope(token) : undefined;
  return bare ? `${porticoApi}/${bare.value}` : token;
}

/**
 * Rewrites Entra's scope strings of an authorization or token request (form parameters, changed in place) into a
 * resource indicator and the resource's scope values. Returns an error for the edge to answer with, on the token
 * endpoint; on the authorization endpoint unknown resources are left for getResourceServerInfo, so the refusal goes
 * back to the client's registered redirect URI.
 */
export async function mapEntraScopes(
  db: Db,
  tenantId: string,
  params: URLSearchParams,
  porticoApi: string,
): Promise<EntraError | undefined> {
  const scope = params.get('scope');
  if (!scope) return undefined;
  const grantType = params.get('grant_type');
  const tokens = [
    ...new Set(
      scope
        .split(/\s+/)
        .filter(Boolean)
        .map((t) => porticoScope(t, porticoApi)),
    ),
  ];
  const qualified = tokens.map((t) => ({ token: t, parts: split(t) }));
  const resources = [...new Set(qualified.flatMap((q) => (q.parts ? [q.parts.resource] : [])))];
  if (grantType === 'client_credentials') {
    const only = qualified[0]?.parts;
    if (tokens.length !== 1 || !only || only.value !== '.default')
      return new EntraError(
        'invalid_scope',
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope '${scope.slice(0, 300)}' is not valid: client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    const api = only.resource === porticoApi ? graphExposure(porticoApi) : await findApi(db, tenantId, only.resource);
    if (!api) return notFound(only.resource, tenantId);
    params.delete('scope');
    params.set('resource', canonical(api, only.resource));
    return undefined;
  }
  if (!resources.length) return undefined;
  if (resources.length > 1)
    return new EntraError(
      'invalid_scope',
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope.slice(0, 300)} is not valid.`,
    );
  const named = resources[0]!;
  const api = named === porticoApi ? graphExposure(porticoApi) : await findApi(db, tenantId, named);
  const onTokenEndpoint = grantType !== null;
  if (!api) {
    if (onTokenEndpoint) return notFound(named, tenantId);
    params.set('resource', named);
    return undefined;
  }
  const resource = canonical(api, named);
  const out: string[] = [];
  for (const { token, parts } of qualified) {
    if (!parts) out.push(token);
    else if (parts.value === '.default') out.push(...(await staticScopes(db, tenantId, params.get('client_id'), api)));
    else out.push(`${resource}/${parts.value}`);
  }
  params.set('scope', [...new Set(out.map((s) => (s.startsWith('/') ? `${resource}${s}` : s)))].join(' '));
  if (!params.has('resource')) params.set('resource', resource);
  return undefined;
}

/** The URI the token request names the API by: as asked when it is one of its identifier URIs, else its first. */
const canonical = (api: Api, named: string) => (api.identifierUris.includes(named) ? named : api.identifierUris[0]!);

/** `.default` for a delegated request: the API's enabled scopes the client's requiredResourceAccess lists. */
async function staticScopes(db: Db, tenantId: string, clientId: string | null, api: Api): Promise<string[]> {
  const client = clientId ? await findAppByClientId(db, tenantId, clientId).catch(() => undefined) : undefined;
  const listed = client?.requiredResourceAccess.find((r) => r.resourceAppId === api.clientId)?.resourceAccess ?? [];
  const values = api.oauth2PermissionScopes
    .filter((s) => s.isEnabled && listed.some((a) => a.type === 'Scope' && a.id === s.id))
    .map((s) => `/${s.value}`);
  // Nothing listed: `.default` stays, and the consent check refuses it by name.
  return values.length ? values : ['/.default'];
}

export type ApiResourceServer = ResourceServer;

/** A request for a token for `resource` (oidc-provider's getResourceServerInfo), and the access token's lifetime. */
export interface ResourceRequest {
  db: Db;
  tenantId: string;
  ctx: KoaContextWithOIDC;
  resource: string;
  clientId: string | undefined;
  ttl: number;
}

/**
 * Another tenant's multi-tenant app gets no token for Portico's own API here: a user's consent to it names signing in
 * and reading their profile only, while a token for the API would act with the user's directory roles in this tenant.
 */
export const foreignPorticoApi = (clientId: string | undefined, tenantId: string) =>
  new EntraError(
    'invalid_target',
    650057,
    `Invalid resource. The client '${clientId ?? ''}' is another organization's application: it may sign this tenant's (${tenantId}) users in, but it has no access to the Portico Graph API here.`,
  );

/**
 * getResourceServerInfo for Portico's own API (apps/graph-api.ts): Graph's delegated scopes, checked as an app's API's
 * are (User.Read by signing in, type Admin ones with admin consent, graph_permission_grants); client credentials carry
 * the app's application permissions as `roles` (provider.ts). The token is the JWT api/auth.ts verifies.
 */
export async function porticoResourceServer(
  { db, tenantId, ctx, resource, clientId, ttl }: ResourceRequest,
  alg: string,
): Promise<ApiResourceServer> {
  const api = graphExposure(resource);
  const params = (ctx.oidc.params ?? {}) as Record<string, unknown>;
  if (params.grant_type !== 'client_credentials' && clientId) {
    const requested = valuesUnder(params.scope, resource);
    const client = requested.length ? await findAppByClientId(db, tenantId, clientId) : undefined;
    const granted: Granted = {
      scopes: client ? await graphGrantsOf(db, tenantId, client.id) : new Set(),
      roles: new Set(),
    };
    checkConsent(clientId, api, resource, requested, params.grant_type === undefined, granted);
  }
  return {
    scope: api.oauth2PermissionScopes.map((s) => `${resource}/${s.value}`).join(' '),
    audience: resource,
    accessTokenTTL: ttl,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg } },
  } as ApiResourceServer;
}

/**
 * getResourceServerInfo for an app's API: refuses unknown resources and, for a user's token, scopes the API does not
 * have or that need an administrator's consent the client lacks. Type User scopes are consented to by signing in,
 * as Portico's apps are the tenant's own (provider.ts loadExistingGrant); type Admin ones need admin consent
 * (app_permission_grants).
 */
export async function apiResourceServer(
  { db, tenantId, ctx, resource, clientId, ttl }: ResourceRequest,
  foreign = false,
): Promise<ApiResourceServer> {
  const api = await findApi(db, tenantId, resource);
  if (!api) throw notFound(resource, tenantId);
  const params = (ctx.oidc.params ?? {}) as Record<string, unknown>;
  // Another tenant's app: the consent page its users see names no API scopes, so no consent covers this API.
  if (foreign)
    throw new EntraError(
      params.grant_type === undefined ? 'consent_required' : 'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId ?? ''}' for ${resource}. Another organization's application may only sign this tenant's users in; access to this tenant's APIs is not granted to it.`,
    );
  if (params.grant_type !== 'client_credentials' && clientId) {
    const requested = valuesUnder(params.scope, resource);
    await checkDelegatedConsent(db, tenantId, clientId, api, resource, requested, params.grant_type === undefined);
  }
  return {
    scope: api.oauth2PermissionScopes
      .filter((s) => s.isEnabled)
      .map((s) => `${resource}/${s.value}`)
      .join(' '),
    audience: api.clientId,
    accessTokenTTL: ttl,
    accessTokenFormat: 'jwt',
    // RS256, as Entra signs: what any JWT library verifies from the JWKS.
    jwt: { sign: { alg: ID_TOKEN_ALG } },
  };
}

async function checkDelegatedConsent(
  db: Db,
  tenantId: string,
  clientId: string,
  api: Api,
  resource: string,
  requested: string[],
  authorization: boolean,
): Promise<void> {
  const client = await findAppByClientId(db, tenantId, clientId);
  const granted = client ? await grantedTo(db, tenantId, client.id, api.id) : undefined;
  checkConsent(clientId, api, resource, requested, authorization, granted);
}

/** Refuses a scope the API does not have, `.default` with nothing listed, and a type Admin scope not granted. */
function checkConsent(
  clientId: string,
  api: ApiExposure,
  resource: string,
  requested: string[],
  authorization: boolean,
  granted: Granted | undefined,
): void {
  for (const value of requested) {
    const scope = api.oauth2PermissionScopes.find((s) => s.value === value && s.isEnabled);
    if (!scope && value === '.default')
      throw new EntraError(
        authorization ? 'consent_required' : 'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${clientId}'. The application lists no permission of ${resource} in its required resource access.`,
      );
    if (!scope) throw badScope(`${resource}/${value}`);
    if (scope.type === 'Admin' && !granted?.scopes.has(scope.id))
      throw new EntraError(
        authorization ? 'consent_required' : 'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${clientId}'. The scope '${resource}/${value}' needs an administrator's consent. Send an interactive authorization request for this user and resource after an administrator granted it.`,
      );
  }
}

/** The delegated scopes a user's authorization request asks of an API, for its grant (provider.ts). */
export function requestedApiScopes(
  params: Record<string, unknown> | undefined,
  porticoApi: string,
  foreign = false,
): [string, string][] {
  const resource = params?.resource;
  if (foreign || typeof resource !== 'string') return [];
  const scopes = String(params?.scope ?? '')
    .split(' ')
    .filter((s) => s.startsWith(`${resource}/`));
  return scopes.length ? [[resource, scopes.join(' ')]] : [];
}

/**
 * Entra's claims of a token for an app's API (not Portico's own, whose claims provider.ts sets): `scp` for a user's
 * token, `roles` (the application permissions an administrator granted) for an app's, `azp`, `ver`.
 */
export async function apiTokenClaims(
  db: Db,
  tenantId: string,
  token: {
    kind: string;
    aud?: string | string[];
    scope?: string;
    accountId?: string;
    clientId?: string;
    resourceServer?: { identifier(): string };
  },
  porticoAudience: string,
): Promise<Record<string, unknown> | undefined> {
  const resource = token.resourceServer?.identifier();
  if (!resource || resource === porticoAudience || !token.clientId) return undefined;
  const api = await findApi(db, tenantId, resource);
  if (!api) return undefined;
  const common = { azp: token.clientId, azpacr: '1', ver: '2.0' };
  if (token.kind === 'ClientCredentials') {
    const client = await findAppByClientId(db, tenantId, token.clientId);
    const granted = client ? await grantedTo(db, tenantId, client.id, api.id) : undefined;
    const roles = api.appRoles.filter((r) => r.isEnabled && granted?.roles.has(r.id)).map((r) => r.value);
    return { ...common, roles, idtyp: 'app', oid: client?.id };
  }
  const scp = valuesUnder(token.scope, resource).join(' ');
  // The API's app roles of type User the user holds (apps/app-roles.ts), as Entra puts them in `roles`.
  const roles = token.accountId ? await userAppRoles(db, tenantId, api.clientId, token.accountId) : [];
  return { ...common, scp, oid: token.accountId, idtyp: 'user', ...(roles.length && { roles }) };
}

/**
 * `scp` of a user's token for Portico's own API: Graph's scope values as Graph's tokens carry them (`User.Read
 * User.Invite.All`), without the resource the token's `scope` names them by. Empty for any other token.
 */
export function porticoScp(
  token: { scope?: string; resourceServer?: { identifier(): string } },
  porticoAudience: string,
): { scp?: string } {
  if (token.resourceServer?.identifier() !== porticoAudience) return {};
  const scp = valuesUnder(token.scope, porticoAudience).join(' ');
  return scp ? { scp } : {};
}
