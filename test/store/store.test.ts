import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { recordAudit } from '../../src/directory/audit.ts';
import { createTenant } from '../../src/directory/tenants.ts';
import { createMember } from '../../src/directory/users.ts';
import { issueCode } from '../../src/passcodes/codes.ts';
import { startSession } from '../../src/sessions/sessions.ts';
import { deploymentSecret } from '../../src/store/deployment.ts';
import { sweepExpired } from '../../src/store/sweep.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`store (${kind})`, { skip }, () => {
    let t: TestStore;
    const clock = new ManualClock();
    before(async () => {
      t = await createTestStore(kind);
    });
    after(async () => {
      await t?.dispose();
    });

    it('migrates to the latest version, and again without change', async () => {
      await t.store.migrate();
      await t.store.migrate();
      const tables = await t.store.db.introspection.getTables();
      for (const name of [
        'tenants',
        'users',
        'groups',
        'group_members',
        'contacts',
        'audit_events',
        'apps',
        'oidc_payloads',
        'tenant_keys',
        'outbox',
      ]) {
        const table = tables.find((x) => x.name === name && (kind === 'sqlite' || x.schema === t.pgSchema));
        assert.ok(table, name);
        if (name !== 'tenants') assert.equal(table.columns[0]!.name, 'tenant_id', `${name} has tenant_id first`);
      }
    });

    it('keeps the audit log append-only in the database itself', async () => {
      const tenant = await createTenant(t.store.db, clock, {
        displayName: 'Audit Co',
        domainSuffix: 'portico.localhost',
      });
      await recordAudit(t.store.db, clock, tenant.id, {
        category: 'UserManagement',
        activity: 'Add user',
        operationType: 'Add',
        actor: { kind: 'system', displayName: 't' },
        targets: [],
      });
      await assert.rejects(
        t.store.db.updateTable('audit_events').set({ result: 'failure' }).where('tenant_id', '=', tenant.id).execute(),
        /append-only/,
      );
      await assert.rejects(
        t.store.db.deleteFrom('audit_events').where('tenant_id', '=', tenant.id).execute(),
        /append-only/,
      );
      const rows = await t.store.db
        .selectFrom('audit_events')
        .select('result')
        .where('tenant_id', '=', tenant.id)
        .execute();
      assert.deepEqual(rows, [{ result: 'success' }]);
    });

    it('makes one user per address per tenant whatever the case, in parallel too', async () => {
      const tenant = await createTenant(t.store.db, clock, {
        displayName: 'Case Co',
        domainSuffix: 'portico.localhost',
      });
      const upn = (s: string) => `${s}@${tenant.initialDomain}`;
      const results = await Promise.allSettled(
        [upn('Bob'), upn('bob'), upn('BOB')].map((u) =>
          t.store.transaction((tx) =>
            createMember(tx, clock, tenant.id, { displayName: 'Bob', userPrincipalName: u, passwordHash: null }),
          ),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results)
        if (r.status === 'rejected')
          assert.equal((r.reason as { code?: string }).code, 'Request_MultipleObjectsWithSameKeyValue');
    });

    it('sweeps codes and sessions a day after they expired, and nothing live', async () => {
      const sweepClock = new ManualClock(new Date('2026-05-01T00:00:00Z'));
      await t.store.transaction((tx) =>
        issueCode(
          tx,
          sweepClock,
          { realm: 'r', purpose: 'redeem-passcode', subject: 'old' },
          'old@partner.example',
          null,
        ),
      );
      // A session belongs to a user of a tenant (foreign keys, migration 0017): a real one.
      const tenant = await createTenant(t.store.db, clock, {
        displayName: 'Sweep Co',
        domainSuffix: 'portico.localhost',
      });
      const member = await t.store.transaction((tx) =>
        createMember(tx, clock, tenant.id, {
          displayName: 'Sam',
          userPrincipalName: `sam@${tenant.initialDomain}`,
          passwordHash: null,
        }),
      );
      await t.store.transaction((tx) => startSession(tx, sweepClock, tenant.id, member.id, ['pwd']));
      sweepClock.advance(10 * 86_400_000);
      await t.store.transaction((tx) =>
        issueCode(
          tx,
          sweepClock,
          { realm: 'r', purpose: 'redeem-passcode', subject: 'new' },
          'new@partner.example',
          null,
        ),
      );
      const swept = await sweepExpired(t.store, sweepClock);
      assert.equal(swept.emailCodes, 1);
      assert.equal(swept.sessions, 1);
      const left = await t.store.db.selectFrom('email_codes').select('subject').execute();
      assert.deepEqual(
        left.map((r) => r.subject),
        ['new'],
      );
    });

    it('gives every node the same deployment secret, created once', async () => {
      const [a, b] = await Promise.all([deploymentSecret(t.store.db, 'k'), deploymentSecret(t.store.db, 'k')]);
      assert.equal(a, b);
      assert.ok(a.length >= 43);
    });
  });
}
