// Hands `/<tenant id or verified domain>/v2.0/...` to that tenant's oidc-provider, as express's `app.use(prefix,
// provider.callback())` would: the provider sees the path below the prefix and the prefix as its mount path.
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';

import { presentedSecret } from '../apps/secrets.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/index.ts';
import { CLIENT_AUTH_ENDPOINTS, rewriteClientAuth } from './client-auth.ts';
import { DEVICE_ROUTES } from './device-flow.ts';
import type { ProviderPool } from './pool.ts';
import { mapEntraScopes } from './resources.ts';

/**
 * Entra's URL shapes beside the discovered ones, for apps that hard-code them: `/<tenant>/oauth2/v2.0/<endpoint>`
 * and `/<tenant>/discovery/v2.0/keys`, each the provider's own endpoint (app.ts routes them through `entraPath`).
 */
export const ENTRA_PATHS: Record<string, string> = {
  'oauth2/v2.0/authorize': '/auth',
  'oauth2/v2.0/token': '/token',
  'oauth2/v2.0/logout': '/session/end',
  'oauth2/v2.0/devicecode': '/devicecode', // oidc/device-flow.ts DEVICE_ROUTES
  'discovery/v2.0/keys': '/jwks',
};

/** The provider path under `/<tenant>/v2.0` that an Entra-shaped path (`oauth2/v2.0/token`) stands for, if any. */
export function entraPath(path: string): string | undefined {
  return Object.hasOwn(ENTRA_PATHS, path) ? ENTRA_PATHS[path] : undefined;
}

type NodeRequest = HttpBindings['incoming'] & { originalUrl?: string; body?: unknown };

/** What a hand-off reads beside the provider: the store and clock, and whether Entra's scopes are mapped (tenants). */
export interface HandOffContext {
  db: Db;
  clock: Clock;
  /** map Entra's scopes to resource indicators (resources.ts): a tenant's provider, not the personal accounts realm */
  scopes: boolean;
}

export async function handOff(
  c: Context<{ Bindings: HttpBindings }>,
  pool: ProviderPool,
  tenantId: string,
  prefix: string,
  apiAudience: string,
  ctx: HandOffContext,
): Promise<Response> {
  const db = ctx.scopes ? ctx.db : undefined;
  const entry = await pool.get(tenantId);
  if (!entry) return c.notFound();
  const req = c.env.incoming as NodeRequest;
  const res = c.env.outgoing;
  let original = req.url ?? '/';
  let rest = original.slice(prefix.length) || '/';
  const path = rest.split('?')[0]!;

  if (
    c.req.method === 'POST' &&
    CLIENT_AUTH_ENDPOINTS.includes(path) &&
    /application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '')
  ) {
    // The edge read the body into req.body (http/edge.ts): taken as it is, without a web Request made of it.
    const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : await c.req.text();
    const rewritten = rewriteClientAuth(text, c.req.header('authorization'), apiAudience);
    const { params } = rewritten;
    // A secret of the app's (any of its live ones, apps/secrets.ts) is handed on as the value the provider compares.
    const hashed = params.get('client_secret');
    const clientId = params.get('client_id');
    if (hashed !== null && clientId !== null)
      params.set('client_secret', await presentedSecret(ctx.db, ctx.clock, tenantId, clientId, hashed));
    if (path === '/token') {
      // Entra's `api://<app>/Scope` and `.default`: a resource indicator and its scopes (resources.ts).
      const refused = db && (await mapEntraScopes(db, tenantId, params, apiAudience));
      if (refused)
        return c.json(
          { error: refused.message, error_description: refused.error_description, error_codes: [refused.code] },
          400,
          { 'cache-control': 'no-store' },
        );
      // Conditional Access on a refresh token (token-gate.ts): refused here, before the provider spends it.
      const gated = await entry.gate?.(params);
      if (gated)
        return c.json(
          {
            error: gated.error.message,
            error_description: gated.error.error_description,
            error_codes: [gated.error.code],
            ...(gated.suberror ? { suberror: gated.suberror } : {}),
          },
          400,
          { 'cache-control': 'no-store' },
        );
    }
    req.body = params.toString();
    if (rewritten.authorization === undefined) delete req.headers.authorization;
  }

  // The device authorization request names its scopes as the authorization endpoint's do (`User.Read`,
  // `api://<app>/Scope`): the same resource indicator, so the device code, and the token polled for, are for that API.
  if (
    db &&
    c.req.method === 'POST' &&
    path === DEVICE_ROUTES.device_authorization &&
    /application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '')
  ) {
    const params = new URLSearchParams(await c.req.text());
    await mapEntraScopes(db, tenantId, params, apiAudience);
    req.body = params.toString();
  }

  if (db && path === '/auth' && c.req.method === 'GET') {
    const [, query = ''] = rest.split('?', 2);
    const params = new URLSearchParams(query);
    if (!(await mapEntraScopes(db, tenantId, params, apiAudience))) {
      const mapped = `${path}?${params.toString()}`;
      rest = mapped;
      // oidc-provider finds its mount path by cutting the path it sees off the original URL.
      original = `${prefix}${mapped}`;
    }
  }

  // The provider's flow answers set no-store themselves; this covers the rest (its 404s, discovery) as app.ts does.
  if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-store');
  req.originalUrl = original;
  req.url = rest.startsWith('/') ? rest : `/${rest}`;
  await new Promise<void>((resolve, reject) => {
    res.once('finish', resolve);
    res.once('close', resolve);
    Promise.resolve(entry.handler(req, res)).catch(reject);
  });
  return RESPONSE_ALREADY_SENT;
}
