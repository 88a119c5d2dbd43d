// The admin center's overview figures, each one indexed count.
import type { Clock } from '../clock.ts';
import { countUsers } from '../directory/users.ts';
import type { Db } from '../store/index.ts';

export interface OverviewCounts {
  members: number;
  guests: number;
  pending: number;
  expiring: number;
  dead: number;
}

const count = (n: { n: number | string | bigint } | undefined) => Number(n?.n ?? 0);

export async function overviewCounts(db: Db, clock: Clock, tenantId: string): Promise<OverviewCounts> {
  const now = clock.now();
  const week = new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const [members, guests, pending, expiring, dead] = await Promise.all([
    countUsers(db, tenantId, 'Member'),
    countUsers(db, tenantId, 'Guest'),
    countUsers(db, tenantId, 'Guest', { pending: true }),
    db
      .selectFrom('invitations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'PendingAcceptance')
      .where('ticket_hash', 'is not', null)
      .where('ticket_expires_at', '>', now.toISOString())
      .where('ticket_expires_at', '<=', week)
      .executeTakeFirst(),
    db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('state', '=', 'dead')
      .executeTakeFirst(),
  ]);
  return { members, guests, pending, expiring: count(expiring), dead: count(dead) };
}
