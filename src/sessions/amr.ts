// How a person signed in, as RFC 8176 `amr` values: recorded with the Portico session, passed to oidc-provider's
// login result (so ID tokens carry it) and checked against what an app accepts.
//   pwd  a password Portico checked: a member's, or a personal account's
//   otp  a one-time passcode mailed to the guest's address (nothing else proves who they are)
//   fed  another identity provider signed the person in: SAML, WS-Federation, OpenID Connect, Google, and the
//        guest's home tenant on this deployment (an organization's account, as Entra treats a B2B guest's home)
// Reusing a session is not a method: the session keeps the method it was started with.
// A second factor (src/mfa/, issue #20) adds `mfa` and its own methods after the first factor's:
//   otp  an authenticator app's time-based code (RFC 6238)
//   swk  a software-secured key (a synced passkey), hwk  a hardware-secured key (a security key)
//   fed  MFA an identity provider the tenant trusts for MFA did (a SAML or OIDC provider's claim)
// so a member's password and authenticator app sign in as ["pwd", "mfa", "otp"]. A recovery code has no RFC 8176
// value (it is no RFC 4226/6238 one-time password, no key): it adds `mfa` alone, ["pwd", "mfa"]. What comes before `mfa` is the first
// factor (the sign-in log's method, what an app's requiredSignInMethods is checked against); SIGN_IN_METHODS are
// first factors only.
import { t, type Lang } from '../i18n/index.ts';
import type { Source } from '../redemption/flow.ts';
import type { SignInMethod } from '../signins/signins.ts';
import { parseJson } from '../store/json.ts';

export const SIGN_IN_METHODS = ['pwd', 'otp', 'fed'] as const;
export type Amr = (typeof SIGN_IN_METHODS)[number];

export const isAmr = (value: unknown): value is Amr =>
  typeof value === 'string' && (SIGN_IN_METHODS as readonly string[]).includes(value);

/** A second factor's amr values (mfa/methods.ts: each method type says which it gives). */
export const MFA_METHODS = ['otp', 'swk', 'hwk', 'fed'] as const;
export type MfaAmr = (typeof MFA_METHODS)[number];

export const isMfaAmr = (value: unknown): value is MfaAmr =>
  typeof value === 'string' && (MFA_METHODS as readonly string[]).includes(value);

/**
 * The amr of a sign-in by `first`, then a second factor by `mfa` (undefined: no MFA, `first` alone; [] MFA by a method
 * without an amr value of its own, a recovery code); each value once.
 */
export const withMfa = (first: readonly Amr[], mfa: readonly MfaAmr[] | undefined): string[] =>
  mfa ? [...new Set<string>([...first, 'mfa', ...mfa])] : [...first];

/** The first factors of an amr list (before `mfa`), e.g. an oidc-provider session's. */
export function firstFactors(values: readonly unknown[] | undefined): Amr[] {
  const list = values ?? [];
  const at = list.indexOf('mfa');
  return (at < 0 ? list : list.slice(0, at)).filter(isAmr);
}

/** The second factor's values of an amr list (after `mfa`, [] for `mfa` alone); undefined when it has no `mfa`. */
export function secondFactors(values: readonly unknown[] | undefined): MfaAmr[] | undefined {
  const list = values ?? [];
  const at = list.indexOf('mfa');
  if (at < 0) return undefined;
  const after = list.slice(at + 1).filter(isMfaAmr);
  // ["otp", "mfa"]: a passcode guest's second factor was an otp too, kept once
  return after.length ? after : list.slice(0, at).filter(isMfaAmr);
}

/** The method of a guest's redeemed identity (redemption/flow.ts Source). */
export function amrOfSource(source: Source): Amr {
  if (source === 'Email OTP') return 'otp';
  if (source === 'Personal account') return 'pwd';
  return 'fed';
}

/** A stored amr column: the known values, in order; [] for none recorded. */
export const parseAmr = (raw: string | null | undefined): Amr[] => parseJson<unknown[]>(raw, []).filter(isAmr);

/** The sign-in log's method for a sign-in by these methods. */
export function logMethod(amr: readonly Amr[]): SignInMethod {
  if (amr.includes('fed')) return 'federated';
  if (amr.includes('pwd')) return 'password';
  if (amr.includes('otp')) return 'passcode';
  return 'password';
}

/** Whether a sign-in by `amr` satisfies an app that accepts `allowed` (null: any method). */
export const methodAllowed = (allowed: readonly Amr[] | null, amr: readonly Amr[]): boolean =>
  allowed === null || amr.some((m) => allowed.includes(m));

/** The methods as a page names them, e.g. "a password or your organization's account". */
export const methodNames = (lang: Lang, amr: readonly Amr[]): string =>
  new Intl.ListFormat(lang, { type: 'disjunction' }).format(amr.map((m) => t(lang, `amr.${m}`)));
