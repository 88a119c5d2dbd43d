import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Each node keeps a tenant's configuration (the tenant, its app registrations, its provider) in memory; a change to
  // it counts the tenant's epoch up in its own transaction, and every node compares the epochs of the tenants it holds
  // four times a second (store/epochs.ts). A tenant without a row is at epoch 0.
  await db.schema
    .createTable('cache_epochs')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('epoch', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
