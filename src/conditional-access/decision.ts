// What the tenant's Conditional Access policies decide for one sign-in (issue #20). A contract between the sign-in
// steps (the MFA step, src/mfa/, asks `accessDecision` whether to ask for a second factor) and the policy engine
// (src/conditional-access/, which owns the policies, their API and their evaluation). Until the engine lands this
// answers "nothing required", as a tenant without policies does.
import type { Services } from '../services.ts';
import type { SignIn } from '../signin/step.ts';

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

/** The decision for a sign-in in progress: the user (`signIn.userId`) at `signIn.tenant`, for the app it is for. */
export async function accessDecision(services: Services, signIn: SignIn): Promise<AccessDecision> {
  void services;
  void signIn;
  return { block: false, mfaRequired: false, homeMfaAccepted: false, applied: [] };
}
