// The device code flow (RFC 8628) as Entra's v2.0 endpoint offers it, for CLIs and devices without a browser: MSAL's
// `acquireTokenByDeviceCode` posts to `<issuer>/devicecode` (msal-common derives it from the token endpoint by
// replacing `/token` with `/devicecode`), shows the person the `message`, and polls the token endpoint every
// `interval` seconds. The person opens `<issuer>/device`, types the code, signs in through the tenant's normal
// sign-in pages (interactions/routes.tsx), confirms the app there (interactions/device.tsx), and the CLI's next poll
// gets the tokens.
//
// oidc-provider's `features.deviceFlow` does the protocol; this module configures it: its routes, the codes (short,
// readable, single use, 15 minutes), its pages in Portico's layout (oidc/device-pages.tsx), Entra's `message`
// and `interval`, and a per-IP limit on codes typed. Only app registrations that allow public client flows
// (`isFallbackPublicClient`, oidc/adapter.ts) get the grant.
import { interactionPolicy, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';

import type { Clock } from '../clock.ts';
import type { Tenant } from '../directory/tenants.ts';
import { requestIp } from '../http/client-ip.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import { pickLang, t } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { renderDeviceCode, renderDeviceConfirm, renderDeviceDone } from './device-pages.tsx';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** How long a code may be entered and polled for, in seconds: Entra's 15 minutes. */
export const DEVICE_CODE_TTL = 15 * 60;

/** Seconds a client waits between polls (RFC 8628's default, and Entra's). */
export const POLL_INTERVAL = 5;

/** Where the provider answers, below the issuer: Entra's `devicecode` endpoint, and the verification page. */
export const DEVICE_ROUTES = { device_authorization: '/devicecode', code_verification: '/device' } as const;

/** Codes typed per IP per window (every tenant's verification page counts together). */
export const CODES_PER_IP = { limit: 30, windowMs: 15 * 60_000 } as const;

/** How a user code is shown: two groups of four. */
export const DEVICE_CODE_MASK = '****-****';

type DeviceFlow = NonNullable<NonNullable<Configuration['features']>['deviceFlow']>;

/** The provider's `features.deviceFlow` for `tenant`. */
export function deviceFlowFeature(tenant: Tenant): DeviceFlow {
  return {
    enabled: true,
    // Twenty consonants, no vowels or look-alikes (no words, no 0/O or 1/I), in two groups of four: 20^8 codes.
    charset: 'base-20',
    mask: DEVICE_CODE_MASK,
    userCodeInputSource: renderDeviceCode(tenant),
    userCodeConfirmSource: renderDeviceConfirm(tenant),
    successSource: renderDeviceDone(tenant),
  };
}

/**
 * The policy, with every sign-in a typed code starts made an interaction, an open session included: the sign-in pages
 * ask "are you trying to sign in to <app>?" once the person is known (interactions/device.tsx). Coming back from the
 * pages (`device_resume`) the check is met.
 */
export function withDeviceConfirmation(policy: interactionPolicy.DefaultPolicy): interactionPolicy.DefaultPolicy {
  const { Check } = interactionPolicy;
  policy
    .get('login')!
    .checks.add(
      new Check('device_confirm', 'the person confirms the device', 'interaction_required', (ctx) =>
        ctx.oidc.route === 'code_verification' ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
      ),
    );
  return policy;
}

/**
 * What oidc-provider cannot be configured with: the fields Entra adds to the device authorization response, and the
 * limit on codes typed at the verification page (a 429 page before the provider looks the code up).
 */
export function installDeviceFlow(provider: Provider, services: Services, tenant: Tenant): void {
  const typed = createRateLimiter(services.store, services.clock, { name: 'device-code-ip', ...CODES_PER_IP });
  provider.use(async (ctx, next) => {
    // The link with the code in it (verification_uri_complete, for a QR code): oidc-provider would answer with a
    // self-submitting form, which needs script the CSP forbids; the code form is shown instead, the code filled in.
    const prefill = ctx.method === 'GET' && ctx.path === DEVICE_ROUTES.code_verification && ctx.query.user_code;
    if (typeof prefill === 'string') {
      (ctx.state as { userCode?: string }).userCode = prefill;
      ctx.querystring = '';
    }
    if (ctx.method === 'POST' && ctx.path === DEVICE_ROUTES.code_verification) {
      if (!(await typed.hit(requestIp(ctx.req)))) {
        await renderDeviceCode(tenant)(ctx as KoaContextWithOIDC, '', undefined, new ThrottledError());
        return;
      }
    }
    await next();
  });
  // The response object is still the one the provider sends: Entra's `interval` and `message` go into it.
  // The verification page is named by the deployment's public URL (the issuer), whatever host the CLI called.
  const page = `${provider.issuer}${DEVICE_ROUTES.code_verification}`;
  provider.on('device_authorization.success', (ctx: KoaContextWithOIDC, body: Record<string, unknown>) => {
    const lang = pickLang(ctx.get('accept-language'));
    const code = String(body.user_code);
    Object.assign(body, {
      verification_uri: page,
      verification_uri_complete: `${page}?${new URLSearchParams({ user_code: code })}`,
      interval: POLL_INTERVAL,
      message: t(lang, 'device.message', { url: page, code }),
    });
  });
}

/** Too many codes typed from one address: the verification page says so (429). */
export class ThrottledError extends Error {
  override name = 'ThrottledError';
}

/**
 * Seconds `clock` is ahead of the system clock. oidc-provider checks a device code's `exp` against the system clock;
 * the adapter (oidc/adapter.ts) moves `exp` by this much as it reads and writes one, so codes expire by the clock
 * Portico is given (tests move it). With the system clock it is 0 and nothing moves.
 */
export const clockSkew = (clock: Clock): number => Math.round((clock.now().getTime() - Date.now()) / 1000);

/** A stored device code as the provider must see it: `exp` on the system clock. */
export function deviceCodeRead(payload: AdapterPayload, clock: Clock): AdapterPayload {
  const skew = clockSkew(clock);
  return skew && typeof payload.exp === 'number' ? { ...payload, exp: payload.exp - skew } : payload;
}

/** A device code as the provider saves it, to store: `exp` on `clock` (the row's own expiry stays on the system's). */
export function deviceCodeWritten(payload: AdapterPayload, clock: Clock): AdapterPayload {
  const skew = clockSkew(clock);
  return skew && typeof payload.exp === 'number' ? { ...payload, exp: payload.exp + skew } : payload;
}
