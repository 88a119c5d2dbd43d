import { sql, type Kysely } from 'kysely';

// Entra's deleted items (issue #19): deleting a user marks the row `deleted_at` instead of removing it, so nothing
// cascades and a restore within 30 days brings back the same object with its memberships, assignments, identities
// and invitation state; the maintenance sweep deletes it for good afterwards (the permanent delete cascades, 0017).
// As in Entra, a deleted user's userPrincipalName and mail are free for a new object at once: the unique indexes cover
// only users that are not deleted, and a restore that meets a new owner of either fails with a conflict.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deleted_at', 'text').execute();
  await db.schema.dropIndex('users_upn').execute();
  await db.schema.dropIndex('users_mail').execute();
  await db.schema
    .createIndex('users_upn')
    .unique()
    .on('users')
    .columns(['tenant_id', 'upn_normalized'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('users_mail')
    .unique()
    .on('users')
    .columns(['tenant_id', 'mail_normalized'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  // The sweep's look-up of users deleted longer ago than the retention period.
  await db.schema.createIndex('users_deleted_at').on('users').columns(['deleted_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
