import { sql, SqliteAdapter, type Kysely } from 'kysely';

// The users list's substring search (directory/user-search.ts) on SQLite: an FTS5 trigram index of every user's
// display name, mail and user principal name, so a search of three characters or more reads the users that match
// instead of testing every user of the tenant (issue #21, docs/performance.md). Contentless (the users table holds the
// text) and keyed by `users_search_keys.rid`, an INTEGER PRIMARY KEY, so the key survives a VACUUM (the users table's
// own rowid may not). Triggers keep it in step with every insert, change of the three columns, and delete; the index
// folds case itself (the tokenizer's case_sensitive 0, Unicode case folding). PostgreSQL has its trigram GIN indexes
// from migration 0037 where pg_trgm could be created.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`create table users_search_keys (
    rid integer primary key,
    tenant_id text not null,
    id text not null,
    unique (tenant_id, id)
  )`.execute(db);
  await sql`create virtual table users_search using fts5(
    name, mail, upn, content='', contentless_delete=1, tokenize='trigram'
  )`.execute(db);
  const rid = (row: 'new' | 'old') =>
    sql.raw(`(select rid from users_search_keys where tenant_id = ${row}.tenant_id and id = ${row}.id)`);
  const add = sql`insert into users_search_keys (tenant_id, id) values (new.tenant_id, new.id);
    insert into users_search (rowid, name, mail, upn)
      values (${rid('new')}, new.display_name, new.mail_normalized, new.upn_normalized);`;
  await sql`create trigger users_search_insert after insert on users begin ${add} end`.execute(db);
  await sql`create trigger users_search_update
    after update of tenant_id, id, display_name, mail_normalized, upn_normalized on users begin
      delete from users_search where rowid = ${rid('old')};
      delete from users_search_keys where tenant_id = old.tenant_id and id = old.id;
      ${add}
    end`.execute(db);
  await sql`create trigger users_search_delete after delete on users begin
      delete from users_search where rowid = ${rid('old')};
      delete from users_search_keys where tenant_id = old.tenant_id and id = old.id;
    end`.execute(db);
  // The users there are already.
  await sql`insert into users_search_keys (tenant_id, id) select tenant_id, id from users`.execute(db);
  await sql`insert into users_search (rowid, name, mail, upn)
    select k.rid, u.display_name, u.mail_normalized, u.upn_normalized
    from users u join users_search_keys k on k.tenant_id = u.tenant_id and k.id = u.id`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
