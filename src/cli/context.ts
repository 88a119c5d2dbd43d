// What a CLI command needs: the same config and store as the server (so it works beside a running server),
// without HTTP. Errors become one line on stderr and a non-zero exit.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pino from 'pino';

import { prepareAtRest } from '../at-rest.ts';
import { systemClock } from '../clock.ts';
import { loadConfig, type Config } from '../config.ts';
import { resolveTenant, type Tenant } from '../directory/tenants.ts';
import { findUserByRef, type User } from '../directory/users.ts';
import { PorticoError, ResourceNotFound } from '../errors.ts';
import { pickLang, type Lang } from '../i18n/index.ts';
import { loadKeyRing } from '../keyring.ts';
import type { Services } from '../services.ts';
import { recordedServer } from '../store/deployment.ts';
import { openStore } from '../store/index.ts';

/**
 * The store and the services over it. The store must exist: a path that names none is refused, never created (a CLI
 * run from another folder would otherwise make an empty store of its own; `portico init` creates one on purpose).
 * Links the CLI prints and mails use the URL the server recorded at its start (store/deployment.ts), not this
 * process's environment; without a record, PORTICO_BASE_URL if set, else a command that needs the URL is refused.
 */
export async function withServices<T>(
  fn: (services: Services) => Promise<T>,
  options: { create?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const path = sqlitePath(config.databaseUrl);
  if (path && !options.create && !existsSync(path))
    throw new Error(
      `there is no store at ${path}: run this where the server runs, set PORTICO_DATABASE_URL to its store, or create one with \`portico init\``,
    );
  const keys = loadKeyRing(config);
  const store = openStore({ url: config.databaseUrl, keys });
  const log = pino({ level: 'warn' }, pino.destination(2));
  try {
    await store.migrate();
    await prepareAtRest(store, keys, log);
    const recorded = await recordedServer(store.db);
    const baseUrl = recorded?.baseUrl ?? (process.env.PORTICO_BASE_URL ? config.baseUrl : undefined);
    return await fn({ store, clock: systemClock, config: withBaseUrl(config, baseUrl), log });
  } finally {
    await store.close();
  }
}

/** The SQLite file a store URL names, or null (PostgreSQL, in memory). */
export function sqlitePath(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const path = databaseUrl.slice('sqlite:'.length);
  return path === ':memory:' ? null : resolve(path);
}

/** The config with the server's public URL, or one whose URL refuses to be read when nobody knows it. */
function withBaseUrl(config: Config, baseUrl: string | undefined): Config {
  if (baseUrl) return { ...config, baseUrl };
  return Object.defineProperty({ ...config }, 'baseUrl', {
    enumerable: true,
    get(): string {
      throw new Error(
        'this store has no public URL recorded: start the server once (it records its URL), or set PORTICO_BASE_URL',
      );
    },
  });
}

/**
 * The CLI's language, from the locale environment as POSIX orders it (LC_ALL, LC_MESSAGES, LANG: `de_DE.UTF-8`);
 * en-US when none names a language Portico speaks (C, POSIX, unset).
 */
export function cliLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find(Boolean);
  return pickLang(locale?.replace(/[.@].*$/, '').replace('_', '-'));
}

export function fail(error: unknown): never {
  const message =
    error instanceof PorticoError
      ? `${error.text(cliLang())} (${error.code})`
      : ((error as Error).message ?? String(error));
  console.error(`portico: ${message}`);
  process.exit(error instanceof PorticoError ? 2 : 1);
}

/** Runs a command action, turning every error into a clear message and exit code. */
export const action =
  <A extends unknown[]>(fn: (...args: A) => Promise<void>) =>
  async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      fail(error);
    }
  };

export const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** The tenant a `--tenant` value names (id or verified domain), or a clear error. */
export async function tenantOf(services: Services, idOrDomain: string): Promise<Tenant> {
  const tenant = await resolveTenant(services.store.db, idOrDomain);
  if (!tenant) throw new ResourceNotFound('tenant.noMatch', { idOrDomain });
  return tenant;
}

/** A user by object id, userPrincipalName (a guest's #EXT# one included) or mail: what a `--user` value names. */
export async function userOf(services: Services, tenantId: string, ref: string): Promise<User> {
  const user = await findUserByRef(services.store.db, tenantId, ref);
  if (!user) throw new ResourceNotFound('cli.userNotFound', { ref });
  return user;
}
