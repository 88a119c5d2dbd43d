// With an empty store, the first start creates a tenant so there is something to sign in to, and prints its
// credentials once (they are not stored in a readable form anywhere).
import { provisionTenant, type ProvisionedTenant } from './directory/provisioning.ts';
import { listTenants } from './directory/tenants.ts';
import { issuerFor, myAppsUrl } from './oidc/urls.ts';
import type { Services } from './services.ts';

export async function firstStart(services: Services): Promise<ProvisionedTenant | null> {
  if ((await listTenants(services.store.db)).length > 0) return null;
  return provisionTenant(services, { name: 'Contoso' });
}

export function describeFirstTenant(baseUrl: string, p: ProvisionedTenant): string {
  const issuer = issuerFor(baseUrl, p.tenant.id);
  return [
    '',
    `Portico created a first tenant, "${p.tenant.displayName}" (${p.tenant.initialDomain}). These credentials are shown once:`,
    '',
    `  Tenant id           ${p.tenant.id}`,
    `  Administrator       ${p.admin.userPrincipalName}`,
    `  Password            ${p.adminPassword}`,
    `  API client id       ${p.managementClient.clientId}`,
    `  API client secret   ${p.managementClient.clientSecret}`,
    '',
    `  My Apps             ${myAppsUrl(baseUrl, p.tenant.id)}`,
    `  Admin center        ${baseUrl}/admin/${p.tenant.id}`,
    `  OpenID discovery    ${issuer}/.well-known/openid-configuration`,
    `  Token endpoint      ${issuer}/token`,
    '',
  ].join('\n');
}
