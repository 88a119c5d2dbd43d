// Migration 0047 on a store the previous release left (issue #22): deployment secrets and private signing JWKs in
// clear, an identity provider's client secret sealed under a key the store itself held. After migrating, none of it
// is in the store in clear, the store key is gone, and today's readers (deploymentSecret, loadKeys, clientSecretOf)
// give back exactly what was stored. A process with another deployment key is refused before anything is sealed.
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { sql } from 'kysely';

import { clientSecretOf, getProvider } from '../../src/federation/providers.ts';
import { isSealed, keyRing } from '../../src/keyring.ts';
import { loadKeys } from '../../src/oidc/keys.ts';
import { newSecret } from '../../src/secrets.ts';
import { deploymentSecret } from '../../src/store/deployment.ts';
import { keysOf, useKeys } from '../../src/store/keys.ts';
import { findSecrets } from '../helpers/scan.ts';
import { storeBefore, storeKinds, type TestStore } from '../helpers/stores.ts';

// Frozen writers of the previous release. A migration test is the one place where writing rows directly is right:
// the store must look as the product of that time left it, and today's product code seals what it writes, so it
// cannot make the rows this migration exists for (the reason migration 0013 keeps a frozen copy of its code too).
/** secrets.ts seal as the previous release had it: `v1.<iv>.<tag>.<ciphertext>`, no key id. */
function sealV1(key: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

for (const { kind, skip } of storeKinds()) {
  describe(`migration 0047: stored secrets sealed with the deployment key (${kind})`, { skip }, () => {
    let t: TestStore;
    before(async () => {
      t = await storeBefore(kind, '0047-sealed-secrets');
    });
    after(async () => {
      await t?.dispose();
    });

    const insert = (table: string, row: Record<string, unknown>) =>
      sql`insert into ${sql.table(table)} (${sql.join(Object.keys(row).map((c) => sql.ref(c)))}) values (${sql.join(Object.values(row))})`.execute(
        t.store.db,
      );

    it('refuses a process holding another key, sealing nothing', async () => {
      const own = keysOf(t.store.db);
      await insert('deployment', { key: 'sealing-key-id', value: own.id });
      await insert('deployment', { key: 'probe-key', value: newSecret(32) });
      useKeys(t.store.db, keyRing([newSecret(32)], 'another'));
      try {
        await assert.rejects(t.store.migrate(), /sealed with a deployment key this process does not hold/);
      } finally {
        useKeys(t.store.db, own);
      }
      const row = await t.store.db
        .selectFrom('deployment')
        .select('value')
        .where('key', '=', 'probe-key')
        .executeTakeFirstOrThrow();
      assert.ok(!isSealed(row.value), 'nothing was sealed');
    });

    it('seals what the previous release kept in clear or under the store key; readers get the same values', async () => {
      const now = new Date().toISOString();
      const cookieKey = newSecret(32);
      const storeKey = newSecret(32);
      await insert('deployment', { key: 'cookie-key-1', value: cookieKey });
      await insert('deployment', { key: 'federation-secret-key', value: storeKey });
      await insert('deployment', { key: 'server.base_url', value: 'https://id.example' });
      const tenantId = randomUUID();
      await insert('tenants', {
        id: tenantId,
        display_name: 'Old',
        slug: `old-${tenantId.slice(0, 8)}`,
        initial_domain: `old-${tenantId.slice(0, 8)}.portico.localhost`,
        created_at: now,
        updated_at: now,
      });
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'old-kid', alg: 'ES256', use: 'sig' };
      await insert('tenant_keys', { tenant_id: tenantId, kid: 'old-kid', jwk: JSON.stringify(jwk), created_at: now });
      const clientSecret = `upstream-${newSecret(16)}`;
      const providerId = randomUUID();
      await insert('identity_providers', {
        tenant_id: tenantId,
        id: providerId,
        kind: 'oidc',
        display_name: 'Corp',
        config: JSON.stringify({ issuerUri: 'https://login.corp.example', clientId: 'corp-client' }),
        secret: sealV1(storeKey, clientSecret),
        created_at: now,
        updated_at: now,
      });

      await t.store.migrate();

      assert.deepEqual(await findSecrets(t, [cookieKey, storeKey, clientSecret, jwk.d!, '"d":']), []);
      const { db } = t.store;
      const rows = await db.selectFrom('deployment').select(['key', 'value']).execute();
      assert.equal(
        rows.find((r) => r.key === 'federation-secret-key'),
        undefined,
        'the store key is gone',
      );
      assert.equal(rows.find((r) => r.key === 'server.base_url')?.value, 'https://id.example', 'public rows stay');
      assert.equal(await deploymentSecret(db, 'cookie-key-1'), cookieKey);
      assert.deepEqual(await loadKeys(db, tenantId), [jwk]);
      assert.equal(await clientSecretOf(db, (await getProvider(db, tenantId, providerId))!), clientSecret);
      const sealedJwk = await db.selectFrom('tenant_keys').select('jwk').executeTakeFirstOrThrow();
      assert.ok(sealedJwk.jwk.startsWith(`v2.${keysOf(db).id}.`), 'sealed under the key, naming it');
    });
  });
}
