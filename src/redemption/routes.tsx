// The invitation link flow: landing (GET changes nothing), start (POST), discovery, then the sign-in table
// (signin/step.ts): who the guest is (redemption/identity.tsx), proof of the invited address, consent, and the steps
// every sign-in runs (signin/table.ts); then completion (once). Each POST moves the flow on and redirects to
// GET /redeem/flow, which shows the step that is current; a page a POST renders (a step's page with "That code is not
// right", a refusal) is shown once at its own GET address (pages/results.ts), which then leads to /redeem/flow: a
// reload never posts again.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

import { appAtRedirect } from '../apps/redirect-uris.ts';
import type { DecisionReads } from '../conditional-access/decision.ts';
import { getUser, type User } from '../directory/users.ts';
import { TooManyRequests } from '../errors.ts';
import { userOfIdentity } from '../federation/identities.ts';
import { clientIp } from '../http/client-ip.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { restrictionOf } from '../invitations/policy.ts';
import { mfaDone } from '../mfa/step.tsx';
import type { ProviderPool } from '../oidc/pool.ts';
import { myAppsUrl } from '../oidc/urls.ts';
import { errorResponse, MessagePage } from '../pages/layout.tsx';
import { redirectAfterPost, showResult } from '../pages/results.ts';
import { sameSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import { amrOfSource } from '../sessions/amr.ts';
import { setSessionCookie } from '../sessions/cookie.ts';
import { startSession } from '../sessions/sessions.ts';
import { InvitationSwitchPage } from '../sessions/switch-page.tsx';
import {
  answerSwitch,
  browserSignIns,
  invitationOffer,
  switchToken,
  type InvitationOffer,
} from '../sessions/switch.ts';
import { addressProofStep } from '../signin/address-proof.tsx';
import { consentStep } from '../signin/consent.tsx';
import { pickUp } from '../signin/federation.ts';
import type { Redeeming } from '../signin/redeeming.ts';
import { currentStep, DONE, postsOf, reached, type Ctx, type Posted, type Shown, type Step } from '../signin/step.ts';
import { signInSteps, type SignInSeams } from '../signin/table.ts';
import { recordSignInAttempt } from '../signins/attempt.ts';
import type { SignInErrorName, SignInMfa } from '../signins/signins.ts';
import { correlationOf, logGuestFailure, methodOfSource } from './attempts.ts';
import { mailFlowCode } from './codes.ts';
import { completeRedemption } from './complete.ts';
import { discoveryContext, landingCsrf, type Seams } from './context.ts';
import { discover } from './discovery.ts';
import {
  createFlow,
  FLOW_COOKIE,
  FLOW_MINUTES,
  flowCookie,
  flowCookieOptions,
  loadFlow,
  saveState,
  type BoundIdentity,
  type Flow,
} from './flow.ts';
import { federatedIdentity, redemptionIdentity } from './identity.tsx';
import { ContinuePage, InvalidInvitationPage, LandingPage } from './pages.tsx';
import { safeRedirect } from './redirect.ts';
import { openInvitation, type OpenInvitation } from './ticket.ts';

type Env = { Bindings: HttpBindings };
const TICKET_COOKIE = 'portico_ticket';

export function redemptionRoutes(services: Services, seams: Seams, pool: ProviderPool, signInSeams: SignInSeams = {}) {
  const { store, clock, config } = services;
  const app = new Hono<Env>();
  const secure = config.baseUrl.startsWith('https:');
  const cookieOptions = flowCookieOptions(secure);

  // The sign-in table of this entry point. A guest who already accepted and signs in by a direct link only proves
  // who they are here: the app's sign-in they came from runs the shared steps when they return to it.
  const identification = redemptionIdentity(services);
  const bindIdentity = (c: Context<Env>, flow: Flow, identity: BoundIdentity, upstreamMfa?: boolean) =>
    identification.bind(c, signInOf(flow), identity, upstreamMfa);
  const proof = addressProofStep(services);
  const redeemSteps: Step<Redeeming>[] = [
    identification.step,
    proof,
    consentStep(services),
    ...signInSteps(services, signInSeams),
  ];
  const signInOnlySteps: Step<Redeeming>[] = [identification.step, proof];
  const tableOf = (flow: Flow) => (flow.state.signInOnly ? signInOnlySteps : redeemSteps);

  // What the Conditional Access decisions of one request share: a Flow is loaded anew for each request.
  const requestReads = new WeakMap<Flow, DecisionReads>();
  const readsOf = (flow: Flow): DecisionReads => {
    let reads = requestReads.get(flow);
    if (!reads) requestReads.set(flow, (reads = {}));
    return reads;
  };

  /** A failed attempt of a flow that has bound an identity, logged as from that identity (none before it has). */
  const logBound = async (c: Ctx, flow: Flow, logged: SignInErrorName) => {
    const identity = flow.state.identity;
    if (identity)
      await logGuestFailure(
        services,
        c,
        flow,
        { identityProvider: identity.issuer, method: methodOfSource(identity.source) },
        logged,
      );
  };

  /** The flow as the steps see it. */
  const signInOf = (flow: Flow): Redeeming => ({
    flow,
    tenant: flow.tenant,
    lang: flow.state.lang,
    userId: flow.userId,
    ...(flow.state.clientId !== undefined && { clientId: flow.state.clientId }),
    // the guest's home (inbound trust) is known from the identity bound, before completion makes it the user's
    ...(flow.state.identity && {
      identity: { issuer: flow.state.identity.issuer, issuerAssignedId: flow.state.identity.issuerAssignedId },
    }),
    homeMfa: async () => flow.state.homeMfa,
    reads: readsOf(flow),
    formToken: async () => flow.state.csrf,
    action: (path) => `/redeem/${path}`,
    memo: (step) => flow.state.steps?.[step],
    remember: async (step, value) => {
      await saveState(store.db, flow, { steps: { ...flow.state.steps, [step]: value } });
    },
    decline: async (c, said) => {
      await logBound(c, flow, said.logged);
      return c.html(
        <MessagePage
          lang={flow.state.lang}
          tenant={flow.tenant}
          title={t(flow.state.lang, 'redeem.cancelled.title')}
          message={said.message}
        />,
      );
    },
    refused: (c, logged) => logBound(c, flow, logged),
    render: (c, shown) => render(c, flow, shown),
  });

  /** After binding an identity (a step's POST, or an answer that came back): go on, or the refusal. */
  const then = async (c: Context<Env>, flow: Flow, posted: Posted): Promise<Response> =>
    posted === DONE ? advance(c, flow) : posted;

  // Tickets and codes must not leak to other sites through the Referer header, nor stay in shared caches.
  const privatePages = async (c: Context<Env>, next: () => Promise<void>) => {
    await next();
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  };
  app.use('/redeem', privatePages);
  app.use('/redeem/*', privatePages);
  // Post/redirect/get: every page a POST here renders, refusals too, is shown at a GET address once; then the
  // landing (before a flow exists) or the flow's current step.
  const beforeFlow = new Set(['/redeem/start', '/redeem/switch']);
  app.use(
    '/redeem/*',
    redirectAfterPost(services, (c) => ({
      base: '/redeem',
      back: beforeFlow.has(c.req.path) ? '/redeem' : '/redeem/flow',
      everyPage: true,
    })),
  );
  app.get('/redeem/results/:id', (c) => showResult(c, services, '/redeem/flow'));

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
    const restricted = domainRestricted(c, lang, invitation.tenant, invitation.email);
    if (restricted) return restricted;
    // Signed in as someone else (sessions/switch.ts): who, and continue as them or use another account.
    const offer = invitationOffer(config.baseUrl, invitation, await browserSignIns(c, services, invitation.tenant.id));
    if (offer) return switchPage(c, lang, invitation, offer, ticket!);
    const inviter =
      invitation.invitedBy.kind === 'user'
        ? ((await getUser(store.db, invitation.tenant.id, invitation.invitedBy.id))?.displayName ??
          invitation.tenant.displayName)
        : invitation.tenant.displayName;
    return c.html(
      <LandingPage
        lang={lang}
        tenant={invitation.tenant}
        inviter={inviter}
        email={invitation.email}
        csrf={await landingCsrf(store.db, ticket!)}
      />,
    );
  });

  app.post('/redeem/start', async (c) => {
    const ticket = getCookie(c, TICKET_COOKIE);
    const form = await c.req.parseBody();
    const invitation = await openInvitation(store.db, clock, ticket);
    const lang = langOf(c, invitation?.messageLanguage);
    if (!invitation) return invalid(c, lang);
    if (!sameSecret(String(form.csrf ?? ''), await landingCsrf(store.db, ticket!)))
      return forbidden(c, lang, invitation.tenant);
    const restricted = domainRestricted(c, lang, invitation.tenant, invitation.email);
    if (restricted) return restricted;
    return begin(c, invitation, lang);
  });

  /**
   * Opens this browser's flow for the invitation and goes where discovery says; with `identity` (continuing as the
   * account already signed in), binds it at once instead, under the same rules as any sign-in.
   */
  async function begin(
    c: Context<Env>,
    invitation: OpenInvitation,
    lang: Lang,
    identity?: BoundIdentity,
  ): Promise<Response> {
    const { tenant } = invitation;
    const discovery = await discover(discoveryContext(store.db, tenant, invitation.email, seams));
    const ip = clientIp(c);
    // The app the invitation's redirect goes to, if one app is there: Conditional Access evaluates the redemption by it.
    const clientId = await appAtRedirect(store.db, tenant.id, invitation.redirectUrl);
    try {
      const cookie = await store.transaction(async (tx) => {
        const created = await createFlow(tx, clock, {
          tenantId: tenant.id,
          invitationId: invitation.id,
          userId: invitation.userId,
          email: invitation.email,
          lang,
          discovery,
          ...(clientId !== undefined && { clientId }),
        });
        if (discovery.kind === 'passcode' && !identity)
          await mailFlowCode(tx, clock, tenant, created.id, 'redeem-passcode', invitation.email, lang, ip, {
            newFlow: true,
          });
        return flowCookie(tenant.id, created.secret);
      });
      setCookie(c, FLOW_COOKIE, cookie, { ...cookieOptions, maxAge: FLOW_MINUTES * 60 });
      const flow =
        identity || discovery.kind === 'federation' || discovery.kind === 'google'
          ? await loadFlow(store.db, clock, cookie)
          : undefined;
      if (flow && identity) return then(c, flow, await bindIdentity(c, flow, identity));
      if (flow) return identification.goUpstream(c, signInOf(flow));
    } catch (error) {
      if (error instanceof TooManyRequests) return refuse(c, lang, tenant, error.text(lang), 429);
      throw error;
    }
    return c.redirect('/redeem/flow', 303);
  }

  const switchPage = async (
    c: Context<Env>,
    lang: Lang,
    invitation: OpenInvitation,
    offer: InvitationOffer,
    ticket: string,
    status: 200 | 403 = 200,
  ) =>
    c.html(
      <InvitationSwitchPage
        lang={lang}
        invitation={invitation}
        offer={offer}
        csrf={await switchToken(services, `ticket:${ticket}`, offer.signedIn)}
      />,
      status,
    );

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
    if (answer.kind === 'forbidden') return refuse(c, lang, invitation.tenant, t(lang, 'switch.stale'), 403);
    if (answer.kind === 'refused') return switchPage(c, lang, invitation, answer.offer, ticket!, 403);
    return begin(c, invitation, lang, answer.offer.identity);
  });

  // The provider's answer was verified and recorded by federation/routes.tsx; this browser must be the flow's own.
  app.get('/redeem/federation/return', async (c) => {
    const flow = await flowOf(c);
    if (flow instanceof Response) return flow;
    const lang = flow.state.lang;
    const picked = await pickUp(services, flow.tenant.id, c.req.query('state'), flow.id);
    if (!picked) return refuse(c, lang, flow.tenant, t(lang, 'federation.expired'), 400);
    if (picked.owner && picked.owner !== flow.userId) {
      return c.html(
        <MessagePage
          lang={lang}
          tenant={flow.tenant}
          title={t(lang, 'federation.refused.title')}
          message={t(lang, 'federation.taken', { tenant: flow.tenant.displayName })}
          status="error"
        />,
        409,
      );
    }
    return then(c, flow, await bindIdentity(c, flow, federatedIdentity(picked.identity), picked.identity.mfa));
  });

  /** The flow of this browser, or a response saying it has expired. */
  async function flowOf(c: Context<Env>): Promise<Flow | Response> {
    const flow = await loadFlow(store.db, clock, getCookie(c, FLOW_COOKIE));
    if (!flow) {
      const lang = langOf(c);
      return errorResponse(c, lang, undefined, t(lang, 'redeem.expired'), 400);
    }
    return flow;
  }

  /** An error page in the flow's branding: what went wrong, at `status`. */
  const refuse = (c: Context<Env>, lang: Lang, tenant: Flow['tenant'], message: string, status: 400 | 403 | 429) =>
    errorResponse(c, lang, tenant, message, status);
  /** The page for an invitation whose domain the tenant's collaboration restrictions now refuse (policy19). */
  const domainRestricted = (c: Context<Env>, lang: Lang, tenant: Flow['tenant'], email: string) => {
    const r = restrictionOf(tenant.settings, email);
    if (!r) return undefined;
    return c.html(
      <MessagePage
        lang={lang}
        tenant={tenant}
        title={t(lang, 'redeem.domainRestricted.title')}
        message={t(lang, 'redeem.domainRestricted', { tenant: tenant.displayName, domain: r.domain })}
        status="error"
      />,
      403,
    );
  };
  const forbidden = (c: Context<Env>, lang: Lang, tenant: Flow['tenant']) =>
    refuse(c, lang, tenant, t(lang, 'redeem.forbidden'), 403);

  /** Loads the flow for a POST and checks its CSRF value. */
  async function postedFlow(c: Context<Env>): Promise<{ flow: Flow; form: Record<string, string | File> } | Response> {
    const flow = await flowOf(c);
    if (flow instanceof Response) return flow;
    const form = await c.req.parseBody();
    if (!sameSecret(String(form.csrf ?? ''), flow.state.csrf)) return forbidden(c, flow.state.lang, flow.tenant);
    return { flow, form };
  }

  /** A POST that moves a flow on: the flow is loaded and its CSRF value checked before `handle` runs. */
  const onFlowPost = (
    path: string,
    handle: (c: Context<Env>, flow: Flow, form: Record<string, string | File>) => Promise<Response>,
  ) =>
    app.post(path, async (c) => {
      const posted = await postedFlow(c);
      return posted instanceof Response ? posted : handle(c, posted.flow, posted.form);
    });

  app.get('/redeem/flow', async (c) => {
    const flow = await flowOf(c);
    if (flow instanceof Response) return flow;
    return render(c, flow);
  });

  /** The page of a flow already redeemed: on a later visit (200), or for the loser of a race to complete it (409). */
  const alreadyDone = (c: Context<Env>, flow: Flow, status: 200 | 409) =>
    c.html(
      <MessagePage
        lang={flow.state.lang}
        tenant={flow.tenant}
        title={t(flow.state.lang, 'redeem.done.title')}
        message={t(flow.state.lang, 'redeem.alreadyDone')}
      />,
      status,
    );

  /** What the guest sees next: the current step's page, from the flow's state. */
  async function render(c: Context<Env>, flow: Flow, shown?: Shown): Promise<Response> {
    const { lang } = flow.state;
    if (flow.completedAt) return alreadyDone(c, flow, 200);
    const signIn = signInOf(flow);
    const step = await currentStep(tableOf(flow), signIn);
    if (step) return step.show(c, signIn, shown);
    // Everything is done but completion (a reload after a lost response): completing is a POST, never a GET.
    return c.html(<ContinuePage lang={lang} tenant={flow.tenant} csrf={flow.state.csrf} />);
  }

  /** After a step's POST: complete when no step is pending, else show what is next. */
  async function advance(c: Context<Env>, flow: Flow): Promise<Response> {
    if (await currentStep(tableOf(flow), signInOf(flow))) return c.redirect('/redeem/flow', 303);
    return flow.state.signInOnly ? finishSignIn(c, flow) : finish(c, flow);
  }

  // Each step's form posts to /redeem/<path>; a POST runs once every step before its own is done, else the current
  // step's page is shown.
  for (const [step, path, handle] of postsOf(redeemSteps)) {
    onFlowPost(`/redeem/${path}`, async (c, flow, form) => {
      const signIn = signInOf(flow);
      if (!(await reached(tableOf(flow), step, signIn))) return render(c, flow);
      return then(c, flow, await handle(c, signIn, form));
    });
  }

  /** A guest who already accepted signed in by a direct link: only with the identity they redeemed with. */
  async function finishSignIn(c: Context<Env>, flow: Flow): Promise<Response> {
    const { identity, lang } = flow.state;
    const owner = await userOfIdentity(store.db, flow.tenant.id, identity!.issuer, identity!.issuerAssignedId);
    if (owner !== flow.userId) {
      return refuse(c, lang, flow.tenant, t(lang, 'direct.otherIdentity', { tenant: flow.tenant.displayName }), 403);
    }
    const mfa = await mfaDone(services, signInOf(flow));
    const session = await store.transaction(async (tx) => {
      await tx
        .updateTable('redemption_flows')
        .set({ completed_at: clock.now().toISOString() })
        .where('tenant_id', '=', flow.tenant.id)
        .where('id', '=', flow.id)
        .execute();
      return startSession(tx, clock, flow.tenant.id, flow.userId, [amrOfSource(identity!.source)], mfa);
    });
    return leave(c, flow, session, flow.state.returnTo!, mfa);
  }

  /**
   * Ends the flow in this browser: its sign-in log entry (the one entry of this sign-in, by the method of the identity
   * bound), a fresh Portico session at the tenant, then on to `to`. `known`: the user as completion left them.
   */
  async function leave(
    c: Context<Env>,
    flow: Flow,
    session: string,
    to: string,
    mfa?: SignInMfa,
    known?: { user: User | undefined },
  ): Promise<Response> {
    const identity = flow.state.identity!;
    const user = known ? known.user : await getUser(store.db, flow.tenant.id, flow.userId);
    await recordSignInAttempt(services, {
      tenantId: flow.tenant.id,
      who: user ? { user } : { userPrincipalName: flow.state.email },
      identityProvider: identity.issuer,
      method: methodOfSource(identity.source),
      ipAddress: clientIp(c),
      correlationId: correlationOf(flow),
      ...(flow.state.clientId !== undefined && { policyClientId: flow.state.clientId }),
      ...(mfa && { mfa }),
      reads: readsOf(flow),
    });
    deleteCookie(c, FLOW_COOKIE, cookieOptions);
    deleteCookie(c, TICKET_COOKIE, cookieOptions);
    setSessionCookie(c, services, flow.tenant.id, session);
    return c.redirect(to, 303);
  }

  async function finish(c: Context<Env>, flow: Flow): Promise<Response> {
    const lang = flow.state.lang;
    // An invitation made before the collaboration restrictions refused its domain is not redeemed (Entra's rule),
    // whichever way its flow began (the flow's tenant is read with each request, so a rule changed meanwhile counts).
    const restricted = domainRestricted(c, lang, flow.tenant, flow.state.email);
    if (restricted) return restricted;
    // MFA done at the MFA step, or at the guest's home when the tenant trusts it, is the new session's (and logged)
    const mfa = await mfaDone(services, signInOf(flow));
    const completion = await completeRedemption(store, clock, flow, mfa);
    if (completion.won) services.metrics?.redemptions.inc({ answer: flow.state.identity!.source });
    if (!completion.won) return alreadyDone(c, flow, 409);
    const { session, user, redirectUrl } = completion;
    if (flow.state.mode === 'direct') return leave(c, flow, session, flow.state.returnTo!, mfa, { user });
    const to = await safeRedirect(store.db, flow.tenant, redirectUrl, myAppsUrl(config.baseUrl, flow.tenant.id));
    return leave(c, flow, session, to, mfa, { user });
  }

  // Where a direct sign-in lands (interactions/routes.tsx opened the flow): straight to the identity provider when
  // discovery found one, else to the flow's page. Only a request to the provider is created here.
  app.get('/redeem/go', async (c) => {
    const flow = await flowOf(c);
    if (flow instanceof Response) return flow;
    const d = flow.state.discovery;
    if (!flow.state.identity && (d?.kind === 'federation' || d?.kind === 'google'))
      return identification.goUpstream(c, signInOf(flow));
    return c.redirect('/redeem/flow', 303);
  });

  onFlowPost('/redeem/complete', advance);

  return app;
}
