// The invitation link flow: landing (GET changes nothing), start (POST), discovery, sign-in at the home, proof of
// the invited address when needed, consent, completion (once). Each POST moves the flow on and redirects to
// GET /redeem/flow, which shows whatever comes next.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Services } from '../services.ts';
import { getTenant } from '../directory/tenants.ts';
import { findMemberBySignInName, getUser } from '../directory/users.ts';
import { clientIp } from '../http/client-ip.ts';
import { checkPassword, passwordAttemptsPerIp, SIGNIN_ERROR_OF, type PasswordAccount } from '../signins/lockout.ts';
import { recordSignIn, type SignInErrorName } from '../signins/signins.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { homeTenantOfIssuer, issuerFor, myAppsUrl } from '../oidc/urls.ts';
import { verifyCode, type CodeCheck } from '../passcodes/codes.ts';
import { mailFlowCode, passcodePolicy, type FlowCodePurpose } from './codes.ts';
import { TooManyRequests } from '../errors.ts';
import { sameSecret, verifyPasswordOrDummy } from '../secrets.ts';
import type { Tx } from '../store/index.ts';
import { completeRedemption } from './complete.ts';
import { startSession } from '../sessions/sessions.ts';
import { amrOfSource } from '../sessions/amr.ts';
import { setSessionCookie } from '../sessions/cookie.ts';
import { discoveryContext, landingCsrf, type Seams } from './context.ts';
import { discover, personalAccountsEnabled } from './discovery.ts';
import { createFlow, FLOW_COOKIE, flowCookie, flowCookieOptions, FLOW_MINUTES, loadFlow, memberIdentity, saveState, type BoundIdentity, type Flow } from './flow.ts';
import { ErrorPage, MessagePage } from '../pages/layout.tsx';
import { AccountPickerPage, ConsentPage, ContinuePage, FederationPage, HomeSignInPage, InvalidInvitationPage, LandingPage, PasscodePage, PersonalSignInPage, PersonalSignUpPage } from './pages.tsx';
import { checkPersonalPassword, createPersonalAccount, findPersonalAccount, markVerified, PERSONAL_REALM } from '../personal/accounts.ts';
import { passwordError } from '../personal/password-messages.ts';
import { fileFor, pendingAgreements, recordAcceptance } from '../consent/terms.ts';
import { readTermsForm, TermsPage } from '../consent/terms-page.tsx';
import { hashPassword } from '../secrets.ts';
import { safeRedirect } from './redirect.ts';
import { openInvitation } from './ticket.ts';
import { getProvider, googleProvider, type IdentityProvider } from '../federation/providers.ts';
import { FederationRefused } from '../federation/refusal.ts';
import { pickUpAnswer, type FederatedIdentity } from '../federation/requests.ts';
import { startFederatedSignIn } from '../federation/start.ts';
import { isEmbeddedWebView } from '../federation/webview.ts';
import { userOfIdentity } from '../federation/identities.ts';
import type { Discovery } from './discovery.ts';
import { collaborationVerdict } from '../crosstenant/b2b.ts';
import type { ProviderPool } from '../oidc/pool.ts';
import { answerSwitch, browserSignIns, invitationOffer, switchToken, type InvitationOffer } from '../sessions/switch.ts';
import { InvitationSwitchPage } from '../sessions/switch-page.tsx';
import type { OpenInvitation } from './ticket.ts';

type Env = { Bindings: HttpBindings };
const TICKET_COOKIE = 'portico_ticket';

/**
 * The identity that signed in carries another address than the invited one (an alias, or a forwarded link): the
 * guest proves control of the invited address with a code to it before binding, unless the tenant relaxed this to
 * Entra's behaviour (requireInvitedAddressProof: false).
 */
function needsProof(flow: Flow): boolean {
  const { identity, addressProven, email } = flow.state;
  if (!identity || addressProven) return false;
  if (identity.emailVerified === false) return true;
  return flow.tenant.settings.requireInvitedAddressProof && identity.email !== email;
}


export function redemptionRoutes(services: Services, seams: Seams, pool: ProviderPool) {
  const { store, clock, config } = services;
  const app = new Hono<Env>();
  const secure = config.baseUrl.startsWith('https:');
  const cookieOptions = flowCookieOptions(secure);
  const passwordsPerIp = passwordAttemptsPerIp(services);

  /** A failed sign-in of the invited guest, in the inviting tenant's log (a pending guest is a user there). */
  async function logGuestFailure(c: Context<Env>, flow: Flow, identityProvider: string, error: SignInErrorName): Promise<void> {
    const user = await getUser(store.db, flow.tenant.id, flow.userId);
    await store.write((db) => recordSignIn(db, clock, flow.tenant.id, {
      ...(user ? { user } : { userPrincipalName: flow.state.email }), identityProvider, method: identityProvider === 'mail' ? 'passcode' : 'password', error,
      ipAddress: clientIp(c), clientAppUsed: 'Browser', correlationId: flow.invitationId,
    })).catch((err: unknown) => services.log.warn({ err }, 'could not record a sign-in'));
  }

  // Tickets and codes must not leak to other sites through the Referer header, nor stay in shared caches.
  const privatePages = async (c: Context<Env>, next: () => Promise<void>) => {
    await next();
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  };
  app.use('/redeem', privatePages);
  app.use('/redeem/*', privatePages);

  const langOf = (c: Context<Env>, fallback?: string): Lang => pickLang(c.req.header('accept-language'), fallback);
  const invalid = (c: Context<Env>, lang: Lang, tenant?: Parameters<typeof InvalidInvitationPage>[0]['tenant']) =>
    c.html(<InvalidInvitationPage lang={lang} tenant={tenant} />, 400);

  // GET /redeem?ticket=… moves the ticket into a short-lived cookie and drops it from the address bar; GET /redeem
  // shows the invitation. Neither changes anything, so a mail scanner that follows the link consumes nothing.
  app.get('/redeem', async (c) => {
    const fromUrl = c.req.query('ticket');
    if (fromUrl !== undefined) {
      setCookie(c, TICKET_COOKIE, fromUrl, { ...cookieOptions, maxAge: FLOW_MINUTES * 60 });
      return c.redirect('/redeem', 303);
    }
    const ticket = getCookie(c, TICKET_COOKIE);
    const invitation = await openInvitation(store.db, clock, ticket);
    const lang = langOf(c, invitation?.messageLanguage);
    if (!invitation) return invalid(c, lang);
    // Signed in as someone else (sessions/switch.ts): who, and continue as them or use another account.
    const offer = invitationOffer(config.baseUrl, invitation, await browserSignIns(c, services, invitation.tenant.id));
    if (offer) return switchPage(c, lang, invitation, offer, ticket!);
    const inviter = invitation.invitedBy.kind === 'user'
      ? (await getUser(store.db, invitation.tenant.id, invitation.invitedBy.id))?.displayName ?? invitation.tenant.displayName
      : invitation.tenant.displayName;
    return c.html(<LandingPage lang={lang} tenant={invitation.tenant} inviter={inviter} email={invitation.email} csrf={await landingCsrf(store.db, ticket!)} />);
  });

  app.post('/redeem/start', async (c) => {
    const ticket = getCookie(c, TICKET_COOKIE);
    const form = await c.req.parseBody();
    const invitation = await openInvitation(store.db, clock, ticket);
    const lang = langOf(c, invitation?.messageLanguage);
    if (!invitation) return invalid(c, lang);
    if (!sameSecret(String(form.csrf ?? ''), await landingCsrf(store.db, ticket!))) return forbidden(c, lang, invitation.tenant);
    return begin(c, invitation, lang);
  });

  /**
   * Opens this browser's flow for the invitation and goes where discovery says; with `identity` (continuing as the
   * account already signed in), binds it at once instead, under the same rules as any sign-in.
   */
  async function begin(c: Context<Env>, invitation: OpenInvitation, lang: Lang, identity?: BoundIdentity): Promise<Response> {
    const { tenant } = invitation;
    const discovery = await discover(discoveryContext(store.db, tenant, invitation.email, seams));
    const ip = clientIp(c);
    try {
      const cookie = await store.transaction(async (tx) => {
        const created = await createFlow(tx, clock, { tenantId: tenant.id, invitationId: invitation.id, userId: invitation.userId, email: invitation.email, lang, discovery });
        if (discovery.kind === 'passcode' && !identity) await sendCode(tx, tenant, created.id, 'redeem-passcode', invitation.email, lang, ip);
        return flowCookie(tenant.id, created.secret);
      });
      setCookie(c, FLOW_COOKIE, cookie, { ...cookieOptions, maxAge: FLOW_MINUTES * 60 });
      const flow = identity || discovery.kind === 'federation' || discovery.kind === 'google' ? await loadFlow(store.db, clock, cookie) : undefined;
      if (flow && identity) return bindIdentity(c, flow, identity);
      if (flow) return goUpstream(c, flow);
    } catch (error) {
      if (error instanceof TooManyRequests) return c.html(<MessagePage lang={lang} tenant={tenant} title={t(lang, 'error.title')} message={error.message} status="error" />, 429);
      throw error;
    }
    return c.redirect('/redeem/flow', 303);
  }

  const switchPage = async (c: Context<Env>, lang: Lang, invitation: OpenInvitation, offer: InvitationOffer, ticket: string, status: 200 | 403 = 200) =>
    c.html(<InvitationSwitchPage lang={lang} invitation={invitation} offer={offer} csrf={await switchToken(services, `ticket:${ticket}`, offer.signedIn)} />, status);

  // The switch page's choice: use another account (X signed out, back to the landing) or continue as X (the flow
  // starts with X's identity). The ticket stays in its cookie throughout.
  app.post('/redeem/switch', async (c) => {
    const ticket = getCookie(c, TICKET_COOKIE);
    const invitation = await openInvitation(store.db, clock, ticket);
    const lang = langOf(c, invitation?.messageLanguage);
    if (!invitation) return invalid(c, lang);
    const offer = invitationOffer(config.baseUrl, invitation, await browserSignIns(c, services, invitation.tenant.id));
    const answer = await answerSwitch(c, services, pool, `ticket:${ticket}`, offer);
    if (answer.kind === 'restart') return c.redirect('/redeem', 303);
    if (answer.kind === 'forbidden') return c.html(<MessagePage lang={lang} tenant={invitation.tenant} title={t(lang, 'error.title')} message={t(lang, 'switch.stale')} status="error" />, 403);
    if (answer.kind === 'refused') return switchPage(c, lang, invitation, answer.offer, ticket!, 403);
    return begin(c, invitation, lang, answer.offer.identity);
  });

  /** The identity provider discovery chose for this flow (steps 2 and 3). */
  async function upstreamOf(flow: Flow, d: Discovery | undefined): Promise<IdentityProvider | undefined> {
    if (d?.kind === 'federation') return getProvider(store.db, flow.tenant.id, d.providerId);
    if (d?.kind === 'google') return googleProvider(store.db, flow.tenant.id);
    return undefined;
  }

  /** Sends the guest to their identity provider; Google is refused in embedded web views, with how to get out. */
  async function goUpstream(c: Context<Env>, flow: Flow): Promise<Response> {
    const lang = flow.state.lang;
    const provider = await upstreamOf(flow, flow.state.discovery);
    if (!provider) return render(c, flow);
    if (provider.kind === 'google' && isEmbeddedWebView(c.req.header('user-agent'))) {
      return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'federation.webview.title')} message={t(lang, 'federation.webview')} status="error" />, 403);
    }
    try {
      return c.redirect(await startFederatedSignIn(services, provider, { purpose: 'redeem', binding: flow.id, returnTo: '/redeem/federation/return', email: flow.state.email }), 303);
    } catch (error) {
      if (!(error instanceof FederationRefused)) throw error;
      return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'federation.refused.title')} message={t(lang, 'federation.refused', { idp: provider.displayName, reason: error.reason, tenant: flow.tenant.displayName })} status="error" />, 502);
    }
  }

  // The provider's answer was verified and recorded by federation/routes.tsx; this browser must be the flow's own.
  app.get('/redeem/federation/return', async (c) => {
    const flow = await flowOf(c);
    if (flow instanceof Response) return flow;
    const lang = flow.state.lang;
    const identity = await pickUpAnswer(store.db, clock, flow.tenant.id, c.req.query('state'), flow.id);
    if (!identity) return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'error.title')} message={t(lang, 'federation.expired')} status="error" />, 400);
    const owner = await userOfIdentity(store.db, flow.tenant.id, identity.issuer, identity.subject);
    if (owner && owner !== flow.userId) {
      return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'federation.refused.title')} message={t(lang, 'federation.taken', { tenant: flow.tenant.displayName })} status="error" />, 409);
    }
    return bindIdentity(c, flow, federatedIdentity(identity));
  });

  const SOURCES = { saml: 'SAML/WS-Fed', wsfed: 'SAML/WS-Fed', google: 'Google', oidc: 'OIDC' } as const;
  const federatedIdentity = (i: FederatedIdentity): NonNullable<Flow['state']['identity']> =>
    ({ signInType: 'federated', issuer: i.issuer, issuerAssignedId: i.subject, source: SOURCES[i.kind], email: i.email, emailVerified: true });

  const sendCode = (tx: Tx, tenant: Flow['tenant'], flowId: string, purpose: FlowCodePurpose, email: string, lang: Lang, ip: string) =>
    mailFlowCode(tx, clock, tenant, flowId, purpose, email, lang, ip);

  /** The flow of this browser, or a response saying it has expired. */
  async function flowOf(c: Context<Env>): Promise<Flow | Response> {
    const flow = await loadFlow(store.db, clock, getCookie(c, FLOW_COOKIE));
    if (!flow) {
      const lang = langOf(c);
      return c.html(<ErrorPage lang={lang} title={t(lang, 'error.title')} message={t(lang, 'redeem.expired')} />, 400);
    }
    return flow;
  }

  const forbidden = (c: Context<Env>, lang: Lang, tenant: Flow['tenant']) =>
    c.html(<MessagePage lang={lang} tenant={tenant} title={t(lang, 'error.title')} message={t(lang, 'redeem.forbidden')} status="error" />, 403);

  /** Loads the flow for a POST and checks its CSRF value. */
  async function postedFlow(c: Context<Env>): Promise<{ flow: Flow; form: Record<string, string | File> } | Response> {
    const flow = await flowOf(c);
    if (flow instanceof Response) return flow;
    const form = await c.req.parseBody();
    if (!sameSecret(String(form.csrf ?? ''), flow.state.csrf)) return forbidden(c, flow.state.lang, flow.tenant);
    return { flow, form };
  }

  /** A POST that moves a flow on: the flow is loaded and its CSRF value checked before `handle` runs. */
  const onFlowPost = (path: string, handle: (c: Context<Env>, flow: Flow, form: Record<string, string | File>) => Promise<Response>) =>
    app.post(path, async (c) => {
      const posted = await postedFlow(c);
      return posted instanceof Response ? posted : handle(c, posted.flow, posted.form);
    });

  app.get('/redeem/flow', async (c) => {
    const flow = await flowOf(c);
    if (flow instanceof Response) return flow;
    return render(c, flow);
  });

  /** What the guest sees next, from the flow's state. */
  async function render(c: Context<Env>, flow: Flow, error?: string, status: 200 | 400 | 429 = 200): Promise<Response> {
    const { state, tenant } = flow;
    const lang = state.lang;
    if (flow.completedAt) return c.html(<MessagePage lang={lang} tenant={tenant} title={t(lang, 'redeem.done.title')} message={t(lang, 'redeem.alreadyDone')} />);
    if (!state.identity) {
      const d = state.discovery;
      if (d?.kind === 'passcode') return c.html(<PasscodePage lang={lang} tenant={tenant} email={state.email} minutes={passcodePolicy(tenant).validityMinutes} csrf={state.csrf} error={error} />, status);
      if (d?.kind === 'home-tenant' || d?.kind === 'account-picker') {
        const home = await getTenant(store.db, d.homeTenantId);
        if (home && d.kind === 'account-picker') return c.html(<AccountPickerPage lang={lang} tenant={tenant} home={home} email={state.email} csrf={state.csrf} />, status);
        if (home) return c.html(<HomeSignInPage lang={lang} home={home} tenant={tenant} email={state.email} csrf={state.csrf} error={error} />, status);
      }
      // Also a flow started before the tenant turned personal accounts off: no personal account is used from then on.
      if (d?.kind === 'no-identity' || ((d?.kind === 'personal-signin' || d?.kind === 'personal-signup') && !personalAccountsEnabled(tenant))) {
        return c.html(<MessagePage lang={lang} tenant={tenant} title={t(lang, 'redeem.noIdentity.title')} message={t(lang, 'redeem.noIdentity', { tenant: tenant.displayName, email: state.email })} status="error" />, 403);
      }
      if (d?.kind === 'personal-signin') return c.html(<PersonalSignInPage lang={lang} tenant={tenant} email={state.email} csrf={state.csrf} error={error} />, status);
      if (d?.kind === 'personal-signup') return c.html(<PersonalSignUpPage lang={lang} tenant={tenant} email={state.email} csrf={state.csrf} error={error} />, status);
      const upstream = await upstreamOf(flow, d);
      if (upstream) return c.html(<FederationPage lang={lang} tenant={tenant} email={state.email} idp={upstream.displayName} csrf={state.csrf} />, status);
      return c.html(<MessagePage lang={lang} tenant={tenant} title={t(lang, 'redeem.title')} message={t(lang, 'redeem.notAvailable', { tenant: tenant.displayName })} status="error" />, 501);
    }
    if (needsProof(flow)) return c.html(<PasscodePage lang={lang} tenant={tenant} email={state.email} minutes={passcodePolicy(tenant).validityMinutes} csrf={state.csrf} error={error} action="/redeem/proof" />, status);
    if (state.signInOnly) return c.html(<ContinuePage lang={lang} tenant={tenant} csrf={state.csrf} />);
    if (!state.consented) return c.html(<ConsentPage lang={lang} tenant={tenant} csrf={state.csrf} />);
    const terms = await nextTerms(flow);
    if (terms) return c.html(<TermsPage lang={lang} tenant={tenant} agreement={terms.agreement} file={terms.file} action="/redeem/terms" csrf={state.csrf} mustExpand={terms.agreement.isViewingBeforeAcceptanceRequired} error={error} />, status);
    // Everything is done but completion (a reload after a lost response): completing is a POST, never a GET.
    return c.html(<ContinuePage lang={lang} tenant={tenant} csrf={state.csrf} />);
  }

  /** The first terms of use the guest must still accept, with its file in the guest's language. */
  async function nextTerms(flow: Flow) {
    const [agreement] = await pendingAgreements(store.db, flow.tenant.id, flow.userId, clock.now());
    if (!agreement) return undefined;
    const file = await fileFor(store.db, flow.tenant.id, agreement.id, agreement.version, flow.state.lang);
    return file && { agreement, file };
  }

  /** After a step's POST: complete when nothing is left, else show what is next. */
  async function advance(c: Context<Env>, flow: Flow): Promise<Response> {
    if (flow.state.identity && !needsProof(flow) && flow.state.signInOnly) return finishSignIn(c, flow);
    if (flow.state.identity && !needsProof(flow) && flow.state.consented && !(await nextTerms(flow))) return finish(c, flow);
    return c.redirect('/redeem/flow', 303);
  }

  /** A guest who already accepted signed in by a direct link: only with the identity they redeemed with. */
  async function finishSignIn(c: Context<Env>, flow: Flow): Promise<Response> {
    const { identity, lang } = flow.state;
    const owner = await userOfIdentity(store.db, flow.tenant.id, identity!.issuer, identity!.issuerAssignedId);
    if (owner !== flow.userId) {
      return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'error.title')} message={t(lang, 'direct.otherIdentity', { tenant: flow.tenant.displayName })} status="error" />, 403);
    }
    const session = await store.transaction(async (tx) => {
      await tx.updateTable('redemption_flows').set({ completed_at: clock.now().toISOString() }).where('tenant_id', '=', flow.tenant.id).where('id', '=', flow.id).execute();
      return startSession(tx, clock, flow.tenant.id, flow.userId, [amrOfSource(identity!.source)]);
    });
    return leave(c, flow, session, flow.state.returnTo!);
  }

  /** Ends the flow in this browser: a fresh Portico session at the tenant, then on to `to`. */
  function leave(c: Context<Env>, flow: Flow, session: string, to: string): Response {
    deleteCookie(c, FLOW_COOKIE, cookieOptions);
    deleteCookie(c, TICKET_COOKIE, cookieOptions);
    setSessionCookie(c, services, flow.tenant.id, session);
    return c.redirect(to, 303);
  }

  async function finish(c: Context<Env>, flow: Flow): Promise<Response> {
    const lang = flow.state.lang;
    const completion = await completeRedemption(store, clock, flow);
    if (!completion.won) return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'redeem.done.title')} message={t(lang, 'redeem.alreadyDone')} />, 409);
    if (flow.state.mode === 'direct') return leave(c, flow, completion.session, flow.state.returnTo!);
    const invitation = await store.db.selectFrom('invitations').select('redirect_url').where('tenant_id', '=', flow.tenant.id).where('id', '=', flow.invitationId).executeTakeFirstOrThrow();
    return leave(c, flow, completion.session, await safeRedirect(store.db, flow.tenant, invitation.redirect_url, myAppsUrl(config.baseUrl, flow.tenant.id)));
  }

  onFlowPost('/redeem/passcode', async (c, flow, form) => {
    const check = await verifyCode(store.db, clock, { realm: flow.tenant.id, purpose: 'redeem-passcode', subject: flow.id }, String(form.code ?? ''), passcodePolicy(flow.tenant));
    if (check.result !== 'ok') return codeRefused(c, flow, check.result);
    return bindIdentity(c, flow, { signInType: 'emailAddress', issuer: 'mail', issuerAssignedId: flow.state.email, source: 'Email OTP', email: flow.state.email });
  });

  /** A code that did not pass: the page says why; guesses (wrong, or refused for too many) go to the tenant's sign-in log. */
  async function codeRefused(c: Context<Env>, flow: Flow, result: Exclude<CodeCheck, 'ok'>): Promise<Response> {
    if (result === 'wrong') await logGuestFailure(c, flow, 'mail', 'invalidCredentials');
    if (result === 'locked' || result === 'throttled') await logGuestFailure(c, flow, 'mail', 'tooManyAttempts');
    return render(c, flow, t(flow.state.lang, `redeem.passcode.${result}`), result === 'throttled' ? 429 : 400);
  }

  onFlowPost('/redeem/passcode/resend', async (c, flow) => {
    return withCodeLimits(c, flow, (tx) => sendCode(tx, flow.tenant, flow.id, 'redeem-passcode', flow.state.email, flow.state.lang, clientIp(c)));
  });

  // The guest's home sign-in: the same account lockout as the home tenant's own page (signins/lockout.ts), and every
  // attempt in the home tenant's sign-in log, where its administrators look for attacks on their members.
  onFlowPost('/redeem/home', async (c, flow, form) => {
    const d = flow.state.discovery;
    if (d?.kind !== 'home-tenant') return render(c, flow);
    const lang = flow.state.lang;
    const home = d.homeTenantId;
    const member = await findMemberBySignInName(store.db, home, flow.state.email);
    const log = (error?: SignInErrorName) => store.write((db) => recordSignIn(db, clock, home, {
      ...(member ? { user: member } : { userPrincipalName: flow.state.email }), identityProvider: issuerFor(config.baseUrl, home), method: 'password', error,
      ipAddress: clientIp(c), clientAppUsed: 'Browser', correlationId: flow.invitationId,
    })).catch((err: unknown) => services.log.warn({ err }, 'could not record a sign-in'));
    if (!(await passwordsPerIp.hit(clientIp(c)))) {
      await log('tooManyAttempts');
      return render(c, flow, t(lang, 'signin.throttled'), 429);
    }
    const account: PasswordAccount = member ? { kind: 'member', tenantId: home, userId: member.id } : { kind: 'unknown', realm: home, name: flow.state.email };
    const outcome = await checkPassword(store, clock, account, () => verifyPasswordOrDummy(String(form.password ?? ''), member?.passwordHash, config.passwordCost));
    if (outcome !== 'ok' || !member || !member.accountEnabled) {
      const failure = outcome === 'ok' ? 'wrong' : outcome;
      await log(outcome === 'ok' ? 'userDisabled' : failure === 'wrong' && !member ? 'userNotFound' : SIGNIN_ERROR_OF[failure]);
      // A disabled account is told what a wrong password is told, as before: this page is not the home tenant's.
      return failure === 'wrong' ? render(c, flow, t(lang, 'signin.badPassword'), 400) : render(c, flow, t(lang, failure === 'locked' ? 'signin.locked' : 'signin.throttled'), 429);
    }
    await log();
    return bindIdentity(c, flow, memberIdentity(issuerFor(config.baseUrl, home), member));
  });

  /** Runs a change that may mail a code; over the code limits, the page says so (429) and nothing changed. */
  async function withCodeLimits(c: Context<Env>, flow: Flow, change: (tx: Tx) => Promise<unknown>): Promise<Response> {
    try {
      await store.transaction(change);
    } catch (error) {
      if (error instanceof TooManyRequests) return render(c, flow, error.message, 429);
      throw error;
    }
    return c.redirect('/redeem/flow', 303);
  }

  /** Records who signed in; when that identity carries another address, mails the proof code to the invited one. */
  async function bindIdentity(c: Context<Env>, flow: Flow, identity: NonNullable<Flow['state']['identity']>): Promise<Response> {
    // Cross-tenant access settings are checked again now: they may have changed since the invitation.
    const home = identity.source === 'External tenant' ? homeTenantOfIssuer(config.baseUrl, identity.issuer) : undefined;
    const verdict = home ? await collaborationVerdict(store.db, flow.tenant.id, home, identity.issuerAssignedId) : { allowed: true as const };
    if (!verdict.allowed) {
      const lang = flow.state.lang;
      return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'error.title')} message={t(lang, verdict.side === 'outbound' ? 'xtap.blockedOutbound' : 'xtap.blockedInbound', { tenant: flow.tenant.displayName })} status="error" />, 403);
    }
    if (flow.state.mode === 'direct' && identity.email !== flow.state.email) {
      // The seed's rule: an alias of the invited address cannot use a direct link, only the invitation email.
      const lang = flow.state.lang;
      return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'error.title')} message={t(lang, 'direct.alias', { tenant: flow.tenant.displayName, email: flow.state.email, other: identity.email })} status="error" />, 403);
    }
    try {
      await store.transaction(async (tx) => {
        await saveState(tx, flow, { identity, addressProven: identity.email === flow.state.email && identity.emailVerified !== false });
        if (needsProof(flow)) await sendCode(tx, flow.tenant, flow.id, 'address-proof', flow.state.email, flow.state.lang, clientIp(c));
      });
    } catch (error) {
      if (error instanceof TooManyRequests) return render(c, flow, error.message, 429);
      throw error;
    }
    return advance(c, flow);
  }

  onFlowPost('/redeem/proof', async (c, flow, form) => {
    if (!needsProof(flow)) return render(c, flow);
    const check = await verifyCode(store.db, clock, { realm: flow.tenant.id, purpose: 'address-proof', subject: flow.id }, String(form.code ?? ''), passcodePolicy(flow.tenant));
    if (check.result !== 'ok') return codeRefused(c, flow, check.result);
    await store.transaction(async (tx) => {
      await saveState(tx, flow, { addressProven: true });
      // A personal account created (or never confirmed) for the invited address is confirmed by this code.
      const identity = flow.state.identity!;
      if (identity.source === 'Personal account' && identity.emailVerified === false && identity.email === flow.state.email) {
        await markVerified(tx, clock, identity.issuerAssignedId);
        await saveState(tx, flow, { identity: { ...identity, emailVerified: true } });
      }
    });
    return advance(c, flow);
  });

  onFlowPost('/redeem/proof/resend', async (c, flow) => {
    if (!needsProof(flow)) return render(c, flow);
    return withCodeLimits(c, flow, (tx) => sendCode(tx, flow.tenant, flow.id, 'address-proof', flow.state.email, flow.state.lang, clientIp(c)));
  });

  onFlowPost('/redeem/pick', async (c, flow, form) => {
    const d = flow.state.discovery;
    if (d?.kind !== 'account-picker') return render(c, flow);
    await saveState(store.db, flow, { discovery: form.choice === 'personal' ? { kind: 'personal-signin' } : { kind: 'home-tenant', homeTenantId: d.homeTenantId } });
    return c.redirect('/redeem/flow', 303);
  });

  const personalIdentity = (account: { id: string; email: string; emailVerified: boolean }) =>
    ({ signInType: 'federated', issuer: 'personal', issuerAssignedId: account.id, source: 'Personal account' as const, email: account.email.toLowerCase(), emailVerified: account.emailVerified });

  onFlowPost('/redeem/personal', async (c, flow, form) => {
    if (flow.state.discovery?.kind !== 'personal-signin' || !personalAccountsEnabled(flow.tenant)) return render(c, flow);
    const lang = flow.state.lang;
    // A personal account belongs to no tenant: its attempts go to the sign-in log of the tenant being signed in to.
    const log = (error: SignInErrorName) => logGuestFailure(c, flow, 'personal', error);
    if (!(await passwordsPerIp.hit(clientIp(c)))) {
      await log('tooManyAttempts');
      return render(c, flow, t(lang, 'signin.throttled'), 429);
    }
    const found = await findPersonalAccount(store.db, flow.state.email);
    let account: Awaited<ReturnType<typeof checkPersonalPassword>>;
    const outcome = await checkPassword(store, clock, found ? { kind: 'personal', accountId: found.id } : { kind: 'unknown', realm: PERSONAL_REALM, name: flow.state.email },
      async () => (account = await checkPersonalPassword(store.db, flow.state.email, String(form.password ?? ''), config.passwordCost)) !== undefined);
    if (outcome !== 'ok' || !account) {
      const failure = outcome === 'ok' ? 'wrong' : outcome;
      await log(SIGNIN_ERROR_OF[failure]);
      return failure === 'wrong' ? render(c, flow, t(lang, 'signin.badPassword'), 400) : render(c, flow, t(lang, failure === 'locked' ? 'signin.lockedPersonal' : 'signin.throttled'), 429);
    }
    return bindIdentity(c, flow, personalIdentity(account));
  });

  onFlowPost('/redeem/signup', async (c, flow, form) => {
    if (flow.state.discovery?.kind !== 'personal-signup' || !personalAccountsEnabled(flow.tenant)) return render(c, flow);
    const password = String(form.password ?? '');
    const displayName = String(form.displayName ?? '').trim();
    const problem = passwordError(flow.state.lang, password, flow.state.email);
    if (problem) return render(c, flow, problem, 400);
    if (await findPersonalAccount(store.db, flow.state.email)) {
      // Someone created it meanwhile: sign in with it instead.
      await saveState(store.db, flow, { discovery: { kind: 'personal-signin' } });
      return c.redirect('/redeem/flow', 303);
    }
    const account = await store.transaction(async (tx) => createPersonalAccount(tx, clock, { email: flow.state.email, displayName: displayName || flow.state.email.split('@')[0]!, passwordHash: await hashPassword(password, config.passwordCost), verified: false }));
    // The address is confirmed by the proof code bindIdentity sends (an unverified identity always needs it).
    return bindIdentity(c, flow, personalIdentity(account));
  });

  onFlowPost('/redeem/consent', async (c, flow, form) => {
    const lang = flow.state.lang;
    if (!flow.state.identity) return render(c, flow);
    if (form.decision !== 'accept') {
      return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'redeem.cancelled.title')} message={t(lang, 'redeem.cancelled', { tenant: flow.tenant.displayName })} />);
    }
    await saveState(store.db, flow, { consented: true });
    return advance(c, flow);
  });

  onFlowPost('/redeem/terms', async (c, flow, form) => {
    const terms = flow.state.consented ? await nextTerms(flow) : undefined;
    if (!terms) return render(c, flow);
    const lang = flow.state.lang;
    const answer = readTermsForm(form, terms.agreement.isViewingBeforeAcceptanceRequired);
    if ('error' in answer) return render(c, flow, t(lang, answer.error), 400);
    if (answer.version !== undefined && answer.version !== terms.agreement.version) return render(c, flow);
    await store.transaction((tx) => recordAcceptance(tx, clock, flow.tenant.id, flow.userId, terms.agreement.id, terms.agreement.version, answer.decision === 'accept' ? 'accepted' : 'declined'));
    if (answer.decision === 'decline') {
      return c.html(<MessagePage lang={lang} tenant={flow.tenant} title={t(lang, 'redeem.cancelled.title')} message={t(lang, 'redeem.declined', { tenant: flow.tenant.displayName, terms: terms.agreement.displayName })} />);
    }
    return advance(c, flow);
  });

  // Where a direct sign-in lands (oidc/interactions.tsx opened the flow): straight to the identity provider when
  // discovery found one, else to the flow's page. Only a request to the provider is created here.
  app.get('/redeem/go', async (c) => {
    const flow = await flowOf(c);
    if (flow instanceof Response) return flow;
    const d = flow.state.discovery;
    if (!flow.state.identity && (d?.kind === 'federation' || d?.kind === 'google')) return goUpstream(c, flow);
    return c.redirect('/redeem/flow', 303);
  });

  onFlowPost('/redeem/federation', async (c, flow) => (flow.state.identity ? render(c, flow) : goUpstream(c, flow)));

  onFlowPost('/redeem/complete', advance);

  return app;
}
