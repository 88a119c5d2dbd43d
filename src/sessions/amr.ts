// How a person signed in, as RFC 8176 `amr` values: recorded with the Portico session, passed to oidc-provider's
// login result (so ID tokens carry it) and checked against what an app accepts.
//   pwd  a password Portico checked: a member's, or a personal account's
//   otp  a one-time passcode mailed to the guest's address (nothing else proves who they are)
//   fed  another identity provider signed the person in: SAML, WS-Federation, OpenID Connect, Google, and the
//        guest's home tenant on this deployment (an organization's account, as Entra treats a B2B guest's home)
// Reusing a session is not a method: the session keeps the method it was started with.
import { t, type Lang } from '../i18n/index.ts';
import type { Source } from '../redemption/flow.ts';
import type { SignInMethod } from '../signins/signins.ts';
import { parseJson } from '../store/json.ts';

export const SIGN_IN_METHODS = ['pwd', 'otp', 'fed'] as const;
export type Amr = (typeof SIGN_IN_METHODS)[number];

export const isAmr = (value: unknown): value is Amr =>
  typeof value === 'string' && (SIGN_IN_METHODS as readonly string[]).includes(value);

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
  if (amr.includes('otp')) return 'passcode';
  return 'password';
}

/** Whether a sign-in by `amr` satisfies an app that accepts `allowed` (null: any method). */
export const methodAllowed = (allowed: readonly Amr[] | null, amr: readonly Amr[]): boolean =>
  allowed === null || amr.some((m) => allowed.includes(m));

/** The methods as a page names them, e.g. "a password or your organization's account". */
export const methodNames = (lang: Lang, amr: readonly Amr[]): string =>
  new Intl.ListFormat(lang, { type: 'disjunction' }).format(amr.map((m) => t(lang, `amr.${m}`)));
