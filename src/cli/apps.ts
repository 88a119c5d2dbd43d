import { Command } from 'commander';

import { listResourceGrants } from '../apps/api-exposure.ts';
import { createApp, deleteApp, listApps, requireApp, type App } from '../apps/apps.ts';
import {
  assignPrincipal,
  grantAdminConsent,
  listAssignments,
  revokeAdminConsent,
  unassign,
  type PrincipalType,
} from '../apps/assignments.ts';
import { setRequiredSignInMethods } from '../apps/sign-in-methods.ts';
import { InvalidRequest } from '../errors.ts';
import {
  action,
  CLI_ACTOR as actor,
  allPages,
  collect,
  output,
  outputList,
  tenantAction,
  tenantOptions,
  userOf,
  withTenant,
} from './context.ts';

/** `User.Read` asks users; `User.Read:admin` needs an administrator's consent. */
function parsePermissions(specs: string[]): { delegatedPermissions: string[]; adminConsentRequired: string[] } {
  const parsed = specs.map((spec) => {
    const [value = '', marker, ...rest] = spec.split(':');
    if (rest.length || (marker !== undefined && marker !== 'admin'))
      throw new InvalidRequest('cli.permission', { spec });
    return { value, admin: marker === 'admin' };
  });
  return {
    delegatedPermissions: parsed.map((p) => p.value),
    adminConsentRequired: parsed.filter((p) => p.admin).map((p) => p.value),
  };
}

function principalOption(opts: { user?: string; group?: string }): { ref: string; type: PrincipalType } {
  if ((opts.user === undefined) === (opts.group === undefined)) throw new InvalidRequest('cli.userOrGroup');
  return opts.user !== undefined ? { ref: opts.user, type: 'User' } : { ref: opts.group!, type: 'Group' };
}

const summary = (a: App) => ({
  id: a.id,
  clientId: a.clientId,
  displayName: a.displayName,
  redirectUris: a.redirectUris,
  homepageUrl: a.homepageUrl,
  logoUrl: a.logoUrl,
  assignmentRequired: a.assignmentRequired,
  delegatedPermissions: a.delegatedPermissions,
  adminConsentRequired: a.adminConsentRequired,
  adminConsentGranted: a.adminConsentGranted,
  visibleInMyApps: a.visibleInMyApps,
  isManagement: a.isManagement,
  createdDateTime: a.createdDateTime,
  requiredSignInMethods: a.requiredSignInMethods,
  identifierUris: a.identifierUris,
  oauth2PermissionScopes: a.oauth2PermissionScopes,
  appRoles: a.appRoles,
  requiredResourceAccess: a.requiredResourceAccess,
});

type Target = { tenant: string; app: string; json?: boolean };
const withApp = (command: Command) =>
  tenantOptions(command).requiredOption(
    '--app <id-or-client-id>',
    "the app's object id or client id (from `portico app list`)",
  );

export function appCommand(): Command {
  const app = new Command('app').description("register a tenant's apps and manage who may use them");

  tenantOptions(
    app
      .command('create')
      .description('register an app that signs users in; prints its client id and secret (shown only now)'),
  )
    .requiredOption('--name <name>', 'the name users see')
    .requiredOption('--redirect-uri <url>', 'a redirect URI (https, or http on localhost); repeat for more', collect)
    .option('--homepage <url>', 'where My Apps sends users')
    .option('--logo <url>', 'the logo My Apps shows')
    .option('--assignment-required', 'only assigned users (directly or through a group) may sign in')
    .option(
      '--permission <name[:admin]>',
      'a delegated permission it asks for, e.g. User.Read; add :admin when it needs admin consent; repeat for more',
      collect,
    )
    .option(
      '--identifier-uri <uri>',
      'an application ID URI its API is asked for by (api://…); repeat for more',
      collect,
    )
    .action(
      action(
        async (opts: {
          identifierUri?: string[];
          tenant: string;
          name: string;
          redirectUri: string[];
          homepage?: string;
          logo?: string;
          assignmentRequired?: boolean;
          permission?: string[];
          json?: boolean;
        }) => {
          const permissions = parsePermissions(opts.permission ?? []);
          await withTenant(opts.tenant, async (services, tenant) => {
            const { app: created, clientSecret } = await services.store.transaction((tx) =>
              createApp(
                tx,
                services.clock,
                tenant.id,
                {
                  displayName: opts.name,
                  grantTypes: ['authorization_code', 'refresh_token'],
                  redirectUris: opts.redirectUri,
                  homepageUrl: opts.homepage,
                  logoUrl: opts.logo,
                  assignmentRequired: Boolean(opts.assignmentRequired),
                  identifierUris: opts.identifierUri,
                  ...permissions,
                },
                actor,
              ),
            );
            output(
              opts,
              { tenantId: tenant.id, ...summary(created), clientSecret },
              [
                `Registered app "${created.displayName}" in ${tenant.displayName}`,
                `  object id      ${created.id}`,
                `  client id      ${created.clientId}`,
                `  client secret  ${clientSecret}`,
                'The client secret is shown only now.',
              ].join('\n'),
            );
          });
        },
      ),
    );

  tenantOptions(app.command('list').description("list a tenant's apps")).action(
    tenantAction(async (services, tenant, opts: { tenant: string; json?: boolean }) => {
      const apps = await allPages((after) => listApps(services.store.db, tenant.id, { top: 500, after }));
      outputList(opts, apps.map(summary), apps, (a) => {
        const flags = [
          a.isManagement && 'management',
          a.assignmentRequired && 'assignment required',
          a.adminConsentRequired.length && (a.adminConsentGranted ? 'admin consent granted' : 'needs admin consent'),
        ].filter(Boolean);
        return `${a.id}  client ${a.clientId}  ${a.displayName}${flags.length ? `  (${flags.join(', ')})` : ''}`;
      });
    }),
  );

  for (const [name, description] of [
    ['assign', 'let a user (guests included) or a group use an app'],
    ['unassign', 'remove an assignment'],
  ] as const) {
    withApp(app.command(name).description(description))
      .option('--user <upn|mail|id>', 'the user')
      .option('--group <id>', "the group's object id")
      .action(
        action(async (opts: Target & { user?: string; group?: string }) => {
          const principal = principalOption(opts);
          await withTenant(opts.tenant, async (services, tenant) => {
            const target = await requireApp(services.store.db, tenant.id, opts.app, true);
            const principalId =
              principal.type === 'User' ? (await userOf(services, tenant.id, principal.ref)).id : principal.ref;
            await services.store.transaction(async (tx) => {
              if (name === 'assign')
                await assignPrincipal(tx, services.clock, tenant.id, target.id, principalId, principal.type, actor);
              else await unassign(tx, services.clock, tenant.id, target.id, principalId, actor);
            });
            const assignments = await listAssignments(services.store.db, tenant.id, target.id);
            output(
              opts,
              { tenantId: tenant.id, appId: target.id, assignments },
              `${name === 'assign' ? 'Assigned' : 'Unassigned'} ${principal.type.toLowerCase()} ${principal.ref} ${name === 'assign' ? 'to' : 'from'} "${target.displayName}"; it has ${assignments.length} assignment(s).`,
            );
          });
        }),
      );
  }

  withApp(
    app
      .command('consent')
      .description(
        "grant (or with --revoke, revoke) admin consent to an app's delegated permissions for every user, and to the API permissions (requiredResourceAccess) it asks of other apps",
      ),
  )
    .option('--revoke', 'revoke the admin consent instead')
    .action(
      tenantAction(async (services, tenant, opts: Target & { revoke?: boolean }) => {
        const target = await requireApp(services.store.db, tenant.id, opts.app, true);
        const updated = await services.store.transaction((tx) =>
          (opts.revoke ? revokeAdminConsent : grantAdminConsent)(tx, services.clock, tenant.id, target.id, actor),
        );
        const granted = await listResourceGrants(services.store.db, tenant.id, updated.id);
        const scope = updated.delegatedPermissions.join(', ') || 'no delegated permissions';
        output(
          opts,
          { tenantId: tenant.id, ...summary(updated), resourceGrants: granted },
          [
            `${opts.revoke ? 'Revoked' : 'Granted'} admin consent for "${updated.displayName}" (${scope}) on behalf of every user of ${tenant.displayName}.`,
            ...granted.map(
              (g) => `  ${g.resourceDisplayName}: ${g.value} (${g.kind === 'Role' ? 'application' : 'delegated'})`,
            ),
          ].join('\n'),
        );
      }),
    );

  withApp(
    app
      .command('sign-in-methods')
      .description(
        'choose how users must have signed in to use an app: pwd (a password), otp (an emailed passcode), fed (an identity provider or home tenant)',
      ),
  )
    .option('--allow <method>', 'a method the app accepts: pwd, otp or fed; repeat for more', collect)
    .option('--any', 'accept every method again (the default)')
    .action(
      action(async (opts: Target & { allow?: string[]; any?: boolean }) => {
        if (Boolean(opts.any) === Boolean(opts.allow?.length)) throw new InvalidRequest('cli.allowOrAny');
        await withTenant(opts.tenant, async (services, tenant) => {
          const target = await requireApp(services.store.db, tenant.id, opts.app, true);
          const updated = await services.store.transaction((tx) =>
            setRequiredSignInMethods(tx, services.clock, tenant.id, target.id, opts.any ? null : opts.allow!, actor),
          );
          output(
            opts,
            { tenantId: tenant.id, ...summary(updated) },
            `"${updated.displayName}" now accepts ${updated.requiredSignInMethods ? `only sign-ins by ${updated.requiredSignInMethods.join(', ')}` : 'every sign-in method'}.`,
          );
        });
      }),
    );

  withApp(app.command('delete').description('delete an app and its assignments')).action(
    tenantAction(async (services, tenant, opts: Target) => {
      const target = await requireApp(services.store.db, tenant.id, opts.app, true);
      await services.store.transaction((tx) => deleteApp(tx, services.clock, tenant.id, target.id, actor));
      output(
        opts,
        { tenantId: tenant.id, deleted: target.id },
        `Deleted app "${target.displayName}" (${target.id}) from ${tenant.displayName}.`,
      );
    }),
  );

  return app;
}
