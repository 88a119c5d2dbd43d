// `portico sp`: the tenant's service principals, other tenants' multi-tenant apps consented to here (Entra's
// enterprise applications; apps/service-principals.ts): list them, remove one (as Graph's DELETE
// /servicePrincipals/{id}: every consent to it here goes, its refresh tokens are revoked).
import { Command } from 'commander';

import {
  listServicePrincipalsNamed,
  removeServicePrincipal,
  resolveServicePrincipal,
} from '../apps/service-principals.ts';
import { CLI_ACTOR as actor, outputList, tenantAction, tenantOptions } from './context.ts';

export function servicePrincipalCommand(): Command {
  const sp = new Command('sp').description(
    "other organizations' multi-tenant apps used in a tenant (its service principals)",
  );
  tenantOptions(sp.command('list').description("list the tenant's service principals")).action(
    tenantAction(async (services, tenant, opts: { tenant: string; json?: boolean }) => {
      const list = await listServicePrincipalsNamed(services.store.db, tenant.id);
      outputList(
        opts,
        list,
        list,
        (p) =>
          `${p.id}  ${p.appId}  ${p.displayName}  (owner ${p.appOwnerOrganizationId}${p.adminConsentGranted ? ', admin consent' : ''})`,
        'no service principals',
      );
    }),
  );
  sp.command('remove')
    .description('remove a service principal: its consents here go and its refresh tokens are revoked')
    .argument('<id-or-app-id>', "the service principal's object id or its app's client id")
    .requiredOption('--tenant <id-or-domain>', 'the tenant')
    .action(
      tenantAction(async (services, tenant, _opts: { tenant: string }, [ref]: [string]) => {
        await services.store.transaction(async (tx) => {
          const found = await resolveServicePrincipal(tx, tenant.id, ref);
          await removeServicePrincipal(tx, services.clock, tenant.id, found.id, actor);
        });
        console.log(`removed ${ref}`);
      }),
    );
  return sp;
}
