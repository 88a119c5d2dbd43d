import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Attempt counters shared by every node (http/rate-limit.ts): per-IP and per-address rate limits, wrong one-time
  // codes per address, and each account's password failures (signins/lockout.ts). One row per key, changed by one
  // conditional upsert per attempt.
  await db.schema
    .createTable('attempt_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_ends', 'text', (c) => c.notNull())
    .addColumn('consecutive', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The sweep deletes counters whose window ended long ago.
  await db.schema.createIndex('attempt_counters_window').on('attempt_counters').column('window_ends').execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
