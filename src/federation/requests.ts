// A sign-in sent upstream, from start to pick-up. The state value sent with it (RelayState, state, wctx) is a
// random secret whose hash keys the row. The provider's answer is recorded once (a response cannot be posted twice)
// and then picked up once, only by the redemption flow or sign-in interaction that started it: the answer arrives
// as a cross-site POST without cookies, so the browser is checked on the top-level GET that follows.
import type { Clock } from '../clock.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import type { ProviderKind } from './providers.ts';

export const REQUEST_MINUTES = 10;

export type Purpose = 'redeem' | 'signin';

export interface RequestData {
  /** where the browser goes once the answer is verified */
  returnTo: string;
  nonce?: string;
  codeVerifier?: string;
  samlRequestId?: string;
  /** the address the guest typed or was invited with (a login hint, never trusted) */
  email?: string;
}

/** What an upstream provider vouched for, after every check passed. */
export interface FederatedIdentity {
  providerId: string;
  kind: ProviderKind;
  /** the identity's issuer as `identities` records it (the IdP's entity id or issuer; google.com for Google) */
  issuer: string;
  /** NameID or `sub`: with the issuer, the key of the identity (never the email) */
  subject: string;
  email: string;
  displayName?: string;
  /**
   * the provider says the person did multifactor authentication (a SAML AuthnContextClassRef or authnmethodsreferences
   * claim of MFA, an ID token's amr with `mfa`): it counts here only when the tenant trusts the provider for MFA
   */
  mfa?: boolean;
}

export interface PendingRequest {
  tenantId: string;
  createdAt: string;
  id: string;
  providerId: string;
  purpose: Purpose;
  binding: string;
  data: RequestData;
}

/** The state value of a new request (256 bits). */
export const newState = (): string => newSecret(32);

export async function createRequest(
  tx: Tx,
  clock: Clock,
  state: string,
  init: { tenantId: string; providerId: string; purpose: Purpose; binding: string; data: RequestData },
): Promise<void> {
  const now = clock.now();
  await tx
    .insertInto('federation_requests')
    .values({
      tenant_id: init.tenantId,
      id: hashSecret(state),
      provider_id: init.providerId,
      purpose: init.purpose,
      binding: init.binding,
      data: toJson(init.data),
      result: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + REQUEST_MINUTES * 60_000).toISOString(),
      returned_at: null,
      consumed_at: null,
    })
    .execute();
}

/** The request a state names, while it is still waiting for the provider's answer. */
export async function pendingRequest(
  db: Db,
  clock: Clock,
  tenantId: string,
  state: string | undefined,
): Promise<PendingRequest | undefined> {
  if (!state || state.length > 100) return undefined;
  const row = await db
    .selectFrom('federation_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', hashSecret(state))
    .where('returned_at', 'is', null)
    .where('expires_at', '>', clock.now().toISOString())
    .executeTakeFirst();
  return (
    row && {
      tenantId,
      createdAt: row.created_at,
      id: row.id,
      providerId: row.provider_id,
      purpose: row.purpose as Purpose,
      binding: row.binding,
      data: parseJson<RequestData>(row.data, { returnTo: '/' }),
    }
  );
}

/** Records the verified answer; false when another answer got there first. */
export async function recordAnswer(
  db: Db,
  clock: Clock,
  request: PendingRequest,
  identity: FederatedIdentity,
): Promise<boolean> {
  const done = await db
    .updateTable('federation_requests')
    .set({ result: toJson(identity), returned_at: clock.now().toISOString() })
    .where('tenant_id', '=', request.tenantId)
    .where('id', '=', request.id)
    .where('returned_at', 'is', null)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** Takes the answer once, for the flow or interaction (`binding`) that started the request. */
export async function pickUpAnswer(
  db: Db,
  clock: Clock,
  tenantId: string,
  state: string | undefined,
  binding: string,
): Promise<FederatedIdentity | undefined> {
  if (!state || state.length > 100) return undefined;
  const id = hashSecret(state);
  const now = clock.now().toISOString();
  const taken = await db
    .updateTable('federation_requests')
    .set({ consumed_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('binding', '=', binding)
    .where('returned_at', 'is not', null)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) return undefined;
  const row = await db
    .selectFrom('federation_requests')
    .select('result')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return parseJson<FederatedIdentity | undefined>(row?.result, undefined);
}

/** For the maintenance sweep (store/sweep.ts): requests upstream that expired before `before`. */
export async function sweepRequests(db: Db, before: string): Promise<number> {
  return Number(
    (await db.deleteFrom('federation_requests').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows,
  );
}
