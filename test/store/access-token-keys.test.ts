// Migration 0013 gives every tenant made before ES256 access tokens its ES256 key, once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { createTenant } from '../../src/directory/tenants.ts';
import { createKeys, loadKeys } from '../../src/oidc/keys.ts';
import { keysOf } from '../../src/store/keys.ts';
import { up } from '../../src/store/migrations/0013-access-token-keys.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`access token keys migration (${kind})`, { skip }, () => {
    let t: TestStore;
    const clock = new ManualClock();
    before(async () => {
      t = await createTestStore(kind);
    });
    after(async () => {
      await t?.dispose();
    });

    it('adds an ES256 key to a tenant that has only RS256, and nothing to one that has both', async () => {
      const older = await createTenant(t.store.db, clock, {
        displayName: 'Older Co',
        domainSuffix: 'portico.localhost',
      });
      const newer = await createTenant(t.store.db, clock, {
        displayName: 'Newer Co',
        domainSuffix: 'portico.localhost',
      });
      await t.store.transaction(async (tx) => {
        await createKeys(tx, clock, older.id);
        await createKeys(tx, clock, newer.id);
      });
      const es256 = (await loadKeys(t.store.db, older.id)).find((k) => k.alg === 'ES256')!;
      // A tenant as it was before ES256 keys existed (the state the migration under test starts from).
      await t.store.db
        .deleteFrom('tenant_keys')
        .where('tenant_id', '=', older.id)
        .where('kid', '=', es256.kid!)
        .execute();

      // At 0013 keys were kept in clear (0047 seals them later): the store is put back as 0013 found it, by opening
      // what today's createKeys sealed. An UPDATE in a test, because no product code of today writes a key in clear.
      for (const row of await t.store.db.selectFrom('tenant_keys').select(['tenant_id', 'kid', 'jwk']).execute())
        await t.store.db
          .updateTable('tenant_keys')
          .set({ jwk: keysOf(t.store.db).open(row.jwk) })
          .where('tenant_id', '=', row.tenant_id)
          .where('kid', '=', row.kid)
          .execute();
      await up(t.store.db as never);
      await up(t.store.db as never);
      const algs = async (id: string) => (await loadKeys(t.store.db, id)).map((k) => k.alg).sort();
      assert.deepEqual(await algs(older.id), ['ES256', 'RS256']);
      assert.deepEqual(await algs(newer.id), ['ES256', 'RS256']);
      const added = (await loadKeys(t.store.db, older.id)).find((k) => k.alg === 'ES256')!;
      assert.equal(added.crv, 'P-256');
      assert.ok(added.d, 'the private part is stored for signing');
    });
  });
}
