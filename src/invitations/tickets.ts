// Redeem tickets: 256-bit bearer secrets, only their hash stored, expiring, and revoked when a newer invitation for
// the same user replaces them.
import type { Clock } from '../clock.ts';
import { withTenant } from '../directory/tenants.ts';
import { inviteeInDirectory } from '../directory/users.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';

export function newTicket(clock: Clock, lifetimeDays: number): { ticket: string; hash: string; expiresAt: string } {
  const ticket = newSecret(32);
  return {
    ticket,
    hash: hashSecret(ticket),
    expiresAt: new Date(clock.now().getTime() + lifetimeDays * 86_400_000).toISOString(),
  };
}

export const redeemUrl = (baseUrl: string, ticket: string) => `${baseUrl}/redeem?ticket=${encodeURIComponent(ticket)}`;

/** Makes every open ticket of a user unusable (a re-invite or a reset replaces them). */
export async function revokeTickets(tx: Tx, clock: Clock, tenantId: string, userId: string): Promise<number> {
  const result = await tx
    .updateTable('invitations')
    .set({ ticket_hash: null, revoked_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('ticket_hash', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The invitation a ticket opens, whatever its state (the redemption decides whether it is still live), with its
 * tenant (directory/tenants.ts `tenantOfJoined`), in one statement; none while its guest is not in the directory.
 */
export async function invitationOfTicket(db: Db | Tx, ticket: string) {
  return withTenant(db.selectFrom('invitations').selectAll('invitations'), 'invitations')
    .where('invitations.ticket_hash', '=', hashSecret(ticket))
    .where((eb) => inviteeInDirectory(eb))
    .executeTakeFirst();
}

/** The invitation a direct redemption completes: the user's live pending one, else the latest. */
export async function redeemableInvitationOf(db: Db, tenantId: string, userId: string): Promise<string | undefined> {
  const rows = await db
    .selectFrom('invitations')
    .select(['id', 'status', 'revoked_at'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return (rows.find((r) => r.status === 'PendingAcceptance' && !r.revoked_at) ?? rows[0])?.id;
}

/**
 * Completes a pending invitation (its ticket spent), in one conditional update: for the one caller that won, where
 * the invitation sends the guest (its redirect URL); undefined for the others.
 * `liveTicket`: the invitation link must still be live (a direct sign-in needs no link).
 */
export async function completeInvitation(
  tx: Tx,
  tenantId: string,
  invitationId: string,
  now: string,
  { liveTicket }: { liveTicket: boolean },
): Promise<{ redirectUrl: string } | undefined> {
  let decide = tx
    .updateTable('invitations')
    .set({ status: 'Completed', redeemed_at: now, ticket_hash: null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', invitationId)
    .where('status', '=', 'PendingAcceptance');
  if (liveTicket) decide = decide.where('ticket_hash', 'is not', null).where('ticket_expires_at', '>', now);
  const won = await decide.returning('redirect_url').executeTakeFirst();
  return won && { redirectUrl: won.redirect_url };
}
