// Deployment-wide values kept in the store so that every node shares them (cookie signing keys, for one). The
// secrets among them are sealed with the deployment key (keyring.ts), which the store does not hold (migration 0047
// sealed those kept in clear before); the public values (the server's record, the key id) are not secrets.
import { isSealed } from '../keyring.ts';
import { newSecret } from '../secrets.ts';
import type { Db } from './index.ts';
import { keysOf } from './keys.ts';

// A stored secret never changes, so each store reads it once; hot paths (every form, every code, every invitation
// email's opt-out link) then do no I/O. Only values read outside a transaction are kept: one created inside a
// transaction that rolls back never existed. The cache is keyed by the store's adapter, which its transactions
// share, so a transaction finds what the store already knows; a key first wanted inside a transaction is then read
// by the store itself once that transaction has ended, so the next one finds it too.
interface Known {
  root?: Db;
  reading: Map<string, Promise<string>>;
  values: Map<string, string>;
}
const known = new WeakMap<object, Known>();

const knownOf = (db: Db): Known => {
  const adapter = db.getExecutor().adapter;
  let cache = known.get(adapter);
  if (!cache) known.set(adapter, (cache = { reading: new Map(), values: new Map() }));
  return cache;
};

/** Called by the store when it opens, so secrets first wanted inside a transaction are cached too. */
export const rememberStore = (db: Db): void => {
  knownOf(db).root = db;
};

/** Whether the store answers (the readiness probe): one read of the deployment table. */
export async function storeAnswers(db: Db): Promise<void> {
  await db.selectFrom('deployment').select('key').limit(1).execute();
}

/** Returns the secret stored under `key`, creating it once; safe when several nodes race at first start. */
export async function deploymentSecret(db: Db, key: string): Promise<string> {
  const cache = knownOf(db);
  const { reading, values, root } = cache;
  const value = values.get(key);
  if (value !== undefined) return value;
  if (db.isTransaction) {
    // Not awaited: on SQLite the store's one connection is this transaction's until it ends.
    if (root && !reading.has(key)) void deploymentSecret(root, key).catch(() => undefined);
    return readOrCreate(db, key);
  }
  let read = reading.get(key);
  if (!read) {
    read = readOrCreate(db, key);
    read.then(
      (v) => values.set(key, v),
      () => reading.delete(key),
    );
    reading.set(key, read);
  }
  return read;
}

async function readOrCreate(db: Db, key: string): Promise<string> {
  const keys = keysOf(db);
  await db
    .insertInto('deployment')
    .values({ key, value: keys.seal(newSecret(32)) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('deployment').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  // In clear only if an older release made it after this one migrated (a rolling upgrade): sealed at the next start.
  return isSealed(row.value) ? keys.open(row.value) : row.value;
}

/**
 * What a running server says about itself, for the CLI beside it: its public URL (the one source of truth for links
 * the CLI prints and mails) and its version. Written by every server at start; the last start wins.
 */
export interface RecordedServer {
  baseUrl: string;
  version: string;
}

const SERVER_KEYS = { baseUrl: 'server.base_url', version: 'server.version' } as const;

export async function recordServer(db: Db, server: RecordedServer): Promise<void> {
  for (const [field, key] of Object.entries(SERVER_KEYS))
    await db
      .insertInto('deployment')
      .values({ key, value: server[field as keyof RecordedServer] })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: server[field as keyof RecordedServer] }))
      .execute();
}

/** The server's record, or null when no server has started on this store yet. */
export async function recordedServer(db: Db): Promise<RecordedServer | null> {
  const rows = await db
    .selectFrom('deployment')
    .select(['key', 'value'])
    .where('key', 'in', Object.values(SERVER_KEYS))
    .execute();
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const baseUrl = value(SERVER_KEYS.baseUrl);
  return baseUrl ? { baseUrl, version: value(SERVER_KEYS.version) ?? 'unknown' } : null;
}
