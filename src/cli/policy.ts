// `portico policy`: the tenant's guest invite settings, guest access and collaboration restrictions, as the API's
// /v1.0/policies/authorizationPolicy and /v1.0/policies/b2bCollaborationRestrictions keep them.
import { Command } from 'commander';

import {
  authorizationPatchOf,
  authorizationPolicyOf,
  collaborationRestrictionsOf,
  restrictionsPatchOf,
} from '../directory/policies.ts';
import { GUEST_ROLE_IDS, type AllowInvitesFrom } from '../directory/settings-schema.ts';
import { saveTenantSettings } from '../directory/settings.ts';
import { requireTenant } from '../directory/tenants.ts';
import { InvalidRequest } from '../errors.ts';
import { action, CLI_ACTOR as CLI, output, tenantOptions, withTenant } from './context.ts';

/** `member`, `limited`, `restricted` or one of Entra's role ids. */
function guestRoleId(value: string): string {
  return GUEST_ROLE_IDS[value as keyof typeof GUEST_ROLE_IDS] ?? value;
}

export function policyCommand(): Command {
  const policy = new Command('policy').description(
    'who may invite guests, what guests may read, and which domains may be invited',
  );

  const show = async (tenantRef: string, json: boolean | undefined) =>
    withTenant(tenantRef, async (_services, t) => {
      const out = {
        tenantId: t.id,
        authorizationPolicy: authorizationPolicyOf(t.settings),
        b2bCollaborationRestrictions: collaborationRestrictionsOf(t.settings),
      };
      const r = out.b2bCollaborationRestrictions;
      output(
        { json },
        out,
        [
          `Policies of ${t.displayName}`,
          `  allowInvitesFrom   ${out.authorizationPolicy.allowInvitesFrom}`,
          `  guestUserRoleId    ${out.authorizationPolicy.guestUserRoleId}`,
          `  restrictions       ${r.mode}${r.domains.length ? `: ${r.domains.join(', ')}` : ''}`,
        ].join('\n'),
      );
    });

  tenantOptions(
    policy.command('show').description("show a tenant's authorization policy and collaboration restrictions"),
  ).action(action(async (opts: { tenant: string; json?: boolean }) => show(opts.tenant, opts.json)));

  tenantOptions(
    policy
      .command('set')
      .description('change who may invite guests and what guests may read (Graph: authorizationPolicy)'),
  )
    .option(
      '--allow-invites-from <value>',
      'none | adminsAndGuestInviters | adminsGuestInvitersAndAllMembers | everyone',
    )
    .option('--guest-access <value>', 'member | limited | restricted (or the guestUserRoleId)')
    .action(
      action(async (opts: { tenant: string; allowInvitesFrom?: string; guestAccess?: string; json?: boolean }) => {
        if (!opts.allowInvitesFrom && !opts.guestAccess)
          throw new InvalidRequest('policy.invalid', { detail: 'give --allow-invites-from or --guest-access' });
        await withTenant(opts.tenant, async (services, t) => {
          const patch = authorizationPatchOf({
            allowInvitesFrom: opts.allowInvitesFrom as AllowInvitesFrom | undefined,
            guestUserRoleId: opts.guestAccess ? (guestRoleId(opts.guestAccess) as never) : undefined,
          });
          await services.store.transaction((tx) => saveTenantSettings(tx, services.clock, t.id, patch, CLI));
        });
        await show(opts.tenant, opts.json);
      }),
    );

  tenantOptions(
    policy
      .command('restrict')
      .description('collaboration restrictions: invite any domain (none), only listed ones (allow), or all but (deny)'),
  )
    .requiredOption('--mode <mode>', 'none | allow | deny')
    .option('--domains <list>', 'comma-separated: contoso.example, *.contoso.example (its subdomains)')
    .action(
      action(async (opts: { tenant: string; mode: string; domains?: string; json?: boolean }) => {
        if (!['none', 'allow', 'deny'].includes(opts.mode))
          throw new InvalidRequest('policy.invalid', { detail: `--mode '${opts.mode}': give none, allow or deny` });
        await withTenant(opts.tenant, async (services, t) => {
          await services.store.transaction(async (tx) => {
            const current = await requireTenant(tx, t.id);
            const patch = restrictionsPatchOf(current.settings, {
              mode: opts.mode as 'none' | 'allow' | 'deny',
              domains: opts.domains?.split(','),
            });
            await saveTenantSettings(tx, services.clock, t.id, patch, CLI);
          });
        });
        await show(opts.tenant, opts.json);
      }),
    );

  return policy;
}
