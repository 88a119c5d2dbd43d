// The configuration every sign-in and token reads comes from each node's cache (store/epochs.ts): the tenant
// (resolveTenantCached), an app by its client id (findAppByClientId, outside a transaction) and the tenant's
// Conditional Access policies (listPolicies, outside a transaction). Two handles on one store stand for two nodes: each change made through the product's
// own functions on node A reaches node B at B's next read of the epochs, and node A at once; in a transaction the
// store is read, never the cache. (test/store/epochs.test.ts shows the mechanism; this, that each writer counts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';

import { createApp, deleteApp, findAppByClientId, updateApp } from '../../src/apps/apps.ts';
import { grantAdminConsent, revokeAdminConsent } from '../../src/apps/assignments.ts';
import { ManualClock } from '../../src/clock.ts';
import { createPolicy, deletePolicy, listPolicies, updatePolicy } from '../../src/conditional-access/policies.ts';
import { loadConfig } from '../../src/config.ts';
import type { Actor } from '../../src/directory/audit.ts';
import { provisionTenant } from '../../src/directory/provisioning.ts';
import { updateTenantSettings } from '../../src/directory/settings.ts';
import { getTenant, resolveTenantCached, updateTenant } from '../../src/directory/tenants.ts';
import type { Services } from '../../src/services.ts';
import { pollEpochs } from '../../src/store/epochs.ts';
import { openStore, type Store, type Tx } from '../../src/store/index.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

const actor: Actor = { kind: 'user', id: '00000000-0000-4000-8000-00000000000a', userPrincipalName: 'admin@x.example' };

for (const { kind, skip } of storeKinds()) {
  describe(`cached configuration across nodes (${kind})`, { skip }, () => {
    let a: TestStore;
    let b: Store;
    let tenantId: string;
    const clock = new ManualClock(new Date('2026-04-01T09:00:00.000Z'));
    const onA = <T>(fn: (tx: Tx) => Promise<T>) => a.store.transaction(fn);
    /** Both nodes have read the epochs: their caches serve. */
    const poll = async () => {
      await pollEpochs(a.store.db);
      await pollEpochs(b.db);
    };

    before(async () => {
      a = await createTestStore(kind);
      b = openStore({ url: a.url });
      const services: Services = {
        store: a.store,
        clock,
        config: loadConfig({ PORTICO_DATABASE_URL: a.url, ...TEST_PASSWORD_COST }),
        log: pino({ level: 'silent' }),
      };
      tenantId = (await provisionTenant(services, { name: 'Contoso' })).tenant.id;
    });
    after(async () => {
      await b?.close();
      await a?.dispose();
    });

    it('the tenant: a rename and a settings change reach the other node at its next read of the epochs', async () => {
      await poll();
      assert.equal((await resolveTenantCached(b.db, tenantId))?.displayName, 'Contoso');
      await onA((tx) => updateTenant(tx, clock, tenantId, { displayName: 'Contoso Ltd' }));
      assert.equal((await resolveTenantCached(a.store.db, tenantId))?.displayName, 'Contoso Ltd', 'node A at once');
      assert.equal(
        (await resolveTenantCached(b.db, tenantId))?.displayName,
        'Contoso',
        'B serves its cache until it reads',
      );
      await pollEpochs(b.db);
      assert.equal((await resolveTenantCached(b.db, tenantId))?.displayName, 'Contoso Ltd');

      const before = (await resolveTenantCached(b.db, tenantId))!.settings.emailPasscodeEnabled;
      await onA((tx) => updateTenantSettings(tx, clock, tenantId, { emailPasscodeEnabled: !before }));
      await pollEpochs(b.db);
      assert.equal((await resolveTenantCached(b.db, tenantId))!.settings.emailPasscodeEnabled, !before);
    });

    it('an app by its client id: a change, admin consent and deletion reach the other node', async () => {
      const { app } = await onA((tx) =>
        createApp(
          tx,
          clock,
          tenantId,
          { displayName: 'Expenses', grantTypes: ['authorization_code'], redirectUris: ['https://x.example/cb'] },
          actor,
        ),
      );
      await poll();
      assert.equal((await findAppByClientId(b.db, tenantId, app.clientId))?.displayName, 'Expenses');
      await onA((tx) => updateApp(tx, clock, tenantId, app.id, { displayName: 'Expenses 2' }, actor));
      assert.equal((await findAppByClientId(b.db, tenantId, app.clientId))?.displayName, 'Expenses', 'cached on B');
      await pollEpochs(b.db);
      assert.equal((await findAppByClientId(b.db, tenantId, app.clientId))?.displayName, 'Expenses 2');

      assert.equal((await findAppByClientId(b.db, tenantId, app.clientId))?.adminConsentGranted, false);
      await onA((tx) => grantAdminConsent(tx, clock, tenantId, app.id, actor));
      await pollEpochs(b.db);
      assert.equal((await findAppByClientId(b.db, tenantId, app.clientId))?.adminConsentGranted, true);
      await onA((tx) => revokeAdminConsent(tx, clock, tenantId, app.id, actor));
      await pollEpochs(b.db);
      assert.equal((await findAppByClientId(b.db, tenantId, app.clientId))?.adminConsentGranted, false);

      await onA((tx) => deleteApp(tx, clock, tenantId, app.id, actor));
      assert.equal(await findAppByClientId(a.store.db, tenantId, app.clientId), undefined, 'gone on A at once');
      await pollEpochs(b.db);
      assert.equal(await findAppByClientId(b.db, tenantId, app.clientId), undefined, 'and on B');
    });

    it("the tenant's Conditional Access policies: added, changed and deleted on A, seen on B", async () => {
      await poll();
      assert.deepEqual(await listPolicies(b.db, tenantId), []);
      const policy = await onA((tx) =>
        createPolicy(
          tx,
          clock,
          tenantId,
          {
            displayName: 'Block guests',
            state: 'enabled',
            conditions: {
              users: {
                includeUsers: ['GuestsOrExternalUsers'],
                excludeUsers: [],
                includeGroups: [],
                excludeGroups: [],
                includeRoles: [],
                excludeRoles: [],
              },
              applications: { includeApplications: ['All'], excludeApplications: [] },
            },
            grantControls: { operator: 'OR', builtInControls: ['block'] },
          },
          actor,
        ),
      );
      assert.deepEqual(await listPolicies(b.db, tenantId), [], 'cached on B until it reads the epochs');
      await pollEpochs(b.db);
      assert.deepEqual(
        (await listPolicies(b.db, tenantId)).map((p) => p.displayName),
        ['Block guests'],
      );
      await onA((tx) => updatePolicy(tx, clock, tenantId, policy.id, { state: 'disabled' }, actor));
      await pollEpochs(b.db);
      assert.equal((await listPolicies(b.db, tenantId))[0]?.state, 'disabled');
      await onA((tx) => deletePolicy(tx, clock, tenantId, policy.id, actor));
      await pollEpochs(b.db);
      assert.deepEqual(await listPolicies(b.db, tenantId), []);
    });

    it('reads the store, not the cache, in a transaction and through getTenant', async () => {
      await poll();
      await resolveTenantCached(b.db, tenantId);
      await onA((tx) => updateTenant(tx, clock, tenantId, { displayName: 'Contoso in a transaction' }));
      assert.notEqual(
        (await resolveTenantCached(b.db, tenantId))?.displayName,
        'Contoso in a transaction',
        'B: cached',
      );
      assert.equal((await getTenant(b.db, tenantId))?.displayName, 'Contoso in a transaction', 'getTenant: the store');
      const inTx = await b.transaction((tx) => getTenant(tx, tenantId));
      assert.equal(inTx?.displayName, 'Contoso in a transaction');
    });
  });
}
