import type { Kysely } from 'kysely';

// How often a message's claim expired while it was being sent (mail/worker.ts): the outcome of that attempt is
// unknown, so the message went again, and the outbox says so.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('unknown_outcomes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('unknown_outcomes').execute();
}
