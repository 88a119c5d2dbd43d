// Migration 0017 on a store that older deletes left untidy: rows of a user whose row is gone, and rows of a tenant
// whose row is gone. It migrates cleanly on both stores, removes those rows (and clears the deleted user's id where
// the row stays: the sign-in log), keeps everything of the users and tenants that exist, and from then on the
// store refuses an orphan and cascades a delete.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';

import { ManualClock } from '../../src/clock.ts';
import { startSession } from '../../src/sessions/sessions.ts';
import { storeBefore, storeKinds, type TestStore } from '../helpers/stores.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`migration 0017: foreign keys on a store with orphan rows (${kind})`, { skip }, () => {
    const clock = new ManualClock();
    let t: TestStore;
    before(async () => {
      t = await storeBefore(kind, '0017-owned-tables');
    });
    after(async () => {
      await t?.dispose();
    });

    it('removes what has no parent, keeps the rest, and enforces the keys afterwards', async () => {
      const { store } = t;
      const now = clock.now().toISOString();
      // Frozen 0016-era writers: plain inserts of the columns each table had at 0016. A migration test is the one
      // place where writing rows directly is right: the store must look as the product of that time left it, and
      // today's product code reads and writes columns later migrations add (users.deleted_at, 0025's sign-in log
      // columns), so it cannot write an 0016 store. This is the same reason migration 0013 keeps a frozen copy of
      // its own code.
      const insert = (table: string, row: Record<string, unknown>) =>
        sql`insert into ${sql.table(table)} (${sql.join(Object.keys(row).map((c) => sql.ref(c)))}) values (${sql.join(Object.values(row))})`.execute(
          store.db,
        );
      const createTenant0016 = async (name: string) => {
        const id = randomUUID();
        const initialDomain = `${name}-${id.slice(0, 8)}.portico.localhost`;
        await insert('tenants', {
          id,
          display_name: name,
          slug: `${name}-${id.slice(0, 8)}`,
          initial_domain: initialDomain,
          created_at: now,
          updated_at: now,
        });
        await insert('tenant_domains', {
          tenant_id: id,
          name: initialDomain,
          is_initial: 1,
          is_verified: 1,
          created_at: now,
        });
        return { id, initialDomain };
      };
      const member = async (tenantId: string, name: string, domain: string) => {
        const u = { id: randomUUID(), userPrincipalName: `${name}@${domain}` };
        await insert('users', {
          tenant_id: tenantId,
          id: u.id,
          user_type: 'Member',
          user_principal_name: u.userPrincipalName,
          upn_normalized: u.userPrincipalName.toLowerCase(),
          display_name: name,
          created_at: now,
          updated_at: now,
        });
        return u;
      };
      const createGroup0016 = async (tenantId: string, name: string) => {
        const id = randomUUID();
        await insert('groups', { tenant_id: tenantId, id, display_name: name, created_at: now });
        return { id };
      };
      const tenant = await createTenant0016('old');
      const gone = await createTenant0016('gone');
      const kept = await member(tenant.id, 'kim', tenant.initialDomain);
      const left = await member(tenant.id, 'lee', tenant.initialDomain);
      const group = await createGroup0016(tenant.id, 'Staff');
      const goneGroup = await createGroup0016(gone.id, 'Gone staff');
      // Each user gets a membership, a session, a linked identity, a sign-in entry and a password count, as the
      // product wrote them at 0016 (whose schema has no keys yet).
      const give = async (u: { id: string; userPrincipalName: string }) => {
        await insert('group_members', { tenant_id: tenant.id, group_id: group.id, member_id: u.id });
        await insert('sessions', {
          tenant_id: tenant.id,
          id: randomUUID(),
          user_id: u.id,
          created_at: now,
          expires_at: now,
          amr: JSON.stringify(['pwd']),
        });
        await insert('external_identities', {
          tenant_id: tenant.id,
          issuer: 'https://idp.example',
          subject: `sub-${u.id}`,
          user_id: u.id,
          created_at: now,
        });
        await insert('sign_ins', {
          tenant_id: tenant.id,
          id: randomUUID(),
          created_at: now,
          user_id: u.id,
          user_principal_name: u.userPrincipalName,
          upn_normalized: u.userPrincipalName.toLowerCase(),
          user_type: 'Member',
          identity_provider: 'mail',
          sign_in_method: 'password',
          result: 'success',
          error_code: 0,
        });
        await insert('attempt_counters', {
          key: `pw:user:${tenant.id}:${u.id}`,
          count: 1,
          window_ends: now,
          consecutive: 1,
          updated_at: now,
        });
      };
      await give(kept);
      await give(left);
      // What the old deletes left: a user's row deleted without its rows, and a tenant's rows deleted without its
      // groups.
      await store.db.deleteFrom('users').where('tenant_id', '=', tenant.id).where('id', '=', left.id).execute();
      await store.db.deleteFrom('tenant_domains').where('tenant_id', '=', gone.id).execute();
      await store.db.deleteFrom('tenants').where('id', '=', gone.id).execute();

      await store.migrate();

      const count = async (
        table: 'group_members' | 'sessions' | 'external_identities',
        column: 'member_id' | 'user_id',
        id: string,
      ) =>
        (
          await store.db
            .selectFrom(table)
            .select(column)
            .where('tenant_id', '=', tenant.id)
            .where(column as never, '=', id as never)
            .execute()
        ).length;
      assert.deepEqual(
        [
          await count('group_members', 'member_id', left.id),
          await count('sessions', 'user_id', left.id),
          await count('external_identities', 'user_id', left.id),
        ],
        [0, 0, 0],
      );
      assert.deepEqual(
        [
          await count('group_members', 'member_id', kept.id),
          await count('sessions', 'user_id', kept.id),
          await count('external_identities', 'user_id', kept.id),
        ],
        [1, 1, 1],
      );
      const signIns = await store.db
        .selectFrom('sign_ins')
        .select(['user_id', 'user_principal_name'])
        .where('tenant_id', '=', tenant.id)
        .orderBy('user_principal_name')
        .execute();
      assert.deepEqual(
        signIns,
        [
          { user_id: kept.id, user_principal_name: kept.userPrincipalName },
          { user_id: null, user_principal_name: left.userPrincipalName },
        ],
        "the deleted user's sign-in stays in the log without the id",
      );
      const counters = (
        await store.db.selectFrom('attempt_counters').select('key').where('key', 'like', 'pw:user:%').execute()
      ).map((r) => r.key);
      assert.deepEqual(counters, [`pw:user:${tenant.id}:${kept.id}`]);
      assert.equal(
        (await store.db.selectFrom('groups').select('id').where('tenant_id', '=', gone.id).execute()).length,
        0,
        "the gone tenant's group",
      );
      assert.equal((await store.db.selectFrom('groups').select('id').where('id', '=', group.id).execute()).length, 1);
      assert.ok(goneGroup.id);

      // From now on the store itself refuses a row without its user and cascades a delete.
      await assert.rejects(
        store.transaction((tx) => startSession(tx, clock, tenant.id, left.id, ['pwd'])),
        (e: { code?: string }) => e.code === (kind === 'sqlite' ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : '23503'),
      );
      // A raw delete on purpose: this checks the store's own cascade (the schema), not any product path over it.
      await store.db.deleteFrom('users').where('tenant_id', '=', tenant.id).where('id', '=', kept.id).execute();
      assert.deepEqual(
        [
          await count('group_members', 'member_id', kept.id),
          await count('sessions', 'user_id', kept.id),
          await count('external_identities', 'user_id', kept.id),
        ],
        [0, 0, 0],
      );
    });
  });
}
