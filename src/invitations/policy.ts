// Who may invite and whom: the tenant's guest invite settings (Graph's authorizationPolicy.allowInvitesFrom) and its
// collaboration restrictions (an allow or a deny list of domains). invite() asks both before anything is written, so
// every way of inviting (API, CLI, CSV rows, the admin center, My Apps, re-invites) is judged the same; redemption
// asks `restrictionOf` again for invitations made before a rule changed.
import type { Actor } from '../directory/audit.ts';
import type { AllowInvitesFrom, TenantSettings } from '../directory/settings-schema.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { AuthorizationDenied } from '../errors.ts';

/**
 * Who is inviting, as the policy sees them: a person of the tenant (their type and directory roles), an app with
 * an invitation permission, or the deployment's operator (the CLI). A delegated token's caller is a `user`.
 */
export type Inviter =
  | {
      kind: 'user';
      userType: 'Member' | 'Guest';
      /** holds a role Entra lets invite under `adminsAndGuestInviters`: Global or User Administrator, Guest Inviter */
      invitingRole: boolean;
      userPrincipalName: string;
    }
  | { kind: 'app' }
  | { kind: 'system' };

export type InviteDecision =
  | { allowed: true }
  | {
      allowed: false;
      rule: AllowInvitesFrom;
      key: 'invitation.policyNone' | 'invitation.policyAdmins' | 'invitation.policyMembers';
    };

/**
 * The one decision whether `inviter` may invite guests under `allowInvitesFrom`, as Entra's guest invite settings:
 * `none` stops everyone, administrators and apps included; `adminsAndGuestInviters` lets Global Administrators,
 * User Administrators and Guest Inviters (and apps granted User.Invite.All, and the operator); the next adds
 * members; `everyone` adds guests.
 */
export function mayInvite(allowInvitesFrom: AllowInvitesFrom, inviter: Inviter): InviteDecision {
  if (allowInvitesFrom === 'none') return { allowed: false, rule: 'none', key: 'invitation.policyNone' };
  if (inviter.kind !== 'user' || inviter.invitingRole) return { allowed: true };
  if (allowInvitesFrom === 'everyone') return { allowed: true };
  if (allowInvitesFrom === 'adminsGuestInvitersAndAllMembers' && inviter.userType === 'Member')
    return { allowed: true };
  return {
    allowed: false,
    rule: allowInvitesFrom,
    key: allowInvitesFrom === 'adminsAndGuestInviters' ? 'invitation.policyAdmins' : 'invitation.policyMembers',
  };
}

/**
 * The user behind an actor as an Inviter (an actor naming a user that no longer exists is refused as a guest would
 * be); the roles that may invite are admin/roles.ts's, whose `invite` right is exactly Entra's list.
 */
export async function asInviter(actor: Actor, user: User | undefined): Promise<Inviter> {
  if (actor.kind !== 'user') return { kind: actor.kind };
  // Imported when called: directory/users.ts reaches this module through invite(), and admin/roles.ts needs
  // directory/users.ts loaded, so a static import here would evaluate roles.ts before users.ts has finished.
  const { can } = await import('../admin/roles.ts');
  return {
    kind: 'user',
    userType: user?.userType ?? 'Guest',
    invitingRole: can(user?.roles ?? [], 'invite'),
    userPrincipalName: user?.userPrincipalName ?? actor.userPrincipalName,
  };
}

/** Throws the refusal of `mayInvite`, naming the rule. */
export function requireMayInvite(tenant: Tenant, inviter: Inviter): void {
  const decision = mayInvite(tenant.settings.allowInvitesFrom, inviter);
  if (decision.allowed) return;
  throw new AuthorizationDenied(decision.key, {
    tenant: tenant.displayName,
    rule: decision.rule,
    user: inviter.kind === 'user' ? inviter.userPrincipalName : '',
  });
}

/** Whether `pattern` (`contoso.example`, or `*.contoso.example` for its subdomains at any depth, not itself) names `domain`. */
export function domainMatches(pattern: string, domain: string): boolean {
  const d = domain.toLowerCase();
  const p = pattern.toLowerCase();
  return p.startsWith('*.') ? d.endsWith(p.slice(1)) && d.length > p.length - 1 : d === p;
}

export type Restriction = { kind: 'denied'; domain: string; rule: string } | { kind: 'notAllowed'; domain: string };

/** Why the collaboration restrictions refuse `email`, or undefined when they let it through. */
export function restrictionOf(
  settings: Pick<TenantSettings, 'collaborationRestrictionMode' | 'collaborationRestrictionDomains'>,
  email: string,
): Restriction | undefined {
  const at = email.trim().lastIndexOf('@');
  const domain = email
    .trim()
    .slice(at + 1)
    .toLowerCase();
  const rules = settings.collaborationRestrictionDomains;
  if (settings.collaborationRestrictionMode === 'deny') {
    const rule = rules.find((r) => domainMatches(r, domain));
    return rule ? { kind: 'denied', domain, rule } : undefined;
  }
  if (settings.collaborationRestrictionMode === 'allow')
    return rules.some((r) => domainMatches(r, domain)) ? undefined : { kind: 'notAllowed', domain };
  return undefined;
}

/** Throws the refusal of the collaboration restrictions for `email`, naming the rule and the domain. */
export function requireDomainAllowed(tenant: Tenant, email: string): void {
  const r = restrictionOf(tenant.settings, email);
  if (!r) return;
  if (r.kind === 'denied')
    throw new AuthorizationDenied('invitation.domainDenied', {
      domain: r.domain,
      rule: r.rule,
      tenant: tenant.displayName,
    });
  throw new AuthorizationDenied('invitation.domainNotAllowed', {
    domain: r.domain,
    tenant: tenant.displayName,
    allowed: tenant.settings.collaborationRestrictionDomains.join(', '),
  });
}
