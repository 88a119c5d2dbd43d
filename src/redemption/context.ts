// The discovery context over the real store: which seams each step asks, answered by the modules that own them
// (personal accounts, federation). Tests of single steps pass their own.
import type { Tenant } from '../directory/tenants.ts';
import { memberTenantOf } from '../directory/users.ts';
import { federationFor, googleEnabled } from '../federation/providers.ts';
import { formToken } from '../keyed.ts';
import { personalAccountExists } from '../personal/accounts.ts';
import type { Db } from '../store/index.ts';
import type { DiscoveryContext } from './discovery.ts';

export interface Seams {
  personalAccountExists(db: Db, email: string): Promise<boolean>;
  federationFor(
    db: Db,
    ...args: Parameters<DiscoveryContext['federationFor']>
  ): ReturnType<DiscoveryContext['federationFor']>;
  googleEnabled(db: Db, tenantId: string): Promise<boolean>;
}

export const DEFAULT_SEAMS: Seams = { personalAccountExists, federationFor, googleEnabled };

export function discoveryContext(db: Db, tenant: Tenant, email: string, seams: Seams): DiscoveryContext {
  return {
    tenant,
    email,
    memberTenantOf: (address) => memberTenantOf(db, address, tenant.id),
    personalAccountExists: (address) => seams.personalAccountExists(db, address),
    federationFor: (tenantId, domain) => seams.federationFor(db, tenantId, domain),
    googleEnabled: (tenantId) => seams.googleEnabled(db, tenantId),
  };
}

/** The landing form's CSRF value: the form token bound to the ticket (the ticket cookie is its pair). */
export const landingCsrf = (db: Db, ticket: string): Promise<string> => formToken(db, 'redeem-csrf-key', ticket);
