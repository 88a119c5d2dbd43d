import type { Kysely } from 'kysely';

// Queued mail carries redeem links and codes, which were kept in clear in `outbox.message` forever. From here a row
// keeps its envelope in `message` and its body in `body`, sealed with the deployment key (mail/outbox.ts). This
// migration has no key, so it only splits what stores already hold: a delivered message loses its body at once; a
// message still to send (or dead, which an administrator may retry) gets its body in `body` in clear, and the start-up
// step that runs right after migrating in every process (at-rest.ts → sealQueuedMail) seals it before anything else.
// Sent and dead rows are deleted after the retention period by the sweep, which the new index serves. What the old
// rows held may remain in the database files' free space until it is reused (README: VACUUM after upgrading).
interface Row {
  tenant_id: string;
  id: string;
  state: string;
  message: string;
  body: string | null;
}
interface Db {
  outbox: Row;
}

export async function up(untyped: Kysely<unknown>): Promise<void> {
  await untyped.schema.alterTable('outbox').addColumn('body', 'text').execute();
  await untyped.schema.createIndex('outbox_finished').on('outbox').columns(['state', 'created_at']).execute();
  const db = untyped as unknown as Kysely<Db>;
  let after = { tenant_id: '', id: '' };
  for (;;) {
    // Rows with a body in `message` only ("text" is a key every message had), a page at a time.
    const rows = await db
      .selectFrom('outbox')
      .select(['tenant_id', 'id', 'state', 'message'])
      .where((eb) =>
        eb.or([
          eb('tenant_id', '>', after.tenant_id),
          eb.and([eb('tenant_id', '=', after.tenant_id), eb('id', '>', after.id)]),
        ]),
      )
      .orderBy('tenant_id')
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const { text, html, ...envelope } = JSON.parse(row.message) as { text?: string; html?: string };
      if (text === undefined && html === undefined) continue;
      const body =
        row.state === 'sent' ? null : JSON.stringify({ text: text ?? '', ...(html !== undefined && { html }) });
      await db
        .updateTable('outbox')
        .set({ message: JSON.stringify(envelope), body })
        .where('tenant_id', '=', row.tenant_id)
        .where('id', '=', row.id)
        .execute();
    }
    after = rows.at(-1)!;
  }
}

export async function down(): Promise<void> {
  // An older release reads `message` only: it would send a body-less message. Do not roll back past this migration.
}
