// With an empty store, the first start creates a tenant so there is something to sign in to. Its credentials (the
// administrator's password, the API client's secret) are written once to a file only the owner can read, whose path
// is printed: service logs keep what a process prints, and the store keeps only hashes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { provisionTenant, type ProvisionedTenant } from './directory/provisioning.ts';
import { listTenants } from './directory/tenants.ts';
import { defaultKeyFile } from './keyring.ts';
import { issuerFor, myAppsUrl } from './oidc/urls.ts';
import type { Services } from './services.ts';

export async function firstStart(services: Services): Promise<ProvisionedTenant | null> {
  if ((await listTenants(services.store.db)).length > 0) return null;
  return provisionTenant(services, { name: 'Contoso' });
}

/** The folder where the first start writes its credentials: the store key's (beside the SQLite file, or ./data). */
export function credentialsFolder(databaseUrl: string): string | null {
  const keyFile = defaultKeyFile(databaseUrl);
  return keyFile ? dirname(keyFile) : null;
}

/** The first tenant's secrets, for the owner-only file. */
export function firstTenantSecrets(p: ProvisionedTenant): string {
  return [
    `Portico's first tenant, "${p.tenant.displayName}" (${p.tenant.initialDomain}), tenant id ${p.tenant.id}.`,
    'Keep these somewhere safe, then delete this file: Portico stores only their hashes.',
    '',
    `Administrator       ${p.admin.userPrincipalName}`,
    `Password            ${p.adminPassword}`,
    `API client id       ${p.managementClient.clientId}`,
    `API client secret   ${p.managementClient.clientSecret}`,
    '',
  ].join('\n');
}

/**
 * Writes the secrets to a file in `folder` named by the tenant (created 0600, never overwriting) and answers what to print: the
 * tenant, who the administrator is and the URLs, never a secret. Without a file (an in-memory store) the secrets are
 * printed, as nothing else could hold them.
 */
export function announceFirstTenant(baseUrl: string, p: ProvisionedTenant, folder: string | null): string {
  let secretsLine: string[];
  if (folder) {
    const file = join(folder, `first-start-credentials-${p.tenant.id}.txt`);
    writeFileSync(file, firstTenantSecrets(p), { mode: 0o600, flag: 'wx' });
    secretsLine = [`  Password and API client secret: written to ${file} (readable only by you; delete it once kept)`];
  } else
    secretsLine = [
      `  Password            ${p.adminPassword}`,
      `  API client secret   ${p.managementClient.clientSecret}`,
    ];
  return describeFirstTenant(baseUrl, p, secretsLine);
}

function describeFirstTenant(baseUrl: string, p: ProvisionedTenant, secrets: string[]): string {
  const issuer = issuerFor(baseUrl, p.tenant.id);
  return [
    '',
    `Portico created a first tenant, "${p.tenant.displayName}" (${p.tenant.initialDomain}).`,
    '',
    `  Tenant id           ${p.tenant.id}`,
    `  Administrator       ${p.admin.userPrincipalName}`,
    `  API client id       ${p.managementClient.clientId}`,
    ...secrets,
    '',
    `  My Apps             ${myAppsUrl(baseUrl, p.tenant.id)}`,
    `  Admin center        ${baseUrl}/admin/${p.tenant.id}`,
    `  OpenID discovery    ${issuer}/.well-known/openid-configuration`,
    `  Token endpoint      ${issuer}/token`,
    '',
  ].join('\n');
}
