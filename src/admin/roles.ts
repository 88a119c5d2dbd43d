// The directory roles the admin center knows and what each may do there (the README lists the same table). A
// person may hold several roles; any one that grants an action is enough. The roles themselves (template ids,
// Entra's resource actions) are in directory/role-definitions.ts; who holds them in directory/roles.ts.
import { APP_PERMISSIONS, type AppPermission } from '../apps/permissions.ts';
import {
  APPLICATION_ADMINISTRATOR,
  EXTERNAL_IDP_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  GUEST_INVITER,
  HELPDESK_ADMINISTRATOR,
  REPORTS_READER,
  ROLE_DEFINITIONS,
  SECURITY_READER,
  USER_ADMINISTRATOR,
} from '../directory/role-definitions.ts';

export {
  APPLICATION_ADMINISTRATOR,
  EXTERNAL_IDP_ADMINISTRATOR,
  GUEST_INVITER,
  HELPDESK_ADMINISTRATOR,
  REPORTS_READER,
  SECURITY_READER,
  USER_ADMINISTRATOR,
};
export const ADMIN_ROLES = ROLE_DEFINITIONS.map((r) => r.displayName);

export type AdminAction =
  | 'view' // the overview, users, logs
  | 'invite' // invite guests, resend invitations
  | 'manageUsers' // disable, delete
  | 'resetRedemption' // reset a guest's redemption
  | 'identityProviders' // SAML / WS-Fed, Google and OpenID Connect providers
  | 'apps' // app registrations, their credentials, assignments and consent
  | 'roles' // grant and revoke directory roles
  | 'settings'; // external identities, cross-tenant access, terms, branding, domains

const GRANTS: Record<string, readonly AdminAction[]> = {
  [GLOBAL_ADMINISTRATOR]: [
    'view',
    'invite',
    'manageUsers',
    'resetRedemption',
    'identityProviders',
    'apps',
    'roles',
    'settings',
  ],
  [USER_ADMINISTRATOR]: ['view', 'invite', 'manageUsers', 'resetRedemption'],
  [GUEST_INVITER]: ['view', 'invite'],
  [HELPDESK_ADMINISTRATOR]: ['view', 'resetRedemption'],
  [EXTERNAL_IDP_ADMINISTRATOR]: ['view', 'identityProviders'],
  [APPLICATION_ADMINISTRATOR]: ['view', 'apps'],
  // The readers read the admin center (users, the audit and sign-in logs) and change nothing.
  [SECURITY_READER]: ['view'],
  [REPORTS_READER]: ['view'],
};

export const can = (roles: readonly string[], action: AdminAction): boolean =>
  roles.some((r) => GRANTS[r]?.includes(action));

/**
 * What a user's token may do in the API, by the same roles: the admin center and the API allow one person the same
 * things (a global administrator everything; a guest inviter only inviting and reading users).
 */
export const ROLE_API_PERMISSIONS: Record<string, readonly AppPermission[] | 'all'> = {
  [GLOBAL_ADMINISTRATOR]: 'all',
  [USER_ADMINISTRATOR]: [
    'User.ReadWrite.All',
    'User.Invite.All',
    'Group.ReadWrite.All',
    'GroupMember.ReadWrite.All',
    'OrgContact.Read.All',
    'AuditLog.Read.All',
    'RoleManagement.Read.Directory',
    // as Entra's Authentication Administrator (not a Portico role): the methods of users they may manage
    'UserAuthenticationMethod.Read.All',
    'UserAuthenticationMethod.ReadWrite.All',
  ],
  [GUEST_INVITER]: ['User.Invite.All', 'User.Read.All'],
  [HELPDESK_ADMINISTRATOR]: [
    'User.Read.All',
    'Group.Read.All',
    'AuditLog.Read.All',
    'RoleManagement.Read.Directory',
    // as Entra's Authentication Administrator: the methods of non-administrators (directory/roles.ts mayManage)
    'UserAuthenticationMethod.Read.All',
    'UserAuthenticationMethod.ReadWrite.All',
  ],
  [EXTERNAL_IDP_ADMINISTRATOR]: ['IdentityProvider.ReadWrite.All', 'IdentityProvider.Read.All'],
  [APPLICATION_ADMINISTRATOR]: ['Application.ReadWrite.All', 'Application.Read.All', 'AuditLog.Read.All'],
  [SECURITY_READER]: [
    'AuditLog.Read.All',
    'IdentityProvider.Read.All',
    'Policy.Read.All',
    'User.Read.All',
    'RoleManagement.Read.Directory',
  ],
  [REPORTS_READER]: ['AuditLog.Read.All'],
};

export function apiPermissionsOf(roles: readonly string[]): Set<AppPermission> {
  const granted = new Set<AppPermission>();
  for (const role of roles) {
    const perms = ROLE_API_PERMISSIONS[role];
    for (const p of perms === 'all' ? APP_PERMISSIONS : (perms ?? [])) granted.add(p);
  }
  return granted;
}
