import type { Kysely } from 'kysely';

// Terms of use are targeted as Entra's Conditional Access targets them: all guests (the default for new terms), all
// users, or chosen groups (their ids as a JSON array; a group deleted since simply matches nobody), with
// administrators (users holding a directory role) excluded unless chosen. Terms that existed before applied to
// everyone, administrators too, and keep doing so.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('agreements')
    .addColumn('applies_to', 'text', (c) => c.notNull().defaultTo('allUsers'))
    .execute();
  await db.schema
    .alterTable('agreements')
    .addColumn('target_group_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('agreements')
    .addColumn('include_administrators', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
