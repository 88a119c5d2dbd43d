// The directory roles the admin center knows and what each may do there (the README lists the same table). A
// person may hold several roles; any one that grants an action is enough.
import { APP_PERMISSIONS, type AppPermission } from '../apps/permissions.ts';
import { GLOBAL_ADMINISTRATOR } from '../directory/users.ts';

export const USER_ADMINISTRATOR = 'User Administrator';
export const GUEST_INVITER = 'Guest Inviter';
export const HELPDESK_ADMINISTRATOR = 'Helpdesk Administrator';
export const ADMIN_ROLES = [GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR, GUEST_INVITER, HELPDESK_ADMINISTRATOR] as const;

export type AdminAction =
  | 'view' // the overview, users, logs
  | 'invite' // invite guests, resend invitations
  | 'manageUsers' // disable, delete
  | 'resetRedemption' // reset a guest's redemption
  | 'settings'; // external identities, cross-tenant access, terms, branding, apps

const GRANTS: Record<string, readonly AdminAction[]> = {
  [GLOBAL_ADMINISTRATOR]: ['view', 'invite', 'manageUsers', 'resetRedemption', 'settings'],
  [USER_ADMINISTRATOR]: ['view', 'invite', 'manageUsers', 'resetRedemption'],
  [GUEST_INVITER]: ['view', 'invite'],
  [HELPDESK_ADMINISTRATOR]: ['view', 'resetRedemption'],
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
  ],
  [GUEST_INVITER]: ['User.Invite.All', 'User.Read.All'],
  [HELPDESK_ADMINISTRATOR]: ['User.Read.All', 'Group.Read.All', 'AuditLog.Read.All'],
};

export function apiPermissionsOf(roles: readonly string[]): Set<AppPermission> {
  const granted = new Set<AppPermission>();
  for (const role of roles) {
    const perms = ROLE_API_PERMISSIONS[role];
    for (const p of perms === 'all' ? APP_PERMISSIONS : (perms ?? [])) granted.add(p);
  }
  return granted;
}
