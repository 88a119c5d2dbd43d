import { Command } from 'commander';

import { recordAudit } from '../directory/audit.ts';
import { provisionTenant } from '../directory/provisioning.ts';
import { parseSettingAssignment, saveTenantSettings, storedSettings } from '../directory/settings.ts';
import { listDomains, listTenants } from '../directory/tenants.ts';
import { rotateKeys } from '../oidc/keys.ts';
import { issuerFor } from '../oidc/urls.ts';
import { action, CLI_ACTOR, output, outputList, tenantAction, tenantOptions, withServices } from './context.ts';
import { withDirectory } from './directory.ts';

export function tenantCommand(): Command {
  const tenant = new Command('tenant').description('create, list and show tenants');

  tenant
    .command('create')
    .description('create a tenant with its first administrator and a management API client')
    .requiredOption('--name <name>', "the organization's display name")
    .option('--domain <domain>', 'a domain you vouch for: it becomes a verified domain of the tenant')
    .requiredOption(
      '--admin-email <email>',
      "the first administrator's address (in --domain, or in the initial domain)",
    )
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { name: string; domain?: string; adminEmail: string; json?: boolean }) => {
        await withServices(async (services) => {
          // Read first: a store whose server URL is unknown refuses here, before anything is created.
          const issuerBase = services.config.baseUrl;
          const p = await provisionTenant(services, {
            name: opts.name,
            domain: opts.domain,
            adminEmail: opts.adminEmail,
          });
          const out = {
            tenantId: p.tenant.id,
            displayName: p.tenant.displayName,
            initialDomain: p.tenant.initialDomain,
            verifiedDomains: (await listDomains(services.store.db, p.tenant.id)).map((d) => d.name),
            admin: { userPrincipalName: p.admin.userPrincipalName, password: p.adminPassword },
            apiClient: { clientId: p.managementClient.clientId, clientSecret: p.managementClient.clientSecret },
            issuer: issuerFor(issuerBase, p.tenant.id),
          };
          output(
            opts,
            out,
            [
              `Created tenant "${out.displayName}"`,
              `  tenant id          ${out.tenantId}`,
              `  domains            ${out.verifiedDomains.join(', ')}`,
              `  administrator      ${out.admin.userPrincipalName}`,
              `  password           ${out.admin.password}`,
              `  API client id      ${out.apiClient.clientId}`,
              `  API client secret  ${out.apiClient.clientSecret}`,
              `  issuer             ${out.issuer}`,
              'The password and the client secret are shown only now.',
            ].join('\n'),
          );
        });
      }),
    );

  tenant
    .command('list')
    .description('list the tenants of this deployment')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { json?: boolean }) => {
        await withServices(async (services) => {
          const tenants = await listTenants(services.store.db);
          const rows = await Promise.all(
            tenants.map(async (t) => ({
              tenantId: t.id,
              displayName: t.displayName,
              initialDomain: t.initialDomain,
              verifiedDomains: (await listDomains(services.store.db, t.id))
                .filter((d) => d.isVerified)
                .map((d) => d.name),
              createdDateTime: t.createdAt,
            })),
          );
          outputList(
            opts,
            rows,
            rows,
            (r) => `${r.tenantId}  ${r.displayName}  (${r.verifiedDomains.join(', ')})`,
            'No tenants yet. Create one with: portico tenant create --name <name> --admin-email <email>',
          );
        });
      }),
    );

  tenantOptions(
    tenant.command('show').description('show a tenant (with a remote profile: its tenant, through the API)'),
  ).action(
    action(async (opts: { tenant?: string; json?: boolean }) => {
      await withDirectory(opts.tenant, async (d) => {
        const t = await d.tenant();
        output(
          opts,
          t,
          [
            `${t.displayName}`,
            `  tenant id  ${t.tenantId}`,
            `  domains    ${t.verifiedDomains.join(', ')}`,
            `  created    ${t.createdDateTime}`,
          ].join('\n'),
        );
      });
    }),
  );

  tenantOptions(
    tenant
      .command('set')
      .description(
        'change external-identity settings: emailPasscodeEnabled, personalAccountsEnabled, requireInvitedAddressProof, invitationTicketLifetimeDays, invitationReminderDays, expirySummaryEmail, redirectAllowList, userConsent (none, lowRisk, allowAll), and the passcode limits (see the README)',
      ),
  )
    .argument(
      '<key=value...>',
      'settings to change, e.g. emailPasscodeEnabled=false redirectAllowList=https://a.example,https://b.example',
    )
    .action(
      tenantAction(async (services, t, opts: { tenant: string; json?: boolean }, [assignments]: [string[]]) => {
        const patch = Object.assign({}, ...assignments.map(parseSettingAssignment));
        // Prints what is stored (what was set, here or before), not the defaults that fill the rest.
        const settings = await services.store.transaction(async (tx) => {
          await saveTenantSettings(tx, services.clock, t.id, patch, CLI_ACTOR);
          return storedSettings(tx, t.id);
        });
        output(opts, { tenantId: t.id, settings }, `Settings of ${t.displayName}: ${JSON.stringify(settings)}`);
      }),
    );

  tenantOptions(
    tenant
      .command('rotate-keys')
      .description("rotate a tenant's token signing keys (old keys stay published for verification)"),
  ).action(
    tenantAction(async (services, t, opts: { tenant: string; json?: boolean }) => {
      const kids = await services.store.transaction(async (tx) => {
        const newKids = await rotateKeys(tx, services.clock, t.id);
        await recordAudit(tx, services.clock, t.id, {
          category: 'KeyManagement',
          activity: 'Rotate signing key',
          operationType: 'Update',
          actor: CLI_ACTOR,
          targets: [{ id: t.id, type: 'Tenant', displayName: t.displayName }],
          details: { kids: newKids.join(' ') },
        });
        return newKids;
      });
      output(
        opts,
        { tenantId: t.id, kid: kids[0], kids },
        `New signing keys ${kids.join(', ')} for ${t.displayName}; running servers pick them up within a minute.`,
      );
    }),
  );

  return tenant;
}
