// Which deployment key (keyring.ts) a store seals with. The ring is the store's, found from any handle on it: the
// store itself or one of its transactions (they share the store's adapter, as deployment.ts relies on too), so code
// that only holds a transaction (the outbox's enqueue) seals without a new parameter on every path to it.
import type { KeyRing } from '../keyring.ts';
import type { Db, Tx } from './index.ts';

const rings = new WeakMap<object, KeyRing>();

/** Sets the key ring `db` seals and unseals with (openStore sets the embedded default; the app, the configured one). */
export const useKeys = (db: Db, ring: KeyRing): void => {
  rings.set(db.getExecutor().adapter, ring);
};

export function keysOf(db: Db | Tx): KeyRing {
  const ring = rings.get(db.getExecutor().adapter);
  if (!ring) throw new Error('this store has no deployment key');
  return ring;
}

/** The deployment row naming the key that seals (its public id, never the key). */
const KEY_ID_ROW = 'sealing-key-id';

/**
 * Run at start, after migrating: refuses a key that cannot read what the store holds sealed. The store remembers
 * the id of the key that last sealed; a process holding none of that key (a second node that generated its own key
 * file, a key lost or mistyped) stops with a message instead of sealing mail other nodes cannot read. A ring whose
 * first key is new (rotation) records it, so nodes still without the new key are refused from then on.
 */
export async function checkKeys(db: Db): Promise<void> {
  const ring = keysOf(db);
  await db
    .insertInto('deployment')
    .values({ key: KEY_ID_ROW, value: ring.id })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const stored = (
    await db.selectFrom('deployment').select('value').where('key', '=', KEY_ID_ROW).executeTakeFirstOrThrow()
  ).value;
  if (stored === ring.id) return;
  if (!ring.ids.includes(stored)) {
    throw new Error(
      `this store's secrets are sealed with a deployment key this process does not hold (key id ${stored}; ours, from ${ring.source}: ${ring.id}). ` +
        'Every node and CLI sharing the store needs the same PORTICO_SECRET_KEY (README, "Deployment key").',
    );
  }
  await db
    .updateTable('deployment')
    .set({ value: ring.id })
    .where('key', '=', KEY_ID_ROW)
    .where('value', '=', stored)
    .execute();
}
