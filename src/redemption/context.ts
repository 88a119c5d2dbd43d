// The discovery context over the real store: which seams each step asks. Personal accounts and federation are
// answered by their modules as they land; until then they say "none" and discovery falls through, as the seed's
// order requires.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/index.ts';
import { deploymentSecret } from '../store/deployment.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { DiscoveryContext } from './discovery.ts';

export interface Seams {
  personalAccountExists(db: Db, email: string): Promise<boolean>;
  federationFor: DiscoveryContext['federationFor'];
  googleEnabled: DiscoveryContext['googleEnabled'];
}

export const NO_FEDERATION: Pick<Seams, 'federationFor' | 'googleEnabled'> = {
  federationFor: async () => undefined,
  googleEnabled: async () => false,
};

/** Whether the deployment's consumer realm has an account for the address (discovery step 4). */
export async function personalAccountExists(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('personal_accounts').select('id').where('email_normalized', '=', email).executeTakeFirst()) !== undefined;
}

/** The seams of this deployment today: personal accounts from the store, no federation configured yet. */
export const DEFAULT_SEAMS: Seams = { personalAccountExists, ...NO_FEDERATION };

/**
 * A managed tenant other than `exceptTenantId` where the address is a member (not an invited user), by mail or by
 * user principal name (Entra's user-based discovery goes by UPN).
 */
export async function memberTenantOf(db: Db, email: string, exceptTenantId: string): Promise<string | undefined> {
  for (const column of ['mail_normalized', 'upn_normalized'] as const) {
    const row = await db.selectFrom('users').select('tenant_id')
      .where(column, '=', email).where('user_type', '=', 'Member').where('tenant_id', '<>', exceptTenantId)
      .where((eb) => eb.or([eb('creation_type', 'is', null), eb('creation_type', '<>', 'Invitation')]))
      .orderBy('created_at').limit(1).executeTakeFirst();
    if (row) return row.tenant_id;
  }
  return undefined;
}

export function discoveryContext(db: Db, tenant: Tenant, email: string, seams: Seams): DiscoveryContext {
  return {
    tenant, email,
    memberTenantOf: (address) => memberTenantOf(db, address, tenant.id),
    personalAccountExists: (address) => seams.personalAccountExists(db, address),
    federationFor: seams.federationFor,
    googleEnabled: seams.googleEnabled,
  };
}

/** The landing form's CSRF value: an HMAC of the ticket under a deployment key (the ticket cookie is its pair). */
export async function landingCsrf(db: Db, ticket: string): Promise<string> {
  return createHmac('sha256', await deploymentSecret(db, 'redeem-csrf-key')).update(ticket).digest('base64url');
}

export function sameValue(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
