// What a CLI command needs: the same config and store as the server (so it works beside a running server),
// without HTTP. Errors become one line on stderr and a non-zero exit.
import pino from 'pino';

import { prepareAtRest } from '../at-rest.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { resolveTenant, type Tenant } from '../directory/tenants.ts';
import { findUserByRef, type User } from '../directory/users.ts';
import { PorticoError, ResourceNotFound } from '../errors.ts';
import { pickLang, type Lang } from '../i18n/index.ts';
import { loadKeyRing } from '../keyring.ts';
import type { Services } from '../services.ts';
import { openStore } from '../store/index.ts';

export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const keys = loadKeyRing(config);
  const store = openStore({ url: config.databaseUrl, keys });
  const log = pino({ level: 'warn' }, pino.destination(2));
  try {
    await store.migrate();
    await prepareAtRest(store, keys, log);
    return await fn({ store, clock: systemClock, config, log });
  } finally {
    await store.close();
  }
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
