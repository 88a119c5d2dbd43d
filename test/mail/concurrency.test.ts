// Several nodes on one PostgreSQL: two workers, each with its own pool on the same schema, drain one outbox at the
// same time, and every message reaches the SMTP server exactly once (FOR UPDATE SKIP LOCKED in the claim).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { enqueue } from '../../src/mail/outbox.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { createTestStore, postgresUrl, storeKinds, type TestStore } from '../helpers/stores.ts';
import { sampleMail, startSmtpPeer, startWorker, type SmtpPeer, type TestWorker } from './peer.ts';

const COUNT = 200;
const pg = storeKinds().find((k) => k.kind === 'postgres')!;

describe('mail workers on two nodes (postgres)', { skip: pg.skip }, () => {
  let ts: TestStore;
  let stores: Store[] = [];
  let peer: SmtpPeer;
  let workers: TestWorker[] = [];
  const clock = new ManualClock();

  before(async () => {
    ts = await createTestStore('postgres');
    stores = [
      openStore({ url: postgresUrl()!, pgSchema: ts.pgSchema, pgPoolSize: 4 }),
      openStore({ url: postgresUrl()!, pgSchema: ts.pgSchema, pgPoolSize: 4 }),
    ];
    peer = await startSmtpPeer();
    workers = stores.map((store) => startWorker(store, clock, peer.port, { batchSize: 7, pool: 'one' }));
  });
  after(async () => {
    for (const w of workers) await w.close();
    for (const s of stores) await s.close();
    await peer?.close();
    await ts?.dispose();
  });

  it(`delivers each of ${COUNT} queued messages exactly once`, async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < COUNT / 50; batch++) {
      ids.push(
        ...(await ts.store.transaction(async (tx) => {
          const inTx: string[] = [];
          for (let i = 0; i < 50; i++) {
            inTx.push(
              await enqueue(
                tx,
                clock,
                `tenant-${i % 3}`,
                'invitation',
                sampleMail({ to: [`user${batch * 50 + i}@fabrikam.example`], subject: `#${batch * 50 + i}` }),
              ),
            );
          }
          return inTx;
        })),
      );
      clock.advance(1);
    }

    const handled = await Promise.all(workers.map((w) => w.worker.runOnce()));
    assert.equal(handled[0]! + handled[1]!, COUNT, `handled ${handled.join(' + ')}`);
    assert.ok(
      handled.every((n) => n > 0),
      `both nodes took part (${handled.join(' + ')})`,
    );

    const received = await peer.acceptedIds();
    assert.equal(received.length, COUNT);
    const counts = new Map<string, number>();
    for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
    assert.deepEqual(
      [...counts.entries()].filter(([, n]) => n !== 1),
      [],
      'no message sent twice',
    );
    assert.deepEqual([...counts.keys()].sort(), [...ids].sort());

    const rows = await ts.store.db.selectFrom('outbox').select(['state', 'attempts']).execute();
    assert.equal(rows.length, COUNT);
    assert.ok(rows.every((r) => r.state === 'sent' && r.attempts === 1));

    // Both run again, concurrently, later: nothing left to send.
    clock.advance(2 * 3_600_000);
    assert.deepEqual(await Promise.all(workers.map((w) => w.worker.runOnce())), [0, 0]);
    assert.equal(peer.accepted().length, COUNT);
  });
});
