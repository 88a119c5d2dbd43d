import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The sign-in log records the second factor of a sign-in that did MFA (issue #20): JSON { at, method, detail }
  // (Entra's authenticationDetails entry for it: when, which method, how the requirement was met); null otherwise.
  await db.schema.alterTable('sign_ins').addColumn('second_factor', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
