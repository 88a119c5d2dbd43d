import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A refused bulk row keeps its refusal by code (the message key and its parameters as JSON) beside the en-US text,
  // so the admin center and the CLI say it in the reader's language. Rows stored before keep only the text (null here).
  await db.schema.alterTable('bulk_job_rows').addColumn('error_key', 'text').execute();
  await db.schema.alterTable('bulk_job_rows').addColumn('error_params', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
