// The token endpoint's own path (#23): `POST /<tenant>/v2.0/token`, and Entra's `/<tenant>/oauth2/v2.0/token`, served
// straight from the socket before hono, because every app's every token comes this way and what hono and its
// middlewares do around a provider's answer is lost on it anyway (oidc-provider writes the answer itself). It keeps
// what the chain gives such a request: the edge's checks and body limit, the client's address behind trusted proxies,
// the request id and the client's echoed one, the request's count, time and log line under the route pattern hono
// would name, and `Cache-Control: no-store`. Anything it does not take whole goes to hono as before: another method,
// a query, a declared size over the limit or none (chunked), another content type, a URL or form the edge refuses
// (the chain refuses it the same way, from the bytes read here), an unknown tenant, the common realms
// (oidc/common.tsx), and every request while tracing is on (its spans are the chain's).
import type { IncomingMessage, ServerResponse } from 'node:http';

import { resolveTenantCached } from '../directory/tenants.ts';
import { DEFAULT_BODY_LIMIT } from '../http/body-limits.ts';
import { proxyResolver } from '../http/client-ip.ts';
import { readIncoming } from '../http/edge.ts';
import { checkRequestTarget, checkUrlEncoded } from '../http/inputs.ts';
import { recordRequest, requestIdHeaders, type Metrics } from '../observability/metrics.ts';
import type { Services } from '../services.ts';
import { COMMON_REALMS } from './common.tsx';
import { CONSUMER_TENANT_ID } from './consumers.ts';
import { handOffRequest, PROVIDER_ROUTES, type NodeRequest } from './mount.ts';
import type { ProviderPool } from './pool.ts';

/** `/<segment>/v2.0/token` or `/<segment>/oauth2/v2.0/token`, no query: the segment, and whether Entra's form. */
const TOKEN_PATH = /^\/([^/?#%]+)\/(oauth2\/)?v2\.0\/token$/;
const COMMON: ReadonlySet<string> = new Set(COMMON_REALMS);
const FORM = /^application\/x-www-form-urlencoded\b/i;

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Wraps the server's request listener (hono's): token requests it can take whole are answered here, every other
 * request goes to `next` untouched.
 */
export function tokenEndpoint(
  deps: { services: Services; metrics: Metrics; pool: ProviderPool; audience: string },
  next: Listener,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { services, metrics, pool, audience } = deps;
  const { store, clock, config, log } = services;
  const resolveClient = proxyResolver(config.trustedProxies);

  const serve = async (req: NodeRequest, res: ServerResponse, segment: string, route: string) => {
    const started = performance.now();
    let bytes: Buffer;
    try {
      bytes = await readIncoming(req, DEFAULT_BODY_LIMIT);
    } catch {
      res.destroy(); // the client went away mid-body (the declared size keeps it under the limit)
      return;
    }
    req.body = bytes;
    try {
      checkUrlEncoded(bytes);
    } catch {
      return next(req, res); // the edge refuses it again, from req.body, and renders the refusal
    }
    const consumers = segment === CONSUMER_TENANT_ID;
    const tenantId = consumers ? segment : (await resolveTenantCached(store.db, segment))?.id;
    if (!tenantId) return next(req, res);
    resolveClient(req);
    const { requestId, headers } = requestIdHeaders(firstOf(req.headers['client-request-id']));
    for (const [name, value] of headers) res.setHeader(name, value);
    // As app.ts's Entra route: the provider sees the request as sent to its own token endpoint.
    req.url = `/${segment}/v2.0/token`;
    try {
      // The personal accounts realm has no API, so no scope mapping (as app.ts's provider route).
      const outcome = await handOffRequest(req, res, pool, tenantId, `/${segment}/v2.0`, audience, {
        db: store.db,
        clock,
        scopes: !consumers,
      });
      if (outcome && 'notFound' in outcome) {
        for (const [name] of headers) res.removeHeader(name);
        return next(req, res);
      }
      if (outcome) answer(res, 400, outcome.refusal);
    } catch (error) {
      log.error({ err: error, requestId }, 'token endpoint failed');
      if (res.headersSent) res.destroy();
      else answer(res, 500, { error: 'server_error', error_description: 'The token could not be issued; try again.' });
    }
    recordRequest(metrics, log, { method: 'POST', route, status: String(res.statusCode) }, started, requestId);
  };

  return (req, res) => {
    const match = req.method === 'POST' ? TOKEN_PATH.exec(req.url ?? '') : null;
    const segment = match?.[1];
    const length = Number(req.headers['content-length']);
    if (
      !segment ||
      COMMON.has(segment) ||
      !FORM.test(req.headers['content-type'] ?? '') ||
      req.headers['transfer-encoding'] !== undefined ||
      !Number.isInteger(length) ||
      length > DEFAULT_BODY_LIMIT ||
      !targetAccepted(req.url!)
    ) {
      next(req, res);
      return;
    }
    serve(req, res, segment, match[2] ? PROVIDER_ROUTES.entra : PROVIDER_ROUTES.provider).catch((error: unknown) => {
      // Before the hand-off (the tenant's lookup): the store did not answer.
      log.error({ err: error }, 'token endpoint failed');
      if (res.headersSent) res.destroy();
      else answer(res, 500, { error: 'server_error', error_description: 'The token could not be issued; try again.' });
    });
  };
}

/** An answer of Portico's own on this path: OAuth's JSON error shape, never cached. */
function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const firstOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function targetAccepted(url: string): boolean {
  try {
    checkRequestTarget(url);
    return true;
  } catch {
    return false;
  }
}
