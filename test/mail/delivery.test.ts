// The transactional outbox end to end: enqueue in the caller's transaction, the worker delivers to a real SMTP
// server on loopback; a rolled-back transaction leaves nothing to send.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { AddressObject } from 'mailparser';

import { ManualClock } from '../../src/clock.ts';
import { enqueue } from '../../src/mail/outbox.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';
import { FROM, outboxRow, sampleMail, startSmtpPeer, startWorker, type SmtpPeer, type TestWorker } from './peer.ts';

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address));

for (const { kind, skip } of storeKinds()) {
  describe(`mail delivery (${kind})`, { skip }, () => {
    let ts: TestStore;
    let peer: SmtpPeer;
    let w: TestWorker;
    let clock: ManualClock;
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
      peer = await startSmtpPeer();
      w = startWorker(ts.store, clock, peer.port);
    });
    afterEach(async () => {
      await w.close();
      await peer.close();
    });

    it('delivers a message enqueued in a committed transaction once, as given', async () => {
      const mail = sampleMail();
      const id = await ts.store.transaction(async (tx) => {
        // Any write stands for the business change the mail belongs to (the outbox's transaction is under test).
        await tx.insertInto('deployment').values({ key: 'delivery-test', value: 'x' }).execute();
        return enqueue(tx, clock, 'tenant-a', 'invitation', mail);
      });
      const queued = await outboxRow(ts.store, id);
      assert.equal(queued.state, 'pending');
      assert.equal(queued.attempts, 0);

      assert.equal(await w.worker.runOnce(), 1);
      const [got, ...more] = await peer.parsed();
      assert.ok(got);
      assert.equal(more.length, 0);
      assert.deepEqual(got.from?.value, [{ name: 'Contoso via Portico', address: FROM }]);
      assert.deepEqual(addresses(got.to), mail.to);
      assert.deepEqual(addresses(got.cc), mail.cc);
      assert.deepEqual(addresses(got.replyTo), [mail.replyTo]);
      assert.equal(got.subject, mail.subject);
      assert.equal(got.text?.trim(), mail.text.trim());
      assert.equal(typeof got.html === 'string' && got.html.trim(), mail.html);
      assert.equal(got.headers.get('x-portico-message-id'), id);

      const sent = await outboxRow(ts.store, id);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.attempts, 1);
      assert.equal(sent.sent_at, clock.now().toISOString());
      assert.equal(sent.last_error, null);
      assert.equal(sent.claimed_until, null);

      // Nothing is sent twice, however much later the worker runs again.
      clock.advance(2 * 3_600_000);
      assert.equal(await w.worker.runOnce(), 0);
      assert.equal(peer.attempts(), 1);
      assert.equal(peer.accepted().length, 1);
    });

    it('sends a plain From address when no display name is given, and a text-only message', async () => {
      const id = await ts.store.transaction((tx) =>
        enqueue(tx, clock, 'tenant-a', 'notice', {
          to: ['dave@fabrikam.example'],
          subject: 'Plain',
          text: 'Just text.',
        }),
      );
      assert.equal(await w.worker.runOnce(), 1);
      const [got] = await peer.parsed();
      assert.deepEqual(got?.from?.value, [{ name: '', address: FROM }]);
      assert.deepEqual(addresses(got?.to), ['dave@fabrikam.example']);
      assert.equal(got?.cc, undefined);
      assert.equal(got?.html, false);
      assert.equal(got?.text?.trim(), 'Just text.');
      assert.equal(got?.headers.get('x-portico-message-id'), id);
    });

    it('sends nothing, ever, for a message enqueued in a transaction that rolls back', async () => {
      await assert.rejects(
        ts.store.transaction(async (tx) => {
          await enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ subject: 'never' }));
          // Stands for the business change the mail belongs to (the outbox's transaction is under test).
          await tx.insertInto('deployment').values({ key: 'rolled-back', value: 'x' }).execute();
          throw new Error('the change failed');
        }),
        /the change failed/,
      );

      const rows = await ts.store.db.selectFrom('outbox').select('id').execute();
      assert.deepEqual(rows, []);
      const deployment = await ts.store.db
        .selectFrom('deployment')
        .select('key')
        .where('key', '=', 'rolled-back')
        .execute();
      assert.deepEqual(deployment, []);
      for (const step of [0, 60_000, 3_600_000, 86_400_000]) {
        clock.advance(step);
        assert.equal(await w.worker.runOnce(), 0);
      }
      assert.equal(peer.attempts(), 0);
      assert.equal(peer.accepted().length, 0);
    });

    it('delivers only the committed one of two transactions', async () => {
      const kept = await ts.store.transaction((tx) =>
        enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ subject: 'kept' })),
      );
      await ts.store
        .transaction(async (tx) => {
          await enqueue(tx, clock, 'tenant-b', 'invitation', sampleMail({ subject: 'dropped' }));
          throw new Error('abort');
        })
        .catch(() => undefined);
      assert.equal(await w.worker.runOnce(), 1);
      const got = await peer.parsed();
      assert.deepEqual(
        got.map((m) => m.subject),
        ['kept'],
      );
      assert.deepEqual(await peer.acceptedIds(), [kept]);
    });
  });
}
