// The tenant's sign-in pages that oidc-provider sends users to: identifier first (email), then password.
// The interaction cookie the provider sets (signed, HttpOnly, SameSite) binds each POST to the browser that
// started the flow, and the uid in the path must match it.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type Provider from 'oidc-provider';
import type { Services } from '../services.ts';
import { resolveTenant, type Tenant } from '../directory/tenants.ts';
import { addressError } from '../directory/address.ts';
import { findMemberBySignInName } from '../directory/users.ts';
import { verifyPasswordOrDummy } from '../secrets.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import { createRateLimiter } from '../http/rate-limit.ts';
import { checkPassword, passwordAttemptsPerIp, SIGNIN_ERROR_OF, type PasswordAccount } from '../signins/lockout.ts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deploymentSecret } from '../store/deployment.ts';
import { setCookie } from 'hono/cookie';
import { startSession } from '../sessions/sessions.ts';
import { browserSession, setSessionCookie } from '../sessions/cookie.ts';
import { isAmr, logMethod, methodNames, type Amr } from '../sessions/amr.ts';
import { fileFor, pendingAgreements, recordAcceptance } from '../consent/terms.ts';
import { readTermsForm, TermsPage } from '../consent/terms-page.tsx';
import { clientIp } from '../http/client-ip.ts';
import type { ProviderPool } from '../oidc/pool.ts';
import { findInvitee } from '../invitations/guests.ts';
import { getUser, type User } from '../directory/users.ts';
import { recordSignIn, type SignInErrorName } from '../signins/signins.ts';
import { issuerFor } from '../oidc/urls.ts';
import { appGate, appOf } from '../oidc/app-gate.ts';
import { getProvider, listProviders } from '../federation/providers.ts';
import { FederationRefused } from '../federation/refusal.ts';
import { pickUpAnswer } from '../federation/requests.ts';
import { startFederatedSignIn } from '../federation/start.ts';
import { isEmbeddedWebView } from '../federation/webview.ts';
import { userOfIdentity } from '../federation/identities.ts';
import { openDirectFlow } from '../redemption/direct.ts';
import { DEFAULT_SEAMS } from '../redemption/context.ts';
import { FLOW_COOKIE, flowCookieOptions, FLOW_MINUTES } from '../redemption/flow.ts';
import { answerSwitch, browserSignIns, signInOffer, switchToken, type SignInOffer } from '../sessions/switch.ts';
import { SignInSwitchPage } from '../sessions/switch-page.tsx';

type Env = { Bindings: HttpBindings };
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

function IdentifierPage({ lang, tenant, uid, base, clientName, value, error, providers = [] }: { lang: Lang; tenant: Tenant; uid: string; base: string; clientName: string; value?: string; error?: string; providers?: { id: string; displayName: string }[] }) {
  return (
    <Layout lang={lang} title={t(lang, 'signin.title')} tenant={tenant}>
      <h1>{t(lang, 'signin.title')}</h1>
      <p class="muted">{t(lang, 'signin.to', { app: clientName })}</p>
      <form method="post" action={`${base}/interaction/${uid}/identifier`} novalidate>
        <label for="login">{t(lang, 'signin.email')}</label>
        <input id="login" name="login" type="email" autocomplete="username" required autofocus value={value ?? ''}
          aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'login-error' : undefined} />
        {error && <p id="login-error" class="error" role="alert">{error}</p>}
        <div class="actions"><span /><button type="submit">{t(lang, 'signin.next')}</button></div>
      </form>
      {providers.length > 0 && (
        <nav aria-label={t(lang, 'signin.providers')}>
          <p class="muted">{t(lang, 'signin.providers')}</p>
          <ul>{providers.map((p) => <li><a href={`${base}/interaction/${uid}/idp/${p.id}`}>{t(lang, 'federation.continue.title', { idp: p.displayName })}</a></li>)}</ul>
        </nav>
      )}
    </Layout>
  );
}

function PasswordPage({ lang, tenant, uid, base, login, error }: { lang: Lang; tenant: Tenant; uid: string; base: string; login: string; error?: string }) {
  return (
    <Layout lang={lang} title={t(lang, 'signin.title')} tenant={tenant}>
      <h1>{t(lang, 'signin.password')}</h1>
      <p class="identity">{login}</p>
      <form method="post" action={`${base}/interaction/${uid}/password`}>
        <input type="hidden" name="login" value={login} />
        <label for="password">{t(lang, 'signin.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required autofocus
          aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'password-error' : undefined} />
        {error && <p id="password-error" class="error" role="alert">{error}</p>}
        <div class="actions">
          <a href={`${base}/interaction/${uid}`}>{t(lang, 'signin.back')}</a>
          <button type="submit">{t(lang, 'signin.submit')}</button>
        </div>
      </form>
    </Layout>
  );
}

export function interactionRoutes(services: Services, pool: ProviderPool) {
  const app = new Hono<Env>();
  // Per IP, in the store (http/rate-limit.ts): identifiers typed (an enumeration budget) and passwords tried (a
  // spraying budget, shared with the redemption's home sign-in). Per account: signins/lockout.ts.
  const identifiersPerIp = createRateLimiter(services.store, services.clock, { name: 'signin-id-ip', limit: 50, windowMs: 15 * 60_000 });
  const passwordsPerIp = passwordAttemptsPerIp(services);

  /** Loads tenant, provider and interaction; renders the "expired" page when the interaction is gone. */
  async function load(c: Context<Env>) {
    const lang = pickLang(c.req.header('accept-language'));
    const tenant = await resolveTenant(services.store.db, c.req.param('tenant')!);
    const entry = tenant && (await pool.get(tenant.id));
    if (!tenant || !entry) return { lang, response: c.html(<ErrorPage lang={lang} title={t(lang, 'error.title')} message={t(lang, 'error.notFound')} />, 404) };
    let details: Details;
    try {
      details = await entry.provider.interactionDetails(c.env.incoming, c.env.outgoing);
    } catch {
      return { lang, response: c.html(<ErrorPage lang={lang} tenant={tenant} title={t(lang, 'error.title')} message={t(lang, 'error.expired')} />, 400) };
    }
    if (details.uid !== c.req.param('uid')) {
      return { lang, response: c.html(<ErrorPage lang={lang} tenant={tenant} title={t(lang, 'error.title')} message={t(lang, 'error.expired')} />, 400) };
    }
    const client = await entry.provider.Client.find(String(details.params.client_id));
    const base = `/${tenant.id}/v2.0`;
    return { lang, tenant, provider: entry.provider, details, base, clientName: client?.clientName ?? tenant.displayName };
  }

  type Loaded = Exclude<Awaited<ReturnType<typeof load>>, { response: unknown }>;

  async function finish(c: Context<Env>, provider: Provider, result: Parameters<Provider['interactionResult']>[2]) {
    const redirectTo = await provider.interactionResult(c.env.incoming, c.env.outgoing, result, { mergeWithLastSubmission: false });
    return c.redirect(redirectTo, 303);
  }

  app.get('/:tenant/v2.0/interaction/:uid', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    if (s.details.prompt.name === 'consent') {
      // Apps of the tenant are granted on sign-in (oidc/provider.ts loadExistingGrant); reaching here means the
      // grant was missing, so create it for what the app asked.
      const grant = new s.provider.Grant({ clientId: String(s.details.params.client_id), accountId: s.details.session!.accountId });
      grant.addOIDCScope(String(s.details.params.scope ?? 'openid'));
      return finish(c, s.provider, { consent: { grantId: await grant.save() } });
    }
    // A Portico session at this tenant (a guest who just redeemed) signs in without asking again, and keeps the
    // method it was started with. One from before methods were recorded (no amr) is not used: sign in again.
    const session = await browserSession(c, services, s.tenant.id);
    if (session?.amr.length) return termsOrFinish(c, s, session.userId, undefined, session.amr, true);
    // The tenant's own session is live but the app refused it, or terms wait (app-gate.ts, gatedPolicy's checks):
    // say why, or show the terms, at once.
    const signedIn = s.details.session;
    const amr = (signedIn?.amr ?? []).filter(isAmr);
    const reasons = s.details.prompt.reasons;
    if (signedIn?.accountId && amr.length && (reasons.includes('app_gate') || reasons.includes('terms_pending'))) return termsOrFinish(c, s, signedIn.accountId, undefined, amr, true);
    // Signed in elsewhere as someone who is a user here too (sessions/switch.ts): continue as them, or another account.
    const offer = await signInOffer(services, s.tenant, await browserSignIns(c, services, s.tenant.id));
    if (offer) return switchPage(c, s, offer);
    const hint = typeof s.details.params.login_hint === 'string' ? s.details.params.login_hint : undefined;
    const providers = await listProviders(services.store.db, s.tenant.id);
    return c.html(<IdentifierPage lang={s.lang} tenant={s.tenant} uid={s.details.uid} base={s.base} clientName={s.clientName} value={hint} providers={providers} />);
  });

  // Picking one of the tenant's identity providers instead of typing an address (the common endpoint's "sign in
  // with ..."): the identity that comes back, never its email, names the user.
  app.get('/:tenant/v2.0/interaction/:uid/idp/:provider', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const provider = await getProvider(services.store.db, s.tenant.id, c.req.param('provider'));
    const page = (title: string, text: string, status: 403 | 404 | 502) => c.html(<ErrorPage lang={s.lang} tenant={s.tenant} title={title} message={text} />, status);
    if (!provider) return page(t(s.lang, 'error.title'), t(s.lang, 'error.notFound'), 404);
    if (provider.kind === 'google' && isEmbeddedWebView(c.req.header('user-agent'))) return page(t(s.lang, 'federation.webview.title'), t(s.lang, 'federation.webview'), 403);
    try {
      const returnTo = `${s.base}/interaction/${s.details.uid}/federation`;
      return c.redirect(await startFederatedSignIn(services, provider, { purpose: 'signin', binding: s.details.uid, returnTo }), 303);
    } catch (error) {
      if (!(error instanceof FederationRefused)) throw error;
      return page(t(s.lang, 'federation.refused.title'), t(s.lang, 'federation.refused', { idp: provider.displayName, reason: error.reason, tenant: s.tenant.displayName }), 502);
    }
  });

  app.get('/:tenant/v2.0/interaction/:uid/federation', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const identity = await pickUpAnswer(services.store.db, services.clock, s.tenant.id, c.req.query('state'), s.details.uid);
    const fail = (text: string) => c.html(<ErrorPage lang={s.lang} tenant={s.tenant} title={t(s.lang, 'error.title')} message={text} />, 400);
    if (!identity) return fail(t(s.lang, 'federation.expired'));
    const userId = await userOfIdentity(services.store.db, s.tenant.id, identity.issuer, identity.subject);
    const user = userId && (await getUser(services.store.db, s.tenant.id, userId));
    const provider = await getProvider(services.store.db, s.tenant.id, identity.providerId);
    if (!user) return fail(t(s.lang, 'federation.noAccount', { idp: provider?.displayName ?? identity.issuer, email: identity.email, tenant: s.tenant.displayName }));
    if (!user.accountEnabled) return fail(t(s.lang, 'federation.disabled', { tenant: s.tenant.displayName }));
    // A Portico session too, as a password sign-in starts: My Apps and the tenant's other apps need no second sign-in.
    setSessionCookie(c, services, s.tenant.id, await services.store.transaction((tx) => startSession(tx, services.clock, s.tenant.id, user.id, ['fed'])));
    return termsOrFinish(c, s, user.id, undefined, ['fed']);
  });

  app.post('/:tenant/v2.0/interaction/:uid/identifier', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const form = await c.req.parseBody();
    const login = String(form.login ?? '').trim();
    const page = (error: string) => c.html(<IdentifierPage lang={s.lang} tenant={s.tenant} uid={s.details.uid} base={s.base} clientName={s.clientName} value={login} error={error} />, 400);
    const wrong = addressError(s.lang, login);
    if (wrong) return page(wrong);
    if (!(await identifiersPerIp.hit(clientIp(c)))) return page(t(s.lang, 'signin.throttled'));
    const member = await findMemberBySignInName(services.store.db, s.tenant.id, login);
    if (!member) {
      // A guest signs in (or, still pending, redeems) the way discovery finds for their address: their home tenant,
      // identity provider, personal account or a passcode; the flow comes back here with a Portico session.
      const guest = await findInvitee(services.store.db, s.tenant, login);
      if (!guest || guest.userType !== 'Guest') return page(t(s.lang, 'signin.unknown', { tenant: s.tenant.displayName }));
      // Disabled: said now, not after a passcode or a trip to their identity provider that could not sign them in.
      if (!guest.accountEnabled) {
        await logFailure(c, s, guest, login, 'userDisabled');
        return page(t(s.lang, 'signin.disabled'));
      }
      const started = await openDirectFlow(services, DEFAULT_SEAMS, s.tenant, guest, { lang: s.lang, returnTo: `${s.base}/interaction/${s.details.uid}`, ip: clientIp(c) });
      if ('refused' in started) return page(t(s.lang, 'direct.contactConflict', { tenant: s.tenant.displayName }));
      setCookie(c, FLOW_COOKIE, started.cookie, { ...flowCookieOptions(services.config.baseUrl.startsWith('https:')), maxAge: FLOW_MINUTES * 60 });
      return c.redirect('/redeem/go', 303);
    }
    return c.html(<PasswordPage lang={s.lang} tenant={s.tenant} uid={s.details.uid} base={s.base} login={member.userPrincipalName} />);
  });

  app.post('/:tenant/v2.0/interaction/:uid/password', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const form = await c.req.parseBody();
    const login = String(form.login ?? '').trim();
    const password = String(form.password ?? '');
    const page = (error: string, status: 400 | 429 = 400) => c.html(<PasswordPage lang={s.lang} tenant={s.tenant} uid={s.details.uid} base={s.base} login={login} error={error} />, status);
    const member = await findMemberBySignInName(services.store.db, s.tenant.id, login);
    if (!(await passwordsPerIp.hit(clientIp(c)))) {
      await logFailure(c, s, member, login, 'tooManyAttempts');
      return page(t(s.lang, 'signin.throttled'), 429);
    }
    const account: PasswordAccount = member ? { kind: 'member', tenantId: s.tenant.id, userId: member.id } : { kind: 'unknown', realm: s.tenant.id, name: login };
    const outcome = await checkPassword(services.store, services.clock, account, () => verifyPasswordOrDummy(password, member?.passwordHash, services.config.passwordCost));
    if (outcome !== 'ok' || !member) {
      const failure = outcome === 'ok' ? 'wrong' : outcome;
      await logFailure(c, s, member, login, failure === 'wrong' && !member ? 'userNotFound' : SIGNIN_ERROR_OF[failure]);
      return failure === 'wrong' ? page(t(s.lang, 'signin.badPassword')) : page(t(s.lang, failure === 'locked' ? 'signin.locked' : 'signin.throttled'), 429);
    }
    if (!member.accountEnabled) {
      await logFailure(c, s, member, login, 'userDisabled');
      return page(t(s.lang, 'signin.disabled'));
    }
    // A Portico session at the tenant too: My Apps and the tenant's other apps then need no second sign-in.
    const session = await services.store.transaction((tx) => startSession(tx, services.clock, s.tenant.id, member.id, ['pwd']));
    setSessionCookie(c, services, s.tenant.id, session);
    return termsOrFinish(c, s, member.id, undefined, ['pwd']);
  });

  const switchPage = async (c: Context<Env>, s: Loaded, offer: SignInOffer, status: 200 | 403 = 200) =>
    c.html(<SignInSwitchPage lang={s.lang} tenant={s.tenant} app={s.clientName} offer={offer} action={`${s.base}/interaction/${s.details.uid}/switch`}
      csrf={await switchToken(services, `interaction:${s.details.uid}`, offer.signedIn)} />, status);

  // The switch page's choice: continue as X (a Portico session here for X's account, then the sign-in goes on)
  // or use another account (X signed out, back to this sign-in's first page). A session here meanwhile wins.
  app.post('/:tenant/v2.0/interaction/:uid/switch', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const here = await browserSession(c, services, s.tenant.id);
    const offer = here?.amr.length ? undefined : await signInOffer(services, s.tenant, await browserSignIns(c, services, s.tenant.id));
    const answer = await answerSwitch(c, services, pool, `interaction:${s.details.uid}`, offer);
    if (answer.kind === 'restart') return c.redirect(`${s.base}/interaction/${s.details.uid}`, 303);
    if (answer.kind === 'forbidden') return c.html(<ErrorPage lang={s.lang} tenant={s.tenant} title={t(s.lang, 'error.title')} message={t(s.lang, 'switch.stale')} />, 403);
    if (answer.kind === 'refused') return switchPage(c, s, answer.offer, 403);
    const { userId, amr } = answer.offer;
    setSessionCookie(c, services, s.tenant.id, await services.store.transaction((tx) => startSession(tx, services.clock, s.tenant.id, userId, amr)));
    return termsOrFinish(c, s, userId, undefined, amr, true);
  });

  /** The sign-in log entry of this interaction; writing it never fails the sign-in. */
  async function logSignIn(c: Context<Env>, s: Loaded, user: User, app: { clientId: string; displayName: string }, amr: Amr[], viaSession: boolean, error?: SignInErrorName) {
    const identityProvider = user.userType === 'Guest' ? (user.identities[0]?.issuer ?? 'unknown') : issuerFor(services.config.baseUrl, s.tenant.id);
    await services.store.write((db) => recordSignIn(db, services.clock, s.tenant.id, {
      user, app, identityProvider, method: viaSession ? 'session' : logMethod(amr), error, ipAddress: clientIp(c), clientAppUsed: 'Browser', correlationId: s.details.uid,
    })).catch((err: unknown) => services.log.warn({ err }, 'could not record a sign-in'));
  }

  async function logFailure(c: Context<Env>, s: Loaded, user: User | undefined, typed: string, error: SignInErrorName) {
    const app = await appOf(services.store.db, s.tenant.id, String(s.details.params.client_id));
    const who = user ? { user } : { userPrincipalName: typed };
    await services.store.write((db) => recordSignIn(db, services.clock, s.tenant.id, {
      ...who, app, identityProvider: issuerFor(services.config.baseUrl, s.tenant.id), method: 'password', error, ipAddress: clientIp(c), clientAppUsed: 'Browser', correlationId: s.details.uid,
    })).catch((err: unknown) => services.log.warn({ err }, 'could not record a sign-in'));
  }

  /**
   * Terms of use are checked at every sign-in, not only at redemption: a new version, or the re-accept period
   * passing, shows them again before the sign-in completes. The signed-in account travels to the terms POST in a
   * token bound to this interaction (see termsToken), never as a plain form value. `amr` is how the person signed
   * in (sessions/amr.ts); `viaSession` says this sign-in reused a session rather than asking (for the sign-in log).
   */
  async function termsOrFinish(c: Context<Env>, s: Loaded, accountId: string, error: string | undefined, amr: Amr[], viaSession = false) {
    const user = await getUser(services.store.db, s.tenant.id, accountId);
    if (!user) return c.html(<ErrorPage lang={s.lang} tenant={s.tenant} title={t(s.lang, 'error.title')} message={t(s.lang, 'error.expired')} />, 400);
    const gate = await appGate(services.store.db, services.config.baseUrl, s.tenant.id, String(s.details.params.client_id), user, amr);
    const log = (outcome?: SignInErrorName) => logSignIn(c, s, user, gate.app, amr, viaSession, outcome);
    if (gate.refusal) {
      await log(gate.refusal);
      const p = { app: gate.app.displayName, tenant: s.tenant.displayName, tenantId: s.tenant.id, user: user.mail ?? user.userPrincipalName, clientId: gate.app.clientId, permissions: (gate.app.adminConsentRequired ?? []).join(', '),
        methods: methodNames(s.lang, gate.app.requiredSignInMethods ?? []), used: methodNames(s.lang, amr) };
      return c.html(<ErrorPage lang={s.lang} tenant={s.tenant} title={t(s.lang, `app.${gate.refusal}.title`, p)} message={t(s.lang, `app.${gate.refusal}`, p)} />, 403);
    }
    const [agreement] = await pendingAgreements(services.store.db, s.tenant.id, accountId, services.clock.now());
    const file = agreement && (await fileFor(services.store.db, s.tenant.id, agreement.id, agreement.version, s.lang));
    if (!agreement || !file) {
      await log();
      return finish(c, s.provider, { login: { accountId, amr } });
    }
    const csrf = await termsToken(s.details.uid, accountId, amr);
    return c.html(<TermsPage lang={s.lang} tenant={s.tenant} agreement={agreement} file={file} action={`${s.base}/interaction/${s.details.uid}/terms`} csrf={csrf} mustExpand={agreement.isViewingBeforeAcceptanceRequired} error={error} />, error ? 400 : 200);
  }

  /**
   * `<account id>.<methods>.<expiry>.<mac>`: which account signed in during this interaction and how (its `amr`,
   * joined by '+'), for ten minutes.
   */
  async function termsToken(uid: string, accountId: string, amr: Amr[]): Promise<string> {
    const expiry = services.clock.now().getTime() + 10 * 60_000;
    const method = amr.join('+');
    const key = await deploymentSecret(services.store.db, 'interaction-terms-key');
    return `${accountId}.${method}.${expiry}.${createHmac('sha256', key).update(`${uid}|${accountId}|${method}|${expiry}`).digest('base64url')}`;
  }

  async function accountFromTermsToken(uid: string, token: string): Promise<{ accountId: string; amr: Amr[] } | undefined> {
    const [accountId, method, expiry, mac] = token.split('.');
    if (!accountId || !method || !expiry || !mac || Number(expiry) < services.clock.now().getTime()) return undefined;
    const key = await deploymentSecret(services.store.db, 'interaction-terms-key');
    const expected = Buffer.from(createHmac('sha256', key).update(`${uid}|${accountId}|${method}|${expiry}`).digest('base64url'));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given) ? { accountId, amr: method.split('+').filter(isAmr) } : undefined;
  }

  app.post('/:tenant/v2.0/interaction/:uid/terms', async (c) => {
    const s = await load(c);
    if ('response' in s) return s.response;
    const form = await c.req.parseBody();
    const signedIn = await accountFromTermsToken(s.details.uid, String(form.csrf ?? ''));
    if (!signedIn) return c.html(<ErrorPage lang={s.lang} tenant={s.tenant} title={t(s.lang, 'error.title')} message={t(s.lang, 'error.expired')} />, 400);
    const { accountId, amr } = signedIn;
    const [agreement] = await pendingAgreements(services.store.db, s.tenant.id, accountId, services.clock.now());
    if (!agreement) return finish(c, s.provider, { login: { accountId, amr } });
    const answer = readTermsForm(form, agreement.isViewingBeforeAcceptanceRequired);
    if ('error' in answer) return termsOrFinish(c, s, accountId, t(s.lang, answer.error), amr);
    await services.store.transaction((tx) => recordAcceptance(tx, services.clock, s.tenant.id, accountId, agreement.id, agreement.version, answer.decision === 'accept' ? 'accepted' : 'declined'));
    if (answer.decision === 'decline') {
      // Declining ends the sign-in: the app gets access_denied, as a refused consent would give.
      return finish(c, s.provider, { error: 'access_denied', error_description: 'The user declined the terms of use.' });
    }
    return termsOrFinish(c, s, accountId, undefined, amr);
  });

  return app;
}
