// Redeem tickets: 256-bit bearer secrets, only their hash stored, expiring, and revoked when a newer invitation for
// the same user replaces them.
import type { Clock } from '../clock.ts';
import { hashSecret, newSecret } from '../secrets.ts';
import type { Tx } from '../store/index.ts';

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
