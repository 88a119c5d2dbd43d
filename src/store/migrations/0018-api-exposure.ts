import type { Kysely } from 'kysely';

// Apps that expose an API (Graph's identifierUris, api.oauth2PermissionScopes, appRoles) and apps that ask for
// another app's permissions (requiredResourceAccess): four JSON columns on apps, written by apps/api-exposure.ts.
// `app_identifier_uris` holds each identifier URI once per tenant (its primary key makes two apps claiming the same
// URI at once fail, and finds the API a token request names); `app_permission_grants` what an administrator granted:
// delegated scopes for every user (Scope) and application permissions (Role) of a client app to a resource app.
// Both point to their tenant and their apps with foreign keys ON DELETE CASCADE, as migration 0017 does.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const name of ['identifier_uris', 'api_scopes', 'app_roles', 'required_resource_access']) {
    await db.schema
      .alterTable('apps')
      .addColumn(name, 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  }
  await db.schema
    .createTable('app_identifier_uris')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_identifier_uris_pk', ['tenant_id', 'uri'])
    .addForeignKeyConstraint('app_identifier_uris_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint('app_identifier_uris_app_fk', ['tenant_id', 'app_id'], 'apps', ['tenant_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('app_identifier_uris_app')
    .on('app_identifier_uris')
    .columns(['tenant_id', 'app_id'])
    .execute();
  await db.schema
    .createTable('app_permission_grants')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('client_app_id', 'text', (c) => c.notNull())
    .addColumn('resource_app_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('permission_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_permission_grants_pk', [
      'tenant_id',
      'client_app_id',
      'resource_app_id',
      'kind',
      'permission_id',
    ])
    .addForeignKeyConstraint('app_permission_grants_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'app_permission_grants_client_fk',
      ['tenant_id', 'client_app_id'],
      'apps',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'app_permission_grants_resource_fk',
      ['tenant_id', 'resource_app_id'],
      'apps',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('app_permission_grants_resource')
    .on('app_permission_grants')
    .columns(['tenant_id', 'resource_app_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
