import type { Kysely } from 'kysely';

// The personal accounts realm's OpenID provider (issue #18: Entra's consumers tenant, oidc/consumers.ts). It is no
// tenant, so its artifacts and signing keys cannot live in oidc_payloads and tenant_keys (whose tenant_id points to
// tenants): these two tables have the same columns, tenant_id always the consumers tenant id, so one adapter
// (oidc/adapter.ts) and one key loader (oidc/keys.ts) serve both.
// - consumer_oidc_payloads: sessions, grants, codes and tokens of personal accounts; account_id points to the
//   personal account (ON DELETE CASCADE).
// - consumer_keys: the realm's signing keys, created on first use.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consumer_oidc_payloads')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('uid', 'text')
    .addColumn('user_code', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('consumed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('account_id', 'text')
    .addPrimaryKeyConstraint('consumer_oidc_payloads_pk', ['tenant_id', 'model', 'id'])
    .addForeignKeyConstraint('consumer_oidc_payloads_account_fk', ['account_id'], 'personal_accounts', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('consumer_oidc_payloads_grant')
    .on('consumer_oidc_payloads')
    .columns(['tenant_id', 'grant_id'])
    .execute();
  await db.schema
    .createIndex('consumer_oidc_payloads_uid')
    .on('consumer_oidc_payloads')
    .columns(['tenant_id', 'model', 'uid'])
    .execute();
  await db.schema
    .createIndex('consumer_oidc_payloads_expiry')
    .on('consumer_oidc_payloads')
    .columns(['expires_at'])
    .execute();
  await db.schema
    .createIndex('consumer_oidc_payloads_model_id')
    .on('consumer_oidc_payloads')
    .columns(['model', 'id'])
    .execute();
  await db.schema
    .createIndex('consumer_oidc_payloads_account')
    .on('consumer_oidc_payloads')
    .columns(['account_id'])
    .execute();
  await db.schema
    .createTable('consumer_keys')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addPrimaryKeyConstraint('consumer_keys_pk', ['tenant_id', 'kid'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
