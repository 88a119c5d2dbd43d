// What the redemption's code and password forms share: a failed attempt goes to the inviting tenant's sign-in log,
// a refused code says why, and a change that may mail a code stays within the code limits.
import { getUser } from '../directory/users.ts';
import { TooManyRequests } from '../errors.ts';
import { clientIp } from '../http/client-ip.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { CodeCheck } from '../passcodes/codes.ts';
import type { Services } from '../services.ts';
import { amrOfSource, logMethod } from '../sessions/amr.ts';
import type { Ctx, Shown } from '../signin/step.ts';
import { recordSignInAttempt, type SignInAttempt } from '../signins/attempt.ts';
import type { SignInErrorName, SignInMethod } from '../signins/signins.ts';
import type { Tx } from '../store/index.ts';
import type { Flow, Source } from './flow.ts';

/**
 * A failed sign-in of the invited guest, in the inviting tenant's log (a pending guest is a user there), and with
 * `home` (their own account at their home tenant was checked) in the home tenant's too (signins/attempt.ts).
 */
export async function logGuestFailure(
  services: Services,
  c: Ctx,
  flow: Flow,
  how: { identityProvider: string; method: SignInMethod },
  error: SignInErrorName,
  home?: SignInAttempt['home'],
): Promise<void> {
  const user = await getUser(services.store.db, flow.tenant.id, flow.userId);
  await recordSignInAttempt(services, {
    tenantId: flow.tenant.id,
    who: user ? { user } : { userPrincipalName: flow.state.email },
    home,
    ...how,
    error,
    ipAddress: clientIp(c),
    correlationId: correlationOf(flow),
    ...(flow.state.clientId !== undefined && { policyClientId: flow.state.clientId }),
  });
}

/**
 * What ties a redemption's entries together: the sign-in interaction it returns to (whose pages complete the entry
 * with their app, signins/attempt.ts completeWithApp), else the invitation.
 */
export const correlationOf = (flow: Flow): string =>
  /\/interaction\/([^/?]+)$/.exec(flow.state.returnTo ?? '')?.[1] ?? flow.invitationId;

/** Entra's method of an identity the redemption bound. */
export const methodOfSource = (source: Source): SignInMethod => logMethod([amrOfSource(source)]);

/** The method of a passcode the redemption mailed. */
const PASSCODE = { identityProvider: 'mail', method: 'passcode' } as const;

/** A code that did not pass: the page says why, and the tenant's sign-in log has the attempt. */
export async function codeRefused(
  services: Services,
  c: Ctx,
  flow: Flow,
  result: Exclude<CodeCheck, 'ok'>,
  show: (shown: Shown) => Promise<Response>,
): Promise<Response> {
  const logged: SignInErrorName =
    result === 'locked' || result === 'throttled'
      ? 'tooManyAttempts'
      : result === 'expired'
        ? 'codeExpired'
        : 'invalidCredentials';
  await logGuestFailure(services, c, flow, PASSCODE, logged);
  return show({ error: t(flow.state.lang, `redeem.passcode.${result}`), status: result === 'throttled' ? 429 : 400 });
}

/** Runs a change that may mail a code; over the code limits, the page says so (429) and nothing changed. */
export async function withCodeLimits(
  services: Services,
  c: Ctx,
  lang: Lang,
  change: (tx: Tx) => Promise<unknown>,
  show: (shown: Shown) => Promise<Response>,
): Promise<Response> {
  try {
    await services.store.transaction(change);
  } catch (error) {
    if (error instanceof TooManyRequests) return show({ error: error.text(lang), status: 429 });
    throw error;
  }
  return c.redirect('/redeem/flow', 303);
}
