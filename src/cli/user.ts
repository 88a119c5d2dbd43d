// `portico user list --inactive-days N`: the tenant's inactive guests (never redeemed, or no sign-in for N days),
// as the admin center's "Inactive guests" view lists them (directory/inactive.ts).
import { Command, InvalidArgumentError } from 'commander';

import { inactiveGuests, MAX_INACTIVE_DAYS } from '../directory/inactive.ts';
import { outputList, tenantAction, tenantOptions } from './context.ts';

type Opts = { tenant: string; inactiveDays: number; json?: boolean };

const days = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_INACTIVE_DAYS)
    throw new InvalidArgumentError(`give a whole number of days from 1 to ${MAX_INACTIVE_DAYS}`);
  return n;
};

export function userCommand(): Command {
  const user = new Command('user').description("a tenant's users");
  tenantOptions(
    user
      .command('list')
      .description('list inactive guests: those who never redeemed, and those with no sign-in for N days'),
  )
    .requiredOption('--inactive-days <n>', 'days without a sign-in', days)
    .action(
      tenantAction(async (services, tenant, opts: Opts) => {
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
        outputList(
          opts,
          rows,
          rows,
          (r) =>
            `${r.mail ?? r.userPrincipalName}  ${r.reason === 'neverRedeemed' ? 'never redeemed' : `last sign-in ${r.signInActivity.lastSignInDateTime ?? 'never'}`}${r.accountEnabled ? '' : '  (disabled)'}`,
          `No guest of ${tenant.displayName} is inactive.`,
        );
      }),
    );
  return user;
}
