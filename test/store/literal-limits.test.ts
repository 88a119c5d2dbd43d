// On SQLite, integer limits and offsets are written into the SQL (store/literal-limits.ts), so a statement is not
// prepared again for each page size; on PostgreSQL they stay bound.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`limits and offsets (${kind})`, { skip }, () => {
    let t: TestStore;
    before(async () => {
      t = await createTestStore(kind);
      // A store-level test: rows of a plain key-value table to page through, no product state.
      await t.store.db
        .insertInto('deployment')
        .values(['a', 'b', 'c', 'd'].map((k) => ({ key: `ll-${k}`, value: 'x' })))
        .execute();
    });
    after(async () => {
      await t?.dispose();
    });

    const page = (limit: number, offset: number) =>
      t.store.db
        .selectFrom('deployment')
        .select('key')
        .where('key', 'like', 'll-%')
        .orderBy('key')
        .limit(limit)
        .offset(offset);

    it('pages the same, with the values in the SQL on SQLite and bound on PostgreSQL', async () => {
      assert.deepEqual(
        (await page(2, 1).execute()).map((r) => r.key),
        ['ll-b', 'll-c'],
      );
      assert.deepEqual(
        (await page(3, 2).execute()).map((r) => r.key),
        ['ll-c', 'll-d'],
      );
      const compiled = page(2, 1).compile();
      if (kind === 'sqlite') {
        assert.match(compiled.sql, /limit 2 offset 1$/);
        assert.deepEqual(compiled.parameters, ['ll-%']);
      } else {
        assert.match(compiled.sql, /limit \$2 offset \$3$/);
        assert.deepEqual(compiled.parameters, ['ll-%', 2, 1]);
      }
    });
  });
}
