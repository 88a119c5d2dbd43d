import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What My Apps shows and who may use an app. SQLite adds one column per ALTER TABLE, hence one statement each.
  // `delegated_permissions` are the delegated scopes the app asks for; `admin_consent_required` the subset only an
  // administrator may consent to, for everyone at once (`admin_consent_granted_at`).
  const columns: [string, 'text' | 'integer', string | number | null][] = [
    ['logo_url', 'text', null],
    ['homepage_url', 'text', null],
    ['assignment_required', 'integer', 0],
    ['delegated_permissions', 'text', '[]'],
    ['admin_consent_required', 'text', '[]'],
    ['admin_consent_granted_at', 'text', null],
    ['visible_in_my_apps', 'integer', 1],
  ];
  for (const [name, type, fallback] of columns) {
    await db.schema
      .alterTable('apps')
      .addColumn(name, type, (c) => (fallback === null ? c : c.notNull().defaultTo(fallback)))
      .execute();
  }
  // Users and groups assigned to an app; with `assignment_required` only they (and the groups' members) may sign in.
  await db.schema
    .createTable('app_assignments')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_assignments_pk', ['tenant_id', 'app_id', 'principal_id'])
    .execute();
  await db.schema
    .createIndex('app_assignments_principal')
    .on('app_assignments')
    .columns(['tenant_id', 'principal_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
