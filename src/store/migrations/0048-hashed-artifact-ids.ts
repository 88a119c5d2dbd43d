import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

import type { KeyRing } from '../../keyring.ts';
import type { Db as LiveDb } from '../index.ts';
import { keysOf } from '../keys.ts';

// Issue #22: oidc-provider's artifacts kept under the SHA-256 of their value (oidc/artifact-ids.ts, oidc/adapter.ts).
// Before this, a row's id was the artifact's value (an authorization code, a refresh token, a session's cookie, an
// interaction's id...) and its payload's `jti` too. Each row of both tables is rewritten as today's adapter writes it:
// id hashed, `jti` dropped (a device code's sealed under the deployment key, as is its `userCode`), an interaction's
// `returnTo` and `session.cookie` without the values (its `deviceCode` sealed), the user_code column as the code's
// MAC under the deployment key. Grants keep their ids, as the adapter does.
//
// A shipped migration must do tomorrow what it did when it shipped, so the formats are a frozen copy here; it takes
// the store's key ring from live code (store/keys.ts, set before migrating), as 0047 does, for sealing and MACs.
// A row not yet rewritten is one whose payload's `jti` is its id; a rewritten one has none (or a sealed one), so a
// row is never hashed twice, even when its new id sorts after the batch being read.

const BATCH = 500;
const KEPT = new Set(['Grant']);
const VALUE = '{value}';
const hash = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

interface Row {
  tenant_id: string;
  model: string;
  id: string;
  payload: string;
  user_code: string | null;
}
type Tables = Record<'oidc_payloads' | 'consumer_oidc_payloads', Row>;

export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Tables>;
  const ring: KeyRing = keysOf(untyped as unknown as LiveDb);
  for (const table of ['oidc_payloads', 'consumer_oidc_payloads'] as const) {
    let after: Pick<Row, 'tenant_id' | 'model' | 'id'> | undefined;
    for (;;) {
      const last = after;
      const rows = await db
        .selectFrom(table)
        .select(['tenant_id', 'model', 'id', 'payload', 'user_code'])
        .$if(last !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb('tenant_id', '>', last!.tenant_id),
              eb.and([eb('tenant_id', '=', last!.tenant_id), eb('model', '>', last!.model)]),
              eb.and([eb('tenant_id', '=', last!.tenant_id), eb('model', '=', last!.model), eb('id', '>', last!.id)]),
            ]),
          ),
        )
        .orderBy('tenant_id')
        .orderBy('model')
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) break;
      after = rows[rows.length - 1];
      for (const row of rows) {
        if (KEPT.has(row.model)) continue;
        const payload = JSON.parse(row.payload) as {
          jti?: string;
          userCode?: unknown;
          deviceCode?: unknown;
          returnTo?: unknown;
          session?: { cookie?: unknown };
        };
        if (payload.jti !== row.id) continue;
        if (row.model === 'DeviceCode') payload.jti = ring.seal(row.id);
        else delete payload.jti;
        if (typeof payload.userCode === 'string') payload.userCode = ring.seal(payload.userCode);
        if (row.model === 'Interaction') {
          if (typeof payload.returnTo === 'string') payload.returnTo = payload.returnTo.split(row.id).join(VALUE);
          if (payload.session && typeof payload.session.cookie === 'string')
            payload.session = { ...payload.session, cookie: hash(payload.session.cookie) };
          if (typeof payload.deviceCode === 'string') payload.deviceCode = ring.seal(payload.deviceCode);
        }
        await db
          .updateTable(table)
          .set({
            id: hash(row.id),
            payload: JSON.stringify(payload),
            user_code: row.user_code === null ? null : ring.macs('device-user-code', row.user_code)[0]!,
          })
          .where('tenant_id', '=', row.tenant_id)
          .where('model', '=', row.model)
          .where('id', '=', row.id)
          .execute();
      }
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('0048 cannot be undone: the artifacts it hashed are not kept');
}
