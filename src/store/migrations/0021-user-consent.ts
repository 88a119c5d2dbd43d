import { sql, SqliteAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

// User consent and app roles for users (issue #18).
// - app_user_grants: a user's own consent to delegated scopes of an API of the tenant (Graph's oauth2PermissionGrant
//   with consentType Principal): one row per client app, API and user, its scope values space-separated. An
//   administrator's consent for everyone stays in app_permission_grants (kind Scope).
// - service_principals.app_id now points to the registration it stands for (apps.client_id, unique in the deployment)
//   ON DELETE CASCADE: when the owner tenant permanently deletes a multi-tenant app, every other tenant's service
//   principal of it goes too, and with it (the next key) every user's consent to it there.
// - app_user_consents (tenant_id, app_id) points to its service principal, ON DELETE CASCADE.
// - app_assignments.app_role_id: the app role a user or group is assigned (Graph's appRoleAssignment), the default
//   access role 00000000-0000-0000-0000-000000000000 for the assignments made before; a principal may hold several
//   roles of one app, so the role joins the primary key.
// SQLite cannot add a constraint or change a primary key: each table is rebuilt (new table, copy, drop, rename,
// indexes again; store/index.ts runs this with foreign keys off and checks them before the commit). Rows whose parent
// is already gone (service principals of apps deleted before this change) are removed first.

export const DEFAULT_ACCESS_ROLE = '00000000-0000-0000-0000-000000000000';

type Builder = CreateTableBuilder<string, never>;

const servicePrincipals = (t: Builder) =>
  t
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('app_owner_tenant_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('admin_consent_granted_at', 'text')
    .addPrimaryKeyConstraint('service_principals_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('service_principals_app', ['tenant_id', 'app_id'])
    .addForeignKeyConstraint('service_principals_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint('service_principals_owner_fk', ['app_owner_tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint('service_principals_app_fk', ['app_id'], 'apps', ['client_id'], (fk) =>
      fk.onDelete('cascade'),
    );

const userConsents = (t: Builder) =>
  t
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_user_consents_pk', ['tenant_id', 'app_id', 'user_id'])
    .addForeignKeyConstraint('app_user_consents_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'app_user_consents_user_fk',
      ['tenant_id', 'user_id'],
      'users',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'app_user_consents_sp_fk',
      ['tenant_id', 'app_id'],
      'service_principals',
      ['tenant_id', 'app_id'],
      (fk) => fk.onDelete('cascade'),
    );

const assignments = (t: Builder) =>
  t
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('app_role_id', 'text', (c) => c.notNull().defaultTo(DEFAULT_ACCESS_ROLE))
    .addPrimaryKeyConstraint('app_assignments_pk', ['tenant_id', 'app_id', 'principal_id', 'app_role_id'])
    .addForeignKeyConstraint('app_assignments_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    );

async function removeOrphans(db: Kysely<unknown>): Promise<void> {
  await sql`delete from service_principals where not exists (select 1 from apps a where a.client_id = service_principals.app_id)`.execute(
    db,
  );
  await sql`delete from app_user_consents where not exists (select 1 from service_principals p
    where p.tenant_id = app_user_consents.tenant_id and p.app_id = app_user_consents.app_id)`.execute(db);
}

/** SQLite: the table again with `define`'s columns and keys, its rows copied (`columns` in the old table's terms). */
async function rebuild(db: Kysely<unknown>, table: string, define: (t: Builder) => Builder, columns: string) {
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master
    where tbl_name = ${table} and type = 'index' and sql is not null`.execute(db);
  const next = `${table}_0021`;
  await define(db.schema.createTable(next) as unknown as Builder).execute();
  await sql.raw(`insert into ${next} select ${columns} from ${table}`).execute(db);
  await sql.raw(`drop table ${table}`).execute(db);
  await sql.raw(`alter table ${next} rename to ${table}`).execute(db);
  for (const index of rows) await sql.raw(index.sql).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await removeOrphans(db);
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await rebuild(db, 'service_principals', servicePrincipals, '*');
    await rebuild(db, 'app_user_consents', userConsents, '*');
    await rebuild(db, 'app_assignments', assignments, `*, '${DEFAULT_ACCESS_ROLE}'`);
  } else {
    await sql`alter table service_principals add constraint service_principals_app_fk foreign key (app_id)
      references apps (client_id) on delete cascade`.execute(db);
    await sql`alter table app_user_consents add constraint app_user_consents_sp_fk foreign key (tenant_id, app_id)
      references service_principals (tenant_id, app_id) on delete cascade`.execute(db);
    await sql
      .raw(`alter table app_assignments add column app_role_id text not null default '${DEFAULT_ACCESS_ROLE}'`)
      .execute(db);
    await sql`alter table app_assignments drop constraint app_assignments_pk`.execute(db);
    await sql`alter table app_assignments add constraint app_assignments_pk
      primary key (tenant_id, app_id, principal_id, app_role_id)`.execute(db);
  }
  await db.schema.createIndex('service_principals_app_id').on('service_principals').column('app_id').execute();

  await db.schema
    .createTable('app_user_grants')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('client_app_id', 'text', (c) => c.notNull())
    .addColumn('resource_app_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_user_grants_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('app_user_grants_one', ['tenant_id', 'client_app_id', 'resource_app_id', 'user_id'])
    .addForeignKeyConstraint('app_user_grants_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'app_user_grants_client_fk',
      ['tenant_id', 'client_app_id'],
      'apps',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'app_user_grants_resource_fk',
      ['tenant_id', 'resource_app_id'],
      'apps',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint('app_user_grants_user_fk', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('app_user_grants_user').on('app_user_grants').columns(['tenant_id', 'user_id']).execute();
  await db.schema
    .createIndex('app_user_grants_resource')
    .on('app_user_grants')
    .columns(['tenant_id', 'resource_app_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
