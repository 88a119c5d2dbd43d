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
