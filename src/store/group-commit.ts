// SQLite has one writer at a time, and the store's one connection already runs transactions one after another; what
// each of them pays alone is the commit (the write-ahead log written, and every thousand pages a checkpoint). So
// transactions that arrive while one runs are run together in the next, each inside its own savepoint, and committed
// once: a transaction that fails rolls back to its savepoint and fails alone, exactly as it would have by itself,
// and none is answered before the commit that makes it durable. This is group commit, as databases do it in their
// write-ahead logs; in a CPU profile of `invite`, commits were the largest single cost.
import type { Kysely, Transaction } from 'kysely';

interface Job<D> {
  fn: (tx: Transaction<D>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Most transactions one commit carries; the rest wait for the next. */
export const GROUP_LIMIT = 64;

export function groupCommit<D>(
  db: Kysely<D>,
  limit = GROUP_LIMIT,
): <T>(fn: (tx: Transaction<D>) => Promise<T>) => Promise<T> {
  const queue: Job<D>[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) await runGroup(queue.splice(0, limit));
    } finally {
      running = false;
    }
  }

  async function runGroup(group: Job<D>[]): Promise<void> {
    // One transaction alone needs no savepoint: it is committed or rolled back as it always was.
    if (group.length === 1) {
      const [job] = group as [Job<D>];
      await db.transaction().execute(job.fn).then(job.resolve, job.reject);
      return;
    }
    let trx;
    try {
      trx = await db.startTransaction().execute();
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    const done: [Job<D>, unknown][] = [];
    try {
      for (const job of group) {
        const sp = await trx.savepoint('portico_group').execute();
        let value: unknown;
        try {
          value = await job.fn(sp);
        } catch (error) {
          const undone = await sp.rollbackToSavepoint('portico_group').execute();
          await undone.releaseSavepoint('portico_group').execute();
          job.reject(error);
          continue;
        }
        await sp.releaseSavepoint('portico_group').execute();
        done.push([job, value]);
      }
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      // Nothing of the group was committed: every job fails (one already failed by its own error keeps that one).
      for (const job of group) job.reject(error);
      return;
    }
    for (const [job, value] of done) job.resolve(value);
  }

  return <T>(fn: (tx: Transaction<D>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!running) void drain();
    });
}
