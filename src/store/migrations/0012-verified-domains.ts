import { sql, SqliteAdapter, type Kysely } from 'kysely';

// A domain name was unique across the deployment in any state, so one tenant could block every other from a name
// by merely adding it. As in Entra, any tenant may now add a name; only one may have it verified (the partial
// unique index), which also makes two tenants' verifications racing end with exactly one owner.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    // SQLite cannot drop a column's UNIQUE: the table is rebuilt without it (nothing references it).
    await sql`create table tenant_domains_0012 (
      tenant_id text not null, name text not null, is_initial integer not null default 0,
      is_verified integer not null default 0, created_at text not null,
      constraint tenant_domains_pk primary key (tenant_id, name))`.execute(db);
    await sql`insert into tenant_domains_0012 (tenant_id, name, is_initial, is_verified, created_at)
      select tenant_id, name, is_initial, is_verified, created_at from tenant_domains`.execute(db);
    await sql`drop table tenant_domains`.execute(db);
    await sql`alter table tenant_domains_0012 rename to tenant_domains`.execute(db);
  } else {
    await sql`alter table tenant_domains drop constraint tenant_domains_name_key`.execute(db);
  }
  await sql`create unique index tenant_domains_verified_name on tenant_domains (name) where is_verified = 1`.execute(
    db,
  );
  // Who else has a name (verified or not) is asked by name alone.
  await db.schema.createIndex('tenant_domains_name').on('tenant_domains').column('name').execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
