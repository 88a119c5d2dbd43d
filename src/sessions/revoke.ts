// Ending every sign-in of a user at a tenant at once: disabling, deleting or resetting the redemption of a user calls
// this in the transaction that makes the change (directory/users.ts, invitations/guests.ts), so no caller can forget.
// Gone are the user's Portico sessions and every oidc-provider artifact naming them (sessions, grants, authorization
// codes, refresh tokens, opaque access tokens, interactions): a refresh then fails with invalid_grant, userinfo with
// 401, and the next authorization request shows the sign-in page. Access tokens to Portico's API are JWTs, valid
// until they expire (TTL.AccessToken, one hour), as Entra's are; the API refuses a disabled or deleted user's at
// once anyway (api/auth.ts).
import type { Tx } from '../store/index.ts';

export async function revokeUser(
  tx: Tx,
  tenantId: string,
  userId: string,
): Promise<{ sessions: number; artifacts: number }> {
  // Deleted rather than marked revoked: a revoked session's cookie finds nothing either way, and a deleted user
  // leaves no rows behind.
  const sessions = await tx
    .deleteFrom('sessions')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const artifacts = await tx
    .deleteFrom('oidc_payloads')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', userId)
    .executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), artifacts: Number(artifacts.numDeletedRows) };
}

/**
 * Ending every sign-in of a personal account (a new password: personal/accounts.ts setPersonalPassword): every
 * artifact of the personal accounts realm's OpenID provider naming it (oidc/consumers.ts), so a refresh then fails
 * with invalid_grant and the next sign-in asks for the new password, as Entra ends a Microsoft account's sessions.
 */
export async function revokePersonalAccount(tx: Tx, accountId: string): Promise<number> {
  const artifacts = await tx
    .deleteFrom('consumer_oidc_payloads')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(artifacts.numDeletedRows);
}

/**
 * Ending every sign-in of one client at a tenant (another tenant's app the tenant removed: apps/service-principals.ts):
 * its grants, and every artifact of them (authorization codes, refresh tokens, opaque access tokens). A grant names
 * its client in its payload only, so the grants are found by it; the client id is a UUID (checked by the caller).
 */
export async function revokeClient(tx: Tx, tenantId: string, clientId: string): Promise<number> {
  const grants = await tx
    .selectFrom('oidc_payloads')
    .select(['id', 'payload'])
    .where('tenant_id', '=', tenantId)
    .where('model', '=', 'Grant')
    .where('payload', 'like', `%${clientId}%`)
    .execute();
  const ids = grants
    .filter((g) => (JSON.parse(g.payload) as { clientId?: string }).clientId === clientId)
    .map((g) => g.id);
  if (!ids.length) return 0;
  const artifacts = await tx
    .deleteFrom('oidc_payloads')
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('grant_id', 'in', ids), eb.and([eb('model', '=', 'Grant'), eb('id', 'in', ids)])]))
    .executeTakeFirst();
  return Number(artifacts.numDeletedRows);
}
