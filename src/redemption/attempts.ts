// What the redemption's code and password forms share: a failed attempt goes to the inviting tenant's sign-in log,
// a refused code says why, and a change that may mail a code stays within the code limits.
import { getUser } from '../directory/users.ts';
import { TooManyRequests } from '../errors.ts';
import { clientIp } from '../http/client-ip.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { CodeCheck } from '../passcodes/codes.ts';
import type { Services } from '../services.ts';
import type { Ctx, Shown } from '../signin/step.ts';
import { recordSignIn, type SignInErrorName } from '../signins/signins.ts';
import type { Tx } from '../store/index.ts';
import type { Flow } from './flow.ts';

/** A failed sign-in of the invited guest, in the inviting tenant's log (a pending guest is a user there). */
export async function logGuestFailure(
  services: Services,
  c: Ctx,
  flow: Flow,
  identityProvider: string,
  error: SignInErrorName,
): Promise<void> {
  const { store, clock } = services;
  const user = await getUser(store.db, flow.tenant.id, flow.userId);
  await store
    .write((db) =>
      recordSignIn(db, clock, flow.tenant.id, {
        ...(user ? { user } : { userPrincipalName: flow.state.email }),
        identityProvider,
        method: identityProvider === 'mail' ? 'passcode' : 'password',
        error,
        ipAddress: clientIp(c),
        clientAppUsed: 'Browser',
        correlationId: flow.invitationId,
      }),
    )
    .catch((err: unknown) => services.log.warn({ err }, 'could not record a sign-in'));
}

/** A code that did not pass: the page says why; guesses (wrong, or refused for too many) go to the tenant's sign-in log. */
export async function codeRefused(
  services: Services,
  c: Ctx,
  flow: Flow,
  result: Exclude<CodeCheck, 'ok'>,
  show: (shown: Shown) => Promise<Response>,
): Promise<Response> {
  if (result === 'wrong') await logGuestFailure(services, c, flow, 'mail', 'invalidCredentials');
  if (result === 'locked' || result === 'throttled')
    await logGuestFailure(services, c, flow, 'mail', 'tooManyAttempts');
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
