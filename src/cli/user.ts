// `portico user list --inactive-days N`: the tenant's inactive guests (never redeemed, or no sign-in for N days),
// as the admin center's "Inactive guests" view lists them (directory/inactive.ts).
import { Command, InvalidArgumentError } from 'commander';

import { inactiveGuests, MAX_INACTIVE_DAYS } from '../directory/inactive.ts';
import { action, printJson, tenantOf, withServices } from './context.ts';

type Opts = { tenant: string; inactiveDays: number; json?: boolean };

const days = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_INACTIVE_DAYS)
    throw new InvalidArgumentError(`give a whole number of days from 1 to ${MAX_INACTIVE_DAYS}`);
  return n;
};

export function userCommand(): Command {
  const user = new Command('user').description("a tenant's users");
  user
    .command('list')
    .description('list inactive guests: those who never redeemed, and those with no sign-in for N days')
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .requiredOption('--inactive-days <n>', 'days without a sign-in', days)
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: Opts) => {
        await withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          const found = await inactiveGuests(services.store.db, services.clock, tenant.id, opts.inactiveDays);
          const rows = found.map((g) => ({
            id: g.user.id,
            displayName: g.user.displayName,
            mail: g.user.mail,
            userPrincipalName: g.user.userPrincipalName,
            accountEnabled: g.user.accountEnabled,
            externalUserState: g.user.externalUserState,
            reason: g.reason,
            signInActivity: g.signInActivity,
          }));
          if (opts.json) return printJson(rows);
          if (!rows.length) return console.log(`No guest of ${tenant.displayName} is inactive.`);
          for (const r of rows)
            console.log(
              `${r.mail ?? r.userPrincipalName}  ${r.reason === 'neverRedeemed' ? 'never redeemed' : `last sign-in ${r.signInActivity.lastSignInDateTime ?? 'never'}`}${r.accountEnabled ? '' : '  (disabled)'}`,
            );
        });
      }),
    );
  return user;
}
