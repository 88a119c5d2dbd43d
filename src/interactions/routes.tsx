// The tenant's sign-in pages that oidc-provider sends users to: identifier first (email), then password, or one of
// the tenant's identity providers; a guest's address opens the invitation flow (redemption/direct.ts). Once the
// person is known, the sign-in table runs (signin/step.ts): what the app requires, then the steps every sign-in runs
// (signin/table.ts). The interaction cookie the provider sets (signed, HttpOnly, SameSite) binds each POST to the
// browser that started the flow, and the uid in the path must match it. Every page a POST here renders (the next
// step's, a refusal) is answered with a 303 to a GET address that shows it (pages/results.ts): a step's page without
// a mistake to correct again on a reload, one with a mistake once and then the interaction's own page. A reload never posts.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type Provider from 'oidc-provider';

import { mfaTrustedProvider } from '../conditional-access/inbound-trust.ts';
import { addressError } from '../directory/address.ts';
import { resolveTenantCached } from '../directory/tenants.ts';
import { findMemberBySignInName, getUser, type User } from '../directory/users.ts';
import { getProvider, listProviders, providerForDomain } from '../federation/providers.ts';
import { clientIp } from '../http/client-ip.ts';
import { createRateLimiter } from '../http/rate-limit.ts';
import { pickLang, t } from '../i18n/index.ts';
import { findInvitee } from '../invitations/guests.ts';
import { formToken, formTokenMatches } from '../keyed.ts';
import { mfaDone, seededMemo } from '../mfa/step.tsx';
import { appConsentStep } from '../oidc/app-consent.tsx';
import { appGate, appOf } from '../oidc/app-gate.ts';
import type { ProviderPool } from '../oidc/pool.ts';
import { SELECT_ACCOUNT } from '../oidc/prompts.ts';
import { issuerFor } from '../oidc/urls.ts';
import { ErrorPage, errorResponse } from '../pages/layout.tsx';
import { redirectAfterPost, showResult } from '../pages/results.ts';
import { DEFAULT_SEAMS, type Seams } from '../redemption/context.ts';
import { openDirectFlow } from '../redemption/direct.ts';
import { FLOW_COOKIE, FLOW_MINUTES, flowCookieOptions } from '../redemption/flow.ts';
import { verifyPasswordOrDummy } from '../secrets.ts';
import type { Services } from '../services.ts';
import { firstFactors, logMethod, methodNames, secondFactors, withMfa, type Amr } from '../sessions/amr.ts';
import { browserSession, setSessionCookie } from '../sessions/cookie.ts';
import { recordSessionMfa, sessionCookieName, startSession, type SessionMfa } from '../sessions/sessions.ts';
import { SignInSwitchPage } from '../sessions/switch-page.tsx';
import {
  answerSwitch,
  browserSignIns,
  signInOffer,
  switchToken,
  switchTokenMatches,
  whoIsSignedIn,
  type SignedIn,
  type SignInOffer,
} from '../sessions/switch.ts';
import { handOff, pickUp } from '../signin/federation.ts';
import { homeSessionMfa } from '../signin/session-steps.ts';
import { currentStep, DONE, postsOf, reached, type Shown, type SignIn, type Step } from '../signin/step.ts';
import { signInSteps, type SignInSeams } from '../signin/table.ts';
import { completeWithApp, recordSignInAttempt } from '../signins/attempt.ts';
import { checkSignInPassword } from '../signins/password-check.ts';
import type { SignInErrorName, SignInMfa } from '../signins/signins.ts';
import { deviceConfirmationStep } from './device.tsx';
import { AccountPickerPage, IdentifierPage, PasswordPage } from './pages.tsx';
import { carryToken, readCarried } from './token.ts';

/** The form token of the picker's "use another account" (bound to the interaction). */
const PICKER_KEY = 'interaction-picker-key';

type Env = { Bindings: HttpBindings };
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

export function interactionRoutes(
  services: Services,
  pool: ProviderPool,
  seams: Seams = DEFAULT_SEAMS,
  signInSeams: SignInSeams = {},
) {
  const app = new Hono<Env>();
  // Post/redirect/get for every form of these pages (the interaction's address is the way back).
  const INTERACTION = /^\/[^/]+\/v2\.0\/interaction\/[^/]+/;
  app.use(
    '/:tenant/v2.0/interaction/:uid/*',
    redirectAfterPost(services, (c) => {
      const at = INTERACTION.exec(c.req.path)![0];
      // A page with a mistake to correct (400, 429) says it once; the next step's page, or one ending the sign-in
      // (a refusal, logged once when shown), is shown again on a reload.
      return { base: at, back: at, everyPage: true, again: c.res.status !== 400 && c.res.status !== 429 };
    }),
  );
  app.get('/:tenant/v2.0/interaction/:uid/results/:id', (c) =>
    showResult(c, services, `/${c.req.param('tenant')}/v2.0/interaction/${c.req.param('uid')}`),
  );
  // Per IP, in the store (http/rate-limit.ts): identifiers typed (an enumeration budget) and passwords tried (a
  // spraying budget, shared with the redemption's home sign-in). Per account: signins/lockout.ts.
  const identifiersPerIp = createRateLimiter(services.store, services.clock, {
    name: 'signin-id-ip',
    limit: 50,
    windowMs: 15 * 60_000,
  });

  /** Loads tenant, provider and interaction; renders the "expired" page when the interaction is gone. */
  async function load(c: Context<Env>) {
    const lang = pickLang(c.req.header('accept-language'));
    const tenant = await resolveTenantCached(services.store.db, c.req.param('tenant')!);
    const entry = tenant && (await pool.get(tenant.id));
    if (!tenant || !entry)
      return {
        lang,
        response: errorResponse(c, lang, undefined, t(lang, 'error.notFound'), 404),
      };
    let details: Details;
    try {
      details = await entry.provider.interactionDetails(c.env.incoming, c.env.outgoing);
    } catch {
      return {
        lang,
        response: errorResponse(c, lang, tenant, t(lang, 'error.expired'), 400),
      };
    }
    if (details.uid !== c.req.param('uid')) {
      return {
        lang,
        response: errorResponse(c, lang, tenant, t(lang, 'error.expired'), 400),
      };
    }
    const client = await entry.provider.Client.find(String(details.params.client_id));
    const base = `/${tenant.id}/v2.0`;
    return {
      lang,
      tenant,
      provider: entry.provider,
      details,
      base,
      clientName: client?.clientName ?? tenant.displayName,
    };
  }

  type Loaded = Exclude<Awaited<ReturnType<typeof load>>, { response: unknown }>;

  /** What every page of the interaction shows and posts to. */
  const pageOf = (s: Loaded) => ({ lang: s.lang, tenant: s.tenant, uid: s.details.uid, base: s.base });

  const consentAsked = (s: Loaded) =>
    s.details.prompt.name === 'consent' ||
    String(s.details.params.prompt ?? '')
      .split(' ')
      .includes('consent');

  /**
   * The consent result of an interaction: a grant for what the app asked (oidc/provider.ts loadExistingGrant adds the
   * scopes the consent rules let through); the consent step (oidc/app-consent.tsx) has asked the user by then.
   */
  async function consentResult(s: Loaded, accountId: string) {
    const grant = new s.provider.Grant({ clientId: String(s.details.params.client_id), accountId });
    grant.addOIDCScope(String(s.details.params.scope ?? 'openid'));
    return { grantId: await grant.save() };
  }

  async function finish(c: Context<Env>, provider: Provider, result: Parameters<Provider['interactionResult']>[2]) {
    // Whoever signs in was chosen here: a prompt=select_account is answered with them (oidc/prompts.ts).
    if (result.login) result = { ...result, [SELECT_ACCOUNT]: {} };
    const redirectTo = await provider.interactionResult(c.env.incoming, c.env.outgoing, result, {
      mergeWithLastSubmission: false,
    });
    return c.redirect(redirectTo, 303);
  }

  app.get('/:tenant/v2.0/interaction/:uid', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    if (s.details.prompt.name === 'consent') {
      // prompt=consent, or the grant was missing: the sign-in's steps run for who is signed in (the consent page,
      // oidc/app-consent.tsx, shows what the app asks), then proceed answers the consent too.
      const live = s.details.session!;
      const amr = firstFactors(live.amr);
      if (amr.length) return signedIn(c, s, live.accountId, amr, true, undefined, oidcSessionMfa(live.amr));
      return finish(c, s.provider, { consent: await consentResult(s, live.accountId) });
    }
    // prompt=select_account: the people signed in here pick one, or use another account (oidc/prompts.ts).
    if (s.details.prompt.name === SELECT_ACCOUNT) return pickerPage(c, s);
    // prompt=login (or a max_age passed): credentials again, whoever is signed in.
    if (s.details.prompt.reasons.includes('login_prompt') || s.details.prompt.reasons.includes('max_age'))
      return identifierPage(c, s);
    // A Portico session at this tenant (a guest who just redeemed) signs in without asking again, and keeps the
    // method it was started with. One from before methods were recorded (no amr) is not used: sign in again.
    const session = await browserSession(c, services, s.tenant.id);
    if (session?.amr.length)
      return signedIn(c, s, session.userId, session.amr, true, loginTs(session.signedInAt), session.mfa);
    // The tenant's own session is live but the app refused it, or terms wait (app-gate.ts, gatedPolicy's checks):
    // say why, or show the terms, at once.
    const live = s.details.session;
    const amr = firstFactors(live?.amr);
    const reasons = s.details.prompt.reasons;
    if (
      live?.accountId &&
      amr.length &&
      ['app_gate', 'app_consent', 'terms_pending', 'conditional_access_block', 'mfa_pending'].some((r) =>
        reasons.includes(r),
      )
    )
      return signedIn(c, s, live.accountId, amr, true, undefined, oidcSessionMfa(live.amr));
    // Signed in elsewhere as someone who is a user here too (sessions/switch.ts): continue as them, or another account.
    const offer = await signInOffer(services, s.tenant, await browserSignIns(c, services, s.tenant.id));
    if (offer) return switchPage(c, s, offer);
    // domain_hint: straight to the identity provider the tenant registered for that domain; any other domain (the
    // tenant's own) gets the tenant's own sign-in page.
    const domainHint = s.details.params.domain_hint;
    const federated =
      typeof domainHint === 'string' && domainHint
        ? await providerForDomain(services.store.db, s.tenant.id, domainHint)
        : undefined;
    if (federated) return c.redirect(`${s.base}/interaction/${s.details.uid}/idp/${federated.id}`, 303);
    return identifierPage(c, s);
  });

  /** The identifier page, with `hint` (the account picked) or the app's login_hint in the field. */
  /** The identifier page: prefilled with `value` (else the request's login_hint); with `error`, a 400 without IdPs. */
  async function identifierPage(c: Context<Env>, s: Loaded, value?: string, error?: string) {
    const hint = value ?? (typeof s.details.params.login_hint === 'string' ? s.details.params.login_hint : undefined);
    const providers = error === undefined ? await listProviders(services.store.db, s.tenant.id) : undefined;
    return c.html(
      <IdentifierPage {...pageOf(s)} clientName={s.clientName} value={hint} providers={providers} error={error} />,
      error === undefined ? 200 : 400,
    );
  }

  /**
   * Whether the app asked for credentials now whoever is signed in: prompt=login, or max_age older than the sign-in
   * of the session that would be reused (`signedInAt`). A picked or reused session never answers those.
   */
  function credentialsWanted(s: Loaded, signedInAt: string): boolean {
    const prompts = String(s.details.params.prompt ?? '').split(' ');
    if (prompts.includes('login')) return true;
    const maxAge = Number(s.details.params.max_age);
    if (s.details.params.max_age === undefined || !Number.isFinite(maxAge)) return false;
    return services.clock.now().getTime() - Date.parse(signedInAt) > maxAge * 1000;
  }

  /** A session's sign-in time as a login result's `ts` (epoch seconds), so auth_time says when credentials were given. */
  const loginTs = (signedInAt: string) => Math.floor(Date.parse(signedInAt) / 1000);

  /**
   * Who may be picked at prompt=select_account: the browser's session at this tenant, and members signed in at
   * their own tenant who are accepted guests here (as the switch page offers them, sessions/switch.ts), one entry
   * per user here.
   */
  async function pickable(c: Context<Env>, s: Loaded) {
    const accounts: { key: string; signedIn: SignedIn; userId: string; amr: Amr[]; here: boolean }[] = [];
    for (const signedIn of await browserSignIns(c, services, s.tenant.id)) {
      const offer =
        signedIn.tenant.id === s.tenant.id
          ? { userId: signedIn.user.id, amr: signedIn.amr }
          : await signInOffer(services, s.tenant, [signedIn]);
      if (!offer || !offer.amr.length || accounts.some((a) => a.userId === offer.userId)) continue;
      const here = signedIn.tenant.id === s.tenant.id;
      accounts.push({ key: `${signedIn.tenant.id}:${signedIn.user.id}`, signedIn, here, ...offer });
    }
    return accounts;
  }

  async function pickerPage(c: Context<Env>, s: Loaded) {
    const accounts = await pickable(c, s);
    if (!accounts.length) return identifierPage(c, s);
    const flowKey = `select:${s.details.uid}`;
    return c.html(
      <AccountPickerPage
        lang={s.lang}
        tenant={s.tenant}
        action={`${s.base}/interaction/${s.details.uid}/select`}
        clientName={s.clientName}
        anotherCsrf={await formToken(services.store.db, PICKER_KEY, s.details.uid)}
        accounts={await Promise.all(
          accounts.map(async (a) => ({
            key: a.key,
            csrf: await switchToken(services, flowKey, a.signedIn),
            ...whoIsSignedIn(a.signedIn),
          })),
        )}
      />,
    );
  }

  /** A picker's or switch page's form that no longer matches (another page, or sessions changed): nothing done. */
  const stalePage = (c: Context<Env>, s: Loaded) => errorResponse(c, s.lang, s.tenant, t(s.lang, 'switch.stale'), 403);

  // The picker's choice: one of the people signed in (its form token binds this interaction and that person), or
  // another account (the identifier page; nobody is signed out).
  app.post('/:tenant/v2.0/interaction/:uid/select', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const form = await c.req.parseBody();
    if (form.account === 'another')
      return (await formTokenMatches(services.store.db, PICKER_KEY, form.csrf, s.details.uid))
        ? identifierPage(c, s)
        : stalePage(c, s);
    const picked = (await pickable(c, s)).find((a) => a.key === form.account);
    if (!picked || !(await switchTokenMatches(services, `select:${s.details.uid}`, picked.signedIn, form.csrf)))
      return stalePage(c, s);
    // prompt=login or a max_age passed: picking names the account, credentials sign it in.
    if (credentialsWanted(s, picked.signedIn.signedInAt))
      return identifierPage(c, s, picked.signedIn.user.mail ?? picked.signedIn.user.userPrincipalName);
    if (!picked.here)
      setSessionCookie(
        c,
        services,
        s.tenant.id,
        await services.store.transaction((tx) =>
          startSession(tx, services.clock, s.tenant.id, picked.userId, picked.amr),
        ),
      );
    return signedIn(c, s, picked.userId, picked.amr, true, loginTs(picked.signedIn.signedInAt));
  });

  // Picking one of the tenant's identity providers instead of typing an address (the common endpoint's "sign in
  // with ..."): the identity that comes back, never its email, names the user.
  app.get('/:tenant/v2.0/interaction/:uid/idp/:provider', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const provider = await getProvider(services.store.db, s.tenant.id, c.req.param('provider'));
    const page = (title: string, text: string, status: 403 | 404 | 502) =>
      c.html(<ErrorPage lang={s.lang} tenant={s.tenant} title={title} message={text} />, status);
    if (!provider) return page(t(s.lang, 'error.title'), t(s.lang, 'error.notFound'), 404);
    return handOff(
      c,
      services,
      s,
      provider,
      { purpose: 'signin', binding: s.details.uid, returnTo: `${s.base}/interaction/${s.details.uid}/federation` },
      page,
    );
  });

  app.get('/:tenant/v2.0/interaction/:uid/federation', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const picked = await pickUp(services, s.tenant.id, c.req.query('state'), s.details.uid);
    const fail = (text: string) => errorResponse(c, s.lang, s.tenant, text, 400);
    if (!picked) return fail(t(s.lang, 'federation.expired'));
    const { identity, owner } = picked;
    const user = owner && (await getUser(services.store.db, s.tenant.id, owner));
    const provider = await getProvider(services.store.db, s.tenant.id, identity.providerId);
    const how = { identityProvider: identity.issuer, method: 'federated' as const };
    if (!user) {
      await logFailure(c, s, undefined, identity.email, 'userNotFound', how);
      return fail(
        t(s.lang, 'federation.noAccount', {
          idp: provider?.displayName ?? identity.issuer,
          email: identity.email,
          tenant: s.tenant.displayName,
        }),
      );
    }
    if (!user.accountEnabled) {
      await logFailure(c, s, user, identity.email, 'userDisabled', how);
      return fail(t(s.lang, 'federation.disabled', { tenant: s.tenant.displayName }));
    }
    // The provider said the person did MFA, and the tenant trusts it for MFA: that is this sign-in's MFA (amr fed).
    const trusted = identity.mfa && (await mfaTrustedProvider(services, s.tenant.id, user))?.id === identity.providerId;
    const mfa: SessionMfa | undefined = trusted ? { at: services.clock.now().toISOString(), amr: ['fed'] } : undefined;
    // A Portico session too, as a password sign-in starts: My Apps and the tenant's other apps need no second sign-in.
    setSessionCookie(
      c,
      services,
      s.tenant.id,
      await services.store.transaction((tx) => startSession(tx, services.clock, s.tenant.id, user.id, ['fed'], mfa)),
    );
    return signedIn(c, s, user.id, ['fed'], false, undefined, mfa, 'claim');
  });

  app.post('/:tenant/v2.0/interaction/:uid/identifier', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const form = await c.req.parseBody();
    const login = String(form.login ?? '').trim();
    const page = (error: string) => identifierPage(c, s, login, error);
    const wrong = addressError(s.lang, login);
    if (wrong) return page(wrong);
    if (!(await identifiersPerIp.hit(clientIp(c)))) return page(t(s.lang, 'signin.throttled'));
    const member = await findMemberBySignInName(services.store.db, s.tenant.id, login);
    if (!member) {
      // A guest signs in (or, still pending, redeems) the way discovery finds for their address: their home tenant,
      // identity provider, personal account or a passcode; the flow comes back here with a Portico session.
      const guest = await findInvitee(services.store.db, s.tenant, login);
      if (!guest || guest.userType !== 'Guest') {
        // A name nobody here has ends the attempt here: its one entry, as the password step logs one it is posted.
        await logFailure(c, s, undefined, login, 'userNotFound');
        return page(t(s.lang, 'signin.unknown', { tenant: s.tenant.displayName }));
      }
      // Disabled: said now, not after a passcode or a trip to their identity provider that could not sign them in.
      if (!guest.accountEnabled) {
        await logFailure(c, s, guest, login, 'userDisabled');
        return page(t(s.lang, 'signin.disabled'));
      }
      const started = await openDirectFlow(services, seams, s.tenant, guest, {
        lang: s.lang,
        returnTo: `${s.base}/interaction/${s.details.uid}`,
        ip: clientIp(c),
        clientId: String(s.details.params.client_id),
      });
      if ('refused' in started) return page(t(s.lang, 'direct.contactConflict', { tenant: s.tenant.displayName }));
      setCookie(c, FLOW_COOKIE, started.cookie, {
        ...flowCookieOptions(services.config.baseUrl.startsWith('https:')),
        maxAge: FLOW_MINUTES * 60,
      });
      return c.redirect('/redeem/go', 303);
    }
    return c.html(<PasswordPage {...pageOf(s)} login={member.userPrincipalName} />);
  });

  app.post('/:tenant/v2.0/interaction/:uid/password', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const form = await c.req.parseBody();
    const login = String(form.login ?? '').trim();
    const password = String(form.password ?? '');
    const page = (error: string, status: 400 | 429 = 400) =>
      c.html(<PasswordPage {...pageOf(s)} login={login} error={error} />, status);
    const found = await findMemberBySignInName(services.store.db, s.tenant.id, login);
    const checked = await checkSignInPassword(services, {
      ip: clientIp(c),
      account: found
        ? { kind: 'member', tenantId: s.tenant.id, userId: found.id }
        : { kind: 'unknown', realm: s.tenant.id, name: login },
      verify: async () =>
        (await verifyPasswordOrDummy(password, found?.passwordHash, services.config.passwordCost)) ? found : undefined,
      log: (error) => logFailure(c, s, found, login, error),
      unknownNameError: 'userNotFound',
      lockedMessage: 'signin.locked',
      disabled: { is: (m) => !m.accountEnabled, message: 'signin.disabled' },
    });
    if (!checked.ok) return page(t(s.lang, checked.message), checked.status);
    const member = checked.account;
    // A Portico session at the tenant too: My Apps and the tenant's other apps then need no second sign-in.
    const session = await services.store.transaction((tx) =>
      startSession(tx, services.clock, s.tenant.id, member.id, ['pwd']),
    );
    setSessionCookie(c, services, s.tenant.id, session);
    return signedIn(c, s, member.id, ['pwd']);
  });

  const switchPage = async (c: Context<Env>, s: Loaded, offer: SignInOffer, status: 200 | 403 = 200) =>
    c.html(
      <SignInSwitchPage
        lang={s.lang}
        tenant={s.tenant}
        app={s.clientName}
        offer={offer}
        action={`${s.base}/interaction/${s.details.uid}/switch`}
        csrf={await switchToken(services, `interaction:${s.details.uid}`, offer.signedIn)}
      />,
      status,
    );

  // The switch page's choice: continue as X (a Portico session here for X's account, then the sign-in goes on)
  // or use another account (X signed out, back to this sign-in's first page). A session here meanwhile wins.
  app.post('/:tenant/v2.0/interaction/:uid/switch', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const here = await browserSession(c, services, s.tenant.id);
    const offer = here?.amr.length
      ? undefined
      : await signInOffer(services, s.tenant, await browserSignIns(c, services, s.tenant.id));
    const answer = await answerSwitch(c, services, pool, `interaction:${s.details.uid}`, offer);
    if (answer.kind === 'restart') return c.redirect(`${s.base}/interaction/${s.details.uid}`, 303);
    if (answer.kind === 'forbidden') return stalePage(c, s);
    if (answer.kind === 'refused') return switchPage(c, s, answer.offer, 403);
    const { userId, amr, signedIn: from } = answer.offer;
    setSessionCookie(
      c,
      services,
      s.tenant.id,
      await services.store.transaction((tx) => startSession(tx, services.clock, s.tenant.id, userId, amr)),
    );
    return signedIn(c, s, userId, amr, true, loginTs(from.signedInAt));
  });

  /**
   * The sign-in log entry of this interaction (signins/attempt.ts). A guest back from the redemption pages this
   * interaction sent them to already has the entry of that sign-in (its method, passcode or other): it is completed
   * with the app rather than written twice, and is not a session reuse.
   */
  async function logSignIn(
    c: Context<Env>,
    s: Loaded,
    user: User,
    app: { clientId: string; displayName: string },
    amr: Amr[],
    viaSession: boolean,
    error?: SignInErrorName,
    mfa?: SignInMfa,
  ) {
    if (await completeWithApp(services, s.tenant.id, s.details.uid, user.id, app, error, mfa)) return;
    const identityProvider =
      user.userType === 'Guest'
        ? (user.identities[0]?.issuer ?? 'unknown')
        : issuerFor(services.config.baseUrl, s.tenant.id);
    await recordSignInAttempt(services, {
      tenantId: s.tenant.id,
      who: { user },
      app,
      identityProvider,
      method: viaSession ? 'session' : logMethod(amr),
      error,
      ipAddress: clientIp(c),
      correlationId: s.details.uid,
      ...(mfa && { mfa }),
    });
  }

  /** A refusal before anyone signed in (a password, an identity provider's answer nobody here owns, a disabled user). */
  async function logFailure(
    c: Context<Env>,
    s: Loaded,
    user: User | undefined,
    typed: string,
    error: SignInErrorName,
    how: { identityProvider: string; method: 'password' | 'federated' } = {
      identityProvider: issuerFor(services.config.baseUrl, s.tenant.id),
      method: 'password',
    },
  ) {
    const app = await appOf(services.store.db, s.tenant.id, String(s.details.params.client_id));
    await recordSignInAttempt(services, {
      tenantId: s.tenant.id,
      who: user ? { user } : { userPrincipalName: typed },
      app,
      ...how,
      error,
      ipAddress: clientIp(c),
      correlationId: s.details.uid,
    });
  }

  /** A sign-in at these pages as the steps see it: the account, how it signed in, and what the app requires of it. */
  interface AppSignIn extends SignIn {
    s: Loaded;
    user: User;
    amr: Amr[];
    /** this sign-in reused a session rather than asking (for the sign-in log) */
    viaSession: boolean;
    /** when a reused session's credentials were given (epoch seconds): the login's `ts`, hence auth_time */
    ts?: number;
    gate: Awaited<ReturnType<typeof appGate>>;
  }

  /** What the app requires (oidc/app-gate.ts): a refusal is a step that stays pending and says why, once logged. */
  const appRequirements: Step<AppSignIn> = {
    name: 'app',
    pending: async (signIn) => signIn.gate.refusal !== undefined,
    async show(c, { s, user, gate, amr, viaSession }) {
      const refusal = gate.refusal!;
      await logSignIn(c, s, user, gate.app, amr, viaSession, refusal);
      const p = {
        app: gate.app.displayName,
        tenant: s.tenant.displayName,
        tenantId: s.tenant.id,
        user: user.mail ?? user.userPrincipalName,
        clientId: gate.app.clientId,
        permissions: (gate.app.adminConsentRequired ?? []).join(', '),
        methods: methodNames(s.lang, gate.app.requiredSignInMethods ?? []),
        used: methodNames(s.lang, amr),
      };
      return c.html(
        <ErrorPage
          lang={s.lang}
          tenant={s.tenant}
          title={t(s.lang, `app.${refusal}.title`, p)}
          message={t(s.lang, `app.${refusal}`, p)}
        />,
        403,
      );
    },
    posts: {},
  };

  // This entry point's table: the app's requirements first (and consent to another tenant's app), then the steps of
  // every sign-in.
  const appSteps: Step<AppSignIn>[] = [
    appRequirements,
    appConsentStep(services),
    ...signInSteps(services, signInSeams),
    deviceConfirmationStep<AppSignIn>(),
  ];

  /**
   * The sign-in of `accountId` (signed in by `amr`) in this interaction, or the "expired" page when the account is
   * gone. `memo` is what the steps remembered so far (carried in the form token, interactions/token.ts).
   */
  async function signInOf(
    c: Context<Env>,
    s: Loaded,
    accountId: string,
    amr: Amr[],
    viaSession: boolean,
    memo: Record<string, unknown> = {},
    ts?: number,
  ): Promise<AppSignIn | Response> {
    const user = await getUser(services.store.db, s.tenant.id, accountId);
    if (!user) return errorResponse(c, s.lang, s.tenant, t(s.lang, 'error.expired'), 400);
    const gate = await appGate(
      services.store.db,
      services.config.baseUrl,
      s.tenant.id,
      String(s.details.params.client_id),
      user,
      amr,
    );
    const signIn: AppSignIn = {
      s,
      user,
      amr,
      viaSession,
      ...(ts !== undefined ? { ts } : {}),
      gate,
      tenant: s.tenant,
      lang: s.lang,
      userId: user.id,
      clientId: gate.app.clientId,
      homeMfa: () => homeMfa(c, user),
      formToken: () =>
        carryToken(services, s.details.uid, { accountId, amr, memo, ...(ts !== undefined ? { ts } : {}) }),
      action: (path) => `${s.base}/interaction/${s.details.uid}/${path}`,
      memo: (step) => memo[step],
      remember: async (step, value) => {
        memo[step] = value;
      },
      // Declining ends the sign-in: the app gets access_denied, as a refused consent would give.
      decline: async (c2, said) => {
        await logSignIn(c2, s, user, gate.app, amr, viaSession, said.logged);
        return finish(c2, s.provider, { error: 'access_denied', error_description: said.description });
      },
      refused: (c2, logged) => logSignIn(c2, s, user, gate.app, amr, viaSession, logged),
      render: (c2, shown) => proceed(c2, signIn, shown),
    };
    return signIn;
  }

  /** The MFA an oidc-provider session's amr carries (its login result's: sessions/amr.ts withMfa). */
  const oidcSessionMfa = (values: readonly unknown[] | undefined): SessionMfa | undefined => {
    const amr = secondFactors(values);
    return amr && { at: services.clock.now().toISOString(), amr };
  };

  /** Records MFA on this browser's Portico session at the tenant, when it is the user's. */
  async function rememberMfa(c: Context<Env>, tenantId: string, userId: string, mfa: SessionMfa) {
    const secret = getCookie(c, sessionCookieName(tenantId));
    if (secret) await services.store.write((db) => recordSessionMfa(db, tenantId, secret, userId, mfa));
  }

  /** The MFA of this browser's session at a guest's home tenant on this deployment, when it is the guest's. */
  const homeMfa = (c: Context<Env>, user: User): Promise<SessionMfa | undefined> => homeSessionMfa(c, services, user);

  /** The current step's page, or, when none is pending, the sign-in completes: logged, and back to the app. */
  async function proceed(c: Context<Env>, signIn: AppSignIn, shown?: Shown): Promise<Response> {
    const step = await currentStep(appSteps, signIn);
    if (step) return step.show(c, signIn, shown);
    const { s, user, gate, amr, viaSession, ts } = signIn;
    // MFA done at this sign-in (mfa/step.tsx), or at the guest's home when the tenant trusts it, is in the sign-in
    // log, kept by the browser's Portico session too, and goes into the token.
    const mfa = await mfaDone(services, signIn);
    await logSignIn(c, s, user, gate.app, amr, viaSession, undefined, mfa);
    if (mfa) await rememberMfa(c, s.tenant.id, user.id, mfa);
    // Consent was asked (prompt=consent, or a missing grant) and the consent step is done: answered with the login.
    const consent = consentAsked(s) ? { consent: await consentResult(s, user.id) } : {};
    return finish(c, s.provider, {
      login: { accountId: user.id, amr: withMfa(amr, mfa?.amr), ...(ts !== undefined ? { ts } : {}) },
      ...consent,
    });
  }

  /**
   * Once the person is known (a password, an identity provider, a session reused): the steps run, at every sign-in,
   * not only at redemption (a new terms version, or the re-accept period passing, shows them again).
   */
  async function signedIn(
    c: Context<Env>,
    s: Loaded,
    accountId: string,
    amr: Amr[],
    viaSession = false,
    ts?: number,
    mfa?: SessionMfa,
    mfaFrom?: 'session' | 'claim',
  ): Promise<Response> {
    const signIn = await signInOf(c, s, accountId, amr, viaSession, seededMemo(mfa, mfaFrom), ts);
    return signIn instanceof Response ? signIn : proceed(c, signIn);
  }

  // Each step's form posts to <interaction>/<path> with the form token; a POST runs once every step before its own is done.
  for (const [step, path, handle] of postsOf(appSteps)) {
    app.post(`/:tenant/v2.0/interaction/:uid/${path}`, async (c) => {
      const s = await load(c);
      if ('response' in s) return s.response;
      const form = await c.req.parseBody();
      const carried = await readCarried(services, s.details.uid, String(form.csrf ?? ''));
      if (!carried) return errorResponse(c, s.lang, s.tenant, t(s.lang, 'error.expired'), 400);
      const signIn = await signInOf(c, s, carried.accountId, carried.amr, false, carried.memo, carried.ts);
      if (signIn instanceof Response) return signIn;
      if (!(await reached(appSteps, step, signIn))) return proceed(c, signIn);
      const posted = await handle(c, signIn, form);
      return posted === DONE ? proceed(c, signIn) : posted;
    });
  }

  return app;
}
