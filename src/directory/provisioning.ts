// Creating a tenant whole: the tenant and its domains, its signing key, its first administrator and its
// management API client, in one transaction.
import { registerApp } from '../apps/apps.ts';
import { InvalidRequest } from '../errors.ts';
import { createKeys } from '../oidc/keys.ts';
import { hashPassword, newPassword } from '../secrets.ts';
import type { Services } from '../services.ts';
import { requireEmailAddress } from './address.ts';
import { recordAudit, type AuditInput } from './audit.ts';
import { createTenant, type Tenant } from './tenants.ts';
import { createMember, GLOBAL_ADMINISTRATOR, type User } from './users.ts';

export interface ProvisionInput {
  name: string;
  /** a domain the operator vouches for; becomes verified */
  domain?: string;
  /** the first administrator's address: in `domain`, or in the initial domain */
  adminEmail?: string;
  adminPassword?: string;
}

export interface ProvisionedTenant {
  tenant: Tenant;
  admin: User;
  adminPassword: string;
  managementClient: { clientId: string; clientSecret: string };
}

export async function provisionTenant(services: Services, input: ProvisionInput): Promise<ProvisionedTenant> {
  const { store, clock, config } = services;
  if (input.adminEmail !== undefined) requireEmailAddress(input.adminEmail, 'the administrator');
  const adminPassword = input.adminPassword ?? newPassword();
  const passwordHash = await hashPassword(adminPassword, config.passwordCost);
  return store.transaction(async (tx) => {
    const tenant = await createTenant(tx, clock, {
      displayName: input.name,
      domainSuffix: config.domainSuffix,
      verifiedDomain: input.domain,
    });
    const adminEmail = input.adminEmail ?? `admin@${tenant.initialDomain}`;
    const adminDomain = adminEmail.split('@')[1]!.toLowerCase();
    if (adminDomain !== tenant.initialDomain && adminDomain !== input.domain?.toLowerCase()) {
      throw new InvalidRequest('tenant.adminDomain', { domain: input.domain ?? tenant.initialDomain, adminDomain });
    }
    await createKeys(tx, clock, tenant.id);
    const admin = await createMember(tx, clock, tenant.id, {
      displayName: 'Administrator',
      userPrincipalName: adminEmail,
      mail: adminEmail,
      passwordHash,
      roles: [GLOBAL_ADMINISTRATOR],
    });
    const { app, clientSecret } = await registerApp(tx, clock, tenant.id, {
      displayName: 'Portico management',
      grantTypes: ['client_credentials'],
      isManagement: true,
    });
    // What was added, each with its audit event (one statement each, in this order).
    const added: Omit<AuditInput, 'operationType' | 'actor'>[] = [
      {
        category: 'DirectoryManagement',
        activity: 'Create tenant',
        targets: [{ id: tenant.id, type: 'Tenant', displayName: tenant.displayName }],
      },
      {
        category: 'UserManagement',
        activity: 'Add user',
        targets: [
          { id: admin.id, type: 'User', displayName: admin.displayName, userPrincipalName: admin.userPrincipalName },
        ],
        details: { role: GLOBAL_ADMINISTRATOR },
      },
      {
        category: 'ApplicationManagement',
        activity: 'Add application',
        targets: [{ id: app.id, type: 'Application', displayName: app.displayName }],
      },
    ];
    const actor = { kind: 'system' as const, displayName: 'Portico provisioning' };
    for (const event of added) await recordAudit(tx, clock, tenant.id, { ...event, operationType: 'Add', actor });
    return { tenant, admin, adminPassword, managementClient: { clientId: app.clientId, clientSecret: clientSecret! } };
  });
}
