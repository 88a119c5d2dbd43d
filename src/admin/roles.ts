// The directory roles the admin center knows and what each may do there (the README lists the same table). A
// person may hold several roles; any one that grants an action is enough.
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

export const can = (roles: readonly string[], action: AdminAction): boolean => roles.some((r) => GRANTS[r]?.includes(action));
