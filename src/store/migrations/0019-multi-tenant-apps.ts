import type { Kysely } from 'kysely';

// Multi-tenant apps (issue #18). Numbered 0019 because another change of #18 may take 0018; the integrator renumbers.
// - apps.sign_in_audience: Graph's signInAudience, who may sign in to the app (apps/audience.ts).
// - service_principals: a multi-tenant app registered in another tenant, as this tenant knows it (Entra's service
//   principal): created by the first consent here (a user's, or an administrator's for everyone). The registration,
//   its secrets and its redirect URIs stay with the owner tenant; what is this tenant's is here: when it was
//   consented to, and by an administrator for everyone or not.
// - app_user_consents: a user's own consent to an app of another tenant (Graph's oauth2PermissionGrant with
//   consentType Principal), so the consent page is not shown at every sign-in.
// - oidc_payloads (model, id): the common endpoints' token endpoint finds which tenant issued a code or a refresh
//   token by its id (oidc/common.ts), without the tenant in the URL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('apps')
    .addColumn('sign_in_audience', 'text', (c) => c.notNull().defaultTo('AzureADMyOrg'))
    .execute();
  await db.schema
    .createTable('service_principals')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('app_owner_tenant_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('admin_consent_granted_at', 'text')
    .addPrimaryKeyConstraint('service_principals_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('service_principals_app', ['tenant_id', 'app_id'])
    .addForeignKeyConstraint('service_principals_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint('service_principals_owner_fk', ['app_owner_tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createTable('app_user_consents')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_user_consents_pk', ['tenant_id', 'app_id', 'user_id'])
    .addForeignKeyConstraint('app_user_consents_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'app_user_consents_user_fk',
      ['tenant_id', 'user_id'],
      'users',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('oidc_payloads_model_id').on('oidc_payloads').columns(['model', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
