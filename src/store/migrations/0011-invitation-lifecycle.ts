import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A person's "block future invitations" (Entra's opt-out). Deployment-wide on purpose: the block is the invitee's,
  // not any tenant's, it must hold before a tenant has a user for the address, and tenant_id null blocks every
  // organization at once. The address is kept only as an HMAC under a deployment key (invitations/optout.ts).
  await db.schema
    .createTable('invitation_blocks')
    .addColumn('address_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // One row per address and scope; NULL (every organization) is a scope of its own.
  await sql`create unique index invitation_blocks_scope on invitation_blocks (address_key, coalesce(tenant_id, ''))`.execute(
    db,
  );

  // A guest's sponsors (Graph's user.sponsors): users of the same tenant.
  await db.schema
    .createTable('user_sponsors')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('sponsor_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_sponsors_pk', ['tenant_id', 'user_id', 'sponsor_id'])
    .execute();
  await db.schema
    .createIndex('user_sponsors_sponsor')
    .on('user_sponsors')
    .columns(['tenant_id', 'sponsor_id'])
    .execute();

  // Which reminder (days before the ticket expires) went out for an invitation: inserted once, so each is sent once
  // however many nodes sweep. outcome 'blocked': due, but the address had opted out.
  await db.schema
    .createTable('invitation_reminders')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('invitation_id', 'text', (c) => c.notNull())
    .addColumn('days_before', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('invitation_reminders_pk', ['tenant_id', 'invitation_id', 'days_before'])
    .execute();

  // Set once by the sweep when a ticket expired unredeemed; then when the expiry went into a daily summary.
  await db.schema.alterTable('invitations').addColumn('expired_at', 'text').execute();
  await db.schema.alterTable('invitations').addColumn('expiry_summarized_at', 'text').execute();
  // Open tickets by expiry: the deployment-wide expiry sweep, and each tenant's reminders.
  await sql`create index invitations_open_expiry on invitations (ticket_expires_at) where ticket_hash is not null`.execute(
    db,
  );
  await sql`create index invitations_tenant_open_expiry on invitations (tenant_id, ticket_expires_at) where ticket_hash is not null`.execute(
    db,
  );
  await db.schema.createIndex('invitations_expired').on('invitations').columns(['tenant_id', 'expired_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
