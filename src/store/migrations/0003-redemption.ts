import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The deployment-wide consumer realm (Entra's Microsoft account): belongs to no tenant.
  await db.schema
    .createTable('personal_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_normalized', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('email_verified_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // User-based discovery looks up an address as a member's UPN in any tenant.
  await db.schema.createIndex('users_upn_any_tenant').on('users').columns(['upn_normalized']).execute();

  // One-time codes mailed to an address: redemption passcodes, proof of an invited address, personal-account
  // verification and password reset. `realm` is the tenant id, or 'personal' for the consumer realm.
  await db.schema
    .createTable('email_codes')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('email_normalized', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consumed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('client_ip', 'text')
    .addPrimaryKeyConstraint('email_codes_pk', ['realm', 'id'])
    .execute();
  await db.schema
    .createIndex('email_codes_subject')
    .on('email_codes')
    .columns(['realm', 'purpose', 'subject'])
    .execute();
  await db.schema
    .createIndex('email_codes_address')
    .on('email_codes')
    .columns(['email_normalized', 'created_at'])
    .execute();
  await db.schema.createIndex('email_codes_ip').on('email_codes').columns(['client_ip', 'created_at']).execute();

  // A redemption in progress, keyed by the hash of the secret in the guest's flow cookie.
  await db.schema
    .createTable('redemption_flows')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('invitation_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addPrimaryKeyConstraint('redemption_flows_pk', ['tenant_id', 'id'])
    .execute();

  // Terms of use: an agreement per tenant, its files per version and language, and acceptances.
  await db.schema
    .createTable('agreements')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('is_viewing_before_acceptance_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reaccept_days', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agreements_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createTable('agreement_files')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    /** base64 of the file */
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agreement_files_pk', ['tenant_id', 'agreement_id', 'version', 'language'])
    .execute();
  await db.schema
    .createTable('agreement_acceptances')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agreement_acceptances_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('agreement_acceptances_user')
    .on('agreement_acceptances')
    .columns(['tenant_id', 'user_id', 'agreement_id', 'recorded_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
