import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A form's outcome page, kept for the one GET its 303 leads to (post/redirect/get, pages/results.ts): the rendered
  // page sealed with the deployment key (it may show a redeem link once), the hash of the random secret in the
  // browser's cookie that alone may read it, and where a second visit goes once the page was shown. Minutes long.
  await db.schema
    .createTable('result_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('back', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('result_pages_expires').on('result_pages').column('expires_at').execute();
  // What the built-in development mail catcher received (mail/caught.ts), kept until cleared, the newest 1,000.
  // Deployment-wide like the catcher itself: no tenant.
  await db.schema
    .createTable('caught_mail')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('copies', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
