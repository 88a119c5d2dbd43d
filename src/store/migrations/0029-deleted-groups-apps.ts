import type { Kysely } from 'kysely';

// Deleted items for groups and app registrations (issue #19), as 0026 did for users: deleting marks the row
// `deleted_at`, so nothing cascades and a restore within 30 days brings back the same object (a group's members and
// app role assignments; an app's appId, credentials, redirect URIs, assignments, service principals and consents).
// The maintenance sweep deletes it for good afterwards. An app's appId stays reserved while it is deleted, as in Entra.
// `users.must_change_password`: a password an administrator reset (or set with Graph's
// `passwordProfile.forceChangePasswordNextSignIn`) must be changed at the next sign-in before any app gets a token.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('groups').addColumn('deleted_at', 'text').execute();
  await db.schema.alterTable('apps').addColumn('deleted_at', 'text').execute();
  await db.schema.createIndex('groups_deleted_at').on('groups').columns(['deleted_at']).execute();
  await db.schema.createIndex('apps_deleted_at').on('apps').columns(['deleted_at']).execute();
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
