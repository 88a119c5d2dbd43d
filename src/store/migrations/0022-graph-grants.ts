import type { Kysely } from 'kysely';

// What an administrator granted a client app on Portico's own Graph-shaped API (apps/graph-api.ts): the delegated
// Graph scopes (User.Invite.All, …) of the app's requiredResourceAccess for Microsoft Graph's appId, for every user.
// Portico's API is no app row, so these are not app_permission_grants (whose resource is an app); the rows point to
// their tenant and client app ON DELETE CASCADE, as migration 0017 does.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('graph_permission_grants')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('client_app_id', 'text', (c) => c.notNull())
    .addColumn('permission_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('graph_permission_grants_pk', ['tenant_id', 'client_app_id', 'permission_id'])
    .addForeignKeyConstraint('graph_permission_grants_tenant_fk', ['tenant_id'], 'tenants', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'graph_permission_grants_client_fk',
      ['tenant_id', 'client_app_id'],
      'apps',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
