import { sql, SqliteAdapter, type Kysely } from 'kysely';

// The admin center's list of users (directory/user-search.ts) sorts by display name, then id, alone or within a user
// type (the guests), or by creation time: each order is an index, so a page is read in order and never sorted. Its
// substring search: on PostgreSQL, trigram GIN indexes (pg_trgm, a trusted extension) serve `like '%x%'` over the
// name and both addresses when the extension can be created; without it the search scans, as it does on SQLite, where
// a scan of 100,000 guests stays well under the page's budget (docs/performance.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('users_list_name').on('users').columns(['tenant_id', 'display_name', 'id']).execute();
  await db.schema
    .createIndex('users_list_type_name')
    .on('users')
    .columns(['tenant_id', 'user_type', 'display_name', 'id'])
    .execute();
  await db.schema.createIndex('users_list_created').on('users').columns(['tenant_id', 'created_at', 'id']).execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  // In its own subtransaction: a role that may not create it leaves the migration going on, without the indexes.
  await sql`do $$ begin
    create extension if not exists pg_trgm with schema public;
  exception when others then null;
  end $$`.execute(db);
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`.execute(db);
  if (rows[0]?.n !== 1) return;
  await sql`create index users_search_name on users using gin (lower(display_name) public.gin_trgm_ops)`.execute(db);
  await sql`create index users_search_mail on users using gin (mail_normalized public.gin_trgm_ops)`.execute(db);
  await sql`create index users_search_upn on users using gin (upn_normalized public.gin_trgm_ops)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
