import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A bulk invitation uploaded in the admin center, worked through in the background by whichever node holds its
  // claim (a token and a lease, renewed with every row), so a job outlives the request and the process.
  await db.schema
    .createTable('bulk_jobs')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('default_redirect', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('succeeded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claim', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('bulk_jobs_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('bulk_jobs_recent').on('bulk_jobs').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('bulk_jobs_due').on('bulk_jobs').columns(['status', 'claimed_until']).execute();

  // The job's rows as read from the CSV, each with its result once invited (outcome null: not yet). Never a redeem
  // URL: it carries the ticket.
  await db.schema
    .createTable('bulk_job_rows')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('redirect_url', 'text', (c) => c.notNull())
    .addColumn('send', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('user_id', 'text')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('bulk_job_rows_pk', ['tenant_id', 'job_id', 'line'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
