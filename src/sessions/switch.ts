// "Already signed in as someone else": a browser that holds a Portico session (one cookie per tenant, see
// sessions.ts) opens a flow about another identity. Instead of an error (Keycloak #41149, "You are already
// authenticated as different user") the person sees who is signed in and chooses: continue as X, when X may do this
// flow, or use another account, which ends X's session (Portico's and that tenant's oidc-provider session) and
// restarts the same flow from its own URL with the flow's state (ticket cookie, interaction uid) kept.
//
// Who "X" is, for each entry point (B is the flow's tenant; the browser's live sessions are read from its cookies):
//
// | entry point                          | browser's session                                   | page? | continue as X                            |
// |--------------------------------------|-----------------------------------------------------|-------|------------------------------------------|
// | invitation link for G at address E   | none, or at B for G itself                          | no    | -                                        |
// |   (GET /redeem, before the landing)  | at A≠B for a guest of A whose address is E (the     | no    | - (discovery signs them in at their home |
// |                                      | same person, back for another organization)         |       | as usual)                                |
// |                                      | at B for another user (a member or guest of B)      | yes   | no: B's own users cannot redeem B's      |
// |                                      |                                                     |       | invitation as themselves; redeeming      |
// |                                      |                                                     |       | would replace that session               |
// |                                      | at A≠B for member M, E is M's mail or sign-in name  | yes   | yes: binds M's organization account, as  |
// |                                      |                                                     |       | discovery step 1 + home sign-in do       |
// |                                      | at A≠B for member M, another address                | yes   | only while B requires proof of the       |
// |                                      |                                                     |       | invited address (a code to E first):     |
// |                                      |                                                     |       | relaxed proof would let any session take |
// |                                      |                                                     |       | a forwarded link                         |
// |                                      | at A≠B for a guest of A at another address          | yes   | no: a guest's session proves who they    |
// |                                      |                                                     |       | are to A only                            |
// | an app's sign-in or a direct link    | at B (any user of B)                                | no    | - (B's session signs in, as before)      |
// |   (/myapps/<domain>, the tenant's    | none at B; at A for member M whose organization     | yes   | yes: signs in as that guest of B, by     |
// |   sign-in page: the interaction)     | account is an accepted, enabled guest of B          |       | M's organization account (amr fed)       |
// |                                      | none at B; others (not users of B, or guests of A)  | no    | - (B's sign-in page; nothing is ended)   |
// | a guest's address typed at B's page  | any                                                 | no    | - (typing an address chose the account)  |
//
// A session whose sign-in stopped at a step (signin/session-steps.ts: the Portico session starts at the first factor,
// before MFA, a password to change or a Conditional Access block at its own tenant) is no one's yet: it is not listed
// here, so no page offers it and no POST accepts it, until its steps are done.
// Only a member's session is carried to another tenant: Portico itself holds that identity (the tenant's issuer and
// the member's object id), as discovery step 1 does; a guest's session stands for an identity proven to one tenant.
// Several sessions: one X is shown at a time, the flow's own tenant first; after "use another account" the flow
// restarts and shows the next one, if any. Both choices are POST forms whose CSRF value is an HMAC of the flow's
// secret (the ticket, the interaction uid) and X, so a page shown for one X cannot act on another.
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';

import { getTenant, tenantIdsByPrefix, type Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { userOfIdentity } from '../federation/identities.ts';
import { pickLang } from '../i18n/index.ts';
import { formToken, formTokenMatches } from '../keyed.ts';
import type { ProviderPool } from '../oidc/pool.ts';
import { issuerFor } from '../oidc/urls.ts';
import { memberIdentity, type BoundIdentity } from '../redemption/flow.ts';
import type { Services } from '../services.ts';
import { sessionStepsPending } from '../signin/session-steps.ts';
import { normalize } from '../store/json.ts';
import type { Amr } from './amr.ts';
import { endBrowserSession } from './cookie.ts';
import { liveSession, sessionCookieName } from './sessions.ts';

type Ctx = Context<{ Bindings: HttpBindings }>;

/** A live Portico session this browser holds. */
export interface SignedIn {
  tenant: Tenant;
  user: User;
  amr: Amr[];
  /** when the session was started, i.e. when the person last gave credentials (ISO) */
  signedInAt: string;
}

export interface SwitchOffer {
  signedIn: SignedIn;
  canContinue: boolean;
}

/** Invitations: continuing binds `identity` (then the flow's own rules: cross-tenant access, proof of the address). */
export interface InvitationOffer extends SwitchOffer {
  identity?: BoundIdentity;
  /** continuing binds an identity carrying another address: a code to the invited one comes first */
  proof: boolean;
}

/** Sign-ins: continuing signs in `userId` of the flow's tenant by `amr`. */
export interface SignInOffer extends SwitchOffer {
  userId: string;
  amr: Amr[];
}

const SESSION_COOKIE = /^portico_session_[0-9a-f]{12}$/;
/** Cookies a browser could plant are bounded: at most this many sessions are looked up. */
const MAX_SESSIONS = 8;

/** How a page names X: their name, their address, and the organization they are signed in at. */
export const whoIsSignedIn = (s: SignedIn) => ({
  name: s.user.displayName || s.user.userPrincipalName,
  email: s.user.mail ?? s.user.invitedEmail ?? s.user.userPrincipalName,
  org: s.tenant.displayName,
});

/** This browser's live sessions, `firstTenantId`'s first. */
export async function browserSignIns(c: Ctx, services: Services, firstTenantId: string): Promise<SignedIn[]> {
  const { db } = services.store;
  const cookies = Object.entries(getCookie(c))
    .filter(([name]) => SESSION_COOKIE.test(name))
    .slice(0, MAX_SESSIONS);
  const found: SignedIn[] = [];
  for (const [name, secret] of cookies) {
    // The cookie names the tenant by its id's first 12 hex digits (sessions.ts), i.e. `xxxxxxxx-xxxx-…`.
    const prefix = name.slice(-12);
    const candidates = await tenantIdsByPrefix(db, prefix);
    for (const id of candidates.filter((t) => sessionCookieName(t) === name)) {
      const live = await liveSession(db, services.clock, id, secret);
      const [tenant, user] = live ? await Promise.all([getTenant(db, id), getUser(db, id, live.userId)]) : [];
      if (!tenant || !user) continue;
      // A half-finished sign-in (its own tenant's policies for all apps: no app is known here) proves no one.
      const lang = pickLang(c.req.header('accept-language'));
      if (await sessionStepsPending(c, services, { tenant, lang, user, mfa: live!.mfa })) continue;
      found.push({ tenant, user, amr: live!.amr, signedInAt: live!.signedInAt });
    }
  }
  return found.sort((a, b) => Number(b.tenant.id === firstTenantId) - Number(a.tenant.id === firstTenantId));
}

/** The invitation link: whether to ask, and whether X may redeem (see the table). */
export function invitationOffer(
  baseUrl: string,
  invitation: { tenant: Tenant; userId: string; email: string },
  signIns: SignedIn[],
): InvitationOffer | undefined {
  const { tenant, userId } = invitation;
  const email = normalize(invitation.email);
  const carries = (addresses: (string | null)[]) => addresses.some((a) => a !== null && normalize(a) === email);
  const signedIn = signIns.find((s) =>
    s.tenant.id === tenant.id
      ? s.user.id !== userId
      : s.user.userType === 'Member' || !carries([s.user.mail, s.user.invitedEmail]),
  );
  if (!signedIn) return undefined;
  const { user } = signedIn;
  if (signedIn.tenant.id === tenant.id || user.userType !== 'Member')
    return { signedIn, canContinue: false, proof: false };
  // Discovery step 1 finds a member by mail or sign-in name; the bound identity then carries their mail.
  const identity = memberIdentity(issuerFor(baseUrl, signedIn.tenant.id), user);
  const proofRequired = tenant.settings.requireInvitedAddressProof;
  if (!carries([user.mail, user.userPrincipalName]) && !proofRequired)
    return { signedIn, canContinue: false, proof: false };
  return { signedIn, canContinue: true, identity, proof: identity.email !== email && proofRequired };
}

/** An app's sign-in or a direct link at `tenant`, with no session there (that one signs in as before). */
export async function signInOffer(
  services: Services,
  tenant: Tenant,
  signIns: SignedIn[],
): Promise<SignInOffer | undefined> {
  const { db } = services.store;
  for (const signedIn of signIns) {
    if (signedIn.tenant.id === tenant.id || signedIn.user.userType !== 'Member') continue;
    const userId = await userOfIdentity(
      db,
      tenant.id,
      issuerFor(services.config.baseUrl, signedIn.tenant.id),
      signedIn.user.id,
    );
    const user = userId && (await getUser(db, tenant.id, userId));
    if (user && user.accountEnabled && user.userType === 'Guest' && user.externalUserState === 'Accepted')
      return { signedIn, canContinue: true, userId: user.id, amr: ['fed'] };
  }
  return undefined;
}

const SWITCH_KEY = 'switch-csrf-key';
/** What a switch page's form token is bound to: the flow's secret (`ticket:…`, `interaction:…`) and X. */
const switchBinding = (flowKey: string, signedIn: SignedIn) => [flowKey, signedIn.tenant.id, signedIn.user.id];

/** The CSRF value of a switch page (keyed.ts). */
export function switchToken(services: Services, flowKey: string, signedIn: SignedIn): Promise<string> {
  return formToken(services.store.db, SWITCH_KEY, ...switchBinding(flowKey, signedIn));
}

/**
 * Signs this browser out of a tenant: the Portico session ends (endBrowserSession) and so does the tenant's
 * oidc-provider session, or the tenant's apps would sign X straight back in.
 */
export async function endSignIn(c: Ctx, services: Services, pool: ProviderPool, tenantId: string): Promise<void> {
  await endBrowserSession(c, services, tenantId);
  const entry = await pool.get(tenantId);
  if (!entry) return;
  const { provider } = entry;
  const session = await provider.Session.get(provider.createContext(c.env.incoming, c.env.outgoing));
  if (session.accountId) await session.destroy();
  const name = provider.cookieName('session');
  const secure = services.config.baseUrl.startsWith('https:');
  for (const cookie of [name, `${name}.sig`])
    if (getCookie(c, cookie) !== undefined) deleteCookie(c, cookie, { path: '/', secure });
}

/** Whether a posted form token is a switch page's for `flowKey` and X (the account picker's too). */
export function switchTokenMatches(
  services: Services,
  flowKey: string,
  signedIn: SignedIn,
  value: unknown,
): Promise<boolean> {
  return formTokenMatches(services.store.db, SWITCH_KEY, value, ...switchBinding(flowKey, signedIn));
}

export type SwitchAnswer<O> =
  { kind: 'restart' } | { kind: 'forbidden' } | { kind: 'continue'; offer: O } | { kind: 'refused'; offer: O };

/**
 * Reads a switch page's POST: `another` ends X's session (then the caller restarts its flow), `continue` is handed
 * back when X may continue. A wrong CSRF value changes nothing; with no one to switch from, the flow just restarts.
 */
export async function answerSwitch<O extends SwitchOffer>(
  c: Ctx,
  services: Services,
  pool: ProviderPool,
  flowKey: string,
  offer: O | undefined,
): Promise<SwitchAnswer<O>> {
  const form = await c.req.parseBody();
  if (!offer) return { kind: 'restart' };
  if (!(await formTokenMatches(services.store.db, SWITCH_KEY, form.csrf, ...switchBinding(flowKey, offer.signedIn))))
    return { kind: 'forbidden' };
  if (form.choice === 'another') {
    await endSignIn(c, services, pool, offer.signedIn.tenant.id);
    services.log.info(
      { tenantId: offer.signedIn.tenant.id, userId: offer.signedIn.user.id },
      'signed out to use another account',
    );
    return { kind: 'restart' };
  }
  return form.choice === 'continue' && offer.canContinue ? { kind: 'continue', offer } : { kind: 'refused', offer };
}
