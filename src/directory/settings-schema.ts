// Every setting of a tenant's external identities in one place: its schema (what a writer may store) and its default
// (what applies while none is stored). The store keeps only what an administrator set, so a default changed here
// reaches every tenant that never set it; `resolveSettings` applies the defaults when a tenant is read, and every
// reader takes the typed result (`Tenant.settings`) instead of restating a default.
import { z } from 'zod';

import { CODE_DEFAULTS } from '../passcodes/codes.ts';
// A cycle (tenants.ts reads settings through this module), safe: isDomainName and isUuid are called only when a value
// is checked.
import { isDomainName, isUuid } from './tenants.ts';

/** Graph's allowInvitesFrom values, most restrictive first. */
export const ALLOW_INVITES_FROM = [
  'none',
  'adminsAndGuestInviters',
  'adminsGuestInvitersAndAllMembers',
  'everyone',
] as const;
export type AllowInvitesFrom = (typeof ALLOW_INVITES_FROM)[number];

/** Entra's guest user roles (authorizationPolicy.guestUserRoleId). */
export const GUEST_ROLE_IDS = {
  /** Guests have the same access as members. */
  member: 'a0b1b346-4d3e-4e8b-98f8-753987be4970',
  /** Limited access (Entra's default): their own profile, others only by exact address or id. */
  limited: '10dae51f-b6af-4d05-839f-ba50c2ec4a9b',
  /** Restricted access: their own profile only. */
  restricted: '2af84b1e-32c8-42b7-82bc-daeb300e8fd7',
} as const;
const GUEST_ROLE_ID_VALUES = [GUEST_ROLE_IDS.member, GUEST_ROLE_IDS.limited, GUEST_ROLE_IDS.restricted] as const;
export type GuestUserRoleId = (typeof GUEST_ROLE_ID_VALUES)[number];

/** A collaboration restriction's entry: a domain name, or `*.` and a domain name (its subdomains). */
export const isDomainPattern = (value: string): boolean => isDomainName(value.replace(/^\*\./, ''));

/** How many reminders a tenant may ask for before a ticket expires. */
export const MAX_INVITATION_REMINDERS = 3;

const https = z
  .string()
  .url()
  .refine((u) => /^https:\/\//.test(u), 'must be https');

/** One authentication method's configuration: on or off, for all users or the members of some groups. */
const methodConfiguration = z.strictObject({
  state: z.enum(['enabled', 'disabled']),
  includeTargets: z
    .array(z.string().refine((v) => v === 'all_users' || isUuid(v), "must be 'all_users' or a group id"))
    .min(1)
    .max(50),
});

const FIELDS = {
  /** Email one-time passcode for guests with no other home. */
  emailPasscodeEnabled: z.boolean(),
  /** Personal accounts: an existing one may be used to redeem, and a guest with no other way in may create one. */
  personalAccountsEnabled: z.boolean(),
  /** Prove the invited address by a code when the signed-in identity carries another one (false = Entra's behaviour). */
  requireInvitedAddressProof: z.boolean(),
  /** Minutes an email one-time passcode stays valid. */
  passcodeValidityMinutes: z.number().int().min(1).max(60),
  /** Digits in an email one-time passcode. */
  passcodeLength: z.number().int().min(6).max(8),
  /** Wrong tries before a passcode is dead. */
  passcodeMaxAttempts: z.number().int().min(3).max(10),
  /** Seconds before another passcode may be sent for the same sign-in. */
  passcodeResendCooldownSeconds: z.number().int().min(30).max(600),
  /** Days a redeem ticket stays valid. */
  invitationTicketLifetimeDays: z.number().int().min(1).max(365),
  /** Origins guests may be redirected to after redeeming, besides the registered apps'. */
  redirectAllowList: z.array(https).max(100),
  /** Reminders to pending guests, in days before their ticket expires, e.g. [7, 1] (each sent once). */
  invitationReminderDays: z
    .array(z.number().int().min(1).max(364))
    .max(MAX_INVITATION_REMINDERS)
    .refine((days) => new Set(days).size === days.length, 'each day may appear once'),
  /** A daily email to inviters and sponsors listing the invitations that expired unredeemed. */
  expirySummaryEmail: z.boolean(),
  /**
   * Entra's "Users can consent to apps": `none` (only an administrator consents), `lowRisk` (users consent to
   * the tenant's own apps' type User scopes, not to other tenants' apps), `allowAll` (users consent to any app for
   * what a user may grant). See apps/user-grants.ts.
   */
  userConsent: z.enum(['none', 'lowRisk', 'allowAll']),
  // deleted19
  /** Entra's "External user leave settings": a guest may leave the organization from My Apps. */
  allowExternalIdentitiesToLeave: z.boolean(),
  // policy19: Graph's authorizationPolicy and Portico's collaboration restrictions (directory/policies.ts).
  /** Who may invite guests (Graph's authorizationPolicy.allowInvitesFrom). */
  allowInvitesFrom: z.enum(ALLOW_INVITES_FROM),
  /** What guests may read of the directory (Graph's authorizationPolicy.guestUserRoleId: one of GUEST_ROLE_IDS). */
  guestUserRoleId: z.enum(GUEST_ROLE_ID_VALUES),
  /** Whether members may look up other users (Graph's defaultUserRolePermissions.allowedToReadOtherUsers). */
  allowedToReadOtherUsers: z.boolean(),
  /** Collaboration restrictions: invitations to any domain, only to the listed ones, or to all but the listed ones. */
  collaborationRestrictionMode: z.enum(['none', 'allow', 'deny']),
  /** The domains of the restriction: `contoso.example` (that domain only) or `*.contoso.example` (its subdomains). */
  collaborationRestrictionDomains: z
    .array(
      z
        .string()
        .transform((d) => d.trim().toLowerCase())
        .refine(isDomainPattern, 'not a domain or *.domain'),
    )
    .max(1000)
    .refine((list) => new Set(list).size === list.length, 'each domain may appear once'),
  // mfa-policy: Graph's authenticationMethodsPolicy (conditional-access/methods-policy.ts).
  /** Which authentication methods are enabled, and for whom: `all_users` or group ids, per method. */
  authenticationMethods: z.strictObject({
    fido2: methodConfiguration,
    softwareOath: methodConfiguration,
    email: methodConfiguration,
  }),
};

/** A tenant's settings as every reader sees them: each one present, stored or default. */
export type TenantSettings = { [K in keyof typeof FIELDS]: z.infer<(typeof FIELDS)[K]> };

/** The defaults: what applies to a tenant that never set a value. */
export const SETTING_DEFAULTS: Readonly<TenantSettings> = Object.freeze({
  emailPasscodeEnabled: true,
  personalAccountsEnabled: true,
  requireInvitedAddressProof: true,
  passcodeValidityMinutes: CODE_DEFAULTS.validityMinutes,
  passcodeLength: CODE_DEFAULTS.digits,
  passcodeMaxAttempts: CODE_DEFAULTS.maxAttempts,
  passcodeResendCooldownSeconds: CODE_DEFAULTS.resendCooldownSeconds,
  invitationTicketLifetimeDays: 30,
  redirectAllowList: [],
  invitationReminderDays: [],
  expirySummaryEmail: false,
  // Entra's "Allow user consent for apps": what Portico did before the setting (users consent to other tenants' apps).
  userConsent: 'allowAll',
  allowExternalIdentitiesToLeave: true,
  allowInvitesFrom: 'everyone',
  guestUserRoleId: GUEST_ROLE_IDS.limited,
  allowedToReadOtherUsers: true,
  collaborationRestrictionMode: 'none',
  collaborationRestrictionDomains: [],
  // Every method on for everyone, so that a policy requiring MFA finds a method to register.
  authenticationMethods: {
    fido2: { state: 'enabled' as const, includeTargets: ['all_users'] },
    softwareOath: { state: 'enabled' as const, includeTargets: ['all_users'] },
    email: { state: 'enabled' as const, includeTargets: ['all_users'] },
  },
});

/** What a writer may store (the API of `portico tenant set` and the admin center's form): known keys, each valid. */
export const TENANT_SETTINGS = z.strictObject(FIELDS).partial();

export type SettingsPatch = z.infer<typeof TENANT_SETTINGS>;

export const SETTING_NAMES = Object.keys(FIELDS) as (keyof TenantSettings)[];

/**
 * The stored JSON as settings: each known key that is valid, else its default. A value the writers would refuse
 * (only a hand-edited row holds one) falls back to the default, as each reader's own check did before; unknown
 * keys are not part of the result (they stay in the store: see `updateTenantSettings`).
 */
export function resolveSettings(stored: unknown): TenantSettings {
  const raw = (stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? stored : {}) as Record<
    string,
    unknown
  >;
  const resolved: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const parsed = FIELDS[name].safeParse(raw[name]);
    resolved[name] = parsed.success ? parsed.data : structuredClone(SETTING_DEFAULTS[name]);
  }
  return resolved as TenantSettings;
}
