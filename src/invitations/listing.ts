// Invitations read back (Graph only creates them; Portico also lists them). An invitation's status is Graph's
// PendingAcceptance or Completed, or one of two Portico adds because a stored invitation can outlive its link:
// Expired (the ticket ran out unredeemed; the sweep also stamps expired_at) and Revoked (a newer invitation, a
// reset or the user's deletion replaced the ticket). Redeem URLs are never returned: only the ticket's hash is kept.
import type { Selectable, SelectQueryBuilder } from 'kysely';

import type { Clock } from '../clock.ts';
import type { Actor } from '../directory/audit.ts';
import type { Filter } from '../directory/filter.ts';
import { UnsupportedQuery } from '../errors.ts';
import type { Db } from '../store/index.ts';
import { normalize, parseJson } from '../store/json.ts';
import type { Database, InvitationsTable } from '../store/schema.ts';

export const INVITATION_STATUSES = ['PendingAcceptance', 'Completed', 'Expired', 'Revoked'] as const;
export type ListedStatus = (typeof INVITATION_STATUSES)[number];

export interface ListedInvitation {
  id: string;
  userId: string;
  email: string;
  redirectUrl: string;
  status: ListedStatus;
  sendMessage: boolean;
  messageInfo: {
    customizedMessageBody?: string;
    messageLanguage?: string;
    ccRecipients?: { address: string; name?: string }[];
  };
  invitedBy: Actor;
  createdDateTime: string;
  ticketExpirationDateTime: string | null;
  expiredDateTime: string | null;
  revokedDateTime: string | null;
  redeemedDateTime: string | null;
}

export function statusOf(
  row: Pick<Selectable<InvitationsTable>, 'status' | 'revoked_at' | 'expired_at' | 'ticket_expires_at'>,
  now: string,
): ListedStatus {
  if (row.status === 'Completed') return 'Completed';
  if (row.revoked_at) return 'Revoked';
  if (row.expired_at || (row.ticket_expires_at !== null && row.ticket_expires_at <= now)) return 'Expired';
  return 'PendingAcceptance';
}

function toListed(row: Selectable<InvitationsTable>, now: string): ListedInvitation {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.invited_email,
    redirectUrl: row.redirect_url,
    status: statusOf(row, now),
    sendMessage: row.send_message === 1,
    messageInfo: parseJson(row.message_info, {}),
    invitedBy: parseJson<Actor>(row.invited_by, { kind: 'system', displayName: 'Portico' }),
    createdDateTime: row.created_at,
    ticketExpirationDateTime: row.ticket_expires_at,
    expiredDateTime: row.expired_at,
    revokedDateTime: row.revoked_at,
    redeemedDateTime: row.redeemed_at,
  };
}

type Q = SelectQueryBuilder<Database, 'invitations', Selectable<InvitationsTable>>;

/** One condition of $filter: status, invitedUserEmailAddress or invitedUser/id, `eq`, joined by `and`. */
function where(q: Q, f: Filter, now: string): Q {
  if (f.op === 'and') return where(where(q, f.left, now), f.right, now);
  if (f.op !== 'eq' || typeof f.value !== 'string') throw new UnsupportedQuery('filter.invitations');
  if (f.property === 'invitedUserEmailAddress') return q.where('invited_email', '=', normalize(f.value));
  if (f.property === 'invitedUser/id') return q.where('user_id', '=', f.value.toLowerCase());
  if (f.property !== 'status') throw new UnsupportedQuery('filter.invitationsProperty', { property: f.property });
  switch (f.value as ListedStatus) {
    case 'Completed':
      return q.where('status', '=', 'Completed');
    case 'Revoked':
      return q.where('status', '=', 'PendingAcceptance').where('revoked_at', 'is not', null);
    case 'Expired':
      return q
        .where('status', '=', 'PendingAcceptance')
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expired_at', 'is not', null), eb('ticket_expires_at', '<=', now)]));
    case 'PendingAcceptance':
      return q
        .where('status', '=', 'PendingAcceptance')
        .where('revoked_at', 'is', null)
        .where('expired_at', 'is', null)
        .where('ticket_expires_at', '>', now);
    default:
      throw new UnsupportedQuery('filter.invitationStatus', { invitationStatuses: INVITATION_STATUSES.join(', ') });
  }
}

export async function listInvitations(
  db: Db,
  clock: Clock,
  tenantId: string,
  opts: { filter?: Filter; top: number; after?: string },
): Promise<{ items: ListedInvitation[]; next?: string }> {
  const now = clock.now().toISOString();
  let q: Q = db.selectFrom('invitations').selectAll().where('tenant_id', '=', tenantId);
  if (opts.filter) q = where(q, opts.filter, now);
  if (opts.after) q = q.where('id', '>', opts.after);
  const rows = await q
    .orderBy('id')
    .limit(opts.top + 1)
    .execute();
  const items = rows.slice(0, opts.top).map((r) => toListed(r, now));
  return rows.length > opts.top ? { items, next: items[items.length - 1]!.id } : { items };
}

export async function getInvitation(
  db: Db,
  clock: Clock,
  tenantId: string,
  id: string,
): Promise<ListedInvitation | undefined> {
  const row = await db
    .selectFrom('invitations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row && toListed(row, clock.now().toISOString());
}

/** The user's latest invitation: what the admin center shows and what a re-invite repeats. */
export async function latestInvitation(
  db: Db,
  clock: Clock,
  tenantId: string,
  userId: string,
): Promise<ListedInvitation | undefined> {
  const row = await db
    .selectFrom('invitations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toListed(row, clock.now().toISOString());
}

/** How many pending invitations' links expire between `now` and `until` (the admin overview). */
export async function countExpiring(db: Db, tenantId: string, now: string, until: string): Promise<number> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'PendingAcceptance')
    .where('ticket_hash', 'is not', null)
    .where('ticket_expires_at', '>', now)
    .where('ticket_expires_at', '<=', until)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
