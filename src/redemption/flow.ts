// A redemption in progress. The guest's browser holds a random secret in an HttpOnly cookie; the store holds its
// hash and the flow's state, so any node can continue it and a stolen database row cannot be replayed.
import type { Clock } from '../clock.ts';
import { tenantOfJoined, withTenant, type Tenant } from '../directory/tenants.ts';
import type { Identity } from '../directory/users.ts';
import type { Lang } from '../i18n/index.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import type { SessionMfa } from '../sessions/sessions.ts';
import type { Db, Tx } from '../store/index.ts';
import { normalize, parseJson, toJson } from '../store/json.ts';
import type { Discovery } from './discovery.ts';

export const FLOW_MINUTES = 30;

/** How the guest signed in, as the admin center's "Source" shows it. */
export type Source = 'External tenant' | 'Personal account' | 'Email OTP' | 'Google' | 'SAML/WS-Fed' | 'OIDC';

export interface BoundIdentity extends Identity {
  source: Source;
  /** the address the identity carries */
  email: string;
  /** false for a personal account whose address nobody has confirmed yet: it must be proven whatever the tenant says */
  emailVerified?: boolean;
}

/**
 * The identity a member of a managed tenant here redeems with: their tenant's issuer and their object id, carrying
 * their mail (else their sign-in name). Discovery step 1's home sign-in binds it, and so does continuing as a member
 * already signed in (sessions/switch.ts).
 */
export const memberIdentity = (
  issuer: string,
  member: { id: string; mail: string | null; userPrincipalName: string },
): BoundIdentity => ({
  signInType: 'federated',
  issuer,
  issuerAssignedId: member.id,
  source: 'External tenant',
  email: (member.mail ?? member.userPrincipalName).toLowerCase(),
});

export interface FlowState {
  /** the invited address, normalized */
  email: string;
  lang: Lang;
  /** a random value for the forms of this flow (checked on every POST) */
  csrf: string;
  discovery?: Discovery;
  identity?: BoundIdentity;
  /**
   * the MFA of the guest's home sign-in, read when the identity was bound: a member's of another tenant here whose
   * session there (this browser's) did MFA, or an identity provider's answer that said MFA (amr `fed`). Inbound trust
   * (conditional-access/inbound-trust.ts) decides whether it counts.
   */
  homeMfa?: SessionMfa;
  /** the invited address was proven by a code (needed when the identity carries another address) */
  addressProven?: boolean;
  consented?: boolean;
  /** 'direct': started at the tenant's sign-in page (a direct link or an app), not by the invitation email */
  mode?: 'ticket' | 'direct';
  /** direct flows: the same-site path to return to once signed in (the sign-in interaction) */
  returnTo?: string;
  /** direct flows of a guest who already accepted: a sign-in, checked against the identity they redeemed with */
  signInOnly?: boolean;
  /** what the sign-in steps remember, by step name (signin/step.ts memo) */
  steps?: Record<string, unknown>;
  /** the app the redemption is for, when known (signin/step.ts SignIn.clientId: Conditional Access evaluates by it) */
  clientId?: string;
}

export interface Flow {
  tenant: Tenant;
  id: string;
  invitationId: string;
  userId: string;
  state: FlowState;
  completedAt: string | null;
}

export async function createFlow(
  tx: Tx,
  clock: Clock,
  init: {
    tenantId: string;
    invitationId: string;
    userId: string;
    email: string;
    lang: Lang;
    discovery: Discovery;
    direct?: { returnTo: string; signInOnly: boolean };
    clientId?: string;
  },
): Promise<{ secret: string; id: string }> {
  const secret = newSecret(32);
  const id = hashSecret(secret);
  const now = clock.now();
  const state: FlowState = {
    email: normalize(init.email),
    lang: init.lang,
    csrf: newSecret(16),
    discovery: init.discovery,
    ...(init.direct && { mode: 'direct' as const, returnTo: init.direct.returnTo, signInOnly: init.direct.signInOnly }),
    ...(init.clientId !== undefined && { clientId: init.clientId }),
  };
  await tx
    .insertInto('redemption_flows')
    .values({
      tenant_id: init.tenantId,
      id,
      invitation_id: init.invitationId,
      user_id: init.userId,
      state: toJson(state),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + FLOW_MINUTES * 60_000).toISOString(),
      completed_at: null,
    })
    .execute();
  return { secret, id };
}

/** The flow a cookie value names: `<tenant id>.<secret>`; undefined when unknown or expired. */
export async function loadFlow(db: Db, clock: Clock, cookie: string | undefined): Promise<Flow | undefined> {
  const dot = cookie?.indexOf('.') ?? -1;
  if (!cookie || dot < 1) return undefined;
  const tenantId = cookie.slice(0, dot);
  const id = hashSecret(cookie.slice(dot + 1));
  // The flow and its tenant in one statement (flows go with their tenant: foreign key, ON DELETE CASCADE).
  const row = await withTenant(db.selectFrom('redemption_flows').selectAll('redemption_flows'), 'redemption_flows')
    .where('redemption_flows.tenant_id', '=', tenantId)
    .where('redemption_flows.id', '=', id)
    .executeTakeFirst()
    .catch(() => undefined);
  if (!row || row.expires_at <= clock.now().toISOString()) return undefined;
  return {
    tenant: tenantOfJoined(row),
    id,
    invitationId: row.invitation_id,
    userId: row.user_id,
    state: parseJson<FlowState>(row.state, { email: '', lang: 'en-US', csrf: '' }),
    completedAt: row.completed_at,
  };
}

export const flowCookie = (tenantId: string, secret: string) => `${tenantId}.${secret}`;

/** The flow's cookie: only the redemption pages see it. */
export const FLOW_COOKIE = 'portico_flow';
export const flowCookieOptions = (secure: boolean) => ({
  httpOnly: true,
  sameSite: 'Lax' as const,
  secure,
  path: '/redeem',
});

export async function saveState(db: Db | Tx, flow: Flow, patch: Partial<FlowState>): Promise<FlowState> {
  const state = { ...flow.state, ...patch };
  await db
    .updateTable('redemption_flows')
    .set({ state: toJson(state) })
    .where('tenant_id', '=', flow.tenant.id)
    .where('id', '=', flow.id)
    .execute();
  flow.state = state;
  return state;
}

/** For the maintenance sweep (store/sweep.ts): flows that expired before `before`. */
export async function sweepFlows(db: Db, before: string): Promise<number> {
  return Number(
    (await db.deleteFrom('redemption_flows').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows,
  );
}
