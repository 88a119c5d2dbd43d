import { sql, SqliteAdapter, type Kysely } from 'kysely';

// The admin center's list of users (directory/user-search.ts) reads users of the directory (not deleted) in an order:
// by display name, then id, alone or within a user type or an invitation state, or by creation time. Each order is a
// partial index over the directory's users, so a page (and a deep one: the offset walks the index) is read in order and
// never sorted, and the count is read from an index. The name index also holds both addresses, so a substring search
// tests name, mail and user name in the index and reads only the rows it shows. On PostgreSQL, trigram GIN indexes
// (pg_trgm, a trusted extension) serve `like '%x%'` when the extension can be created (docs/performance.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  const listed = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('users').columns(columns).where(sql.ref('deleted_at'), 'is', null).execute();
  await listed('users_list_name', [
    'tenant_id',
    'display_name',
    'id',
    'mail_normalized',
    'upn_normalized',
    'deleted_at',
  ]);
  await listed('users_list_type', [
    'tenant_id',
    'user_type',
    'display_name',
    'id',
    'mail_normalized',
    'upn_normalized',
    'deleted_at',
  ]);
  await listed('users_list_state', ['tenant_id', 'external_user_state', 'display_name', 'id']);
  await listed('users_list_created', ['tenant_id', 'created_at', 'id']);
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
