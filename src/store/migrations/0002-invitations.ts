import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invitations')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('invited_email', 'text', (c) => c.notNull())
    .addColumn('redirect_url', 'text', (c) => c.notNull())
    .addColumn('ticket_hash', 'text', (c) => c.unique())
    .addColumn('ticket_expires_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('send_message', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message_info', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('redeemed_at', 'text')
    .addPrimaryKeyConstraint('invitations_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('invitations_user').on('invitations').columns(['tenant_id', 'user_id']).execute();

  // Every address of a contact (mail and proxy addresses), so an invitation can tell at once whether it conflicts.
  await db.schema
    .createTable('contact_addresses')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_addresses_pk', ['tenant_id', 'address', 'contact_id'])
    .execute();
  await db.schema
    .createIndex('contact_addresses_contact')
    .on('contact_addresses')
    .columns(['tenant_id', 'contact_id'])
    .execute();

  await db.schema
    .alterTable('users')
    .addColumn('contact_conflict', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('invited_email', 'text').execute();
  await db.schema.createIndex('users_invited_email').on('users').columns(['tenant_id', 'invited_email']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
