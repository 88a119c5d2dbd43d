// Migration 0048 on a store the previous release left (issue #22): oidc-provider's artifacts under their own value,
// their payload's `jti` the same value, a device's user code in clear. After migrating, none of the values is in the
// store, and today's adapter (oidc/adapter.ts) finds each artifact by the value its holder presents: a refresh token
// from before still finds its row and is consumed once, a session by its cookie, a device code by its user code.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';

import { adapterFor } from '../../src/oidc/adapter.ts';
import { newSecret } from '../../src/secrets.ts';
import { findSecrets } from '../helpers/scan.ts';
import { storeBefore, storeKinds, type TestStore } from '../helpers/stores.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`migration 0048: oidc-provider artifacts stored hashed (${kind})`, { skip }, () => {
    let t: TestStore;
    before(async () => {
      t = await storeBefore(kind, '0048-hashed-artifact-ids');
    });
    after(async () => {
      await t?.dispose();
    });

    it("today's adapter finds every artifact from before by its value; no value is left in the store", async () => {
      // Rows exactly as the previous release's adapter wrote them. A store at 0047 cannot be driven through today's
      // product, whose adapter writes the new shape; the frozen writer below is that adapter's upsert: id = the value,
      // the payload as oidc-provider gave it (jti = the value), user_code in clear.
      const tenantId = randomUUID();
      const now = Math.floor(Date.now() / 1000);
      const grantId = newSecret(32);
      const refresh = newSecret(32);
      const session = newSecret(16);
      const interaction = newSecret(16);
      const device = newSecret(32);
      const userCode = 'BCDFGHJK';
      const payloads: Record<string, Record<string, unknown>> = {
        Grant: { jti: grantId, kind: 'Grant', accountId: 'u1', clientId: 'c1', exp: now + 3600 },
        RefreshToken: {
          jti: refresh,
          kind: 'RefreshToken',
          grantId,
          accountId: 'u1',
          clientId: 'c1',
          iat: now,
          exp: now + 3600,
        },
        Session: { jti: session, kind: 'Session', uid: 'session-uid', accountId: 'u1', loginTs: now, exp: now + 3600 },
        Interaction: {
          jti: interaction,
          kind: 'Interaction',
          returnTo: `https://portico.example/${tenantId}/oauth2/v2.0/authorize/${interaction}`,
          session: { accountId: 'u1', uid: 'session-uid', cookie: session },
          deviceCode: device,
          exp: now + 3600,
        },
        DeviceCode: { jti: device, kind: 'DeviceCode', userCode, clientId: 'c1', iat: now, exp: now + 600 },
      };
      const at = new Date().toISOString();
      await sql`insert into tenants (id, display_name, slug, initial_domain, created_at, updated_at)
        values (${tenantId}, 'Old', ${`old-${tenantId.slice(0, 8)}`}, ${`old-${tenantId.slice(0, 8)}.portico.localhost`}, ${at}, ${at})`.execute(
        t.store.db,
      );
      const ids: Record<string, string> = {
        Grant: grantId,
        RefreshToken: refresh,
        Session: session,
        Interaction: interaction,
        DeviceCode: device,
      };
      for (const [model, payload] of Object.entries(payloads))
        await sql`insert into oidc_payloads (tenant_id, model, id, payload, grant_id, uid, user_code, account_id, expires_at, consumed)
          values (${tenantId}, ${model}, ${ids[model]!}, ${JSON.stringify(payload)}, ${(payload.grantId as string) ?? null},
            ${(payload.uid as string) ?? null}, ${(payload.userCode as string) ?? null}, 'u1', ${now + 3600}, 0)`.execute(
          t.store.db,
        );
      // The personal accounts realm's table too.
      const consumerRefresh = newSecret(32);
      await sql`insert into consumer_oidc_payloads (tenant_id, model, id, payload, grant_id, uid, user_code, account_id, expires_at, consumed)
        values (${tenantId}, 'RefreshToken', ${consumerRefresh}, ${JSON.stringify({ ...payloads.RefreshToken, jti: consumerRefresh })},
          ${grantId}, null, null, null, ${now + 3600}, 0)`.execute(t.store.db);
      assert.notDeepEqual(await findSecrets(t, [refresh], { files: false }), [], 'the row from before holds the value');

      await t.store.migrate();

      assert.deepEqual(await findSecrets(t, [refresh, session, interaction, device, userCode, consumerRefresh]), []);
      const Adapter = adapterFor(t.store, tenantId);
      for (const model of ['RefreshToken', 'Session', 'Grant'])
        assert.deepEqual(await new Adapter(model).find(ids[model]!), payloads[model], model);
      assert.deepEqual(await new Adapter('DeviceCode').find(device), payloads.DeviceCode);
      assert.deepEqual(await new Adapter('Interaction').find(interaction), {
        ...payloads.Interaction,
        // nothing reads it back (adapter.ts withoutValue): the session's row id
        session: { accountId: 'u1', uid: 'session-uid', cookie: await rowIdOf('Session') },
      });
      assert.deepEqual(await new Adapter('DeviceCode').findByUserCode(userCode), payloads.DeviceCode);
      assert.equal((await new Adapter('Session').findByUid('session-uid'))?.accountId, 'u1');
      // The refresh token is consumed once; the second use is a replay.
      await new Adapter('RefreshToken').consume(refresh);
      await assert.rejects(new Adapter('RefreshToken').consume(refresh), /invalid_grant/);
      const Consumer = adapterFor(t.store, tenantId, undefined, {
        payloads: 'consumer_oidc_payloads',
        clientApp: async () => undefined,
      });
      assert.equal((await new Consumer('RefreshToken').find(consumerRefresh))?.jti, consumerRefresh);
      // Migrating again changes nothing: no row is hashed twice.
      const before = await sql`select id, payload from oidc_payloads order by id`.execute(t.store.db);
      await (await import('../../src/store/migrations/0048-hashed-artifact-ids.ts')).up(t.store.db as never);
      assert.deepEqual(
        (await sql`select id, payload from oidc_payloads order by id`.execute(t.store.db)).rows,
        before.rows,
      );

      async function rowIdOf(model: string) {
        return (
          await t.store.db.selectFrom('oidc_payloads').select('id').where('model', '=', model).executeTakeFirstOrThrow()
        ).id;
      }
    });
  });
}
