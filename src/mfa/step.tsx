// The MFA step, in every sign-in's table before the terms (signin/table.ts): pending when the tenant's Conditional
// Access requires multifactor authentication (conditional-access/decision.ts) and this sign-in has none yet (none
// done in this sign-in, none in the session it reuses, and no MFA from the guest's home tenant that the tenant trusts).
// A person without a method is asked for "more information": they register an authenticator app and get their
// recovery codes, which proves the second factor at once. A person with methods verifies with one of them, or with a
// recovery code. Registering a method at sign-in is only offered to a person who has none: someone holding only the
// first factor can never add a second one of their own choosing. Email one-time passcodes are never a second factor.
//
// What the step remembers (memo 'mfa'): `done` (when, and the amr values of the method used), which the entry points
// turn into the token's amr (sessions/amr.ts withMfa) and record on the Portico session (sessions/sessions.ts
// recordSessionMfa); `use`, the method the person chose to verify with.
import type { Child } from 'hono/jsx';

import { homeMfaAccepted, policyDecision } from '../conditional-access/decision.ts';
import { methodAllowed } from '../conditional-access/methods-policy.ts';
import { getUser, type User } from '../directory/users.ts';
import { t } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { CodeField } from '../pages/fields.tsx';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { isMfaAmr, type MfaAmr } from '../sessions/amr.ts';
import type { SessionMfa } from '../sessions/sessions.ts';
import { DONE, type Ctx, type Form, type Posted, type Shown, type SignIn, type Step } from '../signin/step.ts';
import type { MfaVia } from '../signins/signins.ts';
import { countedCheck } from './attempts.ts';
import { replaceRecoveryCodes } from './changes.ts';
import { METHOD_TYPES, methodType, type MethodHost, type MethodType } from './methods.ts';
import { RecoveryCodes } from './pages.tsx';
import { useRecoveryCode } from './recovery.ts';
import { listMethods } from './store.ts';
import { refusalText, SOFTWARE_OATH } from './totp.tsx';
import { FIDO2 } from './webauthn-methods.ts';
import { passkeysAllowed } from './webauthn-type.tsx';

export const MFA_STEP = 'mfa';
const RECOVERY = 'recovery';

interface Memo {
  done?: SessionMfa;
  /**
   * where `done` came from when not from this step (seededMemo): the session this sign-in reuses, or the claim of an
   * identity provider the tenant trusts for MFA
   */
  from?: 'session' | 'claim';
  use?: string;
}

const memoOf = (signIn: Pick<SignIn, 'memo'>): Memo => {
  const m = signIn.memo(MFA_STEP);
  return m && typeof m === 'object' ? (m as Memo) : {};
};

/** A remembered MFA, as stored in a memo or carried in a token: only well-formed values count. */
export function mfaOfMemo(value: unknown): SessionMfa | undefined {
  const done = (value as Memo | undefined)?.done;
  if (!done || typeof done.at !== 'string' || !Array.isArray(done.amr)) return undefined;
  const amr = done.amr.filter(isMfaAmr);
  // A recovery code has no amr value of its own (sessions/amr.ts): MFA was done all the same.
  if (done.recoveryCode === true) return { at: done.at, amr, recoveryCode: true };
  return amr.length ? { at: done.at, amr } : undefined;
}

/** The MFA this sign-in has: done at this step, or brought by the session it reuses (seeded by the entry point). */
export const mfaOf = (signIn: Pick<SignIn, 'memo'>): SessionMfa | undefined => mfaOfMemo(signIn.memo(MFA_STEP));

/**
 * The MFA a sign-in completes with: done at this step or brought by its session (`mfaOf`), else the guest's home
 * sign-in's when the tenant trusts MFA from there (inbound trust; conditional-access/decision.ts `homeMfaAccepted`).
 * The entry points put it in the token's amr and on the tenant's session.
 */
export async function mfaDone(
  services: Pick<Services, 'store' | 'config'>,
  signIn: SignIn,
): Promise<(SessionMfa & { via: MfaVia }) | undefined> {
  const own = mfaOf(signIn);
  if (own) return { ...own, via: memoOf(signIn).from ?? 'step' };
  const home = await signIn.homeMfa?.();
  return home && (await homeMfaAccepted(services, signIn)) ? { ...home, via: 'claim' } : undefined;
}

/**
 * The memo an entry point seeds a sign-in with when MFA was done before this sign-in's steps: by the session it reuses,
 * or by the identity provider that signed the person in (its claim, when the tenant trusts it for MFA).
 */
export const seededMemo = (
  mfa: SessionMfa | undefined,
  from: 'session' | 'claim' = 'session',
): Record<string, unknown> => (mfa ? { [MFA_STEP]: { done: mfa, from } } : {});

const actorOf = (user: User) => ({ kind: 'user' as const, id: user.id, userPrincipalName: user.userPrincipalName });

export function mfaStep(services: Services): Step {
  const { store, clock } = services;

  /** Whether this sign-in must still do MFA. */
  async function required(signIn: SignIn): Promise<boolean> {
    if (mfaOf(signIn)) return false;
    if (!(await policyDecision(services, signIn)).mfaRequired) return false;
    // MFA done at the guest's home counts when the tenant trusts it: not asked again
    if (signIn.homeMfa && (await signIn.homeMfa()) && (await homeMfaAccepted(services, signIn))) return false;
    return true;
  }

  /** Whether the tenant's authentication methods policy lets this person use a method type (mfa-policy's). */
  const allowed = (signIn: SignIn, type: string) =>
    type === 'softwareOath' || type === 'fido2'
      ? methodAllowed(store.db, signIn.tenant, signIn.userId, type)
      : Promise.resolve(true);

  const done = async (signIn: SignIn, amr: MfaAmr[], recoveryCode?: true) =>
    signIn.remember(MFA_STEP, { done: { at: clock.now().toISOString(), amr, ...(recoveryCode && { recoveryCode }) } });

  /** The step's page: the sign-in card with a heading, the content, and (verifying) the other ways to verify. */
  const page = async (
    c: Ctx,
    signIn: SignIn,
    title: string,
    body: Child,
    status: 200 | 400 | 403 | 429 = 200,
    others?: { current: string; types: string[] },
  ) =>
    c.html(
      <Layout lang={signIn.lang} title={title} tenant={signIn.tenant}>
        <h1>{title}</h1>
        {body}
        {others && (
          <form method="post" action={signIn.action('mfa/choose')} class="other-ways">
            <Csrf value={await signIn.formToken()} />
            <p>{t(signIn.lang, 'mfa.other')}</p>
            {[...others.types, RECOVERY]
              .filter((type) => type !== others.current)
              .map((type) => (
                <p>
                  <button type="submit" name="use" value={type} class="secondary">
                    {type === RECOVERY ? t(signIn.lang, 'mfa.recovery.use') : t(signIn.lang, methodType(type)!.label)}
                  </button>
                </p>
              ))}
          </form>
        )}
      </Layout>,
      status,
    );

  const hostOf = (signIn: SignIn, user: User, type: MethodType, others?: string[]): MethodHost => ({
    services,
    tenant: signIn.tenant,
    lang: signIn.lang,
    user,
    csrf: () => signIn.formToken(),
    action: (path) => signIn.action(`mfa/${type.type}/${path}`),
    actor: actorOf(user),
    page: (c, title, body, status) =>
      page(c, signIn, title, body, status, others && { current: type.type, types: others }),
  });

  const userOf = (signIn: SignIn) => getUser(store.db, signIn.tenant.id, signIn.userId);
  const gone = (c: Ctx, signIn: SignIn) =>
    c.html(
      <ErrorPage
        lang={signIn.lang}
        tenant={signIn.tenant}
        title={t(signIn.lang, 'error.title')}
        message={t(signIn.lang, 'error.expired')}
      />,
      400,
    );

  async function recoveryPage(c: Ctx, signIn: SignIn, types: string[], shown: Shown) {
    return page(
      c,
      signIn,
      t(signIn.lang, 'mfa.recovery.use'),
      <>
        <p>{t(signIn.lang, 'mfa.recovery.useText')}</p>
        <form method="post" action={signIn.action('mfa/recovery')}>
          <Csrf value={await signIn.formToken()} />
          <CodeField maxLength={20} label={t(signIn.lang, 'mfa.recovery.code')} error={shown.error} />
          <div class="actions">
            <span />
            <button type="submit">{t(signIn.lang, 'mfa.verify')}</button>
          </div>
        </form>
      </>,
      shown.status ?? 200,
      { current: RECOVERY, types },
    );
  }

  const step: Step = {
    name: MFA_STEP,
    pending: required,
    async show(c, signIn, shown = {}) {
      const user = await userOf(signIn);
      if (!user) return gone(c, signIn);
      const methods = await listMethods(store.db, signIn.tenant.id, user.id);
      if (methods.length === 0) {
        const { lang, tenant } = signIn;
        return page(
          c,
          signIn,
          t(lang, 'mfa.required.title'),
          <>
            <p>{t(lang, 'mfa.required.text', { tenant: tenant.displayName })}</p>
            <form method="post" action={signIn.action('mfa/start')}>
              <Csrf value={await signIn.formToken()} />
              <div class="actions">
                <span />
                <button type="submit">{t(lang, 'mfa.next')}</button>
              </div>
              {/* mfa-passkey: or a passkey (webauthn-type.tsx), when the tenant's methods policy allows it */}
              {(await passkeysAllowed({ services, tenant, user })) && (
                <p>
                  <button type="submit" name="type" value={FIDO2} class="secondary">
                    {t(lang, 'passkey.required.instead')}
                  </button>
                </p>
              )}
            </form>
          </>,
          shown.status ?? 200,
        );
      }
      const types: string[] = [];
      for (const type of new Set(methods.map((m) => m.type)))
        if (methodType(type) && (await allowed(signIn, type))) types.push(type);
      // every method the person has is disabled by the tenant's policy: only a recovery code is left
      if (types.length === 0) return recoveryPage(c, signIn, [], shown);
      const use = memoOf(signIn).use;
      if (use === RECOVERY) return recoveryPage(c, signIn, types, shown);
      const type = methodType(use !== undefined && types.includes(use) ? use : types[0]!)!;
      return type.verify.show(c, hostOf(signIn, user, type, types), shown);
    },
    posts: {
      // "More information required" → the authenticator app's registration
      async 'mfa/start'(c, signIn, form) {
        const user = await userOf(signIn);
        if (!user) return gone(c, signIn);
        if (!(await required(signIn)) || (await listMethods(store.db, signIn.tenant.id, user.id)).length)
          return signIn.render(c);
        // the authenticator app, or the type the person chose instead (a passkey), when the tenant allows it
        const type = methodType(String(form.type ?? '')) ?? methodType(SOFTWARE_OATH)!;
        if (!(await allowed(signIn, type.type))) return signIn.render(c);
        return type.register.show(c, hostOf(signIn, user, type));
      },
      async 'mfa/choose'(c, signIn, form) {
        const use = String(form.use ?? '');
        if (use === RECOVERY || methodType(use)) await signIn.remember(MFA_STEP, { ...memoOf(signIn), use });
        return signIn.render(c);
      },
      async 'mfa/recovery'(c, signIn, form) {
        const user = await userOf(signIn);
        if (!user) return gone(c, signIn);
        if (!(await required(signIn))) return signIn.render(c);
        const code = String(form.code ?? '');
        const outcome = await countedCheck(services, signIn.tenant.id, user.id, async () =>
          (await store.write((db) => useRecoveryCode(db, clock, signIn.tenant.id, user.id, code)))
            ? { ok: true }
            : 'wrong',
        );
        if ('refused' in outcome) {
          const methods = await listMethods(store.db, signIn.tenant.id, user.id);
          return recoveryPage(c, signIn, [...new Set(methods.map((m) => m.type))], {
            error:
              outcome.refused === 'throttled'
                ? refusalText(signIn.lang, 'throttled')
                : t(signIn.lang, 'mfa.recovery.wrong'),
            status: outcome.refused === 'throttled' ? 429 : 400,
          });
        }
        // no RFC 8176 value says "recovery code" (it is no RFC 6238 otp): the token's amr says mfa alone
        await done(signIn, [], true);
        return DONE;
      },
      // after registering: the recovery codes were shown; go on
      async 'mfa/continue'(c, signIn) {
        return mfaOf(signIn) ? DONE : signIn.render(c);
      },
      ...Object.fromEntries(
        METHOD_TYPES.flatMap((type) => [
          ...Object.entries(type.register.posts).map(([path, handle]) => [
            `mfa/${type.type}/register/${path}`,
            async (c: Ctx, signIn: SignIn, form: Form): Promise<Posted> => {
              const user = await userOf(signIn);
              if (!user) return gone(c, signIn);
              // Registering at sign-in is for a person who has no method yet (a double submit lands here too).
              if (!(await required(signIn)) || (await listMethods(store.db, signIn.tenant.id, user.id)).length)
                return signIn.render(c);
              if (!(await allowed(signIn, type.type))) return signIn.render(c);
              const result = await handle(c, hostOf(signIn, user, type), form);
              if (result instanceof Response) return result;
              await done(signIn, result.amr);
              const codes = await store.transaction((tx) =>
                replaceRecoveryCodes({
                  tx,
                  services,
                  tenant: signIn.tenant,
                  user,
                  actor: actorOf(user),
                  lang: signIn.lang,
                }),
              );
              return page(
                c,
                signIn,
                t(signIn.lang, 'mfa.recovery.title'),
                <>
                  <RecoveryCodes lang={signIn.lang} codes={codes} />
                  <form method="post" action={signIn.action('mfa/continue')}>
                    <Csrf value={await signIn.formToken()} />
                    <div class="actions">
                      <span />
                      <button type="submit">{t(signIn.lang, 'mfa.continue')}</button>
                    </div>
                  </form>
                </>,
              );
            },
          ]),
          ...Object.entries(type.verify.posts).map(([path, handle]) => [
            `mfa/${type.type}/verify/${path}`,
            async (c: Ctx, signIn: SignIn, form: Form): Promise<Posted> => {
              const user = await userOf(signIn);
              if (!user) return gone(c, signIn);
              if (!(await required(signIn)) || !(await allowed(signIn, type.type))) return signIn.render(c);
              const methods = await listMethods(store.db, signIn.tenant.id, user.id);
              const types = [...new Set(methods.map((m) => m.type))];
              const result = await handle(c, hostOf(signIn, user, type, types), form);
              if (result instanceof Response) return result;
              await done(signIn, result.amr);
              return DONE;
            },
          ]),
        ]),
      ),
    },
  };
  return step;
}
