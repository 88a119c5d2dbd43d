// `portico deleted list|restore|purge`: a tenant's deleted users, groups and app registrations (Entra's deleted
// items), as the admin center's Deleted items page and /v1.0/directory/deletedItems show them, through the same domain
// functions. `--type user|group|application` picks the kind (list shows every kind without it).
import { Command, Option } from 'commander';

import { getDeletedApp, listDeletedApps, purgeApp, restoreApp } from '../apps/apps.ts';
import { purgeDateOf, purgeGroupAs, purgeUserAs, restoreGroupAs, restoreUserAs } from '../deleted/items.ts';
import type { Actor } from '../directory/audit.ts';
import { getDeletedGroup, listDeletedGroups } from '../directory/groups.ts';
import { getDeletedUser, listDeletedUsers, type ListOptions, type Page } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import type { Services } from '../services.ts';
import type { Db, Tx } from '../store/index.ts';
import { action, printJson, tenantOf, withServices } from './context.ts';

const actor: Actor = { kind: 'system', displayName: 'Portico CLI' };

const TYPES = ['user', 'group', 'application'] as const;
type Type = (typeof TYPES)[number];

/** What the CLI prints of one deleted item, whatever its kind. */
interface Summary {
  type: Type;
  id: string;
  displayName: string;
  /** a user's userPrincipalName, an app's appId; a group has none */
  name: string | null;
  deletedDateTime: string;
  permanentDeleteDateTime: string;
}

/** One kind as the CLI handles it: its listing, its look-up by id (or name), and its restore and purge. */
interface Kind {
  plural: string;
  list(db: Db, tenantId: string, opts: ListOptions): Promise<Page<Omit<Summary, 'type' | 'permanentDeleteDateTime'>>>;
  find(db: Db, tenantId: string, ref: string): Promise<Omit<Summary, 'type' | 'permanentDeleteDateTime'> | undefined>;
  restore(tx: Tx, services: Services, tenantId: string, id: string): Promise<unknown>;
  purge(tx: Tx, services: Services, tenantId: string, id: string): Promise<unknown>;
}

const KINDS: Record<Type, Kind> = {
  user: {
    plural: 'users',
    list: async (db, tenantId, opts) => {
      const page = await listDeletedUsers(db, tenantId, opts);
      return { ...page, items: page.items.map((u) => ({ ...u, name: u.userPrincipalName })) };
    },
    // By object id or userPrincipalName.
    find: async (db, tenantId, ref) => {
      const user =
        (await getDeletedUser(db, tenantId, ref)) ??
        (
          await listDeletedUsers(db, tenantId, {
            filter: { op: 'eq', property: 'userPrincipalName', value: ref },
            top: 1,
          })
        ).items[0];
      return user && { ...user, name: user.userPrincipalName };
    },
    restore: (tx, { clock }, tenantId, id) => restoreUserAs(tx, clock, tenantId, id, actor),
    purge: (tx, { clock }, tenantId, id) => purgeUserAs(tx, clock, tenantId, id, actor),
  },
  group: {
    plural: 'groups',
    list: async (db, tenantId, opts) => {
      const page = await listDeletedGroups(db, tenantId, opts);
      return { ...page, items: page.items.map((g) => ({ ...g, name: null })) };
    },
    find: async (db, tenantId, ref) => {
      const group = await getDeletedGroup(db, tenantId, ref);
      return group && { ...group, name: null };
    },
    restore: (tx, { clock }, tenantId, id) => restoreGroupAs(tx, clock, tenantId, id, actor),
    purge: (tx, { clock }, tenantId, id) => purgeGroupAs(tx, clock, tenantId, id, actor),
  },
  application: {
    plural: 'applications',
    list: async (db, tenantId, opts) => {
      const page = await listDeletedApps(db, tenantId, opts);
      return { ...page, items: page.items.map((a) => ({ ...a, name: a.clientId })) };
    },
    // By object id or appId (client id).
    find: async (db, tenantId, ref) => {
      const app = await getDeletedApp(db, tenantId, ref, true);
      return app && { ...app, name: app.clientId };
    },
    restore: (tx, { clock }, tenantId, id) => restoreApp(tx, clock, tenantId, id, actor),
    purge: (tx, { clock }, tenantId, id) => purgeApp(tx, clock, tenantId, id, actor),
  },
};

const summary = (type: Type, item: Omit<Summary, 'type' | 'permanentDeleteDateTime'>): Summary => ({
  type,
  id: item.id,
  displayName: item.displayName,
  name: item.name,
  deletedDateTime: item.deletedDateTime,
  permanentDeleteDateTime: purgeDateOf(item.deletedDateTime).toISOString(),
});

/** Every deleted item of one kind, all pages. */
async function listAll(services: Services, tenantId: string, type: Type): Promise<Summary[]> {
  const items: Summary[] = [];
  let after: string | undefined;
  do {
    const page = await KINDS[type].list(services.store.db, tenantId, { top: 500, after });
    items.push(...page.items.map((item) => summary(type, item)));
    after = page.next;
  } while (after);
  return items;
}

const typeOption = (description: string) => new Option('--type <type>', description).choices(TYPES);

type Target = { tenant: string; type?: Type; user?: string; id?: string; json?: boolean };
const withTarget = (command: Command) =>
  command
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .addOption(typeOption('the kind of deleted item (default: user)'))
    .option('--user <id-or-upn>', "a deleted user's object id or userPrincipalName")
    .option('--id <id>', "the deleted item's object id (an application's appId too)")
    .option('--json', 'print JSON for scripts');

/** The deleted item the options name, and its kind. */
async function targetOf(services: Services, tenantId: string, opts: Target) {
  const type: Type = opts.user !== undefined ? 'user' : (opts.type ?? 'user');
  const ref = opts.user ?? opts.id;
  if (ref === undefined || (opts.user !== undefined && opts.type !== undefined && opts.type !== 'user'))
    throw new InvalidRequest('deleted.cliTarget');
  const item = await KINDS[type].find(services.store.db, tenantId, ref);
  if (!item)
    throw type === 'user'
      ? new ResourceNotFound('cli.userNotFound', { ref })
      : new ResourceNotFound('deleted.cliNotFound', { type, ref });
  return { type, kind: KINDS[type], item: summary(type, item) };
}

const label = (item: Summary) => (item.name ? `${item.name} (${item.id})` : `${item.displayName} (${item.id})`);

export function deletedCommand(): Command {
  const deleted = new Command('deleted').description(
    "a tenant's deleted users, groups and applications: restorable for 30 days, then deleted permanently",
  );

  deleted
    .command('list')
    .description('list the deleted items, with when each is deleted permanently')
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .addOption(typeOption('only this kind of deleted item (default: every kind)'))
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { tenant: string; type?: Type; json?: boolean }) => {
        await withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          const types = opts.type ? [opts.type] : TYPES;
          const lists = [];
          for (const type of types) lists.push({ type, items: await listAll(services, tenant.id, type) });
          if (opts.json) return printJson({ tenantId: tenant.id, value: lists.flatMap((l) => l.items) });
          for (const { type, items } of lists) {
            if (!items.length) {
              console.log(`${tenant.displayName} has no deleted ${KINDS[type].plural}.`);
              continue;
            }
            for (const u of items)
              console.log(
                `${u.type}  ${u.id}  ${u.name ?? '-'}  ${u.displayName}  deleted ${u.deletedDateTime.slice(0, 10)}, permanently deleted ${u.permanentDeleteDateTime.slice(0, 10)}`,
              );
          }
        });
      }),
    );

  withTarget(deleted.command('restore').description('restore a deleted item, as it was')).action(
    action(async (opts: Target) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
        const { type, kind, item } = await targetOf(services, tenant.id, opts);
        await services.store.transaction((tx) => kind.restore(tx, services, tenant.id, item.id));
        if (opts.json) return printJson({ tenantId: tenant.id, type, restored: item.id });
        console.log(`Restored ${label(item)} in ${tenant.displayName}.`);
      });
    }),
  );

  withTarget(deleted.command('purge').description('delete a deleted item permanently (cannot be undone)')).action(
    action(async (opts: Target) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
        const { type, kind, item } = await targetOf(services, tenant.id, opts);
        await services.store.transaction((tx) => kind.purge(tx, services, tenant.id, item.id));
        if (opts.json) return printJson({ tenantId: tenant.id, type, purged: item.id });
        console.log(`Permanently deleted ${label(item)} from ${tenant.displayName}.`);
      });
    }),
  );

  return deleted;
}
