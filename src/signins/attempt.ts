// The one writer of the sign-in log: every authentication attempt on every path (the tenant's sign-in pages, a
// session reused there, the redemption by each discovery answer, a direct link, My Apps, personal accounts,
// federation, and every refusal) calls recordSignInAttempt exactly once, so the log has one entry per attempt. It
// writes, in one transaction:
// - the entry in the log of the tenant signed in to (the resource tenant);
// - for a member of another Portico tenant (a guest here whose identity is their home tenant's account, or a
//   member's sign-in at home during a redemption), the same entry, same id, in the home tenant's log, as Entra
//   shows a B2B sign-in to both tenants' administrators;
// - the signInActivity of the user (activity.ts) in each tenant.
// A redemption's entry has no app yet; the sign-in pages the redemption returns to complete it with their app
// (completeWithApp) instead of writing a second entry for the same attempt.
import { conditionalAccessStatus, policyDecision, type DecisionReads } from '../conditional-access/decision.ts';
import { getUser, type User } from '../directory/users.ts';
import { homeTenantOfIssuer } from '../oidc/urls.ts';
import { newId } from '../secrets.ts';
import type { Services } from '../services.ts';
import { toJson } from '../store/json.ts';
import { touchActivity } from './activity.ts';
import {
  recordSignIn,
  secondFactorOf,
  SIGNIN_ERRORS,
  type ConditionalAccessLog,
  type SignInErrorName,
  type SignInMethod,
  type SignInMfa,
} from './signins.ts';

type Person = Pick<User, 'id' | 'userPrincipalName' | 'displayName' | 'userType'> & Partial<Pick<User, 'identities'>>;

export interface SignInAttempt {
  /** the tenant signed in to */
  tenantId: string;
  /** the user of that tenant, or what was typed when it matched nobody */
  who: { user: Person } | { userPrincipalName: string };
  /**
   * The person's own account at their home tenant, when the attempt checked it (a member's password at home during a
   * redemption). Without it, a guest whose identity is a Portico tenant's member is found from that identity.
   */
  home?: { tenantId: string; who: { user: Person } | { userPrincipalName: string } };
  app?: { clientId: string; displayName: string } | null;
  identityProvider: string;
  method: SignInMethod;
  error?: SignInErrorName;
  ipAddress?: string | null;
  correlationId?: string | null;
  /**
   * Whether the sign-in did MFA, when the caller knows: the report-only MFA policies' results follow it in the log's
   * Conditional Access record (conditional-access/decision.ts), which is evaluated for every attempt past the first
   * factor
   */
  mfaDone?: boolean;
  /** the app Conditional Access is evaluated for when the entry names none yet (a redemption for a known app) */
  policyClientId?: string;
  /** the sign-in did MFA: its second factor goes into the entry (and counts as `mfaDone`) */
  mfa?: SignInMfa;
  /** what this request's Conditional Access decisions already read (signin/step.ts SignIn.reads) */
  reads?: DecisionReads;
}

/** Refusals of the first factor: Conditional Access is evaluated only after it, so these log none (as Entra's). */
const BEFORE_CONDITIONAL_ACCESS: readonly SignInErrorName[] = [
  'invalidCredentials',
  'tooManyAttempts',
  'userNotFound',
  'userDisabled',
  'codeExpired',
];

/** The Conditional Access record of an attempt of a known user (null before the first factor passed). */
async function conditionalAccessOf(
  services: Services,
  tenantId: string,
  userId: string,
  clientId: string | undefined,
  error: SignInErrorName | undefined,
  mfaDone: boolean | undefined,
  reads?: DecisionReads,
): Promise<ConditionalAccessLog | null> {
  if (error && BEFORE_CONDITIONAL_ACCESS.includes(error)) return null;
  try {
    const decision = await policyDecision(
      services,
      { tenant: { id: tenantId }, userId, ...(clientId !== undefined && { clientId }), reads },
      mfaDone === undefined ? {} : { mfa: mfaDone },
    );
    return { status: conditionalAccessStatus(decision.applied), applied: decision.applied };
  } catch (err) {
    // The entry is written without it rather than not at all.
    services.log.warn({ err }, 'could not evaluate Conditional Access for the sign-in log');
    return null;
  }
}

/** The home tenant's account of a guest whose identity is a Portico tenant's member, if any. */
async function homeOf(services: Services, user: Person): Promise<SignInAttempt['home']> {
  if (user.userType !== 'Guest') return undefined;
  for (const identity of user.identities ?? []) {
    const home = homeTenantOfIssuer(services.config.baseUrl, identity.issuer);
    if (!home) continue;
    const member = await getUser(services.store.db, home, identity.issuerAssignedId);
    return { tenantId: home, who: member ? { user: member } : { userPrincipalName: user.userPrincipalName } };
  }
  return undefined;
}

/**
 * Records one attempt and returns its entry's id; undefined when the store refused (logged: a log write never fails
 * a sign-in).
 */
export async function recordSignInAttempt(services: Services, attempt: SignInAttempt): Promise<string | undefined> {
  const { store, clock } = services;
  try {
    const home = attempt.home ?? ('user' in attempt.who ? await homeOf(services, attempt.who.user) : undefined);
    const crossTenant = home !== undefined && home.tenantId !== attempt.tenantId;
    const id = newId();
    const at = clock.now().toISOString();
    const succeeded = SIGNIN_ERRORS[attempt.error ?? 'none'].result === 'success';
    const common = {
      id,
      app: attempt.app ?? null,
      identityProvider: attempt.identityProvider,
      method: attempt.method,
      error: attempt.error,
      ipAddress: attempt.ipAddress ?? null,
      clientAppUsed: 'Browser',
      correlationId: attempt.correlationId ?? null,
      isInteractive: attempt.method !== 'session',
      resourceTenantId: attempt.tenantId,
      ...(crossTenant ? { homeTenantId: home.tenantId, crossTenantAccessType: 'b2bCollaboration' as const } : {}),
      mfa: attempt.mfa ?? null,
    };
    const conditionalAccess =
      'user' in attempt.who
        ? await conditionalAccessOf(
            services,
            attempt.tenantId,
            attempt.who.user.id,
            attempt.app?.clientId ?? attempt.policyClientId,
            attempt.error,
            attempt.mfaDone ?? (attempt.mfa ? true : undefined),
            attempt.reads,
          )
        : null;
    await store.transaction(async (tx) => {
      // Only the resource tenant's entry names its policies: they are no business of the home tenant's administrators.
      await recordSignIn(tx, clock, attempt.tenantId, { ...common, ...attempt.who, conditionalAccess });
      if ('user' in attempt.who) await touchActivity(tx, attempt.tenantId, attempt.who.user.id, { at, id, succeeded });
      if (!crossTenant) return;
      await recordSignIn(tx, clock, home.tenantId, { ...common, ...home.who });
      if ('user' in home.who) await touchActivity(tx, home.tenantId, home.who.user.id, { at, id, succeeded });
    });
    services.metrics?.signIns.inc({ result: succeeded ? 'success' : String(SIGNIN_ERRORS[attempt.error!].code) });
    return id;
  } catch (err) {
    services.log.warn({ err }, 'could not record a sign-in');
    return undefined;
  }
}

/**
 * The sign-in pages that a redemption returned to (interaction `correlationId`) complete that redemption's entry
 * with their app, and with the app's refusal if it refused: the same attempt, so no second entry. Returns whether
 * there was such an entry of `userId` still without an app.
 */
export async function completeWithApp(
  services: Services,
  tenantId: string,
  correlationId: string,
  userId: string,
  app: { clientId: string; displayName: string },
  error?: SignInErrorName,
  mfa?: SignInMfa,
): Promise<boolean> {
  const { store } = services;
  try {
    // Evaluated again for the app, which the redemption's entry did not know.
    const ca = await conditionalAccessOf(services, tenantId, userId, app.clientId, error, mfa ? true : undefined);
    return await store.transaction(async (tx) => {
      const entry = await tx
        .selectFrom('sign_ins')
        .select(['id', 'second_factor'])
        .where('tenant_id', '=', tenantId)
        .where('correlation_id', '=', correlationId)
        .where('user_id', '=', userId)
        .where('app_id', 'is', null)
        .executeTakeFirst();
      if (!entry) return false;
      const outcome = error ? SIGNIN_ERRORS[error] : undefined;
      await tx
        .updateTable('sign_ins')
        .set({
          app_id: app.clientId,
          app_display_name: app.displayName.slice(0, 256),
          ...(outcome ? { result: outcome.result, error_code: outcome.code, failure_reason: outcome.reason } : {}),
          conditional_access_status: ca?.status ?? null,
          applied_ca_policies: ca ? toJson(ca.applied) : null,
          // MFA the redemption did stays; MFA done since (at the app's sign-in) is added
          ...(mfa && !entry.second_factor ? { second_factor: toJson(secondFactorOf(mfa)) } : {}),
        })
        .where('id', '=', entry.id)
        .where('correlation_id', '=', correlationId)
        .execute();
      return true;
    });
  } catch (err) {
    services.log.warn({ err }, 'could not record a sign-in');
    return false;
  }
}
