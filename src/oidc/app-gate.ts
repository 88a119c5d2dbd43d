// What an app may require before a sign-in to it completes: that the user is assigned to it ("assignment
// required"), that both tenants' cross-tenant access settings let a guest use it, that the person signed in by a
// method the app accepts (amr), and that an administrator consented to the permissions only an administrator may grant.
import { interactionPolicy } from 'oidc-provider';

import type { App } from '../apps/apps.ts';
import { isAssigned, needsAdminConsent } from '../apps/assignments.ts';
import { clientAppFor, needsConsent } from '../apps/service-principals.ts';
import { apiConsentFor } from '../apps/user-grants.ts';
import type { Clock } from '../clock.ts';
import { accessDecision } from '../conditional-access/decision.ts';
import { homeBrowserMfa } from '../conditional-access/inbound-trust.ts';
import { pendingAgreements } from '../consent/terms.ts';
import { collaborationVerdict } from '../crosstenant/b2b.ts';
import type { Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import type { Services } from '../services.ts';
import { firstFactors, methodAllowed, withMfa, type Amr } from '../sessions/amr.ts';
import { recordSessionMfa, sessionCookieName } from '../sessions/sessions.ts';
import type { Db } from '../store/index.ts';
import { ADMIN_CLIENT_ID, homeTenantOfIssuer, MY_APPS_CLIENT_ID } from './urls.ts';

export type AppRefusal = 'notAssigned' | 'adminConsentRequired' | 'crossTenantBlocked' | 'signInMethodNotAllowed';

type GateApp = Pick<App, 'clientId' | 'displayName'> & Partial<App>;

/** Portico's own clients (My Apps, the admin center) are not app registrations and require nothing. */
const BUILT_IN: Record<string, string> = { [MY_APPS_CLIENT_ID]: 'My Apps', [ADMIN_CLIENT_ID]: 'Admin center' };

/** The app a sign-in is for, by client id. */
export async function appOf(db: Db, tenantId: string, clientId: string): Promise<GateApp> {
  if (BUILT_IN[clientId]) return { clientId, displayName: BUILT_IN[clientId] };
  return (await clientAppFor(db, tenantId, clientId)) ?? { clientId, displayName: clientId };
}

/** The app a sign-in is for, and why this user, signed in by `amr`, may not complete it, if they may not. */
export async function appGate(
  db: Db,
  baseUrl: string,
  tenantId: string,
  clientId: string,
  user: User,
  amr: readonly Amr[],
): Promise<{ app: GateApp; refusal?: AppRefusal }> {
  const app = await appOf(db, tenantId, clientId);
  if (!app.id) return { app };
  const registered = app as App;
  if (!(await isAssigned(db, tenantId, registered, user.id))) return { app, refusal: 'notAssigned' };
  // A guest from another tenant here: both tenants' cross-tenant access settings must allow this app, now.
  const identity = user.userType === 'Guest' ? user.identities[0] : undefined;
  const home = identity && homeTenantOfIssuer(baseUrl, identity.issuer);
  if (home && !(await collaborationVerdict(db, tenantId, home, identity.issuerAssignedId, app.clientId)).allowed)
    return { app, refusal: 'crossTenantBlocked' };
  if (!methodAllowed(registered.requiredSignInMethods, amr)) return { app, refusal: 'signInMethodNotAllowed' };
  if (needsAdminConsent(registered)) return { app, refusal: 'adminConsentRequired' };
  return { app };
}

/**
 * oidc-provider's interaction policy with two checks more on its login prompt, so a sign-in that reuses the tenant's
 * OpenID session (a second app in the same browser, no interaction otherwise) meets the same rules as one through the
 * sign-in pages: `account_gone` (the user was deleted or disabled since: sign in again) and `app_gate` (the app
 * refuses this user or how they signed in: the interaction page says why); and `terms_pending` (terms of use the user
 * has not accepted, e.g. a version published while their session was open: the interaction page shows them); and
 * `mfa_pending` (Conditional Access requires MFA and the session has none, e.g. a policy made while it was open: the
 * interaction page runs the MFA step, mfa/step.tsx). A sign-in that just went through the pages (a login result) was
 * checked there.
 */
export function gatedPolicy(
  db: Db,
  clock: Clock,
  baseUrl: string,
  tenantId: string,
  mfa?: { services: Services; tenant: () => Promise<Tenant | undefined> },
): interactionPolicy.DefaultPolicy {
  const { Check } = interactionPolicy;
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  // Both checks run on the same request: the user is read once per request.
  const read = new WeakMap<object, Promise<User | undefined>>();
  const userOf = (ctx: object, accountId: string) => {
    if (!read.has(ctx)) read.set(ctx, getUser(db, tenantId, accountId));
    return read.get(ctx)!;
  };
  login.checks.add(
    new Check('account_gone', 'the signed-in user may no longer sign in', 'login_required', async (ctx) => {
      const { session, result } = ctx.oidc;
      if (!session?.accountId || result?.login) return Check.NO_NEED_TO_PROMPT;
      return (await userOf(ctx, session.accountId))?.accountEnabled ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );
  login.checks.add(
    new Check('app_gate', 'the application does not accept this sign-in', 'interaction_required', async (ctx) => {
      const { session, result, client } = ctx.oidc;
      if (!session?.accountId || result?.login || !client) return Check.NO_NEED_TO_PROMPT;
      const user = await userOf(ctx, session.accountId);
      if (!user?.accountEnabled) return Check.NO_NEED_TO_PROMPT;
      const gate = await appGate(db, baseUrl, tenantId, client.clientId, user, firstFactors(session.amr));
      return gate.refusal ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  login.checks.add(
    new Check('app_consent', "the app waits for the user's consent", 'consent_required', async (ctx) => {
      const { session, result, client } = ctx.oidc;
      if (!session?.accountId || result?.login || !client) return Check.NO_NEED_TO_PROMPT;
      if (await needsConsent(db, tenantId, client.clientId, session.accountId)) return Check.REQUEST_PROMPT;
      // The tenant's own app asking for an API's delegated scopes the user has not consented to (apps/user-grants.ts).
      const params = (ctx.oidc.params ?? {}) as Record<string, unknown>;
      const api = await apiConsentFor(db, tenantId, client.clientId, session.accountId, params);
      return api?.missing.length ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  login.checks.add(
    new Check('terms_pending', 'terms of use wait for the user', 'interaction_required', async (ctx) => {
      const { session, result } = ctx.oidc;
      if (!session?.accountId || result?.login) return Check.NO_NEED_TO_PROMPT;
      if (!(await userOf(ctx, session.accountId))?.accountEnabled) return Check.NO_NEED_TO_PROMPT;
      return (await pendingAgreements(db, tenantId, session.accountId, clock.now())).length
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT;
    }),
  );
  // mfa-policy: a Conditional Access block (conditional-access/step.tsx) stops a session's silent sign-in too: the
  // interaction page then shows the block.
  login.checks.add(
    new Check(
      'conditional_access_block',
      'a Conditional Access policy blocks this sign-in',
      'interaction_required',
      async (ctx) => {
        const { session, result, client } = ctx.oidc;
        if (!session?.accountId || result?.login || !client) return Check.NO_NEED_TO_PROMPT;
        if (!(await userOf(ctx, session.accountId))?.accountEnabled) return Check.NO_NEED_TO_PROMPT;
        const decision = await accessDecision(
          { store: { db }, config: { baseUrl } },
          { tenant: { id: tenantId }, userId: session.accountId, clientId: client.clientId },
        );
        return decision.block ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
      },
    ),
  );
  login.checks.add(
    new Check('mfa_pending', 'multifactor authentication waits for the user', 'interaction_required', async (ctx) => {
      const { session, result, client } = ctx.oidc;
      if (!mfa || !session?.accountId || result?.login || !client) return Check.NO_NEED_TO_PROMPT;
      if ((session.amr ?? []).includes('mfa')) return Check.NO_NEED_TO_PROMPT;
      if (!(await userOf(ctx, session.accountId))?.accountEnabled) return Check.NO_NEED_TO_PROMPT;
      const tenant = await mfa.tenant();
      if (!tenant) return Check.NO_NEED_TO_PROMPT;
      const decision = await accessDecision(mfa.services, {
        tenant,
        userId: session.accountId,
        clientId: client.clientId,
      });
      if (!decision.mfaRequired) return Check.NO_NEED_TO_PROMPT;
      // Inbound trust, as at the MFA step (mfa/step.tsx): MFA the guest's home session in this browser did counts
      // when the tenant trusts that tenant's MFA. The session records it as the MFA step's sign-in would have (the
      // amr the code and its refresh token carry, oidc/token-gate.ts; the Portico session's MFA and its time).
      const user = decision.homeMfaAccepted ? await userOf(ctx, session.accountId) : undefined;
      const home =
        user && (await homeBrowserMfa(mfa.services, user, (name) => ctx.cookies.get(name, { signed: false })));
      if (!home) return Check.REQUEST_PROMPT;
      session.amr = withMfa(firstFactors(session.amr), home.amr);
      const secret = ctx.cookies.get(sessionCookieName(tenantId), { signed: false });
      if (secret)
        await mfa.services.store.write((w) => recordSessionMfa(w, tenantId, secret, session.accountId!, home));
      return Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}
