// What survives a process: mail queued while SMTP is down is delivered by the next process on the same data, a
// claim left by a node that died is taken over once it expires, and a node whose claim expired cannot undo the
// outcome recorded by the node that took over.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { enqueue } from '../../src/mail/outbox.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { freePort } from '../helpers/net.ts';
import { createTestStore, postgresUrl, storeKinds, type TestStore } from '../helpers/stores.ts';
import { outboxRow, sampleMail, startSmtpPeer, startWorker } from './peer.ts';

const HOUR = 3_600_000;

/** A second, independent store on the same SQLite file or PostgreSQL schema, as another process would open it. */
async function reopen(ts: TestStore): Promise<Store> {
  const store = ts.pgSchema ? openStore({ url: postgresUrl()!, pgSchema: ts.pgSchema }) : openStore({ url: ts.url });
  await store.migrate();
  return store;
}

for (const { kind, skip } of storeKinds()) {
  describe(`mail recovery (${kind})`, { skip }, () => {
    let ts: TestStore;
    let clock: ManualClock;
    const cleanup: (() => Promise<void>)[] = [];
    before(async () => {
      ts = await createTestStore(kind);
    });
    after(async () => {
      await ts?.dispose();
    });
    beforeEach(async () => {
      // Not product state: each test starts from an empty outbox on the shared store (a fresh store per test would
      // cost a migration each); what the test then queues goes through enqueue() and the worker.
      await ts.store.db.deleteFrom('outbox').execute();
      clock = new ManualClock();
    });
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn();
    });

    it('delivers mail queued while SMTP was down exactly once after a restart', async () => {
      const port = await freePort();

      // First process: queues mail, tries once while nothing listens, then stops.
      const first = await reopen(ts);
      const w1 = startWorker(first, clock, port);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          await first.transaction((tx) =>
            enqueue(tx, clock, `tenant-${i % 2}`, 'invitation', sampleMail({ subject: `before ${i}` })),
          ),
        );
      }
      assert.equal(await w1.worker.runOnce(), 5);
      for (const id of ids) {
        const row = await outboxRow(first, id);
        assert.equal(row.state, 'pending');
        assert.equal(row.attempts, 0, 'a refused connection costs the message nothing');
      }
      // More mail queued after the failed attempt, never tried before the process went away.
      for (let i = 0; i < 3; i++) {
        ids.push(
          await first.transaction((tx) =>
            enqueue(tx, clock, 'tenant-0', 'invitation', sampleMail({ subject: `late ${i}` })),
          ),
        );
      }
      await w1.close();
      await first.close();

      // SMTP comes up; a new process opens the same data with a new worker.
      const peer = await startSmtpPeer({ port });
      cleanup.push(() => peer.close());
      const second = await reopen(ts);
      cleanup.push(() => second.close());
      const w2 = startWorker(second, clock, port);
      cleanup.push(() => w2.close());

      assert.equal(await w2.worker.runOnce(), 8, 'mail that met only a dead server waits no back-off');
      for (let i = 0; i < 3; i++) {
        clock.advance(2 * HOUR);
        assert.equal(await w2.worker.runOnce(), 0);
      }
      assert.deepEqual((await peer.acceptedIds()).sort(), [...ids].sort());
      const states = await second.db.selectFrom('outbox').select(['state']).execute();
      assert.deepEqual(
        states.map((r) => r.state),
        ids.map(() => 'sent'),
      );
    });

    it('takes over a stale claim left by a node that died, but not a live one', async () => {
      const peer = await startSmtpPeer();
      cleanup.push(() => peer.close());
      const w = startWorker(ts.store, clock, peer.port);
      cleanup.push(() => w.close());
      const [stale, live] = [
        await ts.store.transaction((tx) =>
          enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ subject: 'stale' })),
        ),
        await ts.store.transaction((tx) =>
          enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ subject: 'live' })),
        ),
      ];
      const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
      // As claim() leaves rows when the process dies mid-send: 'sending', one attempt counted, a claim deadline.
      // Written directly because a death between claim and outcome cannot be caused in this process; the real
      // kill -9 of a server process in that window is test/mail/crash.test.ts.
      await ts.store.db
        .updateTable('outbox')
        .set({ state: 'sending', attempts: 1, claimed_until: at(-1) })
        .where('id', '=', stale)
        .execute();
      await ts.store.db
        .updateTable('outbox')
        .set({ state: 'sending', attempts: 1, claimed_until: at(60_000) })
        .where('id', '=', live)
        .execute();

      assert.equal(await w.worker.runOnce(), 1);
      assert.deepEqual(await peer.acceptedIds(), [stale]);
      const taken = await outboxRow(ts.store, stale);
      assert.equal(taken.state, 'sent');
      assert.equal(taken.attempts, 2);
      assert.equal(taken.claimed_until, null);
      assert.equal((await outboxRow(ts.store, live)).state, 'sending');

      clock.advance(60_000);
      assert.equal(await w.worker.runOnce(), 0, 'a claim holds until its deadline has passed');
      clock.advance(1);
      assert.equal(await w.worker.runOnce(), 1);
      assert.deepEqual(await peer.acceptedIds(), [stale, live]);
      clock.advance(2 * HOUR);
      assert.equal(await w.worker.runOnce(), 0);
      assert.equal(peer.accepted().length, 2);
    });

    it('does not let a node whose claim expired overwrite the outcome of the node that took over', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let reached!: () => void;
      const slowSendStarted = new Promise<void>((resolve) => {
        reached = resolve;
      });
      // The first transaction is answered late, with a 451; later ones are accepted.
      const peer = await startSmtpPeer({
        answer: (n) => {
          if (n !== 1) return null;
          reached();
          return { at: 'data', code: 451, after: released };
        },
      });
      cleanup.push(() => peer.close());
      const other = await reopen(ts);
      cleanup.push(() => other.close());
      const slow = startWorker(ts.store, clock, peer.port, { claimMs: 60_000 });
      const taker = startWorker(other, clock, peer.port, { claimMs: 60_000 });
      cleanup.push(
        () => slow.close(),
        () => taker.close(),
      );
      const id = await ts.store.transaction((tx) => enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail()));

      const slowRun = slow.worker.runOnce();
      await slowSendStarted;
      assert.equal((await outboxRow(other, id)).state, 'sending');
      assert.equal(await taker.worker.runOnce(), 0, 'the claim is still live');
      clock.advance(60_001);
      assert.equal(await taker.worker.runOnce(), 1);
      assert.deepEqual(await peer.acceptedIds(), [id]);

      release();
      assert.equal(await slowRun, 1);
      const row = await outboxRow(other, id);
      assert.equal(row.state, 'sent', 'the late 451 must not put delivered mail back in the queue');
      assert.equal(row.last_error, null);
      for (let i = 0; i < 3; i++) {
        clock.advance(2 * HOUR);
        assert.equal(await taker.worker.runOnce(), 0);
        assert.equal(await slow.worker.runOnce(), 0);
      }
      assert.equal(peer.accepted().length, 1);
    });
  });
}
