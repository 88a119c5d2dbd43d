// Deployment-wide values kept in the store so that every node shares them (cookie signing keys, for one).
import { newSecret } from '../secrets.ts';
import type { Db } from './index.ts';

// A stored secret never changes, so each store reads it once; hot paths (every form, every code) then do no I/O.
// Only values read outside a transaction are kept: one created inside a transaction that rolls back never existed.
const known = new WeakMap<Db, Map<string, Promise<string>>>();

/** Returns the secret stored under `key`, creating it once; safe when several nodes race at first start. */
export async function deploymentSecret(db: Db, key: string): Promise<string> {
  if (db.isTransaction) return readOrCreate(db, key);
  let cache = known.get(db);
  if (!cache) known.set(db, (cache = new Map()));
  let value = cache.get(key);
  if (!value) {
    value = readOrCreate(db, key);
    value.catch(() => cache.delete(key));
    cache.set(key, value);
  }
  return value;
}

async function readOrCreate(db: Db, key: string): Promise<string> {
  await db.insertInto('deployment').values({ key, value: newSecret(32) }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('deployment').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
