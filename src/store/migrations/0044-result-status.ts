import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Post/redirect/get for the sign-in pages too (pages/results.ts): a kept page keeps its status (a step's page with
  // "That code is not right" is a 400), and a sign-in page without an error may be shown again to the same browser
  // (a reload shows the same step) rather than once. null status: 200; again 0/null: once. own_script 1: the page
  // runs Portico's own script (a passkey page: http/headers.ts allowOwnScript).
  await db.schema.alterTable('result_pages').addColumn('status', 'integer').execute();
  await db.schema.alterTable('result_pages').addColumn('again', 'integer').execute();
  await db.schema.alterTable('result_pages').addColumn('own_script', 'integer').execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
