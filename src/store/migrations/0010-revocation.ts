import type { Kysely } from 'kysely';

/** Where an oidc-provider payload names the user it belongs to (see oidc/adapter.ts accountOf). */
function accountOf(payload: string): string | null {
  const p = JSON.parse(payload) as {
    accountId?: string;
    result?: { login?: { accountId?: string } };
    session?: { accountId?: string };
  };
  return p.accountId ?? p.result?.login?.accountId ?? p.session?.accountId ?? null;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Revoking a user deletes every OIDC artifact of theirs (sessions, grants, codes, tokens) with one indexed statement.
  await db.schema.alterTable('oidc_payloads').addColumn('account_id', 'text').execute();
  await db.schema
    .createIndex('oidc_payloads_account')
    .on('oidc_payloads')
    .columns(['tenant_id', 'account_id'])
    .execute();
  // How the person signed in (amr: pwd, otp, fed), as a JSON array; null for sessions started before this column.
  await db.schema.alterTable('sessions').addColumn('amr', 'text').execute();
  // The sign-in methods an app accepts (JSON array of pwd, otp, fed); null accepts any.
  await db.schema.alterTable('apps').addColumn('required_amr', 'text').execute();

  // Rows written before: their account, from the payload, in batches so a large table is never read at once.
  const table = db as unknown as Kysely<{
    oidc_payloads: { tenant_id: string; model: string; id: string; payload: string; account_id: string | null };
  }>;
  let after = { tenant_id: '', model: '', id: '' };
  for (;;) {
    const rows = await table
      .selectFrom('oidc_payloads')
      .select(['tenant_id', 'model', 'id', 'payload'])
      .where((eb) =>
        eb.or([
          eb('tenant_id', '>', after.tenant_id),
          eb.and([eb('tenant_id', '=', after.tenant_id), eb('model', '>', after.model)]),
          eb.and([eb('tenant_id', '=', after.tenant_id), eb('model', '=', after.model), eb('id', '>', after.id)]),
        ]),
      )
      .orderBy('tenant_id')
      .orderBy('model')
      .orderBy('id')
      .limit(500)
      .execute();
    for (const row of rows) {
      const account = accountOf(row.payload);
      if (account)
        await table
          .updateTable('oidc_payloads')
          .set({ account_id: account })
          .where('tenant_id', '=', row.tenant_id)
          .where('model', '=', row.model)
          .where('id', '=', row.id)
          .execute();
    }
    if (rows.length < 500) break;
    after = rows[rows.length - 1]!;
  }
}

export async function down(): Promise<void> {
  throw new Error('Portico migrations only move forward');
}
