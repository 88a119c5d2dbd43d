// The tenant's authorization policy (Graph's authorizationPolicy: who may invite, what guests may read) and its
// collaboration restrictions (Portico's b2bCollaborationRestrictions: an allow or a deny list of domains). Both are
// tenant settings (settings-schema.ts); this module is their one reader and writer in Graph's shapes, for the API,
// the admin center's External collaboration page and `portico policy`.
import { z } from 'zod';

import { InvalidRequest } from '../errors.ts';
import {
  ALLOW_INVITES_FROM,
  GUEST_ROLE_IDS,
  isDomainPattern,
  type SettingsPatch,
  type TenantSettings,
} from './settings-schema.ts';

/** Graph's authorizationPolicy as Portico keeps it (the default-user permissions Portico has no feature for are fixed). */
/** Entra's permissionGrantPoliciesAssigned (authorizationPolicy.defaultUserRolePermissions) for the setting. */
const PERMISSION_GRANT_POLICIES: Record<TenantSettings['userConsent'], string[]> = {
  none: [],
  lowRisk: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'],
  allowAll: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
};

export function authorizationPolicyOf(settings: TenantSettings) {
  return {
    id: 'authorizationPolicy',
    displayName: 'Authorization Policy',
    description: 'Used to manage authorization related settings across the company.',
    allowInvitesFrom: settings.allowInvitesFrom,
    guestUserRoleId: settings.guestUserRoleId,
    defaultUserRolePermissions: {
      allowedToCreateApps: false,
      allowedToCreateSecurityGroups: false,
      allowedToCreateTenants: false,
      allowedToReadBitlockerKeysForOwnedDevice: false,
      allowedToReadOtherUsers: settings.allowedToReadOtherUsers,
      // the user consent setting (apps/user-grants.ts usersMayConsent)
      permissionGrantPoliciesAssigned: PERMISSION_GRANT_POLICIES[settings.userConsent],
    },
  };
}

/** What PATCH /policies/authorizationPolicy accepts. */
export const AUTHORIZATION_POLICY_PATCH = z.strictObject({
  allowInvitesFrom: z.enum(ALLOW_INVITES_FROM).optional(),
  guestUserRoleId: z
    .enum([GUEST_ROLE_IDS.member, GUEST_ROLE_IDS.limited, GUEST_ROLE_IDS.restricted], {
      error: `must be one of ${Object.values(GUEST_ROLE_IDS).join(', ')}`,
    })
    .optional(),
  defaultUserRolePermissions: z.record(z.string(), z.unknown()).optional(),
});
export type AuthorizationPolicyPatch = z.infer<typeof AUTHORIZATION_POLICY_PATCH>;

/** The settings a patch of the authorization policy changes; default-user permissions other than reading others refused. */
export function authorizationPatchOf(body: AuthorizationPolicyPatch): SettingsPatch {
  const patch: SettingsPatch = {};
  if (body.allowInvitesFrom) patch.allowInvitesFrom = body.allowInvitesFrom;
  if (body.guestUserRoleId) patch.guestUserRoleId = body.guestUserRoleId;
  for (const [key, value] of Object.entries(body.defaultUserRolePermissions ?? {})) {
    if (key === 'allowedToReadOtherUsers' && typeof value === 'boolean') patch.allowedToReadOtherUsers = value;
    else if (key !== 'allowedToReadOtherUsers' && value === false) continue;
    else
      throw new InvalidRequest('policy.unsupported', {
        property: `defaultUserRolePermissions.${key}`,
        supported: 'allowedToReadOtherUsers (true or false)',
      });
  }
  return patch;
}

export type RestrictionMode = TenantSettings['collaborationRestrictionMode'];

/** Portico's b2bCollaborationRestrictions resource. */
export function collaborationRestrictionsOf(settings: TenantSettings) {
  return {
    id: 'b2bCollaborationRestrictions',
    mode: settings.collaborationRestrictionMode,
    domains: settings.collaborationRestrictionDomains,
  };
}

export const COLLABORATION_RESTRICTIONS_PATCH = z.strictObject({
  mode: z.enum(['none', 'allow', 'deny']).optional(),
  domains: z.array(z.string().max(260)).max(1000).optional(),
});
export type CollaborationRestrictionsPatch = z.infer<typeof COLLABORATION_RESTRICTIONS_PATCH>;

/**
 * The settings a change of the restrictions makes, judged against what is stored: each domain a name or `*.name`,
 * and an allow list never empty. Switching to `none` keeps nothing (Entra discards the list with the policy).
 */
export function restrictionsPatchOf(current: TenantSettings, body: CollaborationRestrictionsPatch): SettingsPatch {
  const mode = body.mode ?? current.collaborationRestrictionMode;
  const domains =
    mode === 'none'
      ? []
      : (body.domains ?? current.collaborationRestrictionDomains).map((d) => d.trim().toLowerCase()).filter(Boolean);
  const bad = domains.find((d) => !isDomainPattern(d));
  if (bad !== undefined)
    throw new InvalidRequest('policy.invalid', {
      detail: `'${bad}' is not a domain name or a wildcard such as *.contoso.example`,
    });
  if (mode === 'allow' && domains.length === 0) throw new InvalidRequest('policy.allowNeedsDomains');
  return { collaborationRestrictionMode: mode, collaborationRestrictionDomains: [...new Set(domains)] };
}
