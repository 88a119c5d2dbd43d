import type { Kysely } from 'kysely';

// Conditional Access (issue #20): a tenant's policies in Graph's conditionalAccessPolicy shape, owned by
// src/conditional-access/policies.ts (conditions and grant controls as JSON, as Graph nests them), pointing to their
// tenant ON DELETE CASCADE as migration 0017 does; and the sign-in log's record of which policies applied to an
// attempt (Graph's signIn.appliedConditionalAccessPolicies and conditionalAccessStatus; null in older rows).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conditional_access_policies')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('grant_controls', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text')
    .addPrimaryKeyConstraint('conditional_access_policies_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('conditional_access_policies_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.alterTable('sign_ins').addColumn('conditional_access_status', 'text').execute();
  await db.schema.alterTable('sign_ins').addColumn('applied_ca_policies', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
