// Every stored value sealed with the deployment key (keyring.ts), listed once: what `portico keys rotate` re-seals,
// what `portico keys status` counts, and what the start-up step (at-rest.ts) seals when it finds a value in clear
// (written by an older release during a rolling upgrade) or under an older key (a rotation a crash left half done).
// Its owners read and write these columns (they seal and open them); this module is the one exception that touches
// them all, and it only swaps a value for the same plaintext under another key, each row by a conditional update.
// docs/security.md lists every secret column, these and the hashed ones.
import { sql, type Kysely } from 'kysely';

import { isKey, isSealed, keyIdOf, keyRing, UnreadableSecret, type KeyRing } from '../keyring.ts';
import type { Db, Store } from './index.ts';
import { keysOf } from './keys.ts';

export interface SealedColumn {
  table: string;
  column: string;
  /** the table's primary key, for paging and for each row's conditional update */
  key: readonly string[];
  /** `value`: the column is one sealed value; `json`: a JSON document whose sealed strings are the secrets */
  shape: 'value' | 'json';
  /** A value in clear that is a secret and must be sealed; absent: a value in clear is left alone. */
  secretInClear?: (value: string) => boolean;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  // store/deployment.ts deploymentSecret: the HMAC, cookie and link keys; the server's record and the key id are public
  { table: 'deployment', column: 'value', key: ['key'], shape: 'value', secretInClear: isKey },
  // oidc/keys.ts: private signing JWKs, a tenant's and the personal accounts realm's
  { table: 'tenant_keys', column: 'jwk', key: ['tenant_id', 'kid'], shape: 'value', secretInClear: isJson },
  { table: 'consumer_keys', column: 'jwk', key: ['tenant_id', 'kid'], shape: 'value', secretInClear: isJson },
  // federation/providers.ts: OIDC and Google client secrets
  { table: 'identity_providers', column: 'secret', key: ['tenant_id', 'id'], shape: 'value' },
  // mfa/: each method type's secrets inside its data (the authenticator app's key)
  { table: 'authentication_methods', column: 'data', key: ['tenant_id', 'id'], shape: 'json' },
  // mail/outbox.ts: queued mail's bodies (sealQueuedMail seals those in clear)
  { table: 'outbox', column: 'body', key: ['tenant_id', 'id'], shape: 'value' },
  // pages/results.ts: outcome pages shown once
  { table: 'result_pages', column: 'body', key: ['id'], shape: 'value' },
];

function isJson(value: string): boolean {
  return value.startsWith('{');
}

/** What a value becomes under `ring`'s sealing key, or null when it needs nothing (throws UnreadableSecret). */
export function resealed(ring: KeyRing, column: SealedColumn, value: string): string | null {
  const again = (sealed: string) => (ring.sealedWithCurrent(sealed) ? null : ring.seal(ring.open(sealed)));
  if (column.shape === 'value') {
    if (isSealed(value)) return again(value);
    return column.secretInClear?.(value) ? ring.seal(value) : null;
  }
  let changed = false;
  const walked = JSON.stringify(JSON.parse(value), (_key, v: unknown) => {
    if (typeof v !== 'string' || !isSealed(v)) return v;
    const next = again(v);
    if (next === null) return v;
    changed = true;
    return next;
  });
  return changed ? walked : null;
}

type Row = Record<string, string | null>;

/** Every row of `column` holding a value (or, `stragglers`, only those that may need sealing), a page at a time. */
async function* pages(db: Db, column: SealedColumn, ring: KeyRing, stragglers: boolean): AsyncGenerator<Row[]> {
  const any = db as unknown as Kysely<Record<string, Row>>;
  const col = sql.ref(column.column);
  // LIKE's own wildcards (a key id may hold `_`) are escaped; SQLite has no default escape character.
  const current = `v2.${ring.id.replace(/[!%_]/g, '!$&')}.%`;
  const filter =
    column.shape === 'value'
      ? sql<boolean>`${col} not like ${current} escape '!'`
      : // One sealed string per document (as every method type keeps): in an older format, or under another key.
        sql<boolean>`(${col} like '%"v1.%' or (${col} like '%"v2.%' and ${col} not like ${`%"${current}`} escape '!'))`;
  let after: string[] | undefined;
  for (;;) {
    let query = any
      .selectFrom(column.table)
      .select([...column.key, column.column])
      .where(column.column, 'is not', null)
      .$if(stragglers, (q) => q.where(filter))
      .$if(after !== undefined, (q) =>
        q.where(({ eb, refTuple, tuple }) =>
          column.key.length === 1
            ? eb(column.key[0]!, '>', after![0]!)
            : eb(refTuple(column.key[0]!, column.key[1]!), '>', tuple(after![0]!, after![1]!)),
        ),
      );
    for (const k of column.key) query = query.orderBy(k);
    const rows = await query.limit(500).execute();
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1)!;
    after = column.key.map((k) => String(last[k]));
  }
}

export interface ResealCount {
  table: string;
  column: string;
  /** rows now sealed under the sealing key that were not */
  resealed: number;
  /** values no key of the ring opens (left as they are) */
  unreadable: number;
}

/**
 * Seals under `ring`'s first key every value of every sealed column that is in clear or under another key: a
 * transaction per page of a table, each row by a conditional update (a value its owner changed meanwhile is left
 * to the owner, who wrote it under the current key). `stragglers` reads only the rows that may need it, by their key
 * id (the start-up step); without, every row (a rotation). Idempotent: running it again changes nothing.
 */
export async function resealAll(store: Store, ring: KeyRing, { stragglers = false } = {}): Promise<ResealCount[]> {
  const counts: ResealCount[] = [];
  for (const column of SEALED_COLUMNS) {
    const count = { table: column.table, column: column.column, resealed: 0, unreadable: 0 };
    counts.push(count);
    for await (const rows of pages(store.db, column, ring, stragglers)) {
      const changes: { row: Row; value: string }[] = [];
      for (const row of rows) {
        try {
          const value = resealed(ring, column, row[column.column]!);
          if (value !== null) changes.push({ row, value });
        } catch (error) {
          if (!(error instanceof UnreadableSecret)) throw error;
          count.unreadable++;
        }
      }
      if (changes.length === 0) continue;
      count.resealed += await store.transaction(async (tx) => {
        const any = tx as unknown as Kysely<Record<string, Row>>;
        let done = 0;
        for (const { row, value } of changes) {
          let update = any
            .updateTable(column.table)
            .set({ [column.column]: value })
            .where(column.column, '=', row[column.column]!);
          for (const k of column.key) update = update.where(k, '=', row[k]!);
          done += Number((await update.executeTakeFirst()).numUpdatedRows);
        }
        return done;
      });
    }
  }
  return counts;
}

export interface KeyUse {
  /** a key id, `v1` for values sealed before values named their key that no key of the ring opens, or `clear` */
  key: string;
  table: string;
  column: string;
  values: number;
}

/**
 * How many values each key seals, per column (`portico keys status`): a value that names no key (`v1`) is counted
 * under the key of `ring` that opens it; a secret in clear under `clear`. Reads every sealed column.
 */
export async function keyUse(db: Db, ring: KeyRing = keysOf(db), held: readonly string[] = []): Promise<KeyUse[]> {
  const singles = held.map((k) => keyRing([k], 'held'));
  const uses = new Map<string, KeyUse>();
  const count = (key: string, column: SealedColumn) => {
    const id = `${column.table}.${column.column}:${key}`;
    const use = uses.get(id) ?? { key, table: column.table, column: column.column, values: 0 };
    use.values++;
    uses.set(id, use);
  };
  const keyOf = (sealed: string) =>
    keyIdOf(sealed) ??
    singles.find((r) => {
      try {
        r.open(sealed);
        return true;
      } catch {
        return false;
      }
    })?.id ??
    'v1';
  for (const column of SEALED_COLUMNS) {
    for await (const rows of pages(db, column, ring, false)) {
      for (const row of rows) {
        const value = row[column.column]!;
        if (column.shape === 'value') {
          if (isSealed(value)) count(keyOf(value), column);
          else if (column.secretInClear?.(value)) count('clear', column);
          continue;
        }
        JSON.stringify(JSON.parse(value), (_key, v: unknown) => {
          if (typeof v === 'string' && isSealed(v)) count(keyOf(v), column);
          return v;
        });
      }
    }
  }
  return [...uses.values()];
}
