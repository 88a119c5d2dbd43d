// The same suite on both stores (as Better Auth's test helper does): a fresh SQLite file, and a fresh schema in
// the PostgreSQL named by PORTICO_TEST_DATABASE_URL. Under CI the PostgreSQL leg is required, not skipped.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

import { openStore, type Store } from '../../src/store/index.ts';
import { migrations } from '../../src/store/migrations/index.ts';

export type StoreKind = 'sqlite' | 'postgres';

export interface TestStore {
  store: Store;
  /** the URL to give a child process (CLI, server) that must use the same data */
  url: string;
  pgSchema?: string;
  dispose(): Promise<void>;
}

// `PORTICO_TEST_STORES=sqlite` runs the SQLite leg alone: CI's pass on its second Node.js version (.ci/run), where
// only the native SQLite driver differs; the PostgreSQL leg then skips instead of being required.
const sqliteOnly = (): boolean => process.env.PORTICO_TEST_STORES === 'sqlite';

export const postgresUrl = (): string | undefined =>
  sqliteOnly() ? undefined : process.env.PORTICO_TEST_DATABASE_URL || undefined;

/** Under CI a missing PostgreSQL is an error (unless the run asked for SQLite alone); on a laptop that leg skips. */
export const postgresRequired = (): boolean => Boolean(process.env.CI) && !sqliteOnly();

const pgSkip = (): string => (sqliteOnly() ? 'PORTICO_TEST_STORES=sqlite' : 'PORTICO_TEST_DATABASE_URL not set');

/** The stores this run covers; CI without PostgreSQL is an error, a laptop without it only skips that leg. */
export function storeKinds(): { kind: StoreKind; skip: string | false }[] {
  const pgUrl = postgresUrl();
  if (!pgUrl && postgresRequired())
    throw new Error('CI=true but PORTICO_TEST_DATABASE_URL is not set: the PostgreSQL leg must run in CI.');
  return [
    { kind: 'sqlite', skip: false },
    { kind: 'postgres', skip: pgUrl ? false : pgSkip() },
  ];
}

/** A fresh store, migrated to the latest version unless `migrate: false` (a test that builds an older store). */
export async function createTestStore(kind: StoreKind, { migrate = true } = {}): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'portico-test-'));
    const url = `sqlite:${join(dir, 'portico.db')}`;
    const store = openStore({ url });
    if (migrate) await store.migrate();
    return {
      store,
      url,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = postgresUrl()!;
  const pgSchema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${pgSchema}`);
  await admin.end();
  const store = openStore({ url, pgSchema });
  if (migrate) await store.migrate();
  return {
    store,
    url: withSchema(url, pgSchema),
    pgSchema,
    dispose: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${pgSchema} cascade`);
      await c.end();
    },
  };
}

/** A PostgreSQL URL whose connections use `schema` (libpq's `options` parameter, which pg honours). */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A fresh store migrated up to the migration before `migration` (a test of that migration starts there). */
export async function storeBefore(kind: StoreKind, migration: string): Promise<TestStore> {
  const names = Object.keys(migrations).sort();
  const at = names.indexOf(migration);
  if (at < 1) throw new Error(`no migration before ${migration}`);
  const t = await createTestStore(kind, { migrate: false });
  await t.store.migrate({ upTo: names[at - 1]! });
  return t;
}
