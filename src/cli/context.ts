// What a CLI command needs: the same config and store as the server (so it works beside a running server),
// without HTTP. Errors become one line on stderr and a non-zero exit.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';

import { prepareAtRest } from '../at-rest.ts';
import { systemClock } from '../clock.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Actor } from '../directory/audit.ts';
import { resolveTenant, type Tenant } from '../directory/tenants.ts';
import { findUserByRef, type Page, type User } from '../directory/users.ts';
import { InvalidRequest, PorticoError, ResourceNotFound } from '../errors.ts';
import { pickLang, type Lang } from '../i18n/index.ts';
import { loadKeyRing } from '../keyring.ts';
import type { Services } from '../services.ts';
import { recordedServer } from '../store/deployment.ts';
import { openStore } from '../store/index.ts';
import { isRemote, selectedProfile, tenantRef } from './profiles.ts';
import { RemoteRefusal } from './remote.ts';

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
  // A selected remote profile means the store here is not the one meant: refuse before opening anything.
  const profile = selectedProfile();
  if (isRemote(profile))
    throw new InvalidRequest('cli.remoteUnsupported', { command: running.command, profile: profile.name });
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

/** The command running now (`portico user list`), as the program's hook names it for refusals. */
export const running = { command: 'portico' };

export function fail(error: unknown): never {
  const message =
    error instanceof PorticoError
      ? `${error.text(cliLang())} (${error.code})`
      : error instanceof RemoteRefusal
        ? `${error.message} (${error.code})`
        : ((error as Error).message ?? String(error));
  console.error(`portico: ${message}`);
  process.exit(error instanceof PorticoError || error instanceof RemoteRefusal ? 2 : 1);
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

/** Who the audit log says made a change through the CLI. */
export const CLI_ACTOR = { kind: 'system', displayName: 'Portico CLI' } as const satisfies Actor;

/** Commander's collector for an option given more than once (`--domain a --domain b`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * The options every command on one tenant takes: `--tenant` (its id or a verified domain; without it the profile's
 * default tenant, `portico config set tenant`) and `--json`.
 */
export const tenantOptions = (command: Command): Command =>
  command
    .option('--tenant <id-or-domain>', "the tenant (default: the profile's, `portico config set tenant`)")
    .option('--json', 'print JSON for scripts');

/** Runs `fn` with the services and the tenant a `--tenant` value (or the profile's default tenant) names. */
export const withTenant = <T>(
  ref: string | undefined,
  fn: (services: Services, tenant: Tenant) => Promise<T>,
): Promise<T> => withServices(async (services) => fn(services, await tenantOf(services, tenantRef(ref))));

/**
 * The action of a command on one tenant: `fn` gets the services, the tenant its `--tenant` names, the options, and
 * the command's arguments. Input the command checks before opening the store belongs in an `action` of its own.
 */
export const tenantAction = <O extends { tenant?: string }, A extends unknown[] = string[]>(
  fn: (services: Services, tenant: Tenant, opts: O, args: A) => Promise<unknown>,
) =>
  action(async (...received: unknown[]) => {
    // Commander passes each declared argument (a variadic one as an array), then the options, then the command.
    const opts = received.at(-2) as O;
    const args = received.slice(0, -2) as A;
    await withTenant(opts.tenant, (services, tenant) => fn(services, tenant, opts, args));
  });

/** What a command prints: with `--json` the value for scripts, otherwise the text for people. */
export function output(opts: { json?: boolean }, value: unknown, text: string): void {
  if (opts.json) return printJson(value);
  console.log(text);
}

/** What a list prints: with `--json` the value, otherwise a line per item, or `empty` when there is none. */
export function outputList<T>(
  opts: { json?: boolean },
  value: unknown,
  items: readonly T[],
  line: (item: T) => string,
  empty?: string,
): void {
  if (opts.json) return printJson(value);
  if (items.length === 0 && empty !== undefined) return console.log(empty);
  for (const item of items) console.log(line(item));
}

/** Every item of a paged list, `top` (the largest page) at a time. */
export async function allPages<T>(list: (after: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const page = await list(after);
    items.push(...page.items);
    after = page.next;
  } while (after !== undefined);
  return items;
}
