// `portico deleted list|restore|purge`: a tenant's deleted users (Entra's deleted items), as the admin center's
// Deleted users page and /v1.0/directory/deletedItems show them, through the same domain functions.
import { Command } from 'commander';

import { purgeDateOf, purgeUserAs, restoreUserAs } from '../deleted/items.ts';
import { getDeletedUser, listDeletedUsers, type DeletedUser } from '../directory/users.ts';
import { ResourceNotFound } from '../errors.ts';
import type { Services } from '../services.ts';
import { CLI_ACTOR as actor, allPages, output, outputList, tenantAction, tenantOptions } from './context.ts';

const summary = (u: DeletedUser) => ({
  id: u.id,
  displayName: u.displayName,
  userPrincipalName: u.userPrincipalName,
  mail: u.mail,
  userType: u.userType,
  deletedDateTime: u.deletedDateTime,
  permanentDeleteDateTime: purgeDateOf(u.deletedDateTime).toISOString(),
});

/** A deleted user by object id or userPrincipalName. */
async function deletedUserOf(services: Services, tenantId: string, ref: string): Promise<DeletedUser> {
  const byId = await getDeletedUser(services.store.db, tenantId, ref);
  if (byId) return byId;
  const byUpn = await listDeletedUsers(services.store.db, tenantId, {
    filter: { op: 'eq', property: 'userPrincipalName', value: ref },
    top: 1,
  });
  if (!byUpn.items[0]) throw new ResourceNotFound('cli.userNotFound', { ref });
  return byUpn.items[0];
}

type Target = { tenant: string; user: string; json?: boolean };
const withUser = (command: Command) =>
  tenantOptions(command).requiredOption('--user <id-or-upn>', "the deleted user's object id or userPrincipalName");

export function deletedCommand(): Command {
  const deleted = new Command('deleted').description(
    "a tenant's deleted users: restorable for 30 days, then deleted permanently",
  );

  tenantOptions(
    deleted.command('list').description('list the deleted users, with when each is deleted permanently'),
  ).action(
    tenantAction(async (services, tenant, opts: { tenant: string; json?: boolean }) => {
      const items = await allPages((after) => listDeletedUsers(services.store.db, tenant.id, { top: 500, after }));
      const rows = items.map(summary);
      outputList(
        opts,
        { tenantId: tenant.id, value: rows },
        rows,
        (u) =>
          `${u.id}  ${u.userPrincipalName}  ${u.displayName}  deleted ${u.deletedDateTime.slice(0, 10)}, permanently deleted ${u.permanentDeleteDateTime.slice(0, 10)}`,
        `${tenant.displayName} has no deleted users.`,
      );
    }),
  );

  withUser(deleted.command('restore').description('restore a deleted user, as it was')).action(
    tenantAction(async (services, tenant, opts: Target) => {
      const target = await deletedUserOf(services, tenant.id, opts.user);
      const user = await services.store.transaction((tx) =>
        restoreUserAs(tx, services.clock, tenant.id, target.id, actor),
      );
      output(
        opts,
        { tenantId: tenant.id, restored: user.id },
        `Restored ${user.userPrincipalName} (${user.id}) in ${tenant.displayName}.`,
      );
    }),
  );

  withUser(deleted.command('purge').description('delete a deleted user permanently (cannot be undone)')).action(
    tenantAction(async (services, tenant, opts: Target) => {
      const target = await deletedUserOf(services, tenant.id, opts.user);
      await services.store.transaction((tx) => purgeUserAs(tx, services.clock, tenant.id, target.id, actor));
      output(
        opts,
        { tenantId: tenant.id, purged: target.id },
        `Permanently deleted ${target.userPrincipalName} (${target.id}) from ${tenant.displayName}.`,
      );
    }),
  );

  return deleted;
}
