import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A tenant's cross-tenant access settings: the default ('default') and one row per partner tenant, each the JSON of
  // Graph's crossTenantAccessPolicyConfiguration (a partner's null fields inherit the default).
  await db.schema
    .createTable('cross_tenant_policies')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cross_tenant_policies_pk', ['tenant_id', 'partner'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
