// The admin center's overview figures, each one indexed count.
import type { Clock } from '../clock.ts';
import { countUsers } from '../directory/users.ts';
import { countExpiring } from '../invitations/listing.ts';
import { countDead } from '../mail/outbox.ts';
import type { Db } from '../store/index.ts';

export interface OverviewCounts {
  members: number;
  guests: number;
  pending: number;
  expiring: number;
  dead: number;
}

export async function overviewCounts(db: Db, clock: Clock, tenantId: string): Promise<OverviewCounts> {
  const now = clock.now();
  const week = new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const [members, guests, pending, expiring, dead] = await Promise.all([
    countUsers(db, tenantId, 'Member'),
    countUsers(db, tenantId, 'Guest'),
    countUsers(db, tenantId, 'Guest', { pending: true }),
    countExpiring(db, tenantId, now.toISOString(), week),
    countDead(db, tenantId),
  ]);
  return { members, guests, pending, expiring, dead };
}
