// Whether a policy applies to one sign-in: the person (member or which kind of guest, their roles and groups; an
// exclusion always wins over an inclusion) and the app (all, listed, or the admin center by MicrosoftAdminPortals),
// and what it then decides, as Entra evaluates Conditional Access for a sign-in.
import { ROLE_DEFINITIONS } from '../directory/role-definitions.ts';
import type { User } from '../directory/users.ts';
import type { AppliedPolicy } from './decision.ts';
import { ADMIN_CLIENT_ID, ADMIN_PORTALS, type GuestType, type Policy, type UsersCondition } from './policies.ts';

/** The person as the users condition sees them. */
export interface Subject {
  id: string;
  /** undefined for the tenant's own members */
  guestType?: GuestType;
  /** the home tenant of a guest from another tenant of this deployment */
  homeTenantId?: string;
  roleIds: string[];
  groupIds: string[];
}

/** The kind of guest or external user a user is, or undefined for an internal member. */
export function guestTypeOf(user: Pick<User, 'userType' | 'creationType'>): GuestType | undefined {
  const invited = user.creationType === 'Invitation';
  if (user.userType === 'Guest') return invited ? 'b2bCollaborationGuest' : 'internalGuest';
  return invited ? 'b2bCollaborationMember' : undefined;
}

export const roleIdsOf = (roles: readonly string[]): string[] =>
  ROLE_DEFINITIONS.filter((r) => roles.includes(r.displayName)).map((r) => r.id);

type GuestRule = UsersCondition['includeGuestsOrExternalUsers'];

function guestRuleMatches(rule: GuestRule, s: Subject): boolean {
  if (!rule || !s.guestType) return false;
  if (!rule.guestOrExternalUserTypes.split(',').includes(s.guestType)) return false;
  const tenants = rule.externalTenants;
  if (!tenants || tenants.membershipKind === 'all') return true;
  return s.homeTenantId !== undefined && (tenants.members ?? []).includes(s.homeTenantId);
}

const meets = (ids: readonly string[], mine: readonly string[]) => ids.some((id) => mine.includes(id));

export function userInScope(u: UsersCondition, s: Subject): boolean {
  const external = s.guestType !== undefined;
  const included =
    u.includeUsers.includes('All') ||
    u.includeUsers.includes(s.id) ||
    (external && u.includeUsers.includes('GuestsOrExternalUsers')) ||
    guestRuleMatches(u.includeGuestsOrExternalUsers, s) ||
    meets(u.includeRoles, s.roleIds) ||
    meets(u.includeGroups, s.groupIds);
  if (!included) return false;
  const excluded =
    u.excludeUsers.includes(s.id) ||
    (external && u.excludeUsers.includes('GuestsOrExternalUsers')) ||
    guestRuleMatches(u.excludeGuestsOrExternalUsers, s) ||
    meets(u.excludeRoles, s.roleIds) ||
    meets(u.excludeGroups, s.groupIds);
  return !excluded;
}

const names = (list: readonly string[], clientId: string) =>
  list.includes(clientId) || (clientId === ADMIN_CLIENT_ID && list.includes(ADMIN_PORTALS));

/** Whether the app is in scope; a sign-in without a known app meets only policies for all apps. */
export function appInScope(a: Policy['conditions']['applications'], clientId: string | undefined): boolean {
  if (clientId === undefined) return a.includeApplications.includes('All') && a.excludeApplications.length === 0;
  const included = a.includeApplications.includes('All') || names(a.includeApplications, clientId);
  return included && !names(a.excludeApplications, clientId);
}

/** How the sign-in met the policy's controls: whether MFA was done, when the caller knows. */
export interface Satisfied {
  mfa?: boolean;
}

/** One policy's result for a subject and app, in Graph's appliedConditionalAccessPolicy shape. */
export function resultOf(p: Policy, s: Subject, clientId: string | undefined, done: Satisfied): AppliedPolicy {
  const controls = p.grantControls.builtInControls;
  const base = { id: p.id, displayName: p.displayName, enforcedGrantControls: [...controls] };
  const applies = userInScope(p.conditions.users, s) && appInScope(p.conditions.applications, clientId);
  const block = controls.includes('block');
  if (p.state === 'enabledForReportingButNotEnforced') {
    if (!applies) return { ...base, result: 'reportOnlyNotApplied' };
    if (block) return { ...base, result: 'reportOnlyFailure' };
    return { ...base, result: done.mfa === true ? 'reportOnlySuccess' : 'reportOnlyInterrupted' };
  }
  if (!applies) return { ...base, result: 'notApplied' };
  if (block) return { ...base, result: 'failure' };
  // An enforced MFA policy: the MFA step asks until it is done, so a sign-in that completes has met it.
  return { ...base, result: done.mfa === false ? 'failure' : 'success' };
}
