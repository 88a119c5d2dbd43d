// The storage seam: one Kysely instance over SQLite (better-sqlite3, default) or PostgreSQL (pg), picked by URL.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  SqliteDialect,
  type Driver,
  type LogConfig,
  type MigrationResultSet,
  type Transaction,
} from 'kysely';
import { LRUCache } from 'lru-cache';
import pg from 'pg';

import { loadKeyRing, type KeyRing } from '../keyring.ts';
import { startCheckpointer, WAL_AUTOCHECKPOINT_PAGES } from './checkpointer.ts';
import { rememberStore } from './deployment.ts';
import { groupCommit } from './group-commit.ts';
import { foldText } from './json.ts';
import { useKeys } from './keys.ts';
import { literalLimits } from './literal-limits.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { statementCounter } from './statement-count.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database> | Kysely<Database>;

export interface Store {
  readonly db: Db;
  readonly kind: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction; anything that must happen with a change (audit, outbox) takes the same tx. */
  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * A write that needs no transaction of its own (one statement, outside any transaction): on SQLite it joins the
   * group commit with whatever else is being written, instead of paying a commit alone; on PostgreSQL it just runs.
   */
  write<T>(fn: (db: Tx) => Promise<T>): Promise<T>;
  /** Applies every migration not yet applied, or only those up to and including `upTo` (a test that builds an older store). */
  migrate(options?: { upTo?: string }): Promise<void>;
  /** PostgreSQL's connection pool as it is now (the metrics); none on SQLite, which has one connection */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `sqlite:<path>` or `postgres://...` */
  url: string;
  /** PostgreSQL schema to use (tests give each suite its own). */
  pgSchema?: string;
  pgPoolSize?: number;
  /** what it seals with (store/keys.ts); default: the embedded default key file for `url` (keyring.ts) */
  keys?: KeyRing;
}

export function openStore(options: StoreOptions): Store {
  const { url } = options;
  const postgres = url.startsWith('postgres://') || url.startsWith('postgresql://');
  if (postgres || url.startsWith('sqlite:')) {
    const keys = options.keys ?? loadKeyRing({ databaseUrl: url });
    const store = postgres ? openPostgres(options) : openSqlite(url.slice('sqlite:'.length));
    useKeys(store.db, keys);
    return store;
  }
  throw new Error(
    `PORTICO_DATABASE_URL must start with sqlite: or postgres:// (got ${JSON.stringify(url.split(':')[0])})`,
  );
}

/**
 * Transactions begin IMMEDIATE: they take SQLite's write lock at the start. A deferred one that reads first and then
 * writes fails at once with "database is locked" when another process (the CLI beside the server, a second worker)
 * committed in between; busy_timeout cannot help that case, but it does make an IMMEDIATE begin wait its turn.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * better-sqlite3 as Kysely sees it, with prepared statements kept by their SQL: Kysely prepares every query anew, and
 * preparing was the largest single cost of a short query (a CPU profile of the token endpoint). Safe because Kysely
 * runs each statement to completion synchronously (no streaming here), so a cached statement is never busy.
 */
function withStatementCache(database: SQLite.Database, size = 1000) {
  const statements = new LRUCache<string, SQLite.Statement>({ max: size });
  return {
    prepare(sql: string): SQLite.Statement {
      let stmt = statements.get(sql);
      if (!stmt) statements.set(sql, (stmt = database.prepare(sql)));
      return stmt;
    },
    close: () => {
      statements.clear();
      database.close();
    },
  };
}

/** Kysely's `log` hook counting statements for the benchmark, only when BENCH_COUNT_STATEMENTS is set. */
function counting(): { log?: LogConfig } {
  const log = statementCounter();
  return log ? { log } : {};
}

function openSqlite(path: string): Store {
  if (path !== ':memory:') ownerOnlyFile(path);
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  // The CLI writes to the same file while the server runs: wait for the lock instead of failing.
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  // A worker thread checkpoints the log (store/checkpointer.ts); this connection only when it has grown far past it.
  database.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  database.pragma('foreign_keys = ON');
  // Deleted rows and dropped mail bodies are zeroed in the pages SQLite writes anyway, not left readable in the file.
  database.pragma('secure_delete = FAST');
  // Lower case for every letter (SQLite's lower() folds ASCII only), as the admin lists' searches fold their text.
  database.function('portico_fold', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? foldText(text) : text,
  );
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }),
    plugins: [literalLimits()],
    ...counting(),
  });
  const store = makeStore(db, 'sqlite');
  if (path === ':memory:') return store;
  const checkpointer = startCheckpointer(path);
  return {
    ...store,
    async close() {
      await checkpointer.stop();
      await store.close();
    },
  };
}

/**
 * The store file holds sealed secrets and hashes: only its owner may read it. Created (with its folder) as 0600 before
 * SQLite opens it, so the WAL and shared-memory files SQLite makes beside it get the same mode; an existing file
 * (and its WAL) is narrowed to 0600 at every open.
 */
function ownerOnlyFile(path: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

/** The schema a URL's `options=-c search_path=<schema>` selects, if any. */
function schemaInUrl(url: string): string | undefined {
  const options = new URL(url).searchParams.get('options') ?? '';
  return /search_path=([A-Za-z_][\w]*)/.exec(options)?.[1];
}

function openPostgres({ url, pgSchema = schemaInUrl(url), pgPoolSize }: StoreOptions): Store {
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  const pool = new pg.Pool({
    connectionString: url,
    max: pgPoolSize ?? 10,
    ...(pgSchema ? { options: `-c search_path=${pgSchema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...counting() });
  return {
    ...makeStore(db, 'postgres', pgSchema),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

/**
 * SQLite's migrations, all in one `begin immediate` transaction. Kysely takes no lock on SQLite (it assumes one
 * process), so two processes starting on a fresh file (the server and a CLI, or three CLIs) would apply the same
 * migration twice; here the second waits for the first's commit and then finds nothing to do. Foreign keys are off
 * meanwhile (a no-op inside a transaction, so set before it): a migration that rebuilds a table (0017) must not
 * cascade into its children when it drops the old one; `foreign_key_check` must then find nothing before the commit.
 */
async function migrateSqlite(db: Db, run: () => Promise<MigrationResultSet>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  // A long migration (a table rebuild of a large store) must not make a waiting process give up after 5 s.
  await sql`pragma busy_timeout = 600000`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      const { error, results } = await run();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error');
        throw new Error(
          `migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`,
          { cause: error },
        );
      }
      const { rows } = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(db);
      if (rows.length > 0) throw new Error(`migration left rows without a parent: ${JSON.stringify(rows.slice(0, 5))}`);
      await sql`commit`.execute(db);
      // What a migration replaced (0047: secrets in clear) stays in the write-ahead log's older frames until a
      // checkpoint: written into the file now (secure_delete zeroes what is freed) and the log emptied.
      if (results?.some((r) => r.status === 'Success')) await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma busy_timeout = 5000`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

function makeStore(db: Db, kind: Store['kind'], pgSchema?: string): Store {
  rememberStore(db);
  // PostgreSQL runs transactions side by side on its pool and groups their commits itself.
  const transaction: Store['transaction'] = kind === 'sqlite' ? groupCommit(db) : (fn) => db.transaction().execute(fn);
  return {
    db,
    kind,
    transaction,
    write: kind === 'sqlite' ? transaction : (fn) => fn(db),
    async migrate({ upTo } = {}) {
      // Kysely looks for its own tables across all schemas; naming ours keeps schemas that share a database apart.
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        ...(pgSchema && { migrationTableSchema: pgSchema }),
      });
      if (kind === 'sqlite')
        return migrateSqlite(db, () => (upTo ? migrator.migrateTo(upTo) : migrator.migrateToLatest()));
      for (let attempt = 1; ; attempt++) {
        const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
        if (!error) return;
        // Kysely's introspection reads every table of the database; a schema another process drops meanwhile makes
        // PostgreSQL fail it with invalid_schema_name for that other schema. Nothing was applied: try again.
        if (kind === 'postgres' && (error as { code?: string }).code === '3F000' && attempt < 5) continue;
        const failed = results?.find((r) => r.status === 'Error');
        throw new Error(
          `migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`,
          { cause: error },
        );
      }
    },
    close: () => db.destroy(),
  };
}
