// Authenticator apps (Graph's softwareOathAuthenticationMethod): TOTP of RFC 6238 with what every app reads from a
// QR code, 30-second steps, 6 digits, HMAC-SHA1. The secret (160 random bits) is sealed with the deployment key in
// the method's data. Registering shows the QR code (an inline SVG image, which the CSP's img-src data: allows) and the
// secret as text; the secret being registered travels sealed in the form (bound to the tenant, the user and 15
// minutes), so nothing is stored before the first code proves the app has it. A code is accepted within one step
// either side of now, once: its step is consumed by one conditional update (mfa/store.ts consumeCounter), so the
// same code, or an older one, is refused afterwards. Tries count per account (mfa/attempts.ts).
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { CodeField } from '../pages/fields.tsx';
import { sameSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import type { Ctx, Form } from '../signin/step.ts';
import { keysOf } from '../store/keys.ts';
import { countedCheck, type CheckOutcome } from './attempts.ts';
import { addMethod } from './changes.ts';
import type { MethodHost, MethodType, Registered, Verified } from './methods.ts';
import { consumeCounter, listMethods, type StoredMethod } from './store.ts';

export const SOFTWARE_OATH = 'softwareOath';
const PERIOD = 30;
const DIGITS = 6;
const PENDING_MINUTES = 15;

const totpOf = (secret: string, issuer = '', label = 'Portico') =>
  new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: DIGITS, period: PERIOD });

/** The time step a code of `secret` matches, within one step of `now`; undefined for none (compared in constant time). */
export function matchingStep(secret: string, code: string, now: Date): number | undefined {
  const totp = totpOf(secret);
  const current = Math.floor(now.getTime() / 1000 / PERIOD);
  let found: number | undefined;
  for (const step of [current - 1, current, current + 1]) {
    // every step is computed and compared, whichever matches, so the time taken says nothing
    if (sameSecret(code, totp.generate({ timestamp: step * PERIOD * 1000 })) && found === undefined) found = step;
  }
  return found;
}

interface Pending {
  t: string;
  u: string;
  s: string;
  exp: string;
}

/** A new secret, sealed for the registration form. */
function newPending(host: MethodHost): { secret: string; sealed: string } {
  const secret = new Secret({ size: 20 }).base32;
  const exp = new Date(host.services.clock.now().getTime() + PENDING_MINUTES * 60_000).toISOString();
  const pending: Pending = { t: host.tenant.id, u: host.user.id, s: secret, exp };
  return { secret, sealed: keysOf(host.services.store.db).seal(JSON.stringify(pending)) };
}

/** The secret of a registration form's sealed value, when it is this user's and not expired. */
function openPending(host: MethodHost, sealed: unknown): string | undefined {
  if (typeof sealed !== 'string' || sealed.length > 1000) return undefined;
  try {
    const p = JSON.parse(keysOf(host.services.store.db).open(sealed)) as Pending;
    if (p.t !== host.tenant.id || p.u !== host.user.id) return undefined;
    if (p.exp <= host.services.clock.now().toISOString()) return undefined;
    return p.s;
  } catch {
    return undefined;
  }
}

/** The digits as typed (spaces dropped); anything else is no code. */
const codeOf = (form: Form): string => String(form.code ?? '').replace(/\s/g, '');

export const refusalText = (lang: Lang, refused: 'wrong' | 'throttled' | 'reused' | 'expired'): string =>
  t(lang, `mfa.refused.${refused}`);
const statusOf = (refused: 'wrong' | 'throttled' | 'reused' | 'expired') => (refused === 'throttled' ? 429 : 400);

async function registerPage(
  c: Ctx,
  host: MethodHost,
  shown: { error?: string; status?: 200 | 400 | 403 | 429 } = {},
  pending?: { secret: string; sealed: string },
): Promise<Response> {
  const { lang, tenant, user } = host;
  const { secret, sealed } = pending ?? newPending(host);
  const uri = totpOf(secret, tenant.displayName, user.userPrincipalName).toString();
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const qr = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const grouped = secret.replace(/(.{4})/g, '$1 ').trim();
  return host.page(
    c,
    t(lang, 'mfa.totp.registerTitle'),
    <>
      <p>{t(lang, 'mfa.totp.install')}</p>
      <p>{t(lang, 'mfa.totp.scan')}</p>
      <p>
        <img class="qr" src={qr} width={200} height={200} alt={t(lang, 'mfa.totp.qrAlt')} />
      </p>
      <p>
        {t(lang, 'mfa.totp.manual')} <code id="totp-secret">{grouped}</code>
      </p>
      <form method="post" action={host.action('register/code')}>
        <Csrf value={await host.csrf()} />
        <input type="hidden" name="pending" value={sealed} />
        <CodeField maxLength={20} label={t(lang, 'mfa.totp.enterCode')} error={shown.error} />
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'mfa.next')}</button>
        </div>
      </form>
    </>,
    shown.status ?? 200,
  );
}

async function verifyPage(c: Ctx, host: MethodHost, shown: { error?: string; status?: 200 | 400 | 403 | 429 } = {}) {
  const { lang } = host;
  return host.page(
    c,
    t(lang, 'mfa.totp.verifyTitle'),
    <>
      <p>{t(lang, 'mfa.totp.verifyText')}</p>
      <form method="post" action={host.action('verify/code')}>
        <Csrf value={await host.csrf()} />
        <CodeField maxLength={20} label={t(lang, 'mfa.totp.code')} error={shown.error} />
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'mfa.verify')}</button>
        </div>
      </form>
    </>,
    shown.status ?? 200,
  );
}

/** Checks a code against the user's authenticator apps, counted, consuming its step on the app it matched. */
export async function checkTotp(
  services: Services,
  tenantId: string,
  userId: string,
  code: string,
): Promise<CheckOutcome<StoredMethod>> {
  const { store, clock } = services;
  return countedCheck(services, tenantId, userId, async () => {
    if (!/^\d{6}$/.test(code)) return 'wrong';
    const ring = keysOf(store.db);
    const now = clock.now();
    for (const method of await listMethods(store.db, tenantId, userId, SOFTWARE_OATH)) {
      const step = matchingStep(ring.open(String(method.data.secret)), code, now);
      if (step === undefined) continue;
      const fresh = await store.write((db) => consumeCounter(db, clock, tenantId, method.id, step));
      return fresh ? { ok: method } : 'reused';
    }
    return 'wrong';
  });
}

export const softwareOath: MethodType = {
  type: SOFTWARE_OATH,
  collection: 'softwareOathMethods',
  odataType: '#microsoft.graph.softwareOathAuthenticationMethod',
  // Graph never returns the secret key once registered.
  graph: () => ({ secretKey: null }),
  label: 'mfa.totp.label',
  register: {
    show: (c, host, shown) => registerPage(c, host, shown),
    posts: {
      async code(c, host, form): Promise<Response | Registered> {
        const { services, lang, tenant, user } = host;
        const secret = openPending(host, form.pending);
        if (!secret) return registerPage(c, host, { error: refusalText(lang, 'expired'), status: 400 });
        const again = { secret, sealed: String(form.pending) };
        const code = codeOf(form);
        const outcome = await countedCheck(services, tenant.id, user.id, async () => {
          const step = /^\d{6}$/.test(code) ? matchingStep(secret, code, services.clock.now()) : undefined;
          return step === undefined ? 'wrong' : { ok: step };
        });
        if ('refused' in outcome)
          return registerPage(
            c,
            host,
            { error: refusalText(lang, outcome.refused), status: statusOf(outcome.refused) },
            again,
          );
        const registered = await services.store.transaction((tx) =>
          addMethod(
            { tx, services, tenant, user, actor: host.actor, lang },
            {
              type: SOFTWARE_OATH,
              displayName: t(lang, 'mfa.totp.label'),
              data: { secret: keysOf(tx).seal(secret) },
              // the code that proved the app is used: it is not accepted again
              counter: outcome.ok,
              label: 'mfa.totp.label',
            },
          ),
        );
        return { registered, amr: ['otp'] };
      },
    },
  },
  verify: {
    show: verifyPage,
    posts: {
      async code(c, host, form): Promise<Response | Verified> {
        const outcome = await checkTotp(host.services, host.tenant.id, host.user.id, codeOf(form));
        if ('refused' in outcome)
          return verifyPage(c, host, {
            error: refusalText(host.lang, outcome.refused),
            status: statusOf(outcome.refused),
          });
        return { verified: outcome.ok, amr: ['otp'] };
      },
    },
  },
};
