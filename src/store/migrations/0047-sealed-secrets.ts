import { createDecipheriv } from 'node:crypto';
import type { Kysely } from 'kysely';

import type { KeyRing } from '../../keyring.ts';
import type { Db as LiveDb } from '../index.ts';
import { keysOf } from '../keys.ts';

// Issue #22: every stored secret sealed with the deployment key (keyring.ts), which the store does not hold. Before
// this, three kinds of secret were kept in clear or under a key in the store itself:
// - the deployment table's secrets (cookie, HMAC and link keys; store/deployment.ts), in clear;
// - the private signing JWKs (tenant_keys, consumer_keys; oidc/keys.ts), in clear;
// - identity providers' client secrets, sealed (v1) under `federation-secret-key`, a deployment row: whoever had the
//   file had both. They are opened with it and sealed under the deployment key, and that row is deleted.
// Authenticator app secrets, queued mail and outcome pages were sealed with the deployment key already; the start-up
// step (store/sealed.ts) gives values sealed before values named their key the key id.
//
// A shipped migration must do tomorrow what it did when it shipped, so what it knows of the tables and of the old
// formats is a frozen copy here (as 0013 does). The one thing it takes from live code is the store's key ring
// (store/keys.ts, set by openStore before migrating): sealing must produce what today's readers open, and the ring
// is the seam that stays the same (`seal(plaintext)`, `ids`), whatever format later releases seal in.

/** What store/deployment.ts deploymentSecret wrote: 32 random bytes, base64url (the public rows never look so). */
const SECRET_IN_CLEAR = /^[A-Za-z0-9_-]{43}$/;
const KEY_ID_ROW = 'sealing-key-id';
const FEDERATION_KEY_ROW = 'federation-secret-key';

/** secrets.ts unseal as it was for `v1.<iv>.<tag>.<ciphertext>`. */
function unsealV1(key: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

interface Db {
  deployment: { key: string; value: string };
  identity_providers: { tenant_id: string; id: string; secret: string | null };
  tenant_keys: { tenant_id: string; kid: string; jwk: string };
  consumer_keys: { tenant_id: string; kid: string; jwk: string };
}

export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Db>;
  const ring: KeyRing = keysOf(untyped as unknown as LiveDb);

  // A key that is not this store's would seal everything below under a key the other nodes lack: refused first, with
  // the words of the start-up check (store/keys.ts checkKeys), before anything is sealed.
  const recorded = await db.selectFrom('deployment').select('value').where('key', '=', KEY_ID_ROW).executeTakeFirst();
  if (recorded && !ring.ids.includes(recorded.value))
    throw new Error(
      `this store's secrets are sealed with a deployment key this process does not hold (key id ${recorded.value}; ours, from ${ring.source}: ${ring.id}). ` +
        'Every node and CLI sharing the store needs the same PORTICO_SECRET_KEY (README, "Deployment key").',
    );

  const federationKey = (
    await db.selectFrom('deployment').select('value').where('key', '=', FEDERATION_KEY_ROW).executeTakeFirst()
  )?.value;
  const providers = await db
    .selectFrom('identity_providers')
    .select(['tenant_id', 'id', 'secret'])
    .where('secret', 'is not', null)
    .execute();
  for (const p of providers) {
    if (!p.secret!.startsWith('v1.')) continue;
    if (!federationKey)
      throw new Error(`identity provider ${p.id} has a sealed client secret but the store has no key for it`);
    await db
      .updateTable('identity_providers')
      .set({ secret: ring.seal(unsealV1(federationKey, p.secret!)) })
      .where('tenant_id', '=', p.tenant_id)
      .where('id', '=', p.id)
      .execute();
  }
  await db.deleteFrom('deployment').where('key', '=', FEDERATION_KEY_ROW).execute();

  for (const row of await db.selectFrom('deployment').select(['key', 'value']).execute()) {
    if (!SECRET_IN_CLEAR.test(row.value)) continue;
    await db
      .updateTable('deployment')
      .set({ value: ring.seal(row.value) })
      .where('key', '=', row.key)
      .where('value', '=', row.value)
      .execute();
  }

  for (const table of ['tenant_keys', 'consumer_keys'] as const) {
    let after = { tenant_id: '', kid: '' };
    for (;;) {
      const rows = await db
        .selectFrom(table as 'tenant_keys')
        .select(['tenant_id', 'kid', 'jwk'])
        .where((eb) =>
          eb.or([
            eb('tenant_id', '>', after.tenant_id),
            eb.and([eb('tenant_id', '=', after.tenant_id), eb('kid', '>', after.kid)]),
          ]),
        )
        .orderBy('tenant_id')
        .orderBy('kid')
        .limit(500)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        if (!row.jwk.startsWith('{')) continue;
        await db
          .updateTable(table as 'tenant_keys')
          .set({ jwk: ring.seal(row.jwk) })
          .where('tenant_id', '=', row.tenant_id)
          .where('kid', '=', row.kid)
          .execute();
      }
      after = rows.at(-1)!;
    }
  }
}

export async function down(): Promise<void> {
  // An older release reads these in clear (and client secrets under the deleted store key): do not roll back past
  // this migration; restore the backup taken before the upgrade instead.
}
