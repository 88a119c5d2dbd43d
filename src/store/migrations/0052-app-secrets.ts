import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

/** The tables as this migration knows them (frozen here, not the live schema). */
interface Db {
  apps: { tenant_id: string; id: string; secret_hash: string | null; created_at: string };
  app_secrets: {
    tenant_id: string;
    app_id: string;
    key_id: string;
    secret_hash: string;
    hint: string | null;
    display_name: string | null;
    start_date_time: string;
    end_date_time: string | null;
  };
}

export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Db>;
  // An app's client secrets (Graph's passwordCredentials), several at once so a secret can be rotated: the new one
  // added, the apps moved to it, the old one removed (apps/secrets.ts). apps.secret_hash stays the value oidc-provider
  // compares; the edge lets a presented secret through as that value when its hash is one of these rows.
  await db.schema
    .createTable('app_secrets')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('hint', 'text')
    .addColumn('display_name', 'text')
    .addColumn('start_date_time', 'text', (c) => c.notNull())
    .addColumn('end_date_time', 'text')
    .addPrimaryKeyConstraint('app_secrets_pk', ['tenant_id', 'app_id', 'key_id'])
    .execute();
  // The secret each confidential app has today becomes its first credential (no hint: only its hash is kept).
  const apps = await db
    .selectFrom('apps')
    .select(['tenant_id', 'id', 'secret_hash', 'created_at'])
    .where('secret_hash', 'is not', null)
    .execute();
  for (const app of apps)
    await db
      .insertInto('app_secrets')
      .values({
        tenant_id: app.tenant_id,
        app_id: app.id,
        key_id: randomUUID(),
        secret_hash: app.secret_hash!,
        hint: null,
        display_name: null,
        start_date_time: app.created_at,
        end_date_time: null,
      })
      .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
