// Every setting Portico reads from the environment, with its default, in one place. The README's configuration
// table lists the same variables.
import { z } from 'zod';

import { isKey } from './keyring.ts';
import { defaultPasswordCost, type PasswordCost } from './secrets.ts';

export interface Config {
  /** PORTICO_DATABASE_URL: `sqlite:<path>` (default `sqlite:./data/portico.db`) or `postgres://...` */
  databaseUrl: string;
  /** PORTICO_PORT: HTTP port (default 3000) */
  port: number;
  /** PORTICO_HOST: address to bind (default 127.0.0.1; use 0.0.0.0 behind a proxy or in a container) */
  host: string;
  /** PORTICO_BASE_URL: public URL of this deployment, no trailing slash (default http://localhost:<port>) */
  baseUrl: string;
  /** PORTICO_DOMAIN_SUFFIX: tenants' initial domains are `<slug>.<suffix>` (default portico.localhost) */
  domainSuffix: string;
  /** PORTICO_SMTP_URL: where mail goes (smtp://user:pass@host:port); unset = the built-in mail catcher */
  smtpUrl: string | null;
  /** PORTICO_MAIL_FROM: envelope and From address of Portico's mail (default no-reply@<suffix>) */
  mailFrom: string;
  /**
   * PORTICO_DEV: development pages such as /dev/mail (default: on when the built-in mail catcher is used); the catcher
   * on a non-loopback PORTICO_HOST needs PORTICO_DEV=1, else Portico refuses to start
   */
  dev: boolean;
  /** PORTICO_LOG_LEVEL: pino level (default info; silent in tests) */
  logLevel: string;
  /** PORTICO_OIDC_POOL_SIZE: per-tenant OpenID providers kept in memory (default 200) */
  oidcPoolSize: number;
  /** PORTICO_ARGON2_MEMORY_KIB / PORTICO_ARGON2_TIME_COST: password hashing cost (default 19456 KiB, 2) */
  passwordCost: PasswordCost;
  /** PORTICO_OUTBOX_POLL_MS: how often the outbox worker looks for due mail (default 1000) */
  outboxPollMs: number;
  /**
   * PORTICO_OUTBOX_CLAIM_MS: how long a node's claim on a message it is sending holds; after that, another node (or
   * this one after a restart) sends it again, with the same Message-ID (default 120000)
   */
  outboxClaimMs: number;
  /**
   * PORTICO_DNS_SERVERS: comma-separated resolvers (`ip` or `ip:port`, `[ipv6]:port`) that domain verification asks
   * for TXT records (default: the system's resolvers)
   */
  dnsServers: string[];
  /** PORTICO_GOOGLE_ISSUER: the OpenID issuer Google federation talks to (default https://accounts.google.com) */
  googleIssuer: string;
  /** PORTICO_TRUSTED_PROXIES: comma-separated addresses of reverse proxies whose X-Forwarded-For names the client (default none) */
  trustedProxies: string[];
  /**
   * PORTICO_SECRET_KEY: the deployment key that seals stored secrets (queued mail), kept out of the database:
   * 32 random bytes in base64url; a comma-separated list to rotate (the first seals, every one unseals). Default
   * none: the key in secretKeyFile (keyring.ts).
   */
  secretKeys: string[];
  /**
   * PORTICO_SECRET_KEY_FILE: where the key is kept when PORTICO_SECRET_KEY is unset; created (mode 0600) on first start
   * (default `portico.key` beside the SQLite file; ./data/portico.key on PostgreSQL, where every node needs the same key)
   */
  secretKeyFile: string | null;
  /** PORTICO_OUTBOX_RETENTION_DAYS: sent and dead-lettered mail is deleted this many days after it was queued (default 30) */
  outboxRetentionDays: number;
  /** PORTICO_METRICS_TOKEN: when set, /metrics answers only `Authorization: Bearer <token>` (default unset: open) */
  metricsToken: string | null;
  /**
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`: where request spans go over
   * OTLP/HTTP (default unset: no tracing; `OTEL_SDK_DISABLED=true` turns it off). OTEL_SERVICE_NAME names the service.
   */
  otlpTracesUrl: string | null;
}

const DNS_SERVER = /^(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|\[[0-9a-f:.]+\](?::\d{1,5})?|[0-9a-f:]*:[0-9a-f:.]*)$/i;

const env = z.object({
  PORTICO_DATABASE_URL: z.string().default('sqlite:./data/portico.db'),
  PORTICO_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PORTICO_HOST: z.string().default('127.0.0.1'),
  PORTICO_BASE_URL: z.string().url().optional(),
  PORTICO_DOMAIN_SUFFIX: z
    .string()
    .regex(/^[a-z0-9.-]+$/)
    .default('portico.localhost'),
  PORTICO_SMTP_URL: z.string().optional(),
  PORTICO_MAIL_FROM: z.string().email().optional(),
  PORTICO_DEV: z.enum(['0', '1', 'true', 'false']).optional(),
  PORTICO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORTICO_OIDC_POOL_SIZE: z.coerce.number().int().min(1).default(200),
  PORTICO_ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(defaultPasswordCost.memoryCost),
  PORTICO_ARGON2_TIME_COST: z.coerce.number().int().min(1).default(defaultPasswordCost.timeCost),
  PORTICO_OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
  PORTICO_OUTBOX_CLAIM_MS: z.coerce.number().int().min(1000).default(120_000),
  PORTICO_DNS_SERVERS: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
          .every((a) => DNS_SERVER.test(a)),
      'each entry must be an IP address with an optional port, such as 127.0.0.1:5353 or [::1]:53',
    ),
  PORTICO_GOOGLE_ISSUER: z.string().url().default('https://accounts.google.com'),
  PORTICO_TRUSTED_PROXIES: z.string().default(''),
  PORTICO_SECRET_KEY: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)
          .every(isKey),
      'each key must be 32 random bytes in base64url (43 characters); separate keys with commas',
    ),
  PORTICO_SECRET_KEY_FILE: z.string().optional(),
  PORTICO_OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  PORTICO_METRICS_TOKEN: z.string().min(16, 'the metrics token must be at least 16 characters').optional(),
});

/** Whether a bind address is reachable only from this machine (127.0.0.0/8, ::1, localhost). */
export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);

/**
 * Why the server must not start with the built-in mail catcher (no PORTICO_SMTP_URL) at this public URL, if so: bound
 * to loopback behind a proxy, a PORTICO_BASE_URL others reach would publish every passcode and invitation link at
 * /dev/mail all the same, unless PORTICO_DEV=1 says this is a development machine. Asked when serving (main.ts), not
 * by the CLI, which serves nothing.
 */
export function catcherRefusal(
  config: Pick<Config, 'smtpUrl' | 'baseUrl'>,
  source: NodeJS.ProcessEnv,
): string | undefined {
  const devFlag = source.PORTICO_DEV === '1' || source.PORTICO_DEV === 'true';
  if (config.smtpUrl || devFlag || isLoopback(new URL(config.baseUrl).hostname)) return undefined;
  return (
    `invalid configuration:\n  PORTICO_BASE_URL is ${config.baseUrl}, not a loopback address, and no PORTICO_SMTP_URL is set: ` +
    'behind a proxy the built-in mail catcher would show every passcode and invitation link to anyone who can reach ' +
    '/dev/mail. Set PORTICO_SMTP_URL to a mail server, or set PORTICO_DEV=1 for a development machine.'
  );
}

/** The traces endpoint the environment names (the OTLP exporter's own variables), or null: tracing off. */
export function otlpTracesUrl(env: NodeJS.ProcessEnv): string | null {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return null;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : null;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const smtpUrl = e.PORTICO_SMTP_URL?.trim() || null;
  const devFlag = e.PORTICO_DEV === '1' || e.PORTICO_DEV === 'true';
  // Without SMTP every mail (passcodes, invitation links) goes to the catcher's /dev/mail page: on an address others
  // can reach that page would publish them, so only an explicit PORTICO_DEV=1 allows it.
  if (!smtpUrl && !isLoopback(e.PORTICO_HOST) && !devFlag)
    throw new Error(
      `invalid configuration:\n  PORTICO_HOST is ${e.PORTICO_HOST}, not a loopback address, and no PORTICO_SMTP_URL is set: ` +
        'the built-in mail catcher would show every passcode and invitation link to anyone who can reach /dev/mail. ' +
        'Set PORTICO_SMTP_URL to a mail server, bind to 127.0.0.1, or set PORTICO_DEV=1 for a development machine.',
    );
  return {
    databaseUrl: e.PORTICO_DATABASE_URL,
    port: e.PORTICO_PORT,
    host: e.PORTICO_HOST,
    baseUrl: (e.PORTICO_BASE_URL ?? `http://localhost:${e.PORTICO_PORT}`).replace(/\/+$/, ''),
    domainSuffix: e.PORTICO_DOMAIN_SUFFIX,
    smtpUrl,
    mailFrom: e.PORTICO_MAIL_FROM ?? `no-reply@${e.PORTICO_DOMAIN_SUFFIX}`,
    dev: e.PORTICO_DEV ? e.PORTICO_DEV === '1' || e.PORTICO_DEV === 'true' : smtpUrl === null,
    logLevel: e.PORTICO_LOG_LEVEL,
    oidcPoolSize: e.PORTICO_OIDC_POOL_SIZE,
    passwordCost: { memoryCost: e.PORTICO_ARGON2_MEMORY_KIB, timeCost: e.PORTICO_ARGON2_TIME_COST },
    outboxPollMs: e.PORTICO_OUTBOX_POLL_MS,
    outboxClaimMs: e.PORTICO_OUTBOX_CLAIM_MS,
    dnsServers: e.PORTICO_DNS_SERVERS.split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    googleIssuer: e.PORTICO_GOOGLE_ISSUER.replace(/\/+$/, ''),
    trustedProxies: e.PORTICO_TRUSTED_PROXIES.split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    secretKeys: e.PORTICO_SECRET_KEY.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    secretKeyFile: e.PORTICO_SECRET_KEY_FILE?.trim() || null,
    outboxRetentionDays: e.PORTICO_OUTBOX_RETENTION_DAYS,
    metricsToken: e.PORTICO_METRICS_TOKEN ?? null,
    otlpTracesUrl: otlpTracesUrl(source),
  };
}
