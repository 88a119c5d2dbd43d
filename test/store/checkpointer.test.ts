// A file store's write-ahead log is checkpointed by a worker thread (store/checkpointer.ts), not by the commits on the
// server's event loop: the store's own connection checkpoints only past WAL_AUTOCHECKPOINT_PAGES (40 MB of log), and
// by then the worker has copied nearly every page into the database file, so that checkpoint has little left to copy.
// Seen from the files: 24 MB written in steps (less than the bound) are in the database file within half a second,
// which no checkpoint of the store's own connection has put there. SQLite only.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';

import { WAL_AUTOCHECKPOINT_PAGES } from '../../src/store/checkpointer.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

const sqlite = storeKinds().find((s) => s.kind === 'sqlite')!;

describe('SQLite checkpoints from a worker thread', { skip: sqlite.skip }, () => {
  let ts: TestStore;
  before(async () => {
    ts = await createTestStore('sqlite');
  });
  after(async () => {
    await ts?.dispose();
  });

  it("copies what is written into the database file, though the store's own connection has not checkpointed", async () => {
    const { db } = ts.store;
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    assert.equal(rows[0]!.wal_autocheckpoint, WAL_AUTOCHECKPOINT_PAGES);
    assert.ok(WAL_AUTOCHECKPOINT_PAGES * 4096 > 24 * 1024 * 1024, 'the fallback alone would let the log hold it all');

    // Written straight into a table of the test's own, through the store's transactions: the checkpoints are the
    // store's, below every feature, and 24 MB through a feature (about 6,000 invitations and their emails) would take
    // a minute and measure that feature's writes as well. The product's own tables are not touched.
    await sql`create table checkpoint_probe (id integer primary key, body blob)`.execute(db);
    const chunk = Buffer.alloc(256 * 1024, 7);
    for (let i = 0; i < 96; i++) {
      await ts.store.transaction((tx) => sql`insert into checkpoint_probe (body) values (${chunk})`.execute(tx));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const file = ts.url.slice('sqlite:'.length);
    const mb = (path: string) => statSync(path).size / 1024 / 1024;
    assert.ok(
      mb(`${file}-wal`) < 26,
      `the log holds what was written, less than the fallback bound: ${mb(`${file}-wal`)} MB`,
    );
    assert.ok(mb(file) > 23, `the database file holds the 24 MB: ${mb(file).toFixed(1)} MB`);
  });
});
