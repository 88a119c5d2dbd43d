// The caches of a tenant's configuration (store/epochs.ts), with two handles on one store standing for two nodes: a
// change through one is dropped by the other at its next read of the epochs, a change on a node drops its own entries
// at once, a value loaded while a change commits is not kept past the next read, and a node that has not read the
// epochs serves nothing from its cache. (test/scale/two-nodes.test.ts shows the same through two Portico processes.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { pollEpochs, tenantCache, tenantChanged } from '../../src/store/epochs.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`tenant caches across nodes (${kind})`, { skip }, () => {
    let a: TestStore;
    let b: Store;
    const cache = tenantCache<string>({ max: 100 });
    before(async () => {
      a = await createTestStore(kind);
      b = openStore({ url: a.url });
    });
    after(async () => {
      await b?.close();
      await a?.dispose();
    });

    /** A value that says how many times it was loaded. */
    const counter = () => {
      let loads = 0;
      return { load: async () => `v${++loads}`, loads: () => loads };
    };

    it('loads every time on a node that has not read the epochs, then caches once it has', async () => {
      const tenant = randomUUID();
      const c = counter();
      assert.equal(await cache(b.db).get(tenant, 'k', c.load), 'v1');
      assert.equal(await cache(b.db).get(tenant, 'k', c.load), 'v2', 'not fresh: loaded again');
      await pollEpochs(b.db);
      assert.equal(await cache(b.db).get(tenant, 'k', c.load), 'v3');
      assert.equal(await cache(b.db).get(tenant, 'k', c.load), 'v3', 'fresh: from the cache');
    });

    it("drops another node's entries at its next read of the epochs, and its own at once", async () => {
      const tenant = randomUUID();
      const other = randomUUID();
      const onB = counter();
      const otherOnB = counter();
      await pollEpochs(b.db);
      await pollEpochs(a.store.db);
      assert.equal(await cache(b.db).get(tenant, 'k', onB.load), 'v1');
      assert.equal(await cache(b.db).get(other, 'k', otherOnB.load), 'v1');
      await a.store.transaction((tx) => tenantChanged(tx, tenant));
      assert.equal(await cache(b.db).get(tenant, 'k', onB.load), 'v1', 'B has not read the epochs yet');
      await pollEpochs(b.db);
      assert.equal(await cache(b.db).get(tenant, 'k', onB.load), 'v2', 'B dropped it');
      assert.equal(await cache(b.db).get(other, 'k', otherOnB.load), 'v1', "another tenant's entry stays");

      const onA = counter();
      assert.equal(await cache(a.store.db).get(tenant, 'k', onA.load), 'v1');
      await a.store.transaction((tx) => tenantChanged(tx, tenant));
      assert.equal(await cache(a.store.db).get(tenant, 'k', onA.load), 'v2', 'A dropped its own at once');
    });

    it('does not keep past the next read a value loaded while a change committed', async () => {
      const tenant = randomUUID();
      await pollEpochs(b.db);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let loads = 0;
      const slow = async () => {
        loads++;
        await gate;
        return `v${loads}`;
      };
      const loading = cache(b.db).get(tenant, 'k', slow);
      // The change commits on A while B is loading (B read the tenant's epoch before it began).
      await new Promise((resolve) => setTimeout(resolve, 20));
      await a.store.transaction((tx) => tenantChanged(tx, tenant));
      release();
      assert.equal(await loading, 'v1');
      assert.equal(await cache(b.db).get(tenant, 'k', slow), 'v1', 'kept until the next read of the epochs');
      await pollEpochs(b.db);
      assert.equal(await cache(b.db).get(tenant, 'k', slow), 'v2', 'then loaded again');
    });

    it('keeps no change made in a transaction that rolled back, and drops nothing it should not', async () => {
      const tenant = randomUUID();
      const c = counter();
      await pollEpochs(b.db);
      assert.equal(await cache(b.db).get(tenant, 'k', c.load), 'v1');
      await assert.rejects(
        a.store.transaction(async (tx) => {
          await tenantChanged(tx, tenant);
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      await pollEpochs(b.db);
      assert.equal(await cache(b.db).get(tenant, 'k', c.load), 'v1', 'no epoch moved');
    });
  });
}
