// Sign-in logs (Graph's signIn): one row per attempt at a tenant's sign-in, written by the page that decides it and
// listed newest first at /v1.0/auditLogs/signIns.
import type { Selectable } from 'kysely';

import type { Clock } from '../clock.ts';
import { compileFilter, type Filter, type PropertyMap } from '../directory/filter.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import type { SignInsTable } from '../store/schema.ts';

export type SignInResult = SignInsTable['result'];
export type SignInMethod = SignInsTable['sign_in_method'];

/**
 * Every outcome a sign-in can be recorded with, and the one place its number and reason are written. The numbers
 * are Entra's AADSTS codes, so whoever reads Entra's sign-in logs reads these the same way; the result follows from
 * the outcome (Entra's portal shows Success, Failure or Interrupted the same way). Add a row here rather than
 * passing a number.
 */
export const SIGNIN_ERRORS = {
  none: { code: 0, result: 'success', reason: null },
  /** a wrong password or one-time passcode for a name that exists (the page shows the same error as for an unknown name) */
  invalidCredentials: {
    code: 50126,
    result: 'failure',
    reason: 'Error validating credentials due to invalid username, password or one-time passcode.',
  },
  /** signins/lockout.ts: the 15-minute throttle, and the lock after 100 consecutive failures (one code, as in Entra) */
  tooManyAttempts: {
    code: 50053,
    result: 'failure',
    reason:
      'The account is locked after too many sign-ins with a wrong password or code: for a while, or after 100 in a row until its password is reset.',
  },
  userNotFound: { code: 50034, result: 'failure', reason: 'The user account does not exist in the directory.' },
  userDisabled: { code: 50057, result: 'failure', reason: 'The user account is disabled.' },
  notAssigned: { code: 50105, result: 'failure', reason: 'The signed-in user is not assigned to the application.' },
  /** the terms of use were declined (Entra enforces terms through Conditional Access, hence its AADSTS53003) */
  termsDeclined: { code: 53003, result: 'failure', reason: 'The user declined the terms of use.' },
  /** a one-time passcode that expired before it was typed: Entra's code for invalid credentials, its own reason */
  codeExpired: { code: 50126, result: 'failure', reason: 'The one-time passcode has expired.' },
  /** the consent page is shown: the sign-in goes on once the user agrees */
  consentRequired: {
    code: 65001,
    result: 'interrupted',
    reason: 'The user has not yet consented to the permissions the application asks for.',
  },
  consentDeclined: { code: 65004, result: 'failure', reason: 'The user declined to consent to the application.' },
  adminConsentRequired: {
    code: 90094,
    result: 'failure',
    reason: 'The application asks for permissions only an administrator can grant.',
  },
  /** Entra's AADSTS500213: a guest of another tenant here, blocked by either tenant's cross-tenant access settings */
  crossTenantBlocked: {
    code: 500213,
    result: 'failure',
    reason: "The cross-tenant access settings of the user's home tenant or of this tenant do not allow this access.",
  },
  /**
   * Entra's AADSTS53003 ("blocked by Conditional Access"): the app accepts only other sign-in methods than the one
   * used (its requiredSignInMethods, e.g. federation only and the guest signed in with a passcode).
   */
  signInMethodNotAllowed: {
    code: 53003,
    result: 'failure',
    reason: 'Access has been blocked: the application accepts only other sign-in methods than the one used.',
  },
  /** Entra's AADSTS53003: a Conditional Access policy in force blocks this sign-in (conditional-access/step.tsx) */
  conditionalAccessBlocked: {
    code: 53003,
    result: 'failure',
    reason: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  },
} as const satisfies Record<string, { code: number; result: SignInResult; reason: string | null }>;

export type SignInErrorName = keyof typeof SIGNIN_ERRORS;

/** Who signed in: a user of the tenant (a `User` fits), or, when the name matched nobody, only what was typed. */
type SignInWho =
  | {
      user: { id: string; userPrincipalName: string; displayName: string; userType: 'Member' | 'Guest' };
      userPrincipalName?: undefined;
    }
  | { user?: null; userPrincipalName: string };

export type SignInInput = SignInWho & {
  /** the app being signed in to (an `App` fits); absent for a sign-in to My Apps or the tenant itself */
  app?: { clientId: string; displayName: string } | null;
  /** as on the user's identities: an issuer, or 'mail', 'personal', 'google.com' */
  identityProvider: string;
  method: SignInMethod;
  /** the outcome; 'none' (success) when absent */
  error?: SignInErrorName;
  ipAddress?: string | null;
  /** Graph's clientAppUsed, e.g. 'Browser' */
  clientAppUsed?: string | null;
  /** ties the attempts of one sign-in together, e.g. the OIDC interaction's uid */
  correlationId?: string | null;
  /** the entry's id: the home tenant's copy of an entry shares it (attempt.ts); new when absent */
  id?: string;
  /** the tenant the person belongs to, when another one (a member of another Portico tenant, as Entra's homeTenantId) */
  homeTenantId?: string | null;
  /** the tenant signed in to, when this log is the home tenant's copy */
  resourceTenantId?: string | null;
  /** Graph's crossTenantAccessType; by default b2bCollaboration for a guest, else none */
  crossTenantAccessType?: 'none' | 'b2bCollaboration';
  /** a session reused without asking (Entra's non-interactive sign-ins); true when absent */
  isInteractive?: boolean;
  /** Graph's conditionalAccessStatus and appliedConditionalAccessPolicies (conditional-access/decision.ts) */
  conditionalAccess?: ConditionalAccessLog | null;
  /** the MFA of a sign-in that did it (its second factor in authenticationDetails) */
  mfa?: SignInMfa | null;
};

/**
 * How a sign-in met its MFA requirement: at this sign-in (the MFA step), by the session it reused, or by a claim of
 * the guest's home (a tenant here or an identity provider the tenant trusts for MFA).
 */
export type MfaVia = 'step' | 'session' | 'claim';

/** A sign-in's MFA as its log entry takes it: when, the second factor's amr values (sessions/amr.ts), and how. */
export interface SignInMfa {
  at: string;
  amr: readonly string[];
  via: MfaVia;
  /** the second factor was a recovery code (its own authenticationMethod) */
  recoveryCode?: boolean;
}

/** The second factor's entry of Graph's authenticationDetails, as kept with a sign-in (sign_ins.second_factor). */
export interface SecondFactor {
  at: string;
  /** Entra's authenticationMethod */
  method: string;
  /** Entra's authenticationStepResultDetail */
  detail: string;
}

/** Entra's authenticationMethod of each second factor's amr value. */
const SECOND_FACTOR_METHOD: Record<string, string> = {
  otp: 'OATH verification code',
  swk: 'Passkey',
  hwk: 'FIDO2 security key',
  fed: 'Federated',
};
/** A recovery code's authenticationMethod: not an authenticator app's code although both are typed in. */
const RECOVERY_CODE_METHOD = 'Recovery code';
const SECOND_FACTOR_DETAIL: Record<MfaVia, string> = {
  step: 'MFA successfully completed',
  session: 'MFA requirement satisfied by claim in the token',
  claim: 'MFA requirement satisfied by claim provided by external provider',
};

/** A sign-in's MFA as Graph's authenticationDetails entry for its second factor. */
export function secondFactorOf(mfa: SignInMfa): SecondFactor {
  const method = mfa.recoveryCode
    ? RECOVERY_CODE_METHOD
    : (mfa.amr.map((v) => SECOND_FACTOR_METHOD[v]).find((m) => m !== undefined) ?? 'Multifactor authentication');
  return {
    at: mfa.at,
    // a session reused: Entra's "Previously satisfied", as for the first factor
    method: mfa.via === 'session' ? AUTHENTICATION_METHOD.session : method,
    detail: SECOND_FACTOR_DETAIL[mfa.via],
  };
}

/** What the sign-in log keeps of Conditional Access for an entry. */
export interface ConditionalAccessLog {
  status: 'success' | 'failure' | 'notApplied';
  applied: readonly { id: string; displayName: string; result: string; enforcedGrantControls: string[] }[];
}

/** Entra's authenticationDetails.authenticationMethod of each method. */
export const AUTHENTICATION_METHOD: Record<SignInMethod, string> = {
  password: 'Password',
  passcode: 'Email one-time passcode',
  federated: 'Federated',
  session: 'Previously satisfied',
};

// Typed by whoever is signing in, unauthenticated: bounded so a failed attempt cannot fill the log with megabytes.
const clip = (value: string | null | undefined, max = 512): string | null =>
  value == null ? null : value.slice(0, max);

/**
 * A deleted user's sign-ins stay in the log (Entra keeps them for its retention period) but stop naming the id: they
 * read like an attempt by a name that matched no user, keeping what was typed and shown. Migration 0017 says why
 * this cannot be a foreign key; deleted/items.ts USER_REFERENCES lists it.
 */
export async function forgetSignInsOf(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx
    .updateTable('sign_ins')
    // the correlation id of a redemption's entry is its invitation's id, which names the user as well
    .set({ user_id: null, correlation_id: null })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Records one sign-in and returns its id. It throws when the store does: callers that must not fail a sign-in over
 * its log entry catch and log. Pass the store (not a transaction the failure rolls back) to record a failure.
 */
export async function recordSignIn(db: Tx, clock: Clock, tenantId: string, input: SignInInput): Promise<string> {
  const outcome = SIGNIN_ERRORS[input.error ?? 'none'];
  const upn = clip(input.user?.userPrincipalName ?? input.userPrincipalName, 256)!;
  const id = input.id ?? newId();
  const guest = (input.user?.userType ?? null) === 'Guest';
  await db
    .insertInto('sign_ins')
    .values({
      tenant_id: tenantId,
      id,
      created_at: clock.now().toISOString(),
      user_id: input.user?.id ?? null,
      user_principal_name: upn,
      upn_normalized: upn.toLowerCase(),
      user_display_name: clip(input.user?.displayName, 256),
      user_type: input.user?.userType ?? null,
      app_id: input.app?.clientId ?? null,
      app_display_name: clip(input.app?.displayName, 256),
      ip_address: clip(input.ipAddress, 64),
      client_app_used: clip(input.clientAppUsed, 64),
      identity_provider: clip(input.identityProvider)!,
      sign_in_method: input.method,
      result: outcome.result,
      error_code: outcome.code,
      failure_reason: outcome.reason,
      correlation_id: clip(input.correlationId, 128),
      home_tenant_id: input.homeTenantId ?? null,
      resource_tenant_id: input.resourceTenantId ?? tenantId,
      cross_tenant_access_type: input.crossTenantAccessType ?? (guest ? 'b2bCollaboration' : 'none'),
      authentication_method: AUTHENTICATION_METHOD[input.method],
      is_interactive: input.isInteractive === false ? 0 : 1,
      conditional_access_status: input.conditionalAccess?.status ?? null,
      applied_ca_policies: input.conditionalAccess ? toJson(input.conditionalAccess.applied) : null,
      second_factor: input.mfa ? toJson(secondFactorOf(input.mfa)) : null,
    })
    .execute();
  return id;
}

export interface SignIn {
  id: string;
  createdDateTime: string;
  userId: string | null;
  userPrincipalName: string;
  userDisplayName: string | null;
  userType: 'Member' | 'Guest' | null;
  appId: string | null;
  appDisplayName: string | null;
  ipAddress: string | null;
  clientAppUsed: string | null;
  identityProvider: string;
  signInMethod: SignInMethod;
  result: SignInResult;
  errorCode: number;
  failureReason: string | null;
  correlationId: string | null;
  homeTenantId: string | null;
  resourceTenantId: string;
  crossTenantAccessType: 'none' | 'b2bCollaboration';
  authenticationMethod: string;
  isInteractive: boolean;
  /** null in entries from before Conditional Access (0033) and where it was not evaluated */
  conditionalAccess: ConditionalAccessLog | null;
  /** the second factor of a sign-in that did MFA; null otherwise (and in entries from before 0039) */
  secondFactor: SecondFactor | null;
}

export function toSignIn(r: Selectable<SignInsTable>): SignIn {
  return {
    id: r.id,
    createdDateTime: r.created_at,
    userId: r.user_id,
    userPrincipalName: r.user_principal_name,
    userDisplayName: r.user_display_name,
    userType: r.user_type,
    appId: r.app_id,
    appDisplayName: r.app_display_name,
    ipAddress: r.ip_address,
    clientAppUsed: r.client_app_used,
    identityProvider: r.identity_provider,
    signInMethod: r.sign_in_method,
    result: r.result,
    errorCode: Number(r.error_code),
    failureReason: r.failure_reason,
    correlationId: r.correlation_id,
    homeTenantId: r.home_tenant_id,
    resourceTenantId: r.resource_tenant_id ?? r.tenant_id,
    crossTenantAccessType: r.cross_tenant_access_type ?? (r.user_type === 'Guest' ? 'b2bCollaboration' : 'none'),
    authenticationMethod: r.authentication_method ?? AUTHENTICATION_METHOD[r.sign_in_method],
    isInteractive: Number(r.is_interactive) !== 0,
    conditionalAccess: r.conditional_access_status
      ? {
          status: r.conditional_access_status as ConditionalAccessLog['status'],
          applied: parseJson<ConditionalAccessLog['applied']>(r.applied_ca_policies, []),
        }
      : null,
    secondFactor: r.second_factor ? parseJson<SecondFactor | null>(r.second_factor, null) : null,
  };
}

/** The $filter properties, by Graph's names (ids are lower-case uuids, so they compare case-insensitively). */
export const signInProperties: PropertyMap<keyof SignInsTable & string> = {
  userId: { column: 'user_id', type: 'string', caseInsensitive: true },
  userPrincipalName: { column: 'upn_normalized', type: 'string', caseInsensitive: true },
  appId: { column: 'app_id', type: 'string', caseInsensitive: true },
  'status/errorCode': { column: 'error_code', type: 'integer' },
  createdDateTime: { column: 'created_at', type: 'dateTime' },
};

/** Where a page ends: the list continues with what is older than this. */
export interface SignInCursor {
  time: string;
  id: string;
}

/** `result` narrows to one outcome (the admin center's filter; Graph's $filter has no such property). */
export async function listSignIns(
  db: Db,
  tenantId: string,
  opts: { top: number; before?: SignInCursor; filter?: Filter; result?: SignInResult },
): Promise<{ items: SignIn[]; next?: SignInCursor }> {
  const { before, filter, result } = opts;
  const rows = await db
    .selectFrom('sign_ins')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(result !== undefined, (q) => q.where('result', '=', result!))
    .$if(filter !== undefined, (q) => q.where((eb) => compileFilter(eb, filter!, signInProperties)))
    .$if(before !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('created_at', '<', before!.time),
          eb.and([eb('created_at', '=', before!.time), eb('id', '<', before!.id)]),
        ]),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.top + 1)
    .execute();
  const items = rows.slice(0, opts.top).map(toSignIn);
  const last = items[items.length - 1];
  return rows.length > opts.top && last ? { items, next: { time: last.createdDateTime, id: last.id } } : { items };
}

export async function getSignIn(db: Db, tenantId: string, id: string): Promise<SignIn | undefined> {
  const row = await db
    .selectFrom('sign_ins')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row && toSignIn(row);
}
