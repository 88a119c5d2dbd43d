// Completing a redemption exactly once, however many submits race: one conditional update of the invitation (still
// pending, ticket still live) decides; only its winner marks the guest Accepted, binds the identity and records the
// audit event, all in the same transaction.
import type { Clock } from '../clock.ts';
import { recordAudit } from '../directory/audit.ts';
import { markRedeemed, type User } from '../directory/users.ts';
import { linkIdentity } from '../federation/identities.ts';
import { completeInvitation } from '../invitations/tickets.ts';
import { amrOfSource } from '../sessions/amr.ts';
import { startSession, type SessionMfa } from '../sessions/sessions.ts';
import type { Store } from '../store/index.ts';
import type { Flow } from './flow.ts';

/**
 * Returns whether this call completed it, and then the secret of the guest's new session at the tenant, which did
 * MFA when `mfa` says so (mfa/step.tsx mfaDone), the guest as completion left them, and the invitation's redirect URL.
 */
export async function completeRedemption(
  store: Store,
  clock: Clock,
  flow: Flow,
  mfa?: SessionMfa,
): Promise<{ won: false } | { won: true; session: string; user: User | undefined; redirectUrl: string }> {
  const identity = flow.state.identity;
  if (!identity) throw new Error('completion needs a signed-in identity');
  return store.transaction(async (tx) => {
    const now = clock.now().toISOString();
    // The invitation link must still be live; a direct sign-in needs no link (the guest proved who they are).
    const won = await completeInvitation(tx, flow.tenant.id, flow.invitationId, now, {
      liveTicket: flow.state.mode !== 'direct',
    });
    if (!won) return { won: false };
    const { source: _source, email: _email, emailVerified: _verified, ...bound } = identity;
    const user = await markRedeemed(tx, clock, flow.tenant.id, flow.userId, [bound]);
    await linkIdentity(tx, clock, flow.tenant.id, flow.userId, identity.issuer, identity.issuerAssignedId);
    await tx
      .updateTable('redemption_flows')
      .set({ completed_at: now })
      .where('tenant_id', '=', flow.tenant.id)
      .where('id', '=', flow.id)
      .execute();
    await recordAudit(tx, clock, flow.tenant.id, {
      category: 'UserManagement',
      activity: 'Redeem external user invite',
      operationType: 'Update',
      actor: { kind: 'user', id: flow.userId, userPrincipalName: user?.userPrincipalName ?? '' },
      targets: [
        { id: flow.userId, type: 'User', displayName: user?.displayName, userPrincipalName: user?.userPrincipalName },
      ],
      details: {
        source: identity.source,
        issuer: identity.issuer,
        invitationId: flow.invitationId,
        via: flow.state.mode === 'direct' ? 'direct link' : 'invitation link',
      },
    });
    return {
      won: true,
      session: await startSession(tx, clock, flow.tenant.id, flow.userId, [amrOfSource(identity.source)], mfa),
      user,
      redirectUrl: won.redirectUrl,
    };
  });
}
