// Bearer authentication for the API: a JWT access token from the tenant's own token endpoint, verified with that
// tenant's keys, for Portico's API audience. App tokens carry their permissions as `roles` (as Entra's do); a user's
// token its delegated Graph scopes as `scp`, bounded by the user's directory roles (api/delegated.ts).
import type { MiddlewareHandler } from 'hono';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';

import { isAppPermission, type AppPermission } from '../apps/permissions.ts';
import type { Actor } from '../directory/audit.ts';
import { isUuid } from '../directory/tenants.ts';
import { getUser } from '../directory/users.ts';
import { AuthorizationDenied, InvalidAuthenticationToken } from '../errors.ts';
import { loadKeys, publicJwk, SIGNING_ALGS } from '../oidc/keys.ts';
import { apiAudience, issuerFor } from '../oidc/urls.ts';
import type { Services } from '../services.ts';
import { delegatedRights } from './delegated.ts';

export interface Principal {
  tenantId: string;
  actor: Actor;
  permissions: ReadonlySet<AppPermission>;
  /** a user's delegated token: whether it may read the user's own profile (`/me`); undefined for an app's token */
  me?: boolean;
}

export type ApiEnv = { Variables: { principal: Principal } };

export function bearerAuth(services: Services): MiddlewareHandler<ApiEnv> {
  const { config, store } = services;
  const audience = apiAudience(config.baseUrl);
  const issuerPattern = new RegExp(`^${escapeRegExp(config.baseUrl)}/([0-9a-f-]{36})/v2\\.0$`);
  const keySets = new LRUCache<string, ReturnType<typeof createLocalJWKSet>>({
    max: 1000,
    ttl: 60_000,
    fetchMethod: async (tenantId) => createLocalJWKSet({ keys: (await loadKeys(store.db, tenantId)).map(publicJwk) }),
  });

  // Tokens whose signature was verified, by their exact text: a client sends the same token for its whole lifetime, and
  // the ES256 verification (on libuv's thread pool) was most of an API read's time and of its tail (a guest lookup's
  // p50 0.8 to 0.4 ms, p99 2.5 to 1.3 ms). Each is tied to the key set that verified it, so a removed key stops
  // working when it would without this cache: once that key set is read again.
  const verified = new LRUCache<string, { payload: JWTPayload; keys: ReturnType<typeof createLocalJWKSet> }>({
    max: 10_000,
  });

  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!match) throw new InvalidAuthenticationToken('token.empty');
    const token = match[1]!;
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new InvalidAuthenticationToken('token.audience');
    }
    const tenantId = issuerPattern.exec(String(unverified.iss ?? ''))?.[1];
    if (!tenantId || !isUuid(tenantId)) throw new InvalidAuthenticationToken('token.issuerUnknown');
    const known = verified.get(token);
    // Good while the key set that verified it is the one in use, and until the token expires; iss, aud and typ cannot
    // change for the same text.
    let payload =
      known && known.keys === keySets.get(tenantId) && Number(known.payload.exp) * 1000 > Date.now()
        ? known.payload
        : undefined;
    if (!payload) {
      try {
        const keys = (await keySets.fetch(tenantId))!;
        ({ payload } = await jwtVerify(token, keys, {
          issuer: issuerFor(config.baseUrl, tenantId),
          audience,
          typ: 'at+jwt',
          algorithms: [...SIGNING_ALGS],
        }));
        verified.set(token, { payload, keys });
      } catch {
        throw new InvalidAuthenticationToken('token.invalid');
      }
    }
    // The signature already proved the tenant: only its keys can verify it.
    if (payload.tid !== tenantId) throw new InvalidAuthenticationToken('token.tenantMismatch');

    const scopedTenant = c.req.param('tenant');
    if (scopedTenant !== undefined && scopedTenant.toLowerCase() !== tenantId) {
      throw new InvalidAuthenticationToken('token.otherTenant');
    }
    c.set('principal', await principalOf(services, tenantId, payload));
    await next();
  };
}

async function principalOf(services: Services, tenantId: string, payload: JWTPayload): Promise<Principal> {
  if (payload.idtyp === 'app') {
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((r): r is AppPermission => typeof r === 'string' && isAppPermission(r))
      : [];
    const appId = String(payload.client_id ?? '');
    return {
      tenantId,
      actor: { kind: 'app', appId, displayName: String(payload.app_displayname ?? appId) },
      permissions: new Set(roles),
    };
  }
  // A user's token: its delegated scopes (`scp`) and the directory roles the user holds now (api/delegated.ts).
  // `sub` is pairwise per app; `oid` is the user's object id.
  const user = typeof payload.oid === 'string' ? await getUser(services.store.db, tenantId, payload.oid) : undefined;
  if (!user || !user.accountEnabled) throw new InvalidAuthenticationToken('token.userGone');
  const scopes = new Set(typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : []);
  const { permissions, me } = await delegatedRights(services, tenantId, user, scopes);
  return {
    tenantId,
    actor: { kind: 'user', id: user.id, userPrincipalName: user.userPrincipalName },
    permissions,
    me,
  };
}

/** The permissions each route guard asks for, so the API's description reads them off the mounted routes. */
const guards = new WeakMap<object, readonly AppPermission[]>();

/** The permissions a route guard asks for (any one suffices); undefined for a handler that is no guard. */
export const guardOf = (handler: unknown): readonly AppPermission[] | undefined =>
  typeof handler === 'function' ? guards.get(handler) : undefined;

/** Route guard: the caller must hold at least one of `anyOf`. */
export function requirePermission(...anyOf: AppPermission[]): MiddlewareHandler<ApiEnv> {
  const guard: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const { permissions } = c.get('principal');
    if (!anyOf.some((p) => permissions.has(p))) {
      throw new AuthorizationDenied('auth.insufficientPrivileges', { anyOf: anyOf.join(', ') });
    }
    await next();
  };
  guards.set(guard, anyOf);
  return guard;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
