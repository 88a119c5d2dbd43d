import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Entra's "Allow public client flows" (Graph's `isFallbackPublicClient`): the app may be used without a secret by
  // public clients (a CLI on someone's machine), and only such apps may use the device code grant (oidc/adapter.ts).
  await db.schema
    .alterTable('apps')
    .addColumn('is_fallback_public_client', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
