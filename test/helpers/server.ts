// A running Portico for a test: real HTTP on a free loopback port, a real store, an injectable clock, and a real
// SMTP server on loopback receiving what Portico sends.
import pino from 'pino';

import { buildPortico, type Portico } from '../../src/app.ts';
import { systemClock, type Clock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { provisionTenant, type ProvisionedTenant } from '../../src/directory/provisioning.ts';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { smtpTransport } from '../../src/mail/transport.ts';
import type { SignInSeams } from '../../src/signin/table.ts';
import { freePort } from './net.ts';
import { createTestStore, type StoreKind, type TestStore } from './stores.ts';

export interface TestServer {
  portico: Portico;
  config: Config;
  baseUrl: string;
  smtp: MailCatcher;
  testStore: TestStore;
  provision(name?: string, opts?: { domain?: string; adminEmail?: string }): Promise<ProvisionedTenant>;
  close(): Promise<void>;
}

/** Argon2id at a low but real cost, so suites that create many users stay quick. */
export const TEST_PASSWORD_COST = { PORTICO_ARGON2_MEMORY_KIB: '1024', PORTICO_ARGON2_TIME_COST: '1' };

/** `smtpUrl` sends Portico's mail to another SMTP server than the catcher (one that refuses, say); `smtp` still runs. */
export async function startTestServer(
  kind: StoreKind,
  opts: {
    clock?: Clock;
    env?: Record<string, string>;
    runWorker?: boolean;
    smtpUrl?: string;
    signIn?: SignInSeams;
  } = {},
): Promise<TestServer> {
  const testStore = await createTestStore(kind);
  const smtp = await startMailCatcher();
  const port = await freePort();
  const config = loadConfig({
    PORTICO_DATABASE_URL: testStore.url,
    PORTICO_PORT: String(port),
    PORTICO_BASE_URL: `http://127.0.0.1:${port}`,
    PORTICO_LOG_LEVEL: 'silent',
    PORTICO_DEV: '0',
    PORTICO_OUTBOX_POLL_MS: '50',
    ...TEST_PASSWORD_COST,
    ...opts.env,
  });
  const portico = await buildPortico(config, {
    store: testStore.store,
    clock: opts.clock ?? systemClock,
    log: pino({ level: process.env.PORTICO_TEST_LOG ?? 'silent' }),
    // The transport production builds (pooled, no-Nagle sockets, its deadlines), pointed at the loopback catcher.
    transport: smtpTransport(opts.smtpUrl ?? `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`),
    runWorker: opts.runWorker ?? true,
    signIn: opts.signIn,
  });
  await portico.listen();
  return {
    portico,
    config,
    baseUrl: config.baseUrl,
    smtp,
    testStore,
    provision: (name = 'Contoso', o = {}) => provisionTenant(portico.services, { name, ...o }),
    async close() {
      // portico.close() closes the store too; the test store then only removes its files or schema.
      await portico.close();
      await smtp.close();
      await testStore.dispose().catch(() => undefined);
    },
  };
}

/**
 * A client-credentials access token for the API, from the tenant's own token endpoint. `origin` is where the request
 * goes when a TLS-terminating proxy serves `baseUrl` (the listener behind it); by default `baseUrl` itself.
 */
export async function appToken(
  baseUrl: string,
  tenantId: string,
  clientId: string,
  clientSecret: string,
  origin = baseUrl,
): Promise<string> {
  const res = await fetch(`${origin}/${tenantId}/v2.0/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: `${baseUrl}/v1.0/.default` }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** fetch against the API with a bearer token and JSON. */
export function apiClient(baseUrl: string, token: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
}
