import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Graph's signIn properties the log did not keep (signins/signins.ts recordSignInAttempt): whose tenant the person
  // belongs to and which one they signed in to (a member of another Portico tenant signing in here is written to
  // both logs, the same entry id in each), the cross-tenant access type, whether it was interactive, and Entra's
  // name of the method (authenticationDetails). Older rows read as the tenant's own, interactive sign-ins.
  for (const [column, type] of [
    ['home_tenant_id', 'text'],
    ['resource_tenant_id', 'text'],
    ['cross_tenant_access_type', 'text'],
    ['authentication_method', 'text'],
  ] as const)
    await db.schema.alterTable('sign_ins').addColumn(column, type).execute();
  await db.schema
    .alterTable('sign_ins')
    .addColumn('is_interactive', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // A redemption's entry is completed with the app it was for by the sign-in pages it returns to (correlation id).
  await db.schema.createIndex('sign_ins_correlation').on('sign_ins').columns(['tenant_id', 'correlation_id']).execute();
  // Graph's signInActivity, one row per user who ever tried to sign in, kept by the sign-in log's writer; deleted
  // with the user.
  await db.schema
    .createTable('sign_in_activity')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_id', 'text', (c) => c.notNull())
    .addColumn('last_successful_sign_in_at', 'text')
    .addColumn('last_successful_sign_in_id', 'text')
    .addPrimaryKeyConstraint('sign_in_activity_pk', ['tenant_id', 'user_id'])
    .addForeignKeyConstraint('sign_in_activity_user_fk', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (f) =>
      f.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('sign_in_activity_last')
    .on('sign_in_activity')
    .columns(['tenant_id', 'last_sign_in_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
