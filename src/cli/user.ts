// `portico user list|show|update|delete|restore|reset-redemption`: a tenant's users, on the store here or, with a
// remote profile (`portico login`), through the deployment's Graph-shaped API (cli/directory.ts); `--json` prints
// users as the API returns them, in either mode. `user list --inactive-days N` lists the inactive guests, as the
// admin center's "Inactive guests" view does (directory/inactive.ts; the store only).
import { Command, InvalidArgumentError } from 'commander';

import { inactiveGuests, MAX_INACTIVE_DAYS } from '../directory/inactive.ts';
import { InvalidRequest } from '../errors.ts';
import { action, collect, output, outputList, printJson, tenantOptions, withTenant } from './context.ts';
import { PAGE, withDirectory, type GraphUser } from './directory.ts';
import { isRemote, selectedProfile } from './profiles.ts';

type Opts = { tenant?: string; json?: boolean };

/** `--page-size`: users a request reads, 1 to 999 (Graph's $top on users). */
export const pageSize = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > PAGE)
    throw new InvalidArgumentError(`give a whole number from 1 to ${PAGE}`);
  return n;
};

const days = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_INACTIVE_DAYS)
    throw new InvalidArgumentError(`give a whole number of days from 1 to ${MAX_INACTIVE_DAYS}`);
  return n;
};

/** `--search text`: users whose display name, mail or userPrincipalName starts with it, as a $filter. */
export function usersFilter(opts: { filter?: string; search?: string }): string | undefined {
  const quoted = opts.search === undefined ? undefined : `'${opts.search.replace(/'/g, "''")}'`;
  const search =
    quoted && ['displayName', 'mail', 'userPrincipalName'].map((p) => `startswith(${p},${quoted})`).join(' or ');
  if (opts.filter !== undefined && search) return `(${opts.filter}) and (${search})`;
  return opts.filter ?? search;
}

/** A `--set key=value` of `portico user update` as Graph's PATCH body: true/false, comma lists, empty for null. */
export function userPatchOf(assignments: string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    if (at < 1) throw new InvalidRequest('cli.assignment', { assignment });
    const key = assignment.slice(0, at).trim();
    const value = assignment.slice(at + 1);
    patch[key] =
      key === 'accountEnabled' && (value === 'true' || value === 'false')
        ? value === 'true'
        : key === 'otherMails'
          ? value
              .split(',')
              .map((v) => v.trim())
              .filter(Boolean)
          : value === ''
            ? null
            : value;
  }
  return patch;
}

export const userLine = (u: GraphUser) =>
  `${u.id}  ${u.userPrincipalName}  ${u.displayName}  ${u.userType}${u.externalUserState ? ` ${u.externalUserState}` : ''}${u.accountEnabled ? '' : '  (disabled)'}`;

const userText = (u: GraphUser) =>
  [
    `${u.displayName} (${u.userType})`,
    `  id                 ${u.id}`,
    `  userPrincipalName  ${u.userPrincipalName}`,
    `  mail               ${u.mail ?? '-'}`,
    `  accountEnabled     ${u.accountEnabled}`,
    `  externalUserState  ${u.externalUserState ?? '-'}`,
    `  createdDateTime    ${u.createdDateTime}`,
  ].join('\n');

/** `portico user <name> <user>`: a command on one user, by object id, userPrincipalName or mail. */
const oneUser = (user: Command, name: string, description: string) =>
  tenantOptions(user.command(name).description(description)).argument('<user>', 'object id, userPrincipalName or mail');

export function userCommand(): Command {
  const user = new Command('user').description("a tenant's users (on the store here, or through a remote profile)");

  tenantOptions(
    user
      .command('list')
      .description(
        "list the tenant's users (all pages); --inactive-days N lists inactive guests instead (those who never redeemed, and those with no sign-in for N days)",
      ),
  )
    .option('--filter <odata>', 'an OData $filter, as the API takes it: "userType eq \'Guest\'"')
    .option('--search <text>', 'users whose display name, mail or userPrincipalName starts with this text')
    .option('--page-size <n>', `users a request reads (1 to ${PAGE})`, pageSize)
    .option('--inactive-days <n>', 'days without a sign-in (the store only)', days)
    .action(
      action(async (opts: Opts & { filter?: string; search?: string; pageSize?: number; inactiveDays?: number }) => {
        if (opts.inactiveDays !== undefined) return inactive(opts as Opts & { inactiveDays: number });
        await withDirectory(opts.tenant, async (d) => {
          const users = await d.listUsers(usersFilter(opts), { pageSize: opts.pageSize });
          outputList(opts, users, users, userLine, 'No user matches.');
        });
      }),
    );

  oneUser(user, 'show', 'show one user').action(
    action(async (ref: string, opts: Opts) => {
      await withDirectory(opts.tenant, async (d) => {
        const u = await d.getUser(ref);
        output(opts, u, userText(u));
      });
    }),
  );

  oneUser(user, 'update', "change a user's properties, as PATCH /v1.0/users/{id} does")
    .requiredOption(
      '--set <key=value>',
      'a property to set: displayName, givenName, surname, mail, otherMails (comma-separated), userPrincipalName, accountEnabled (true or false); an empty value clears; repeat for more',
      collect,
    )
    .action(
      action(async (ref: string, opts: Opts & { set: string[] }) => {
        const patch = userPatchOf(opts.set);
        await withDirectory(opts.tenant, async (d) => {
          const u = await d.updateUser(ref, patch);
          output(opts, u, `Updated ${u.userPrincipalName}: ${Object.keys(patch).join(', ')}.`);
        });
      }),
    );

  oneUser(user, 'delete', 'delete a user: to deleted items, restorable for 30 days').action(
    action(async (ref: string, opts: Opts) => {
      await withDirectory(opts.tenant, async (d) => {
        const u = await d.deleteUser(ref);
        output(
          opts,
          { deleted: u },
          `Deleted ${u.userPrincipalName} (${u.id}); \`portico user restore ${u.id}\` brings it back within 30 days.`,
        );
      });
    }),
  );

  tenantOptions(user.command('restore').description('restore a deleted user, as it was'))
    .argument('<user>', "the deleted user's object id or userPrincipalName")
    .action(
      action(async (ref: string, opts: Opts) => {
        await withDirectory(opts.tenant, async (d) => {
          const u = await d.restoreUser(ref);
          output(opts, { restored: u }, `Restored ${u.userPrincipalName} (${u.id}).`);
        });
      }),
    );

  oneUser(
    user,
    'reset-redemption',
    "reset a guest's redemption: a new invitation; whoever redeems it (at --email, by default the guest's mail) becomes this user",
  )
    .option('--email <address>', "the address the new invitation goes to (default: the user's mail)")
    .option('--redirect <url>', 'where the guest lands after redeeming (default: My Apps of the tenant)')
    .option('--message <text>', 'a personal message for the invitation email (plain text)')
    .option('--no-send', 'do not send the invitation email (share the redeem URL yourself)')
    .action(
      action(
        async (ref: string, opts: Opts & { email?: string; redirect?: string; message?: string; send: boolean }) => {
          await withDirectory(opts.tenant, async (d) => {
            const u = await d.getUser(ref);
            const email = opts.email ?? u.mail ?? u.otherMails[0];
            if (!email) throw new InvalidRequest('cli.resetNeedsEmail', { user: u.userPrincipalName });
            const r = await d.invite({
              email,
              redirectUrl: opts.redirect,
              sendMessage: opts.send,
              message: opts.message,
              resetUserId: u.id,
            });
            if (opts.json) return printJson(r);
            console.log(`Reset the redemption of ${u.userPrincipalName}: a new invitation to ${email}.`);
            if (r.inviteRedeemUrl)
              console.log(`Redeem URL: ${r.inviteRedeemUrl}${r.emailQueued ? ' (also emailed)' : ''}`);
          });
        },
      ),
    );

  return user;
}

/** `user list --inactive-days N` (the store only: the sign-in log is read where it is kept). */
async function inactive(opts: Opts & { inactiveDays: number }): Promise<void> {
  const profile = selectedProfile();
  if (isRemote(profile))
    throw new InvalidRequest('cli.remoteOption', { option: '--inactive-days', profile: profile.name });
  await withTenant(opts.tenant, async (services, tenant) => {
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
  });
}
