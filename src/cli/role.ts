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
import { CLI_ACTOR as actor, output, outputList, tenantAction, tenantOptions, userOf } from './context.ts';

type Opts = { tenant: string; user?: string; role?: string; json?: boolean };

export function roleCommand(): Command {
  const role = new Command('role').description(
    'directory roles: list who holds which, assign or remove one (role by name, such as "Guest Inviter", or template id)',
  );

  tenantOptions(
    role
      .command('list')
      .description("list each role and its members, or a user's roles with --user")
      .option('--user <upn|mail|id>', 'only this user'),
  ).action(
    tenantAction(async (services, tenant, opts: Opts) => {
      if (opts.user !== undefined) {
        const user = await userOf(services, tenant.id, opts.user);
        const roles = rolesOfUser(user).map((r) => ({ id: r.id, displayName: r.displayName }));
        return outputList(
          opts,
          { user: { id: user.id, userPrincipalName: user.userPrincipalName }, roles },
          roles,
          (r) => `${r.displayName}  ${r.id}`,
          `${user.userPrincipalName} holds no directory role.`,
        );
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
      outputList(
        opts,
        rows,
        rows,
        (r) => `${r.displayName}  ${r.id}\n${r.members.map((m) => `  ${m.userPrincipalName}`).join('\n') || '  -'}`,
      );
    }),
  );

  for (const verb of ['assign', 'remove'] as const) {
    tenantOptions(
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
      tenantAction(async (services, tenant, opts: Opts) => {
        const user = await userOf(services, tenant.id, opts.user!);
        const def = requireRoleDefinition(opts.role!);
        const done = await services.store.transaction((tx) =>
          verb === 'assign'
            ? assignRole(tx, services.clock, tenant.id, { roleDefinitionId: def.id, principalId: user.id }, actor)
            : removeRoleAssignment(tx, services.clock, tenant.id, roleAssignmentId(def.id, user.id), actor),
        );
        output(
          opts,
          { ...done, role: def.displayName, userPrincipalName: user.userPrincipalName },
          verb === 'assign'
            ? `${user.userPrincipalName} now holds ${def.displayName}.`
            : `${user.userPrincipalName} no longer holds ${def.displayName}.`,
        );
      }),
    );
  }
  return role;
}

export function adminCommand(): Command {
  const admin = new Command('admin').description('for operators: get an administrator back in');
  tenantOptions(
    admin
      .command('reset-password')
      .description(
        'give a member a new random password (printed once) that they must change at their next sign-in: ends their sessions and a lockout; the audit log records it',
      )
      .requiredOption('--user <upn|mail|id>', 'the member'),
  ).action(
    tenantAction(async (services, tenant, opts: Opts) => {
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
      output(
        opts,
        { userPrincipalName: user.userPrincipalName, password },
        `New password for ${user.userPrincipalName} (shown once; it must be changed at the next sign-in):\n${password}`,
      );
    }),
  );
  return admin;
}
