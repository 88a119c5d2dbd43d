import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per sign-in attempt at a tenant (signins/signins.ts). Names are copied, not joined: the log must still
  // say who tried after the user or app is renamed or deleted, and an unknown user has no row to join.
  await db.schema
    .createTable('sign_ins')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('user_principal_name', 'text', (c) => c.notNull())
    .addColumn('upn_normalized', 'text', (c) => c.notNull())
    .addColumn('user_display_name', 'text')
    .addColumn('user_type', 'text')
    .addColumn('app_id', 'text')
    .addColumn('app_display_name', 'text')
    .addColumn('ip_address', 'text')
    .addColumn('client_app_used', 'text')
    .addColumn('identity_provider', 'text', (c) => c.notNull())
    .addColumn('sign_in_method', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('error_code', 'integer', (c) => c.notNull())
    .addColumn('failure_reason', 'text')
    .addColumn('correlation_id', 'text')
    .addPrimaryKeyConstraint('sign_ins_pk', ['tenant_id', 'id'])
    .execute();
  // Lists page newest first, by (created_at, id); a user's sign-ins are the usual filter and page the same way.
  await db.schema.createIndex('sign_ins_created').on('sign_ins').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema
    .createIndex('sign_ins_user')
    .on('sign_ins')
    .columns(['tenant_id', 'user_id', 'created_at', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
