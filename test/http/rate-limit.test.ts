// The store's attempt counters (http/rate-limit.ts) on both stores, with an injected clock: the fixed window, the
// consecutive ceiling, one conditional upsert under parallel attempts, two stores' worth of nodes sharing one, and
// the sweep keeping an account's password count while dropping spent windows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { countAttempt, createRateLimiter, refusalOf } from '../../src/http/rate-limit.ts';
import { lockoutKey } from '../../src/signins/lockout.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { SWEEP_GRACE_MS, sweepExpired } from '../../src/store/sweep.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

const MIN = 60_000;

for (const { kind, skip } of storeKinds()) {
  describe(`attempt counters (${kind})`, { skip }, () => {
    let t: TestStore;
    const clock = new ManualClock(new Date('2026-04-01T10:00:00Z'));
    before(async () => {
      t = await createTestStore(kind);
    });
    after(async () => {
      await t?.dispose();
    });

    it('allows the limit per window, then refuses until the window passes; reset starts again', async () => {
      const limiter = createRateLimiter(t.store, clock, { name: 'test', limit: 3, windowMs: MIN });
      const hits = [];
      for (let i = 0; i < 4; i++) hits.push(await limiter.hit('ip'));
      assert.deepEqual(hits, [true, true, true, false]);
      assert.equal(await limiter.hit('other'), true);
      clock.advance(MIN - 1);
      assert.equal(await limiter.hit('ip'), false, 'still the same window');
      clock.advance(1);
      assert.equal(await limiter.hit('ip'), true, 'a new window');
      await limiter.reset('ip');
      for (let i = 0; i < 3; i++) assert.equal(await limiter.hit('ip'), true);
      assert.equal(await limiter.hit('ip'), false);
    });

    it('counts parallel attempts exactly: the limit lets through that many and no more', async () => {
      const results = await Promise.all(
        Array.from({ length: 25 }, () =>
          t.store.write((db) => countAttempt(db, clock, 'parallel', { limit: 10, windowMs: MIN })),
        ),
      );
      assert.equal(results.filter(Boolean).length, 10);
      const row = await t.store.db
        .selectFrom('attempt_counters')
        .selectAll()
        .where('key', '=', 'parallel')
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.count), 10, 'refused attempts are not counted');
    });

    it('refuses at the consecutive ceiling whatever the window, and says so', async () => {
      const limits = { limit: 2, windowMs: MIN, consecutiveLimit: 5 };
      let allowed = 0;
      for (let i = 0; i < 20; i++) {
        if (await countAttempt(t.store.db, clock, 'slow', limits)) allowed++;
        else assert.equal(await refusalOf(t.store.db, 'slow', limits), allowed < 5 ? 'window' : 'consecutive');
        clock.advance(MIN / 2);
      }
      assert.equal(allowed, 5);
      clock.advance(365 * 24 * 60 * MIN);
      assert.equal(await countAttempt(t.store.db, clock, 'slow', limits), false, 'a year later: still refused');
    });

    it('holds across two nodes sharing the store', async () => {
      // A second Store on the same database, as a second Portico process opens it.
      const other: Store = openStore({ url: t.url });
      try {
        const a = createRateLimiter(t.store, clock, { name: 'nodes', limit: 4, windowMs: MIN });
        const b = createRateLimiter(other, clock, { name: 'nodes', limit: 4, windowMs: MIN });
        const hits = [
          await a.hit('k'),
          await b.hit('k'),
          await a.hit('k'),
          await b.hit('k'),
          await b.hit('k'),
          await a.hit('k'),
        ];
        assert.deepEqual(hits, [true, true, true, true, false, false]);
      } finally {
        await other.close();
      }
    });

    it('sweeps spent windows, but keeps an account password count', async () => {
      const account = lockoutKey({ kind: 'member', tenantId: 't1', userId: 'u1' });
      const unknown = lockoutKey({ kind: 'unknown', realm: 't1', name: 'Nobody@Example.com' });
      for (const key of [account, unknown, 'rate:sweep:ip'])
        await countAttempt(t.store.db, clock, key, { limit: 10, windowMs: MIN });
      clock.advance(MIN + SWEEP_GRACE_MS + 1);
      await countAttempt(t.store.db, clock, 'rate:sweep:live', { limit: 10, windowMs: MIN });
      await sweepExpired(t.store, clock);
      const keys = (await t.store.db.selectFrom('attempt_counters').select('key').execute()).map((r) => r.key);
      assert.ok(keys.includes(account), 'the account count stays');
      assert.ok(keys.includes('rate:sweep:live'));
      assert.ok(!keys.includes(unknown) && !keys.includes('rate:sweep:ip'), 'spent windows go');
    });
  });
}
