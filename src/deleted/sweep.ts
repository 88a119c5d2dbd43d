// The sweep's part of deleted items: what was deleted more than 30 days ago goes for good, kind by kind
// (deleted/kinds.ts), through the same permanent delete an administrator uses.
import type { Clock } from '../clock.ts';
import type { Actor } from '../directory/audit.ts';
import type { Store } from '../store/index.ts';
import { DAY_MS, DELETED_RETENTION_DAYS } from './items.ts';
import { DELETED_KINDS, type DeletedType } from './kinds.ts';

/** Items of one kind deleted more than 30 days ago go for good, each in its own transaction. Returns how many. */
export async function sweepDeleted(store: Store, clock: Clock, type: DeletedType): Promise<number> {
  const kind = DELETED_KINDS[type];
  const before = new Date(clock.now().getTime() - DELETED_RETENTION_DAYS * DAY_MS).toISOString();
  const actor: Actor = { kind: 'system', displayName: 'Deleted items retention' };
  let purged = 0;
  for (;;) {
    const due = await kind.due(store.db, before, 100);
    for (const { tenantId, id } of due) {
      await store.transaction(async (tx) => {
        // Restored or purged in the meantime: nothing to do.
        const deletedAt = (await kind.get(tx, tenantId, id))?.deletedDateTime;
        if (deletedAt && deletedAt < before) {
          await kind.purge(tx, clock, tenantId, id, actor);
          purged++;
        }
      });
    }
    if (due.length < 100) return purged;
  }
}
