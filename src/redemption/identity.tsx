// The invitation flow's first step: who the guest is, found the way discovery said (redemption/discovery.ts): a
// passcode, a sign-in at their home tenant, an account picker, a personal account (or creating one), or their
// identity provider. Binding the identity checks the cross-tenant settings again and, when the identity carries
// another address, mails the proof code (signin/address-proof.tsx).
import { collaborationVerdict } from '../crosstenant/b2b.ts';
import { getTenant } from '../directory/tenants.ts';
import { findMemberBySignInName, getUser } from '../directory/users.ts';
import { TooManyRequests } from '../errors.ts';
import { getProvider, googleProvider, type IdentityProvider } from '../federation/providers.ts';
import type { FederatedIdentity } from '../federation/requests.ts';
import { clientIp } from '../http/client-ip.ts';
import { t } from '../i18n/index.ts';
import { homeTenantOfIssuer, issuerFor } from '../oidc/urls.ts';
import { MessagePage } from '../pages/layout.tsx';
import {
  checkPersonalPassword,
  createPersonalAccount,
  findPersonalAccount,
  PERSONAL_REALM,
} from '../personal/accounts.ts';
import { passwordError } from '../personal/password-messages.ts';
import { hashPassword, verifyPasswordOrDummy } from '../secrets.ts';
import type { Services } from '../services.ts';
import { browserSession } from '../sessions/cookie.ts';
import type { SessionMfa } from '../sessions/sessions.ts';
import { mailProofIfNeeded, needsProof } from '../signin/address-proof.tsx';
import { handOff } from '../signin/federation.ts';
import type { Redeeming } from '../signin/redeeming.ts';
import { DONE, type Ctx, type Posted, type Step } from '../signin/step.ts';
import { checkSignInPassword } from '../signins/password-check.ts';
import type { SignInErrorName } from '../signins/signins.ts';
import { checkFlowCode, logGuestFailure, methodOfSource, resendFlowCode } from './attempts.ts';
import { passcodePolicy } from './codes.ts';
import { personalAccountsEnabled, type Discovery } from './discovery.ts';
import { memberIdentity, saveState, type BoundIdentity, type Flow } from './flow.ts';
import {
  AccountPickerPage,
  FederationPage,
  HomeSignInPage,
  PasscodePage,
  PersonalSignInPage,
  PersonalSignUpPage,
} from './pages.tsx';

const SOURCES = { saml: 'SAML/WS-Fed', wsfed: 'SAML/WS-Fed', google: 'Google', oidc: 'OIDC' } as const;

/** The identity an identity provider's answer binds. */
export const federatedIdentity = (i: FederatedIdentity): BoundIdentity => ({
  signInType: 'federated',
  issuer: i.issuer,
  issuerAssignedId: i.subject,
  source: SOURCES[i.kind],
  email: i.email,
  emailVerified: true,
});

const personalIdentity = (account: { id: string; email: string; emailVerified: boolean }): BoundIdentity => ({
  signInType: 'federated',
  issuer: 'personal',
  issuerAssignedId: account.id,
  source: 'Personal account',
  email: account.email.toLowerCase(),
  emailVerified: account.emailVerified,
});

export function redemptionIdentity(services: Services) {
  const { store, clock, config } = services;

  /** The identity provider discovery chose for this flow (discovery steps 2 and 3). */
  async function upstreamOf(flow: Flow, d: Discovery | undefined): Promise<IdentityProvider | undefined> {
    if (d?.kind === 'federation') return getProvider(store.db, flow.tenant.id, d.providerId);
    if (d?.kind === 'google') return googleProvider(store.db, flow.tenant.id);
    return undefined;
  }

  const message = (c: Ctx, flow: Flow, title: string, text: string, status: 403 | 409 | 501 | 502) =>
    c.html(
      <MessagePage lang={flow.state.lang} tenant={flow.tenant} title={title} message={text} status="error" />,
      status,
    );

  /** Sends the guest to their identity provider; the answer comes back to /redeem/federation/return. */
  async function goUpstream(c: Ctx, signIn: Redeeming): Promise<Response> {
    const { flow } = signIn;
    const provider = await upstreamOf(flow, flow.state.discovery);
    if (!provider) return signIn.render(c);
    return handOff(
      c,
      services,
      { tenant: flow.tenant, lang: flow.state.lang },
      provider,
      { purpose: 'redeem', binding: flow.id, returnTo: '/redeem/federation/return', email: flow.state.email },
      (title, text, status) => message(c, flow, title, text, status),
    );
  }

  /** The member of a Portico tenant an identity is, for the home tenant's copy of a sign-in log entry. */
  async function homeAccount(home: string, identity: BoundIdentity) {
    const member = await getUser(store.db, home, identity.issuerAssignedId);
    return { tenantId: home, who: member ? { user: member } : { userPrincipalName: identity.email } };
  }

  /**
   * Records who signed in (DONE), or says why this identity may not redeem here. `upstreamMfa`: the identity
   * provider's answer said MFA was done (inbound trust decides whether it counts: conditional-access/inbound-trust.ts).
   */
  async function bind(c: Ctx, signIn: Redeeming, identity: BoundIdentity, upstreamMfa = false): Promise<Posted> {
    const { flow } = signIn;
    const lang = flow.state.lang;
    // Cross-tenant access settings are checked again now: they may have changed since the invitation.
    const home =
      identity.source === 'External tenant' ? homeTenantOfIssuer(config.baseUrl, identity.issuer) : undefined;
    const verdict = home
      ? await collaborationVerdict(store.db, flow.tenant.id, home, identity.issuerAssignedId)
      : { allowed: true as const };
    if (!verdict.allowed) {
      await logGuestFailure(
        services,
        c,
        flow,
        { identityProvider: identity.issuer, method: methodOfSource(identity.source) },
        'crossTenantBlocked',
        home ? await homeAccount(home, identity) : undefined,
      );
      return message(
        c,
        flow,
        t(lang, 'error.title'),
        t(lang, verdict.side === 'outbound' ? 'xtap.blockedOutbound' : 'xtap.blockedInbound', {
          tenant: flow.tenant.displayName,
        }),
        403,
      );
    }
    // The seed's rule: an alias of the invited address cannot use a direct link, only the invitation email.
    if (flow.state.mode === 'direct' && identity.email !== flow.state.email) {
      return message(
        c,
        flow,
        t(lang, 'error.title'),
        t(lang, 'direct.alias', { tenant: flow.tenant.displayName, email: flow.state.email, other: identity.email }),
        403,
      );
    }
    // MFA at the guest's home, which inbound trust may accept: the identity provider's claim, or for a member of
    // another tenant here, the MFA of their session there when this browser holds it.
    const homeSession = home ? await browserSession(c, services, home) : undefined;
    const homeMfa: SessionMfa | undefined = upstreamMfa
      ? { at: clock.now().toISOString(), amr: ['fed'] }
      : homeSession?.userId === identity.issuerAssignedId
        ? homeSession.mfa
        : undefined;
    const bound = {
      identity,
      homeMfa,
      addressProven: identity.email === flow.state.email && identity.emailVerified !== false,
    };
    try {
      // With no proof code to queue, binding is one statement and needs no transaction of its own.
      if (!needsProof({ ...flow, state: { ...flow.state, ...bound } })) await saveState(store.db, flow, bound);
      else
        await store.transaction(async (tx) => {
          await saveState(tx, flow, bound);
          await mailProofIfNeeded(services, tx, c, flow);
        });
    } catch (error) {
      // The page of the step the state now names (the proof, whose code could not be sent).
      if (error instanceof TooManyRequests) return signIn.render(c, { error: error.text(signIn.lang), status: 429 });
      throw error;
    }
    return DONE;
  }

  const step: Step<Redeeming> = {
    name: 'identity',
    pending: async ({ flow }) => !flow.state.identity,
    async show(c, { flow, lang }, shown = {}) {
      const { state, tenant } = flow;
      const { error } = shown;
      const status = shown.status ?? 200;
      const d = state.discovery;
      if (d?.kind === 'passcode')
        return c.html(
          <PasscodePage
            lang={lang}
            tenant={tenant}
            email={state.email}
            minutes={passcodePolicy(tenant).validityMinutes}
            csrf={state.csrf}
            error={error}
          />,
          status,
        );
      if (d?.kind === 'home-tenant' || d?.kind === 'account-picker') {
        const home = await getTenant(store.db, d.homeTenantId);
        if (home && d.kind === 'account-picker')
          return c.html(
            <AccountPickerPage lang={lang} tenant={tenant} home={home} email={state.email} csrf={state.csrf} />,
            status,
          );
        if (home)
          return c.html(
            <HomeSignInPage
              lang={lang}
              home={home}
              tenant={tenant}
              email={state.email}
              csrf={state.csrf}
              error={error}
            />,
            status,
          );
      }
      // Also a flow started before the tenant turned personal accounts off: no personal account is used from then on.
      if (
        d?.kind === 'no-identity' ||
        ((d?.kind === 'personal-signin' || d?.kind === 'personal-signup') && !personalAccountsEnabled(tenant))
      ) {
        return message(
          c,
          flow,
          t(lang, 'redeem.noIdentity.title'),
          t(lang, 'redeem.noIdentity', { tenant: tenant.displayName, email: state.email }),
          403,
        );
      }
      if (d?.kind === 'personal-signin')
        return c.html(
          <PersonalSignInPage lang={lang} tenant={tenant} email={state.email} csrf={state.csrf} error={error} />,
          status,
        );
      if (d?.kind === 'personal-signup')
        return c.html(
          <PersonalSignUpPage lang={lang} tenant={tenant} email={state.email} csrf={state.csrf} error={error} />,
          status,
        );
      const upstream = await upstreamOf(flow, d);
      if (upstream)
        return c.html(
          <FederationPage
            lang={lang}
            tenant={tenant}
            email={state.email}
            idp={upstream.displayName}
            csrf={state.csrf}
          />,
          status,
        );
      return message(
        c,
        flow,
        t(lang, 'redeem.title'),
        t(lang, 'redeem.notAvailable', { tenant: tenant.displayName }),
        501,
      );
    },
    posts: {
      async passcode(c, signIn, form) {
        const { flow } = signIn;
        const refused = await checkFlowCode(services, c, flow, 'redeem-passcode', form, (shown) =>
          step.show(c, signIn, shown),
        );
        if (refused) return refused;
        return bind(c, signIn, {
          signInType: 'emailAddress',
          issuer: 'mail',
          issuerAssignedId: flow.state.email,
          source: 'Email OTP',
          email: flow.state.email,
        });
      },
      'passcode/resend': async (c, signIn) =>
        resendFlowCode(services, c, signIn.flow, 'redeem-passcode', signIn.lang, (shown) =>
          step.show(c, signIn, shown),
        ),

      // The guest's home sign-in: the same account lockout as the home tenant's own page (signins/lockout.ts), and
      // every attempt in the home tenant's sign-in log, where its administrators look for attacks on their members.
      async home(c, signIn, form) {
        const { flow, lang } = signIn;
        const d = flow.state.discovery;
        if (d?.kind !== 'home-tenant') return step.show(c, signIn);
        const page = (error: string, status: 400 | 429) => step.show(c, signIn, { error, status });
        const home = d.homeTenantId;
        const member = await findMemberBySignInName(store.db, home, flow.state.email);
        // Each refusal is in both logs: the inviting tenant's (its pending guest) and the home tenant's (its member).
        const log = (error: SignInErrorName) =>
          logGuestFailure(
            services,
            c,
            flow,
            { identityProvider: issuerFor(config.baseUrl, home), method: 'password' },
            error,
            {
              tenantId: home,
              who: member ? { user: member } : { userPrincipalName: flow.state.email },
            },
          );
        const checked = await checkSignInPassword(services, {
          ip: clientIp(c),
          account: member
            ? { kind: 'member', tenantId: home, userId: member.id }
            : { kind: 'unknown', realm: home, name: flow.state.email },
          verify: async () =>
            (await verifyPasswordOrDummy(String(form.password ?? ''), member?.passwordHash, config.passwordCost))
              ? member
              : undefined,
          log,
          unknownNameError: 'userNotFound',
          lockedMessage: 'signin.locked',
          // A disabled account is told what a wrong password is told, as before: this page is not the home tenant's.
          disabled: { is: (m) => !m.accountEnabled, message: 'signin.badPassword' },
        });
        // The success is the redemption's entry, written once it completes (routes.tsx).
        if (!checked.ok) return page(t(lang, checked.message), checked.status);
        return bind(c, signIn, memberIdentity(issuerFor(config.baseUrl, home), checked.account));
      },

      async pick(c, signIn, form) {
        const { flow } = signIn;
        const d = flow.state.discovery;
        if (d?.kind !== 'account-picker') return step.show(c, signIn);
        await saveState(store.db, flow, {
          discovery:
            form.choice === 'personal'
              ? { kind: 'personal-signin' }
              : { kind: 'home-tenant', homeTenantId: d.homeTenantId },
        });
        return c.redirect('/redeem/flow', 303);
      },

      async personal(c, signIn, form) {
        const { flow, lang } = signIn;
        if (flow.state.discovery?.kind !== 'personal-signin' || !personalAccountsEnabled(flow.tenant))
          return step.show(c, signIn);
        const page = (error: string, status: 400 | 429) => step.show(c, signIn, { error, status });
        // A personal account belongs to no tenant: its attempts go to the sign-in log of the tenant being signed in to.
        const log = (error: SignInErrorName) =>
          logGuestFailure(services, c, flow, { identityProvider: 'personal', method: 'password' }, error);
        const found = await findPersonalAccount(store.db, flow.state.email);
        const checked = await checkSignInPassword(services, {
          ip: clientIp(c),
          account: found
            ? { kind: 'personal', accountId: found.id }
            : { kind: 'unknown', realm: PERSONAL_REALM, name: flow.state.email },
          verify: () =>
            checkPersonalPassword(store.db, flow.state.email, String(form.password ?? ''), config.passwordCost),
          log,
          // A personal account belongs to no tenant: the tenant's log does not say whether the address has one.
          unknownNameError: 'invalidCredentials',
          lockedMessage: 'signin.lockedPersonal',
        });
        if (!checked.ok) return page(t(lang, checked.message), checked.status);
        return bind(c, signIn, personalIdentity(checked.account));
      },

      async signup(c, signIn, form) {
        const { flow } = signIn;
        if (flow.state.discovery?.kind !== 'personal-signup' || !personalAccountsEnabled(flow.tenant))
          return step.show(c, signIn);
        const password = String(form.password ?? '');
        const displayName = String(form.displayName ?? '').trim();
        const problem = passwordError(flow.state.lang, password, flow.state.email);
        if (problem) return step.show(c, signIn, { error: problem, status: 400 });
        if (await findPersonalAccount(store.db, flow.state.email)) {
          // Someone created it meanwhile: sign in with it instead.
          await saveState(store.db, flow, { discovery: { kind: 'personal-signin' } });
          return c.redirect('/redeem/flow', 303);
        }
        const account = await store.transaction(async (tx) =>
          createPersonalAccount(tx, clock, {
            email: flow.state.email,
            displayName: displayName || flow.state.email.split('@')[0]!,
            passwordHash: await hashPassword(password, config.passwordCost),
            verified: false,
          }),
        );
        // The address is confirmed by the proof code binding sends (an unverified identity always needs it).
        return bind(c, signIn, personalIdentity(account));
      },

      federation: async (c, signIn) => (signIn.flow.state.identity ? signIn.render(c) : goUpstream(c, signIn)),
    },
  };

  return { step, bind, goUpstream };
}
