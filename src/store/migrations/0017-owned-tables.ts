import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Every row that belongs to a tenant or to a user now says so with a foreign key, ON DELETE CASCADE (as Logto and
// Better Auth do): deleting a user deletes what is theirs in one statement, and a table added later cannot be
// forgotten by a hand-written list of deletes (two fixes had already landed for rows such a list missed).
//
// References that cannot cascade, and who clears them instead (directory/users.ts deleteUser calls each owner):
// - audit_events: names users inside JSON and must keep the history; never cleared (issue #17 excludes it). It has no
//   key to its tenant either: the log is append-only (triggers refuse every delete, 0001), so a cascade could only fail.
// - sign_ins.user_id: the sign-in log keeps its entries after a user is deleted (Entra keeps a deleted user's
//   sign-ins for its retention period), but the entry stops naming the deleted id: it keeps what was typed and
//   shown, like an attempt by a name that matched no user. A composite SET NULL would null tenant_id too (SQLite has
//   no column list for it), so signins/signins.ts forgetUser clears the id.
// - bulk_job_rows.user_id: a bulk job's results keep their rows and counts; the row stops naming the user, for the
//   same reason (invitations/bulk-jobs.ts forgetUser).
// - app_assignments.principal_id: a user or a group (principal_type), so no single parent (apps/assignments.ts
//   forgetPrincipal).
// - oidc_payloads.account_id: oidc-provider's artifacts, keyed by the account inside their JSON; sessions/revoke.ts
//   revokeUser deletes them, as it does when a user is disabled.
// - attempt_counters: keys, not columns (`pw:user:<tenant>:<user>`); signins/lockout.ts endLockout.
// - outbox and email_codes: their tenant column may also hold the consumer realm ('personal'), which is no tenant.
//
// Rows whose parent is already gone (left by older deletes) are removed first, or could not satisfy the constraint;
// the id columns that cannot cascade are cleared the same way. SQLite cannot add a constraint to a table: each table
// is rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter: new table with the constraints, copy, drop,
// rename, indexes again) with foreign keys off and one transaction around it all, then `foreign_key_check` must
// report nothing before the commit. PostgreSQL adds the constraints in the migration's transaction.

const tenant = (table: string) => ({
  name: `${table}_tenant_fk`,
  columns: ['tenant_id'],
  parent: 'tenants',
  parentColumns: ['id'],
});
const user = (table: string, column: string) => ({
  name: `${table}_${column}_fk`,
  columns: ['tenant_id', column],
  parent: 'users',
  parentColumns: ['tenant_id', 'id'],
});

interface ForeignKey {
  name: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
}

/** The child tables and their keys; `users` first, so its children are rebuilt after their parent. */
export const FOREIGN_KEYS: Record<string, ForeignKey[]> = {
  users: [tenant('users')],
  tenant_domains: [tenant('tenant_domains')],
  groups: [tenant('groups')],
  group_members: [tenant('group_members'), user('group_members', 'member_id')],
  contacts: [tenant('contacts')],
  contact_addresses: [tenant('contact_addresses')],
  apps: [tenant('apps')],
  app_assignments: [tenant('app_assignments')],
  oidc_payloads: [tenant('oidc_payloads')],
  tenant_keys: [tenant('tenant_keys')],
  invitations: [tenant('invitations'), user('invitations', 'user_id')],
  invitation_reminders: [
    tenant('invitation_reminders'),
    {
      name: 'invitation_reminders_invitation_fk',
      columns: ['tenant_id', 'invitation_id'],
      parent: 'invitations',
      parentColumns: ['tenant_id', 'id'],
    },
  ],
  invitation_blocks: [tenant('invitation_blocks')],
  user_sponsors: [tenant('user_sponsors'), user('user_sponsors', 'user_id'), user('user_sponsors', 'sponsor_id')],
  redemption_flows: [tenant('redemption_flows'), user('redemption_flows', 'user_id')],
  agreements: [tenant('agreements')],
  agreement_files: [tenant('agreement_files')],
  agreement_acceptances: [tenant('agreement_acceptances'), user('agreement_acceptances', 'user_id')],
  sessions: [tenant('sessions'), user('sessions', 'user_id')],
  identity_providers: [tenant('identity_providers')],
  identity_provider_domains: [tenant('identity_provider_domains')],
  federation_requests: [tenant('federation_requests')],
  saml_assertions_seen: [tenant('saml_assertions_seen')],
  external_identities: [tenant('external_identities'), user('external_identities', 'user_id')],
  sign_ins: [tenant('sign_ins')],
  cross_tenant_policies: [tenant('cross_tenant_policies')],
  bulk_jobs: [tenant('bulk_jobs')],
  bulk_job_rows: [tenant('bulk_job_rows')],
};

const clause = (k: ForeignKey) =>
  `constraint ${k.name} foreign key (${k.columns.join(', ')}) references ${k.parent} (${k.parentColumns.join(', ')}) on delete cascade`;

/** `true` where the row's parent exists, for a key (SQL over the child's own name). */
const parentExists = (table: string, k: ForeignKey) =>
  `exists (select 1 from ${k.parent} p where ${k.columns.map((c, i) => `p.${k.parentColumns[i]} = ${table}.${c}`).join(' and ')})`;

const userGone = (table: string, column: string) =>
  `${column} is not null and not exists (select 1 from users u where u.tenant_id = ${table}.tenant_id and u.id = ${table}.${column})`;

/** Rows the constraints would refuse, and ids of users that no longer exist in columns that cannot cascade. */
async function removeOrphans(db: Kysely<unknown>): Promise<void> {
  // Parents before children (a user whose tenant is gone goes before the rows that name the user).
  for (const [table, keys] of Object.entries(FOREIGN_KEYS)) {
    for (const k of keys) {
      // A null key (invitation_blocks for every tenant) has no parent to miss.
      await sql
        .raw(
          `delete from ${table} where ${k.columns.map((c) => `${c} is not null`).join(' and ')} and not ${parentExists(table, k)}`,
        )
        .execute(db);
    }
  }
  await sql.raw(`update sign_ins set user_id = null where ${userGone('sign_ins', 'user_id')}`).execute(db);
  await sql.raw(`update bulk_job_rows set user_id = null where ${userGone('bulk_job_rows', 'user_id')}`).execute(db);
  await sql
    .raw(`delete from app_assignments where principal_type = 'User' and ${userGone('app_assignments', 'principal_id')}`)
    .execute(db);
  await sql.raw(`delete from oidc_payloads where ${userGone('oidc_payloads', 'account_id')}`).execute(db);
  await sql
    .raw(
      `delete from attempt_counters where key like 'pw:user:%'
    and not exists (select 1 from users u where 'pw:user:' || u.tenant_id || ':' || u.id = attempt_counters.key)`,
    )
    .execute(db);
}

/** The indexes the cascades and the owners' clearing look rows up by, where none served yet. */
async function addIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('redemption_flows_user')
    .on('redemption_flows')
    .columns(['tenant_id', 'user_id'])
    .execute();
  await db.schema.createIndex('bulk_job_rows_user').on('bulk_job_rows').columns(['tenant_id', 'user_id']).execute();
}

async function rebuildSqlite(db: Kysely<unknown>, table: string, keys: ForeignKey[]): Promise<void> {
  const { rows } = await sql<{
    type: string;
    sql: string;
  }>`select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const create = rows.find((r) => r.type === 'table')?.sql;
  if (!create) throw new Error(`0017: no table ${table}`);
  const body = create.slice(create.indexOf('('), create.lastIndexOf(')'));
  const rebuilt = `${table}_0017`;
  await sql.raw(`create table ${rebuilt} ${body}, ${keys.map(clause).join(', ')})`).execute(db);
  // Same columns in the same order (the definition is the old one): the copy is a plain select *.
  await sql.raw(`insert into ${rebuilt} select * from ${table}`).execute(db);
  await sql.raw(`drop table ${table}`).execute(db);
  await sql.raw(`alter table ${rebuilt} rename to ${table}`).execute(db);
  // Indexes and triggers (the audit log's append-only ones) went with the old table.
  for (const other of rows.filter((r) => r.type !== 'table')) await sql.raw(other.sql).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await removeOrphans(db);
    for (const [table, keys] of Object.entries(FOREIGN_KEYS)) {
      for (const k of keys) await sql.raw(`alter table ${table} add ${clause(k)}`).execute(db);
    }
    await addIndexes(db);
    return;
  }
  // store/index.ts runs SQLite's migrations in one `begin immediate` transaction with foreign keys off (a pragma that is
  // a no-op inside a transaction), so dropping a parent while rebuilding does not cascade into its children; it checks
  // `foreign_key_check` before committing, and a failure anywhere rolls all of it back.
  await removeOrphans(db);
  for (const [table, keys] of Object.entries(FOREIGN_KEYS)) await rebuildSqlite(db, table, keys);
  await addIndexes(db);
  const { rows } = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(db);
  if (rows.length > 0) throw new Error(`0017: rows without a parent remain: ${JSON.stringify(rows.slice(0, 5))}`);
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
