// What an operator watches (#22): Prometheus text at /metrics, one registry per Portico instance (tests run many in
// one process). Request counts and durations by route pattern and status (never the path: paths and queries can
// carry tickets and codes), the domain's counters (invitations, redemptions by discovery answer, sign-ins by result),
// the outbox read from the store at each scrape (so every node reports the shared queue), the PostgreSQL pool, and
// Node's own (event-loop lag, heap, CPU) from prom-client's defaults.
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { Clock } from '../clock.ts';
import { outboxDepth } from '../mail/outbox.ts';
import { newId, sameSecret } from '../secrets.ts';
import type { Store } from '../store/index.ts';

export interface Metrics {
  registry: Registry;
  http: { requests: Counter<'method' | 'route' | 'status'>; seconds: Histogram<'method' | 'route' | 'status'> };
  /** invitations made, by outcome (`created`, `reinvited`, ...) */
  invitations: Counter<'outcome'>;
  /** redemptions completed, by the discovery answer that identified the guest */
  redemptions: Counter<'answer'>;
  /** sign-in log entries written, by result (`success`, or Entra's error code) */
  signIns: Counter<'result'>;
}

export function createMetrics(store: Store, clock: Clock): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portico_' });
  const labels = ['method', 'route', 'status'] as const;
  const metrics: Metrics = {
    registry,
    http: {
      requests: new Counter({
        name: 'portico_http_requests_total',
        help: 'HTTP requests answered',
        labelNames: labels,
        registers: [registry],
      }),
      seconds: new Histogram({
        name: 'portico_http_request_duration_seconds',
        help: 'Time to answer an HTTP request',
        labelNames: labels,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
    },
    invitations: new Counter({
      name: 'portico_invitations_total',
      help: 'Invitations made',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    redemptions: new Counter({
      name: 'portico_redemptions_total',
      help: 'Invitations redeemed, by the discovery answer that identified the guest',
      labelNames: ['answer'],
      registers: [registry],
    }),
    signIns: new Counter({
      name: 'portico_sign_ins_total',
      help: 'Sign-in attempts logged, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
  // The shared queue, read once per scrape for the three gauges.
  let depth: Promise<Awaited<ReturnType<typeof outboxDepth>>> | undefined;
  const scrape = () => (depth ??= outboxDepth(store.db).finally(() => setTimeout(() => (depth = undefined), 0)));
  new Gauge({
    name: 'portico_outbox_pending',
    help: 'Emails queued and not yet delivered',
    registers: [registry],
    async collect() {
      this.set((await scrape()).pending);
    },
  });
  new Gauge({
    name: 'portico_outbox_oldest_pending_seconds',
    help: 'Age of the oldest email still waiting for delivery (0 when none)',
    registers: [registry],
    async collect() {
      const { oldestPendingAt } = await scrape();
      this.set(oldestPendingAt ? Math.max(0, (clock.now().getTime() - Date.parse(oldestPendingAt)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'portico_outbox_dead_letters',
    help: 'Emails given up on after every retry (the admin center can retry them)',
    registers: [registry],
    async collect() {
      this.set((await scrape()).dead);
    },
  });
  if (store.poolStats)
    new Gauge({
      name: 'portico_db_pool_connections',
      help: 'PostgreSQL pool connections by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const stats = store.poolStats!();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
  return metrics;
}

type Env = { Bindings: HttpBindings };

/** The headers every answer carries: its own request id, and a client's `client-request-id` echoed as Graph does. */
export function requestIdHeaders(clientRequestId: string | undefined): {
  requestId: string;
  headers: [string, string][];
} {
  const requestId = newId();
  const headers: [string, string][] = [['request-id', requestId]];
  if (clientRequestId && /^[\w-]{1,64}$/.test(clientRequestId)) headers.push(['client-request-id', clientRequestId]);
  return { requestId, headers };
}

/** Counts and times one answered request by its route pattern, and logs its line at info. */
export function recordRequest(
  metrics: Metrics,
  log: Logger,
  labels: { method: string; route: string; status: string },
  started: number,
  requestId: string,
): void {
  const seconds = (performance.now() - started) / 1000;
  metrics.http.requests.inc(labels);
  metrics.http.seconds.observe(labels, seconds);
  log.info({ ...labels, ms: Math.round(seconds * 1000), requestId }, 'request');
}

/**
 * Counts and times every request by its route pattern, gives it an id (Graph's `request-id` response header; a
 * client's `client-request-id` is echoed as Graph does), and logs one line at info: method, route, status,
 * duration, request id. Never the path or the query. (The token endpoint's own path does the same:
 * oidc/token-endpoint.ts.)
 */
export function observeRequests(metrics: Metrics, log: Logger): MiddlewareHandler<Env> {
  return async (c, next) => {
    const started = performance.now();
    const { requestId, headers } = requestIdHeaders(c.req.header('client-request-id'));
    for (const [name, value] of headers) c.header(name, value);
    await next();
    recordRequest(
      metrics,
      log,
      { method: c.req.method, route: routeOf(c), status: String(c.res.status) },
      started,
      requestId,
    );
  };
}

/** The matched route's pattern (`/v1.0/users/:id`), or `unmatched`: a bounded set of labels, never a raw path. */
export function routeOf(c: Context<Env>): string {
  const routes = c.req.matchedRoutes.filter((r) => r.method !== 'ALL' || r.path !== '/*');
  const last = routes[routes.length - 1];
  return c.res.status === 404 && !last ? 'unmatched' : (last?.path ?? 'unmatched');
}

/** GET /metrics: Prometheus text; with a token configured, only for `Authorization: Bearer <token>`. */
export function metricsHandler(metrics: Metrics, token: string | null) {
  return async (c: Context<Env>) => {
    if (token) {
      const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      if (!sameSecret(given, token)) return c.text('metrics need the bearer token (PORTICO_METRICS_TOKEN)\n', 401);
    }
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  };
}
