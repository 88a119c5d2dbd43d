// Builds the whole service from a config object: store, clock, mail, OpenID providers and routes. Tests build the
// same thing with a test store, an injected clock and a loopback SMTP server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { Transporter } from 'nodemailer';
import pino, { type Logger } from 'pino';

import { adminRoutes } from './admin/routes.tsx';
import { apiRoutes } from './api/index.ts';
import { prepareAtRest } from './at-rest.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { termsFileRoutes } from './consent/terms-page.tsx';
import { getTenant, resolveTenantCached } from './directory/tenants.ts';
import { federationRoutes } from './federation/routes.tsx';
import { trustProxies } from './http/client-ip.ts';
import { closeAfterUnreadBody, edge } from './http/edge.ts';
import { errorHandler, notFoundHandler } from './http/errors.tsx';
import { noStoreByDefault, securityHeaders } from './http/headers.ts';
import { interactionRoutes } from './interactions/routes.tsx';
import { createBulkRunner, type BulkRunner } from './invitations/bulk-jobs.ts';
import { optOutRoutes } from './invitations/optout-pages.tsx';
import { JOB, porticoJobs } from './jobs/index.ts';
import type { JobRunner } from './jobs/runner.ts';
import { loadKeyRing } from './keyring.ts';
import { startMailCatcher, type MailCatcher } from './mail/catcher.ts';
import { keepCaught } from './mail/caught.ts';
import { devMailRoutes } from './mail/dev-pages.tsx';
import { smtpTransport } from './mail/transport.ts';
import { createOutboxWorker, type OutboxWorker } from './mail/worker.ts';
import { WEBAUTHN_JS } from './mfa/webauthn-script.ts';
import { myAppsRoutes } from './myapps/routes.tsx';
import { createMetrics, metricsHandler, observeRequests, routeOf } from './observability/metrics.ts';
import { startTracing, traceRequests } from './observability/tracing.ts';
import { commonRoutes } from './oidc/common.tsx';
import { consumerSignInRoutes } from './oidc/consumer-pages.tsx';
import { CONSUMER_TENANT_ID } from './oidc/consumers.ts';
import { entraPath, handOff, PROVIDER_ROUTES } from './oidc/mount.ts';
import { createProviderPool, type ProviderPool } from './oidc/pool.ts';
import { tokenEndpoint } from './oidc/token-endpoint.ts';
import { apiAudience } from './oidc/urls.ts';
import { brandCss, PORTICO_CSS } from './pages/styles.ts';
import { personalRoutes } from './personal/pages.tsx';
import { DEFAULT_SEAMS } from './redemption/context.ts';
import { redemptionRoutes } from './redemption/routes.tsx';
import type { Services } from './services.ts';
import type { SignInSeams } from './signin/table.ts';
import { recordServer, storeAnswers } from './store/deployment.ts';
import { openStore, type Store } from './store/index.ts';
import { VERSION } from './version.ts';

export interface PorticoOverrides {
  store?: Store;
  clock?: Clock;
  log?: Logger;
  /** where mail goes; default: PORTICO_SMTP_URL, else the built-in catcher */
  transport?: Transporter;
  /** start the outbox worker loop (default true); tests may drive it with worker.runOnce() */
  runWorker?: boolean;
  /** start the runner of bulk invitation jobs (default true); tests may drive one with runOnce() */
  runBulk?: boolean;
  /** steps added to every sign-in at both entry points (signin/table.ts); tests insert one to see it run */
  signIn?: SignInSeams;
}

export interface Portico {
  app: Hono<{ Bindings: HttpBindings }>;
  services: Services;
  pool: ProviderPool;
  /** the background jobs (jobs/index.ts): outbox, bulk invitations, invitation lifecycle, maintenance sweep */
  jobs: JobRunner;
  /** the runner's outbox job's worker, for tests to drive with runOnce() */
  worker: OutboxWorker;
  /** the runner's bulk job's runner */
  bulk: BulkRunner;
  catcher: MailCatcher | null;
  /** Listens on config.host:config.port (0 = any free port); resolves with the bound port. */
  listen(): Promise<{ server: Server; port: number }>;
  close(): Promise<void>;
}

export async function buildPortico(config: Config, overrides: PorticoOverrides = {}): Promise<Portico> {
  const log =
    overrides.log ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  const keys = loadKeyRing(config);
  const store = overrides.store ?? openStore({ url: config.databaseUrl, keys });
  try {
    await store.migrate();
    await prepareAtRest(store, keys, log);
  } catch (error) {
    if (!overrides.store) await store.close();
    throw error;
  }
  if (store.kind === 'postgres' && !config.secretKeys.length) {
    log.warn(
      { keyFile: keys.source },
      'PORTICO_SECRET_KEY is not set: the deployment key is kept in a file on this node; every node sharing this PostgreSQL needs the same key (a node with another key refuses to start)',
    );
  }
  const clock = overrides.clock ?? systemClock;
  const metrics = createMetrics(store, clock);
  const services: Services = { store, clock, config, log, metrics };
  const bulk = (services.bulk = createBulkRunner(services));

  let catcher: MailCatcher | null = null;
  let transport = overrides.transport;
  if (!transport) {
    if (config.smtpUrl) {
      transport = smtpTransport(config.smtpUrl);
    } else {
      catcher = await startMailCatcher({ store: (mail) => keepCaught(store.db, mail) });
      transport = smtpTransport(`smtp://127.0.0.1:${catcher.port}?ignoreTLS=true`);
    }
  }
  const worker = createOutboxWorker({
    store,
    clock: services.clock,
    log,
    transport,
    from: config.mailFrom,
    pollMs: config.outboxPollMs,
    claimMs: config.outboxClaimMs,
  });
  const pool = createProviderPool(services, { max: config.oidcPoolSize });
  const audience = apiAudience(config.baseUrl);

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.onError(errorHandler(log));
  app.notFound(notFoundHandler);
  app.use('*', trustProxies(config.trustedProxies));
  const tracing = config.otlpTracesUrl ? startTracing(config.otlpTracesUrl) : null;
  if (tracing) app.use('*', traceRequests(tracing.tracer, routeOf));
  app.use('*', observeRequests(metrics, log));
  app.use('*', securityHeaders(config.baseUrl));
  app.use('*', noStoreByDefault());
  app.use('*', closeAfterUnreadBody());
  app.use('*', edge());

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', metricsHandler(metrics, config.metricsToken));
  app.get('/readyz', async (c) => {
    try {
      await storeAnswers(store.db);
      return c.json({ status: 'ready', store: store.kind });
    } catch (error) {
      log.warn({ err: error }, 'store not ready');
      return c.json({ status: 'unavailable', store: store.kind }, 503);
    }
  });
  app.get('/static/portico.css', (c) =>
    c.body(PORTICO_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );
  app.get('/static/webauthn.js', (c) =>
    c.body(WEBAUTHN_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );
  app.get('/static/brand/:file{[0-9a-f-]{36}\\.css}', async (c) => {
    const tenant = await getTenant(store.db, c.req.param('file').slice(0, 36));
    if (!tenant) return c.notFound();
    return c.body(brandCss(tenant.branding), 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=60',
    });
  });
  if (config.dev && catcher) app.route('/', devMailRoutes(services));

  app.route('/', personalRoutes(services));
  app.route('/', optOutRoutes(services));
  app.route('/', termsFileRoutes(services));
  app.route('/', redemptionRoutes(services, DEFAULT_SEAMS, pool, overrides.signIn));
  app.route('/', federationRoutes(services));
  app.route('/', myAppsRoutes(services));
  app.route('/', adminRoutes(services));
  // The personal accounts realm's sign-in page (oidc/consumers.ts) before the tenants' interaction routes.
  app.route('/', consumerSignInRoutes(services, pool));
  app.route('/', interactionRoutes(services, pool, DEFAULT_SEAMS, overrides.signIn));
  app.route('/', apiRoutes(services));

  // /common, /organizations, /consumers (oidc/common.tsx) before the tenants' providers.
  app.route('/', commonRoutes(services, pool));
  const handing = { db: store.db, clock, scopes: true };
  const oidc = async (c: Context<{ Bindings: HttpBindings }>) => {
    const segment = c.req.param('tenant')!;
    // The personal accounts realm's provider (Entra's consumers tenant), no tenant's: no API, so no scope mapping.
    if (segment === CONSUMER_TENANT_ID)
      return handOff(c, pool, CONSUMER_TENANT_ID, `/${segment}/v2.0`, audience, { ...handing, scopes: false });
    const tenant = await resolveTenantCached(store.db, segment);
    if (!tenant) return notFoundHandler(c);
    return handOff(c, pool, tenant.id, `/${segment}/v2.0`, audience, handing);
  };
  app.all('/:tenant/v2.0', oidc);
  app.all(PROVIDER_ROUTES.provider, oidc);
  // Entra's URL shapes (oidc/mount.ts ENTRA_PATHS): served as the endpoint under /<tenant>/v2.0 they stand for.
  const entra = async (c: Context<{ Bindings: HttpBindings }>) => {
    const segment = c.req.param('tenant')!;
    const url = c.env.incoming.url ?? '/';
    const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
    const target = entraPath(url.split('?')[0]!.slice(segment.length + 2));
    if (!target) return notFoundHandler(c);
    c.env.incoming.url = `/${segment}/v2.0${target}${query}`;
    return oidc(c);
  };
  app.all(PROVIDER_ROUTES.entra, entra);
  app.get('/:tenant/discovery/v2.0/keys', entra);

  let server: Server | undefined;
  const jobs = porticoJobs(services, { worker, bulk });
  jobs.start({
    except: [
      ...(overrides.runWorker === false ? [JOB.outbox] : []),
      ...(overrides.runBulk === false ? [JOB.bulk] : []),
    ],
  });

  return {
    app,
    services,
    pool,
    jobs,
    worker,
    bulk,
    catcher,
    async listen() {
      // The CLI beside this server prints and mails links with the URL the server serves (cli/context.ts).
      await recordServer(store.db, { baseUrl: config.baseUrl, version: VERSION });
      server = await new Promise<Server>((resolve) => {
        const hono = getRequestListener(app.fetch, { hostname: config.host });
        // The token endpoint's own path before hono (oidc/token-endpoint.ts), except while tracing is on.
        const s = createServer(tracing ? hono : tokenEndpoint({ services, metrics, pool, audience }, hono));
        s.listen(config.port, config.host, () => resolve(s));
      });
      server.keepAliveTimeout = 65_000;
      return { server, port: (server.address() as AddressInfo).port };
    },
    async close() {
      await jobs.stop();
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server!.closeAllConnections(), 5_000);
        await closing;
        clearTimeout(force);
      }
      transport.close();
      await catcher?.close();
      await store.close();
      // Last: the spans of the requests the server finished while closing go out too.
      await tracing?.shutdown().catch((error: unknown) => log.warn({ err: error }, 'traces not sent at close'));
    },
  };
}
