// Failure handling against a real SMTP peer: 4xx is retried after its back-off (and not before), 5xx and exhausted
// retries are dead letters, a server that is down is probed (circuit breaker) until it comes up, never held against
// the message. Time moves by ManualClock only.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { enqueue } from '../../src/mail/outbox.ts';
import { BREAKER } from '../../src/mail/worker.ts';
import type { Store } from '../../src/store/index.ts';
import { freePort } from '../helpers/net.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';
import {
  outboxRow,
  sampleMail,
  startSmtpPeer,
  startWorker,
  type Answer,
  type SmtpPeer,
  type TestWorker,
} from './peer.ts';

const BASE_DELAY = 30_000;
const HOUR = 3_600_000;

for (const { kind, skip } of storeKinds()) {
  describe(`mail retries and dead letters (${kind})`, { skip }, () => {
    let ts: TestStore;
    let store: Store;
    let clock: ManualClock;
    const cleanup: (() => Promise<void>)[] = [];
    before(async () => {
      ts = await createTestStore(kind);
      store = ts.store;
    });
    after(async () => {
      await ts?.dispose();
    });
    beforeEach(async () => {
      // Not product state: each test starts from an empty outbox on the shared store (a fresh store per test would
      // cost a migration each); what the test then queues goes through enqueue() and the worker.
      await store.db.deleteFrom('outbox').execute();
      clock = new ManualClock();
    });
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn();
    });

    async function peerAnswering(
      answer: (attempt: number, firstRecipient: string) => Answer,
      port?: number,
    ): Promise<SmtpPeer> {
      const peer = await startSmtpPeer({ answer, port });
      cleanup.push(() => peer.close());
      return peer;
    }
    function worker(port: number, maxAttempts?: number): TestWorker {
      const w = startWorker(store, clock, port, { baseDelayMs: BASE_DELAY, ...(maxAttempts && { maxAttempts }) });
      cleanup.push(() => w.close());
      return w;
    }
    const queue = (subject = 'retry me') =>
      store.transaction((tx) => enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ subject })));

    for (const at of ['rcpt', 'data'] as const) {
      it(`retries a 451 at ${at === 'rcpt' ? 'RCPT TO' : 'end of DATA'} after its back-off, not before, and sends once`, async () => {
        const peer = await peerAnswering((n) => (n === 1 ? { at, code: 451 } : null));
        const { worker: w } = worker(peer.port);
        const id = await queue();

        assert.equal(await w.runOnce(), 1);
        const failed = await outboxRow(store, id);
        assert.equal(failed.state, 'pending');
        assert.equal(failed.attempts, 1);
        assert.match(failed.last_error ?? '', /451/);
        assert.equal(failed.claimed_until, null);
        const delay = Date.parse(failed.next_attempt_at) - clock.now().getTime();
        assert.ok(delay >= BASE_DELAY / 2 && delay <= BASE_DELAY, `first back-off ${delay} ms`);
        assert.equal(peer.attempts(), 1);
        assert.equal(peer.accepted().length, 0);

        // Not re-sent before its time: neither now nor a millisecond before the back-off ends.
        assert.equal(await w.runOnce(), 0);
        clock.advance(delay - 1);
        assert.equal(await w.runOnce(), 0);
        assert.equal(peer.attempts(), 1);

        clock.advance(1);
        assert.equal(await w.runOnce(), 1);
        assert.deepEqual(await peer.acceptedIds(), [id]);
        const sent = await outboxRow(store, id);
        assert.equal(sent.state, 'sent');
        assert.equal(sent.attempts, 2);
        assert.equal(sent.last_error, null);

        clock.advance(2 * HOUR);
        assert.equal(await w.runOnce(), 0);
        assert.equal(peer.accepted().length, 1);
      });
    }

    for (const at of ['rcpt', 'data'] as const) {
      it(`dead-letters a 550 at ${at === 'rcpt' ? 'RCPT TO' : 'end of DATA'} at once and never retries it`, async () => {
        const peer = await peerAnswering(() => ({ at, code: 550 }));
        const { worker: w } = worker(peer.port);
        const id = await queue();

        assert.equal(await w.runOnce(), 1);
        const dead = await outboxRow(store, id);
        assert.equal(dead.state, 'dead');
        assert.equal(dead.attempts, 1);
        assert.match(dead.last_error ?? '', /550/);
        assert.equal(dead.claimed_until, null);

        for (let i = 0; i < 5; i++) {
          clock.advance(2 * HOUR);
          assert.equal(await w.runOnce(), 0);
        }
        assert.equal(peer.attempts(), 1);
        assert.equal(peer.accepted().length, 0);
        assert.equal((await outboxRow(store, id)).state, 'dead');
      });
    }

    it('keeps mail queued, attempts uncounted, while nothing listens on the SMTP port; probes with one message at growing pauses; sends all once it is up', async () => {
      const port = await freePort();
      const { worker: w } = worker(port);
      const ids = [await queue('first'), await queue('second')];

      assert.equal(await w.runOnce(), 2);
      for (const id of ids) {
        const row = await outboxRow(store, id);
        assert.equal(row.state, 'pending');
        assert.equal(row.attempts, 0, "a refused connection is not the message's attempt");
        assert.match(row.last_error ?? '', /ECONNREFUSED/);
      }
      // The breaker: nothing during the pause; then one message probes; each failed probe doubles the pause.
      assert.equal(await w.runOnce(), 0);
      clock.advance(BREAKER.firstMs - 1);
      assert.equal(await w.runOnce(), 0);
      clock.advance(1);
      assert.equal(await w.runOnce(), 1, 'a probe is one message');
      clock.advance(2 * BREAKER.firstMs - 1);
      assert.equal(await w.runOnce(), 0);
      clock.advance(1);
      assert.equal(await w.runOnce(), 1);

      const peer = await peerAnswering(() => null, port);
      assert.equal(await w.runOnce(), 0, 'not before the pause ends');
      assert.equal(peer.attempts(), 0);
      clock.advance(4 * BREAKER.firstMs);
      assert.equal(await w.runOnce(), 2, 'the probe gets through, and the rest follows at once');
      assert.deepEqual((await peer.acceptedIds()).sort(), [...ids].sort());
      for (const id of ids) {
        const row = await outboxRow(store, id);
        assert.equal(row.state, 'sent');
        assert.equal(row.attempts, 1);
      }
      clock.advance(2 * HOUR);
      assert.equal(await w.runOnce(), 0);
      assert.equal(peer.accepted().length, 2);
    });

    it('caps the pause at 15 s and never dead-letters for an unreachable server, however long it stays down', async () => {
      const { worker: w } = worker(await freePort(), 2);
      const id = await queue();
      let probes = 0;
      // An hour of outage, in the breaker's own largest steps.
      for (let i = 0; i < 240; i++) {
        probes += await w.runOnce();
        clock.advance(BREAKER.maxMs);
      }
      assert.ok(probes >= 240 - 5, `probed every 15 s at most (${probes} probes)`);
      const row = await outboxRow(store, id);
      assert.equal(row.state, 'pending');
      assert.equal(row.attempts, 0);
      assert.match(row.last_error ?? '', /ECONNREFUSED/);
    });

    it('dead-letters a message after maxAttempts temporary failures', async () => {
      // 452 (insufficient storage) rather than 421, which smtp-server follows by closing the connection.
      const peer = await peerAnswering(() => ({ at: 'rcpt', code: 452 }));
      const { worker: w } = worker(peer.port, 3);
      const id = await queue();

      for (let attempt = 1; attempt <= 3; attempt++) {
        assert.equal(await w.runOnce(), 1, `attempt ${attempt}`);
        const row = await outboxRow(store, id);
        assert.equal(row.attempts, attempt);
        assert.equal(row.state, attempt < 3 ? 'pending' : 'dead');
        assert.match(row.last_error ?? '', /452/);
        clock.advance(HOUR + 1);
      }
      for (let i = 0; i < 3; i++) {
        clock.advance(2 * HOUR);
        assert.equal(await w.runOnce(), 0);
      }
      assert.equal(peer.attempts(), 3);
      assert.equal(peer.accepted().length, 0);
    });

    it('delivers to a recipient refused with 451 while the others were accepted, once each', async () => {
      // Refuse only busy@ (temporarily), and only the first time it is tried.
      let busyTried = 0;
      const peer = await startSmtpPeer({
        refuse: (to) => (to === 'busy@fabrikam.example' && ++busyTried === 1 ? 451 : null),
      });
      cleanup.push(() => peer.close());
      const { worker: w } = worker(peer.port);
      await store.transaction((tx) =>
        enqueue(
          tx,
          clock,
          'tenant-a',
          'invitation',
          sampleMail({ to: ['alice@fabrikam.example', 'busy@fabrikam.example'], cc: [] }),
        ),
      );
      assert.equal(await w.runOnce(), 1);
      clock.advance(HOUR + 1);
      await w.runOnce();
      const delivered = peer.acceptedRecipients().flat().sort();
      assert.deepEqual(delivered, ['alice@fabrikam.example', 'busy@fabrikam.example'], 'each recipient gets it once');
      assert.equal(await w.runOnce(), 0, 'nothing left to send');
    });

    it('records a recipient refused with 550 while the others were accepted, and does not retry it', async () => {
      const peer = await startSmtpPeer({ refuse: (to) => (to === 'gone@fabrikam.example' ? 550 : null) });
      cleanup.push(() => peer.close());
      const { worker: w } = worker(peer.port);
      const id = await store.transaction((tx) =>
        enqueue(
          tx,
          clock,
          'tenant-a',
          'invitation',
          sampleMail({ to: ['alice@fabrikam.example', 'gone@fabrikam.example'], cc: [] }),
        ),
      );
      assert.equal(await w.runOnce(), 1);
      const row = await outboxRow(store, id);
      assert.equal(row.state, 'sent');
      assert.match(row.last_error ?? '', /gone@fabrikam\.example/);
      clock.advance(2 * HOUR);
      assert.equal(await w.runOnce(), 0);
      assert.deepEqual(peer.acceptedRecipients().flat(), ['alice@fabrikam.example']);
    });

    it('retries only the failing message of a batch', async () => {
      const peer = await peerAnswering((n, to) =>
        n <= 3 && to === 'busy@fabrikam.example' ? { at: 'rcpt', code: 451 } : null,
      );
      const { worker: w } = worker(peer.port);
      const ids = [await queue('one')];
      ids.push(
        await store.transaction((tx) =>
          enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ to: ['busy@fabrikam.example'] })),
        ),
      );
      ids.push(await queue('three'));

      assert.equal(await w.runOnce(), 3);
      // A batch is claimed in one statement; the order within it is not promised.
      assert.deepEqual((await peer.acceptedIds()).sort(), [ids[0], ids[2]].sort());
      const states = await Promise.all(ids.map(async (id) => (await outboxRow(store, id)).state));
      assert.deepEqual(states, ['sent', 'pending', 'sent']);
      clock.advance(BASE_DELAY);
      assert.equal(await w.runOnce(), 1);
      assert.equal((await peer.acceptedIds())[2], ids[1]);
      assert.equal(peer.accepted().length, 3);
    });
  });
}
