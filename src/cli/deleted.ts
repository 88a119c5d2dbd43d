// `portico deleted list|restore|purge`: a tenant's deleted users, groups and app registrations (Entra's deleted
// items), as the admin center's Deleted items page and /v1.0/directory/deletedItems show them, through the same table
// of kinds (deleted/kinds.ts). `--type user|group|application` picks the kind (list shows every kind without it).
import { Command, Option } from 'commander';

import { purgeDateOf } from '../deleted/items.ts';
import { DELETED_KINDS, DELETED_TYPES, type DeletedItem, type DeletedType } from '../deleted/kinds.ts';
import type { Actor } from '../directory/audit.ts';
import { listDeletedUsers } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import type { Services } from '../services.ts';
import type { Db } from '../store/index.ts';
import { action, printJson, tenantOf, withServices } from './context.ts';

const actor: Actor = { kind: 'system', displayName: 'Portico CLI' };

/** What the CLI prints of one deleted item, whatever its kind. */
interface Summary {
  type: DeletedType;
  id: string;
  displayName: string;
  /** a user's userPrincipalName, an app's appId; a group has none */
  name: string | null;
  deletedDateTime: string;
  permanentDeleteDateTime: string;
}

/** The name the CLI prints beside the id, and takes instead of it: a user's userPrincipalName, an app's appId. */
const NAME: { [K in DeletedType]: (item: DeletedItem<K>) => string | null } = {
  user: (u) => u.userPrincipalName,
  group: () => null,
  application: (a) => a.clientId,
};

const summary = <K extends DeletedType>(type: K, item: DeletedItem<K>): Summary => ({
  type,
  id: item.id,
  displayName: item.displayName,
  name: NAME[type](item),
  deletedDateTime: item.deletedDateTime,
  permanentDeleteDateTime: purgeDateOf(item.deletedDateTime).toISOString(),
});

/** Deleted users are found by userPrincipalName too (applications by appId: their `get`). */
const BY_NAME: { [K in DeletedType]?: (db: Db, tenantId: string, ref: string) => Promise<DeletedItem<K> | undefined> } =
  {
    user: async (db, tenantId, upn) =>
      (
        await listDeletedUsers(db, tenantId, {
          filter: { op: 'eq', property: 'userPrincipalName', value: upn },
          top: 1,
        })
      ).items[0],
  };

/** The deleted item of a kind by object id or by its name. */
async function find<K extends DeletedType>(services: Services, tenantId: string, type: K, ref: string) {
  const { db } = services.store;
  const item = (await DELETED_KINDS[type].get(db, tenantId, ref, true)) ?? (await BY_NAME[type]?.(db, tenantId, ref));
  return item && summary(type, item);
}

/** Every deleted item of one kind, all pages. */
async function listAll<K extends DeletedType>(services: Services, tenantId: string, type: K): Promise<Summary[]> {
  const items: Summary[] = [];
  let after: string | undefined;
  do {
    const page = await DELETED_KINDS[type].list(services.store.db, tenantId, { top: 500, after });
    items.push(...page.items.map((item) => summary(type, item)));
    after = page.next;
  } while (after);
  return items;
}

const typeOption = (description: string) => new Option('--type <type>', description).choices(DELETED_TYPES);

type Target = { tenant: string; type?: DeletedType; user?: string; id?: string; json?: boolean };
const withTarget = (command: Command) =>
  command
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .addOption(typeOption('the kind of deleted item (default: user)'))
    .option('--user <id-or-upn>', "a deleted user's object id or userPrincipalName")
    .option('--id <id>', "the deleted item's object id (an application's appId too)")
    .option('--json', 'print JSON for scripts');

/** The deleted item the options name, and its kind. */
async function targetOf(services: Services, tenantId: string, opts: Target) {
  const type: DeletedType = opts.user !== undefined ? 'user' : (opts.type ?? 'user');
  const ref = opts.user ?? opts.id;
  if (ref === undefined || (opts.user !== undefined && opts.type !== undefined && opts.type !== 'user'))
    throw new InvalidRequest('deleted.cliTarget');
  const item = await find(services, tenantId, type, ref);
  if (!item)
    throw type === 'user'
      ? new ResourceNotFound('cli.userNotFound', { ref })
      : new ResourceNotFound('deleted.cliNotFound', { type, ref });
  return { type, kind: DELETED_KINDS[type], item };
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
      action(async (opts: { tenant: string; type?: DeletedType; json?: boolean }) => {
        await withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          const types = opts.type ? [opts.type] : DELETED_TYPES;
          const lists = [];
          for (const type of types) lists.push({ type, items: await listAll(services, tenant.id, type) });
          if (opts.json) return printJson({ tenantId: tenant.id, value: lists.flatMap((l) => l.items) });
          for (const { type, items } of lists) {
            if (!items.length) {
              console.log(`${tenant.displayName} has no deleted ${DELETED_KINDS[type].plural}.`);
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

  /** `restore` or `purge` of one deleted item: its kind's change, then what it did (`done`, its JSON key). */
  const change = (
    verb: 'restore' | 'purge',
    description: string,
    done: 'restored' | 'purged',
    said: (item: string, tenant: string) => string,
  ) =>
    withTarget(deleted.command(verb).description(description)).action(
      action(async (opts: Target) => {
        await withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          const { type, kind, item } = await targetOf(services, tenant.id, opts);
          await services.store.transaction(async (tx) => {
            await kind[verb](tx, services.clock, tenant.id, item.id, actor);
          });
          if (opts.json) return printJson({ tenantId: tenant.id, type, [done]: item.id });
          console.log(said(label(item), tenant.displayName));
        });
      }),
    );
  change(
    'restore',
    'restore a deleted item, as it was',
    'restored',
    (item, tenant) => `Restored ${item} in ${tenant}.`,
  );
  change(
    'purge',
    'delete a deleted item permanently (cannot be undone)',
    'purged',
    (item, tenant) => `Permanently deleted ${item} from ${tenant}.`,
  );

  return deleted;
}
