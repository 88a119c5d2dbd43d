// Hands `/<tenant id or verified domain>/v2.0/...` to that tenant's oidc-provider, as express's `app.use(prefix,
// provider.callback())` would: the provider sees the path below the prefix and the prefix as its mount path.
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';

import { CLIENT_AUTH_ENDPOINTS, rewriteClientAuth } from './client-auth.ts';
import type { ProviderPool } from './pool.ts';

/**
 * Entra's URL shapes beside the discovered ones, for apps that hard-code them: `/<tenant>/oauth2/v2.0/<endpoint>`
 * and `/<tenant>/discovery/v2.0/keys`, each the provider's own endpoint (app.ts routes them through `entraPath`).
 */
export const ENTRA_PATHS: Record<string, string> = {
  'oauth2/v2.0/authorize': '/auth',
  'oauth2/v2.0/token': '/token',
  'oauth2/v2.0/logout': '/session/end',
  // 'oauth2/v2.0/devicecode': the device authorization endpoint (issue #18's device code flow) goes here.
  'discovery/v2.0/keys': '/jwks',
};

/** The provider path under `/<tenant>/v2.0` that an Entra-shaped path (`oauth2/v2.0/token`) stands for, if any. */
export function entraPath(path: string): string | undefined {
  return Object.hasOwn(ENTRA_PATHS, path) ? ENTRA_PATHS[path] : undefined;
}

type NodeRequest = HttpBindings['incoming'] & { originalUrl?: string; body?: unknown };

export async function handOff(
  c: Context<{ Bindings: HttpBindings }>,
  pool: ProviderPool,
  tenantId: string,
  prefix: string,
  apiAudience: string,
): Promise<Response> {
  const entry = await pool.get(tenantId);
  if (!entry) return c.notFound();
  const req = c.env.incoming as NodeRequest;
  const res = c.env.outgoing;
  const original = req.url ?? '/';
  const rest = original.slice(prefix.length) || '/';
  const path = rest.split('?')[0]!;

  if (
    c.req.method === 'POST' &&
    CLIENT_AUTH_ENDPOINTS.includes(path) &&
    /application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '')
  ) {
    const rewritten = rewriteClientAuth(await c.req.text(), c.req.header('authorization'), apiAudience);
    req.body = rewritten.body;
    if (rewritten.authorization === undefined) delete req.headers.authorization;
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
