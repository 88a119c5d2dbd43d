// Group commit (store/group-commit.ts): transactions that arrive together share one commit, yet each one succeeds or
// fails alone, and none is answered before its changes are durable. A store-level test: it writes rows of the plain
// key-value `deployment` table directly, because the commit mechanism itself is under test, not a product state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { groupCommit } from '../../src/store/group-commit.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`group commit (${kind})`, { skip }, () => {
    let t: TestStore;
    before(async () => {
      t = await createTestStore(kind);
    });
    after(async () => {
      await t?.dispose();
    });

    const keys = async (prefix: string) =>
      (
        await t.store.db
          .selectFrom('deployment')
          .select('key')
          .where('key', 'like', `${prefix}%`)
          .orderBy('key')
          .execute()
      ).map((r) => r.key);

    it('commits a group together; a failing transaction is undone alone and gets its own error', async () => {
      const transaction = groupCommit(t.store.db);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          transaction(async (tx) => {
            await tx
              .insertInto('deployment')
              .values({ key: `gc-a-${String(i).padStart(2, '0')}`, value: 'x' })
              .execute();
            await tx
              .insertInto('deployment')
              .values({ key: `gc-a-${String(i).padStart(2, '0')}-second`, value: 'x' })
              .execute();
            if (i % 4 === 3) throw new Error(`transaction ${i} fails`);
            return i;
          }),
        ),
      );
      outcomes.forEach((o, i) => {
        if (i % 4 === 3) assert.deepEqual(o, { status: 'rejected', reason: new Error(`transaction ${i} fails`) });
        else assert.deepEqual(o, { status: 'fulfilled', value: i });
      });
      const committed = await keys('gc-a-');
      assert.equal(committed.length, 18, 'two rows for each of the nine that succeeded');
      for (const i of [3, 7, 11])
        assert.ok(
          !committed.some((k) => k.startsWith(`gc-a-${String(i).padStart(2, '0')}`)),
          `nothing of transaction ${i}`,
        );
    });

    it('a statement that fails inside one transaction (a duplicate key) leaves the others of its group intact', async () => {
      const transaction = groupCommit(t.store.db);
      await t.store.db.insertInto('deployment').values({ key: 'gc-b-taken', value: 'x' }).execute();
      const outcomes = await Promise.allSettled(
        [1, 2, 3].map((i) =>
          transaction(async (tx) => {
            await tx
              .insertInto('deployment')
              .values({ key: `gc-b-${i}`, value: 'x' })
              .execute();
            if (i === 2) await tx.insertInto('deployment').values({ key: 'gc-b-taken', value: 'y' }).execute();
          }),
        ),
      );
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual(await keys('gc-b-'), ['gc-b-1', 'gc-b-3', 'gc-b-taken']);
    });

    it('answers only after the commit: a resolved transaction is visible to a fresh read', async () => {
      const transaction = groupCommit(t.store.db);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          transaction(async (tx) => {
            await tx
              .insertInto('deployment')
              .values({ key: `gc-c-${i}`, value: 'x' })
              .execute();
          }).then(async () => {
            const row = await t.store.db
              .selectFrom('deployment')
              .select('key')
              .where('key', '=', `gc-c-${i}`)
              .executeTakeFirst();
            assert.ok(row, `gc-c-${i} is committed when its transaction resolves`);
          }),
        ),
      );
    });
  });
}
