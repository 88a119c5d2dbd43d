// `portico role list|assign|remove`: who holds which directory role, through the same domain functions as the API's
// roleAssignments; and `portico admin reset-password` for an administrator locked out of the admin center.
import { Command } from 'commander';

import { recordAudit } from '../directory/audit.ts';
import { ROLE_DEFINITIONS } from '../directory/role-definitions.ts';
import {
  assignRole,
  removeRoleAssignment,
  requireRoleDefinition,
  roleAssignmentId,
  roleMembers,
  rolesOfUser,
} from '../directory/roles.ts';
import { updateUser } from '../directory/users.ts';
import { InvalidRequest } from '../errors.ts';
import { hashPassword, newPassword } from '../secrets.ts';
import { action, printJson, tenantOf, userOf, withServices } from './context.ts';

const actor = { kind: 'system' as const, displayName: 'Portico CLI' };
type Opts = { tenant: string; user?: string; role?: string; json?: boolean };

const tenantOption = (c: Command) =>
  c.requiredOption('--tenant <id-or-domain>', 'the tenant').option('--json', 'print JSON for scripts');

export function roleCommand(): Command {
  const role = new Command('role').description(
    'directory roles: list who holds which, assign or remove one (role by name, such as "Guest Inviter", or template id)',
  );

  tenantOption(
    role
      .command('list')
      .description("list each role and its members, or a user's roles with --user")
      .option('--user <upn|mail|id>', 'only this user'),
  ).action(
    action(async (opts: Opts) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
        if (opts.user !== undefined) {
          const user = await userOf(services, tenant.id, opts.user);
          const roles = rolesOfUser(user).map((r) => ({ id: r.id, displayName: r.displayName }));
          if (opts.json) return printJson({ user: { id: user.id, userPrincipalName: user.userPrincipalName }, roles });
          if (roles.length === 0) return console.log(`${user.userPrincipalName} holds no directory role.`);
          for (const r of roles) console.log(`${r.displayName}  ${r.id}`);
          return;
        }
        const rows = [];
        for (const r of ROLE_DEFINITIONS) {
          const members = await roleMembers(services.store.db, tenant.id, r);
          rows.push({
            id: r.id,
            displayName: r.displayName,
            members: members.map((m) => ({ id: m.id, userPrincipalName: m.userPrincipalName })),
          });
        }
        if (opts.json) return printJson(rows);
        for (const r of rows)
          console.log(
            `${r.displayName}  ${r.id}\n${r.members.map((m) => `  ${m.userPrincipalName}`).join('\n') || '  -'}`,
          );
      });
    }),
  );

  for (const verb of ['assign', 'remove'] as const) {
    tenantOption(
      role
        .command(verb)
        .description(
          verb === 'assign'
            ? 'give a user a directory role'
            : "take a directory role from a user (never the last Global Administrator's)",
        )
        .requiredOption('--user <upn|mail|id>', 'the user')
        .requiredOption('--role <name|id>', 'the role: its name or template id'),
    ).action(
      action(async (opts: Opts) => {
        await withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          const user = await userOf(services, tenant.id, opts.user!);
          const def = requireRoleDefinition(opts.role!);
          const done = await services.store.transaction((tx) =>
            verb === 'assign'
              ? assignRole(tx, services.clock, tenant.id, { roleDefinitionId: def.id, principalId: user.id }, actor)
              : removeRoleAssignment(tx, services.clock, tenant.id, roleAssignmentId(def.id, user.id), actor),
          );
          if (opts.json)
            return printJson({ ...done, role: def.displayName, userPrincipalName: user.userPrincipalName });
          console.log(
            verb === 'assign'
              ? `${user.userPrincipalName} now holds ${def.displayName}.`
              : `${user.userPrincipalName} no longer holds ${def.displayName}.`,
          );
        });
      }),
    );
  }
  return role;
}

export function adminCommand(): Command {
  const admin = new Command('admin').description('for operators: get an administrator back in');
  tenantOption(
    admin
      .command('reset-password')
      .description(
        'give a member a new random password (printed once) that they must change at their next sign-in: ends their sessions and a lockout; the audit log records it',
      )
      .requiredOption('--user <upn|mail|id>', 'the member'),
  ).action(
    action(async (opts: Opts) => {
      await withServices(async (services) => {
        const tenant = await tenantOf(services, opts.tenant);
        const user = await userOf(services, tenant.id, opts.user!);
        if (user.userType !== 'Member') throw new InvalidRequest('role.resetGuest', { user: user.userPrincipalName });
        const password = newPassword(24);
        const passwordHash = await hashPassword(password, services.config.passwordCost);
        await services.store.transaction(async (tx) => {
          // The member sets a password of their own at the next sign-in (signin/change-password.tsx).
          await updateUser(tx, services.clock, tenant.id, user.id, { passwordHash, mustChangePassword: true });
          await recordAudit(tx, services.clock, tenant.id, {
            category: 'UserManagement',
            activity: 'Reset user password',
            operationType: 'Update',
            actor,
            targets: [
              { id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName },
            ],
            details: { modifiedProperties: 'passwordProfile' },
          });
        });
        if (opts.json) return printJson({ userPrincipalName: user.userPrincipalName, password });
        console.log(
          `New password for ${user.userPrincipalName} (shown once; it must be changed at the next sign-in):\n${password}`,
        );
      });
    }),
  );
  return admin;
}
