// `portico sp`: the tenant's service principals, other tenants' multi-tenant apps consented to here (Entra's
// enterprise applications; apps/service-principals.ts): list them, remove one (as Graph's DELETE
// /servicePrincipals/{id}: every consent to it here goes, its refresh tokens are revoked).
import { Command } from 'commander';

import {
  listServicePrincipalsNamed,
  removeServicePrincipal,
  resolveServicePrincipal,
} from '../apps/service-principals.ts';
import { action, printJson, tenantOf, withServices } from './context.ts';

const actor = { kind: 'system' as const, displayName: 'Portico CLI' };

export function servicePrincipalCommand(): Command {
  const sp = new Command('sp').description(
    "other organizations' multi-tenant apps used in a tenant (its service principals)",
  );
  sp.command('list')
    .description("list the tenant's service principals")
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .option('--json', 'print JSON for scripts')
    .action(
      action(async (opts: { tenant: string; json?: boolean }) =>
        withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          const list = await listServicePrincipalsNamed(services.store.db, tenant.id);
          if (opts.json) return printJson(list);
          if (!list.length) return console.log('no service principals');
          for (const p of list)
            console.log(
              `${p.id}  ${p.appId}  ${p.displayName}  (owner ${p.appOwnerOrganizationId}${p.adminConsentGranted ? ', admin consent' : ''})`,
            );
        }),
      ),
    );
  sp.command('remove')
    .description('remove a service principal: its consents here go and its refresh tokens are revoked')
    .argument('<id-or-app-id>', "the service principal's object id or its app's client id")
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .action(
      action(async (ref: string, opts: { tenant: string }) =>
        withServices(async (services) => {
          const tenant = await tenantOf(services, opts.tenant);
          await services.store.transaction(async (tx) => {
            const found = await resolveServicePrincipal(tx, tenant.id, ref);
            await removeServicePrincipal(tx, services.clock, tenant.id, found.id, actor);
          });
          console.log(`removed ${ref}`);
        }),
      ),
    );
  return sp;
}
