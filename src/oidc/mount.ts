// Hands `/<tenant id or verified domain>/v2.0/...` to that tenant's oidc-provider, as express's `app.use(prefix,
// provider.callback())` would: the provider sees the path below the prefix and the prefix as its mount path.
import type { ServerResponse } from 'node:http';
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

/**
 * The routes app.ts serves the providers under, and the patterns their requests are counted by (metrics): the token
 * endpoint's own path (token-endpoint.ts) counts its requests under the same two.
 */
export const PROVIDER_ROUTES = { provider: '/:tenant/v2.0/*', entra: '/:tenant/oauth2/v2.0/*' } as const;

/** The provider path under `/<tenant>/v2.0` that an Entra-shaped path (`oauth2/v2.0/token`) stands for, if any. */
export function entraPath(path: string): string | undefined {
  return Object.hasOwn(ENTRA_PATHS, path) ? ENTRA_PATHS[path] : undefined;
}

export type NodeRequest = HttpBindings['incoming'] & { originalUrl?: string; body?: unknown };

/** What a hand-off reads beside the provider: the store and clock, and whether Entra's scopes are mapped (tenants). */
export interface HandOffContext {
  db: Db;
  clock: Clock;
  /** map Entra's scopes to resource indicators (resources.ts): a tenant's provider, not the personal accounts realm */
  scopes: boolean;
}

/** What a hand-off could not send: the tenant has no provider (404), or a refusal Portico answers itself (400). */
export type HandOffOutcome = { notFound: true } | { refusal: Record<string, unknown> } | undefined;

/** A hand-off inside hono: its outcome rendered as hono renders every answer, with the middlewares' headers. */
export async function handOff(
  c: Context<{ Bindings: HttpBindings }>,
  pool: ProviderPool,
  tenantId: string,
  prefix: string,
  apiAudience: string,
  ctx: HandOffContext,
): Promise<Response> {
  const outcome = await handOffRequest(c.env.incoming, c.env.outgoing, pool, tenantId, prefix, apiAudience, ctx);
  if (!outcome) return RESPONSE_ALREADY_SENT;
  if ('notFound' in outcome) return c.notFound();
  return c.json(outcome.refusal, 400, { 'cache-control': 'no-store' });
}

const isForm = (req: NodeRequest) => /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
const bodyText = (req: NodeRequest) => (Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');

/**
 * Hands a node request to the tenant's provider, after Portico's own part: client secrets compared as their hashes,
 * Entra's scopes mapped, Conditional Access on refresh tokens. The body is the one the edge read (`req.body`, a
 * Buffer: http/edge.ts, or oidc/token-endpoint.ts on the token endpoint's own path). Resolves once the provider has
 * answered, or with what the caller answers instead.
 */
export async function handOffRequest(
  req: NodeRequest,
  res: ServerResponse,
  pool: ProviderPool,
  tenantId: string,
  prefix: string,
  apiAudience: string,
  ctx: HandOffContext,
): Promise<HandOffOutcome> {
  const db = ctx.scopes ? ctx.db : undefined;
  const entry = await pool.get(tenantId);
  if (!entry) return { notFound: true };
  let original = req.url ?? '/';
  let rest = original.slice(prefix.length) || '/';
  const path = rest.split('?')[0]!;

  if (req.method === 'POST' && CLIENT_AUTH_ENDPOINTS.includes(path) && isForm(req)) {
    const rewritten = rewriteClientAuth(bodyText(req), req.headers.authorization, apiAudience);
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
        return {
          refusal: {
            error: refused.message,
            error_description: refused.error_description,
            error_codes: [refused.code],
          },
        };
      // Conditional Access on a refresh token (token-gate.ts): refused here, before the provider spends it.
      const gated = await entry.gate?.(params);
      if (gated)
        return {
          refusal: {
            error: gated.error.message,
            error_description: gated.error.error_description,
            error_codes: [gated.error.code],
            ...(gated.suberror ? { suberror: gated.suberror } : {}),
          },
        };
    }
    req.body = params.toString();
    if (rewritten.authorization === undefined) delete req.headers.authorization;
  }

  // The device authorization request names its scopes as the authorization endpoint's do (`User.Read`,
  // `api://<app>/Scope`): the same resource indicator, so the device code, and the token polled for, are for that API.
  if (db && req.method === 'POST' && path === DEVICE_ROUTES.device_authorization && isForm(req)) {
    const params = new URLSearchParams(bodyText(req));
    await mapEntraScopes(db, tenantId, params, apiAudience);
    req.body = params.toString();
  }

  if (db && path === '/auth' && req.method === 'GET') {
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
  return undefined;
}
