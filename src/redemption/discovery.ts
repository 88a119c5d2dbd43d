// The seed's invitation redemption flow, steps 1–7, as one table read top to bottom: each step looks at the
// invited address and either answers (where the guest signs in) or passes to the next. Step 5 ("sign in at the
// identified home") is what the routes do with the answer of steps 1–4; step 8 (back to the inviting tenant for
// consent) follows any sign-in.
import type { Tenant } from '../directory/tenants.ts';

/** Where discovery sends the guest. */
export type Discovery =
  | { kind: 'home-tenant'; homeTenantId: string }
  | { kind: 'account-picker'; homeTenantId: string }
  | { kind: 'federation'; protocol: 'saml' | 'wsfed' | 'oidc'; providerId: string }
  | { kind: 'google' }
  | { kind: 'personal-signin' }
  | { kind: 'passcode' }
  | { kind: 'personal-signup' }
  /** no way to sign in: passcode and personal accounts are off and no identity provider serves the address */
  | { kind: 'no-identity' };

/** What the steps may ask; passed in, so each step is a small function tested on its own. */
export interface DiscoveryContext {
  /** the inviting tenant */
  tenant: Tenant;
  /** the invited address, normalized */
  email: string;
  /** the managed tenant (other than the inviting one) where the address is a member, if any */
  memberTenantOf(email: string): Promise<string | undefined>;
  personalAccountExists(email: string): Promise<boolean>;
  /** the inviting tenant's SAML / WS-Fed / OIDC identity provider for a domain (the federation issue fills this in) */
  federationFor(
    tenantId: string,
    domain: string,
  ): Promise<{ protocol: 'saml' | 'wsfed' | 'oidc'; providerId: string } | undefined>;
  googleEnabled(tenantId: string): Promise<boolean>;
}

export interface DiscoveryStep {
  /** the seed's step number and words */
  seed: string;
  run(ctx: DiscoveryContext): Promise<Discovery | null>;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

export const GOOGLE_DOMAINS = ['gmail.com', 'googlemail.com'];

/** Email one-time passcode is on unless the tenant turned it off (the current seed's default). */
export const passcodeEnabled = (tenant: Tenant) => tenant.settings.emailPasscodeEnabled;

/** Personal accounts may be used and created unless the tenant turned them off. */
export const personalAccountsEnabled = (tenant: Tenant) => tenant.settings.personalAccountsEnabled;

export const DISCOVERY_STEPS: DiscoveryStep[] = [
  {
    seed: '1. user-based discovery: the address is a member of a managed tenant; if it also has a personal account, the guest picks',
    async run(ctx) {
      const homeTenantId = await ctx.memberTenantOf(ctx.email);
      if (!homeTenantId) return null;
      const both = personalAccountsEnabled(ctx.tenant) && (await ctx.personalAccountExists(ctx.email));
      return both ? { kind: 'account-picker', homeTenantId } : { kind: 'home-tenant', homeTenantId };
    },
  },
  {
    seed: "2. SAML 2.0 / WS-Federation: the address's domain matches an identity provider the inviting tenant configured",
    async run(ctx) {
      const idp = await ctx.federationFor(ctx.tenant.id, domainOf(ctx.email));
      return idp ? { kind: 'federation', ...idp } : null;
    },
  },
  {
    seed: '3. Google federation: gmail.com or googlemail.com, and the inviting tenant enabled Google',
    async run(ctx) {
      return GOOGLE_DOMAINS.includes(domainOf(ctx.email)) && (await ctx.googleEnabled(ctx.tenant.id))
        ? { kind: 'google' }
        : null;
    },
  },
  {
    seed: '4. an existing personal account: sign in with it (skipped when the tenant turned personal accounts off)',
    async run(ctx) {
      if (!personalAccountsEnabled(ctx.tenant)) return null;
      return (await ctx.personalAccountExists(ctx.email)) ? { kind: 'personal-signin' } : null;
    },
  },
  {
    seed: '6. no home found and email one-time passcode enabled: a passcode is mailed to the invited address',
    async run(ctx) {
      return passcodeEnabled(ctx.tenant) ? { kind: 'passcode' } : null;
    },
  },
  {
    seed: '7. no home found and passcode disabled: create a personal account with the invited address (refused when personal accounts are off too)',
    async run(ctx) {
      return personalAccountsEnabled(ctx.tenant) ? { kind: 'personal-signup' } : { kind: 'no-identity' };
    },
  },
];

export async function discover(ctx: DiscoveryContext): Promise<Discovery> {
  for (const step of DISCOVERY_STEPS) {
    const answer = await step.run(ctx);
    if (answer) return answer;
  }
  // Unreachable: the last step always answers.
  throw new Error('discovery found no way to sign in');
}
