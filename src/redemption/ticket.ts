// Finding the invitation a redeem ticket names. Expired, used, revoked and unknown tickets all give the same
// answer (undefined), so the page they get tells an attacker nothing.
import type { Clock } from '../clock.ts';
import type { Actor } from '../directory/audit.ts';
import { tenantOfJoined, type Tenant } from '../directory/tenants.ts';
import { invitationOfTicket } from '../invitations/tickets.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson } from '../store/json.ts';

export interface OpenInvitation {
  tenant: Tenant;
  id: string;
  userId: string;
  email: string;
  redirectUrl: string;
  invitedBy: Actor;
  messageLanguage: string | undefined;
}

const TICKET = /^[A-Za-z0-9_-]{43}$/;

export async function openInvitation(
  db: Db | Tx,
  clock: Clock,
  ticket: string | undefined,
): Promise<OpenInvitation | undefined> {
  if (!ticket || !TICKET.test(ticket)) return undefined;
  const row = await invitationOfTicket(db, ticket);
  if (
    !row ||
    row.status !== 'PendingAcceptance' ||
    row.revoked_at ||
    !row.ticket_expires_at ||
    row.ticket_expires_at <= clock.now().toISOString()
  )
    return undefined;
  // Its tenant comes with it; a deleted guest's link opens nothing until the guest is restored (deleted items).
  const tenant = tenantOfJoined(row);
  const info = parseJson<{ messageLanguage?: string }>(row.message_info, {});
  return {
    tenant,
    id: row.id,
    userId: row.user_id,
    email: row.invited_email,
    redirectUrl: row.redirect_url,
    invitedBy: parseJson<Actor>(row.invited_by, { kind: 'system', displayName: tenant.displayName }),
    messageLanguage: info.messageLanguage,
  };
}
