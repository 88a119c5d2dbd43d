// What the tenant's Conditional Access policies decide for one sign-in (issue #20). A contract between the sign-in
// steps (the MFA step, src/mfa/, asks `accessDecision` whether to ask for a second factor) and the policy engine
// (src/conditional-access/, which owns the policies, their API and their evaluation). Until the engine lands this
// answered "nothing required"; it now evaluates the tenant's policies (evaluate.ts) and its inbound trust.
import { groupIdsOf } from '../directory/groups.ts';
import { getUser, type User } from '../directory/users.ts';
import type { SignIn } from '../signin/step.ts';
import type { Db } from '../store/index.ts';
import { guestTypeOf, resultOf, roleIdsOf, type Satisfied, type Subject } from './evaluate.ts';
import { homeMfaTrusted, homeTenantOfUser, type TrustSeams } from './inbound-trust.ts';
import { listPolicies, type Policy } from './policies.ts';

/** One policy's outcome for a sign-in, in Graph's `appliedConditionalAccessPolicy` shape (the sign-in log keeps it). */
export interface AppliedPolicy {
  id: string;
  displayName: string;
  /** Graph's appliedConditionalAccessPolicyResult */
  result:
    | 'success'
    | 'failure'
    | 'notApplied'
    | 'notEnabled'
    | 'reportOnlySuccess'
    | 'reportOnlyFailure'
    | 'reportOnlyNotApplied'
    | 'reportOnlyInterrupted';
  /** the grant controls the policy asks for: 'mfa', 'block' */
  enforcedGrantControls: string[];
}

export interface AccessDecision {
  /** a policy in force blocks this sign-in (AADSTS53003) */
  block: boolean;
  /** a policy in force requires multifactor authentication */
  mfaRequired: boolean;
  /**
   * MFA done in the person's home tenant counts here (cross-tenant `inboundTrust.isMfaAccepted` for the home tenant,
   * or an identity provider trusted for MFA): the MFA step accepts it instead of asking again
   */
  homeMfaAccepted: boolean;
  /** every enabled or report-only policy, with its result, for the sign-in log */
  applied: AppliedPolicy[];
}

/** Graph's signIn.conditionalAccessStatus for a decision: a policy in force failed, applied, or none applied. */
export function conditionalAccessStatus(applied: readonly AppliedPolicy[]): 'success' | 'failure' | 'notApplied' {
  if (applied.some((p) => p.result === 'failure')) return 'failure';
  return applied.some((p) => p.result === 'success') ? 'success' : 'notApplied';
}

/** What the decisions of one request share, read by the first decision that needs it (`SignIn.reads`). */
export interface DecisionReads {
  policies?: Promise<Policy[]>;
}

type Asked = Pick<SignIn, 'userId' | 'clientId' | 'identity' | 'reads'> & { tenant: Pick<SignIn['tenant'], 'id'> };

/** The tenant's policies: once per request where the entry point keeps `reads`. */
const policiesOf = (db: Db, tenantId: string, reads: DecisionReads | undefined): Promise<Policy[]> =>
  reads ? (reads.policies ??= listPolicies(db, tenantId)) : listPolicies(db, tenantId);

/** The user as the policies see them: a redemption's identity is the guest's home before completion binds it. */
async function subjectUser(services: TrustSeams, signIn: Asked): Promise<User | undefined> {
  const stored = await getUser(services.store.db, signIn.tenant.id, signIn.userId);
  return stored && signIn.identity
    ? { ...stored, identities: [...stored.identities, { signInType: 'federated', ...signIn.identity }] }
    : stored;
}

/**
 * What the policies decide for a sign-in in progress (`accessDecision` without inbound trust): the user is read only
 * when a policy is enabled or report-only, the policies once per request where the entry point keeps `reads`.
 */
export async function policyDecision(
  services: TrustSeams,
  signIn: Asked,
  done: Satisfied = {},
  known?: { user: User | undefined },
): Promise<Omit<AccessDecision, 'homeMfaAccepted'>> {
  const db = services.store.db;
  const tenantId = signIn.tenant.id;
  const live = (await policiesOf(db, tenantId, signIn.reads)).filter((p) => p.state !== 'disabled');
  if (live.length === 0) return { block: false, mfaRequired: false, applied: [] };
  const user = known ? known.user : await subjectUser(services, signIn);
  if (!user) return { block: false, mfaRequired: false, applied: [] };
  const groups = await groupIdsOf(db, tenantId, user.id).execute();
  const subject: Subject = {
    id: user.id,
    guestType: guestTypeOf(user),
    homeTenantId: homeTenantOfUser(services, user),
    roleIds: roleIdsOf(user.roles),
    groupIds: groups.map((g) => g.group_id),
  };
  const applied = live.map((p) => resultOf(p, subject, signIn.clientId, done));
  const enforced = (control: string) =>
    applied.some(
      (a) => (a.result === 'success' || a.result === 'failure') && a.enforcedGrantControls.includes(control),
    );
  return { block: enforced('block'), mfaRequired: enforced('mfa'), applied };
}

/** Whether MFA done at this sign-in's home (tenant or trusted provider) counts here: `accessDecision`'s `homeMfaAccepted`. */
export async function homeMfaAccepted(services: TrustSeams, signIn: Asked): Promise<boolean> {
  const user = await subjectUser(services, signIn);
  return user ? homeMfaTrusted(services, signIn.tenant.id, user) : false;
}

/**
 * The decision for a sign-in in progress: the user (`signIn.userId`) at `signIn.tenant`, for the app it is for
 * (`signIn.clientId`; without one only policies for all apps apply). `done.mfa` says whether MFA was done, when the
 * caller knows (the results of MFA policies in `applied` follow it; a sign-in that completes has met them).
 */
export async function accessDecision(
  services: TrustSeams,
  signIn: Asked,
  done: Satisfied = {},
): Promise<AccessDecision> {
  const user = await subjectUser(services, signIn);
  const homeMfaAccepted = user ? await homeMfaTrusted(services, signIn.tenant.id, user) : false;
  return { ...(await policyDecision(services, signIn, done, { user })), homeMfaAccepted };
}
