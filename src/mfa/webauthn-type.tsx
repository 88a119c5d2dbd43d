// Passkeys and security keys as a method type of the registry (mfa/methods.ts: Graph's fido2AuthenticationMethod,
// collection fido2Methods): registered on Security info or in "More information required", used as the second factor
// in the MFA step. Each page runs one WebAuthn ceremony through webauthn-form.tsx and the one script, so it allows that
// script in its CSP (allowOwnScript). The ceremony's challenge is bound to the person and to the host's form action
// (the sign-in in progress in the step, Security info): a challenge issued for one sign-in answers no other. amr:
// `hwk` or `swk` by the passkey's backup flags (webauthn.ts passkeyAmr).
import { methodAllowed } from '../conditional-access/methods-policy.ts';
import { AuthorizationDenied, PorticoError } from '../errors.ts';
import { allowOwnScript } from '../http/headers.ts';
import { t } from '../i18n/index.ts';
import type { Ctx, Form } from '../signin/step.ts';
import { addMethod } from './changes.ts';
import type { MethodHost, MethodType, Registered, Verified } from './methods.ts';
import { PasskeyForm } from './webauthn-form.tsx';
import { FIDO2, graphFido2Method, passkeyOf, passkeyRow, passkeysOf, recordPasskeyUse } from './webauthn-methods.ts';
import {
  authenticationOptions,
  passkeyAmr,
  registrationOptions,
  rpIdOf,
  verifyAuthentication,
  verifyRegistration,
  type Ceremony,
} from './webauthn.ts';

export const PASSKEY_NAME_MAX = 64;

type Shown = { error?: string; status?: 200 | 400 | 403 | 429 };

const Refusal = ({ text }: { text?: string }) =>
  text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;

/**
 * The ceremony at this host, bound to where its form posts: a sign-in's own URL (it names the interaction or the
 * redemption), or Security info's for this person. Not to the form token, which carries an expiry and so changes
 * between the page and its POST; not to the session cookie, which a sign-in may set in the very response that shows
 * the page.
 */
const ceremonyOf = (c: Ctx, host: MethodHost): Ceremony => ({
  tenantId: host.tenant.id,
  userId: host.user.id,
  boundTo: host.action(''),
  rpId: rpIdOf(c.req.url, host.services.config.baseUrl),
});

/** Whether the tenant's authentication methods policy lets this person use passkeys (its fido2 configuration). */
export const passkeysAllowed = (host: Pick<MethodHost, 'services' | 'tenant' | 'user'>) =>
  methodAllowed(host.services.store.db, host.tenant, host.user.id, 'fido2');

/** The page a person sees when the tenant does not let them use passkeys: nothing to register or use here. */
const notAllowed = (c: Ctx, host: MethodHost) =>
  host.page(
    c,
    t(host.lang, 'passkey.method'),
    <Refusal text={new AuthorizationDenied('passkey.notAllowed').text(host.lang)} />,
    403,
  );

async function registerPage(c: Ctx, host: MethodHost, shown: Shown = {}, name?: string): Promise<Response> {
  const { lang, tenant, user, services } = host;
  if (!(await passkeysAllowed(host))) return notAllowed(c, host);
  const existing = (await passkeysOf(services.store.db, tenant.id, user.id)).map((p) => p.passkey);
  const { options, challengeId } = await registrationOptions(
    services,
    ceremonyOf(c, host),
    { name: user.userPrincipalName, displayName: user.displayName || user.userPrincipalName },
    existing,
    tenant.displayName,
  );
  return allowOwnScript(
    await host.page(
      c,
      t(lang, 'passkey.add.title'),
      <>
        <p>{t(lang, 'passkey.add.intro')}</p>
        <Refusal text={shown.error} />
        <PasskeyForm
          lang={lang}
          ceremony="create"
          action={host.action('register/create')}
          csrf={await host.csrf()}
          challengeId={challengeId}
          options={options}
          button={t(lang, 'passkey.add.button')}
        >
          <label for="passkey-name">{t(lang, 'passkey.add.name')}</label>
          <input
            id="passkey-name"
            name="name"
            type="text"
            maxlength={PASSKEY_NAME_MAX}
            value={name ?? t(lang, 'passkey.defaultName')}
          />
        </PasskeyForm>
      </>,
      shown.status ?? 200,
    ),
  );
}

async function verifyPage(c: Ctx, host: MethodHost, shown: Shown = {}): Promise<Response> {
  const { lang, tenant, user, services } = host;
  if (!(await passkeysAllowed(host))) return notAllowed(c, host);
  const passkeys = (await passkeysOf(services.store.db, tenant.id, user.id)).map((p) => p.passkey);
  const { options, challengeId } = await authenticationOptions(services, ceremonyOf(c, host), passkeys);
  return allowOwnScript(
    await host.page(
      c,
      t(lang, 'passkey.use.title'),
      <>
        <p>{t(lang, 'passkey.use.intro', { tenant: tenant.displayName })}</p>
        <Refusal text={shown.error} />
        <PasskeyForm
          lang={lang}
          ceremony="get"
          action={host.action('verify/assert')}
          csrf={await host.csrf()}
          challengeId={challengeId}
          options={options}
          button={t(lang, 'passkey.use.button')}
        />
      </>,
      shown.status ?? 200,
    ),
  );
}

async function register(c: Ctx, host: MethodHost, form: Form): Promise<Response | Registered> {
  const { lang, services, tenant, user } = host;
  if (!(await passkeysAllowed(host))) return notAllowed(c, host);
  const name = typeof form.name === 'string' ? form.name.trim() : '';
  if (name.length > PASSKEY_NAME_MAX)
    return registerPage(c, host, {
      error: t(lang, 'passkey.add.nameTooLong', { max: String(PASSKEY_NAME_MAX) }),
      status: 400,
    });
  const displayName = name || t(lang, 'passkey.defaultName');
  try {
    const passkey = await verifyRegistration(services, ceremonyOf(c, host), form.challenge, form.credential);
    const registered = await services.store.transaction((tx) =>
      addMethod(
        { tx, services, tenant, user, actor: host.actor, lang },
        {
          type: FIDO2,
          displayName,
          ...passkeyRow(passkey),
          label: 'passkey.method',
        },
      ),
    );
    return { registered, amr: [passkeyAmr(passkey)] };
  } catch (error) {
    if (error instanceof PorticoError)
      return registerPage(c, host, { error: error.text(lang), status: 400 }, displayName);
    throw error;
  }
}

async function verify(c: Ctx, host: MethodHost, form: Form): Promise<Response | Verified> {
  const { lang, services, tenant, user } = host;
  if (!(await passkeysAllowed(host))) return notAllowed(c, host);
  const refused = (error: PorticoError) => verifyPage(c, host, { error: error.text(lang), status: 400 });
  try {
    // The person's passkeys as stored now: one deleted a moment ago (Graph DELETE) is not among them.
    const stored = await passkeysOf(services.store.db, tenant.id, user.id);
    const { passkey, counter } = await verifyAuthentication(
      services,
      ceremonyOf(c, host),
      form.challenge,
      form.credential,
      stored.map((p) => p.passkey),
    );
    const used = stored.find((p) => p.passkey.credentialId === passkey.credentialId)!;
    const recorded = await services.store.transaction((tx) =>
      recordPasskeyUse(tx, services.clock, tenant.id, used, counter),
    );
    if (!recorded) return verifyPage(c, host, { error: t(lang, 'refusal.passkey.notVerified'), status: 400 });
    return { verified: used.method, amr: [passkeyAmr(passkey)] };
  } catch (error) {
    if (error instanceof PorticoError) return refused(error);
    throw error;
  }
}

export const fido2: MethodType = {
  type: FIDO2,
  collection: 'fido2Methods',
  odataType: '#microsoft.graph.fido2AuthenticationMethod',
  graph: (method) => graphFido2Method({ method, passkey: passkeyOf(method) }),
  label: 'passkey.method',
  register: { show: (c, host, shown) => registerPage(c, host, shown), posts: { create: register } },
  verify: { show: verifyPage, posts: { assert: verify } },
};
