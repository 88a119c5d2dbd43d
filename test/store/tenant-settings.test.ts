// Writing tenant settings on both stores: a patch is validated by the schema and merged into what is stored, so
// defaults stay unstored and a key this version does not know (written by another version) is kept, as before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { SETTING_DEFAULTS, storedSettings, updateTenantSettings } from '../../src/directory/settings.ts';
import { createTenant, requireTenant } from '../../src/directory/tenants.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`tenant settings in the store (${kind})`, { skip }, () => {
    let t: TestStore;
    const clock = new ManualClock();
    before(async () => {
      t = await createTestStore(kind);
    });
    after(async () => {
      await t?.dispose();
    });
    const newTenant = (name: string) =>
      t.store.transaction((tx) => createTenant(tx, clock, { displayName: name, domainSuffix: 'portico.localhost' }));

    it('reads a new tenant with every default and stores none of them', async () => {
      const tenant = await newTenant('Defaults');
      assert.deepEqual(tenant.settings, SETTING_DEFAULTS);
      assert.deepEqual(await storedSettings(t.store.db, tenant.id), {});
    });

    it('stores only the patch, merged; reads it resolved', async () => {
      const tenant = await newTenant('Patched');
      await t.store.transaction((tx) => updateTenantSettings(tx, clock, tenant.id, { passcodeLength: 8 }));
      const updated = await t.store.transaction((tx) =>
        updateTenantSettings(tx, clock, tenant.id, { emailPasscodeEnabled: false }),
      );
      assert.deepEqual(await storedSettings(t.store.db, tenant.id), { passcodeLength: 8, emailPasscodeEnabled: false });
      assert.deepEqual(updated.settings, { ...SETTING_DEFAULTS, passcodeLength: 8, emailPasscodeEnabled: false });
    });

    it('refuses a bad patch with InvalidRequest naming the field, and changes nothing', async () => {
      const tenant = await newTenant('Refused');
      await t.store.transaction((tx) => updateTenantSettings(tx, clock, tenant.id, { passcodeLength: 7 }));
      await assert.rejects(
        t.store.transaction((tx) => updateTenantSettings(tx, clock, tenant.id, { passcodeLength: 12 })),
        (e: Error) => e.name === 'InvalidRequest' && /passcodeLength/.test(e.message),
      );
      await assert.rejects(
        t.store.transaction((tx) => updateTenantSettings(tx, clock, tenant.id, { futureSetting: true } as never)),
        (e: Error) => e.name === 'InvalidRequest' && /futureSetting|Unrecognized/.test(e.message),
      );
      assert.deepEqual(await storedSettings(t.store.db, tenant.id), { passcodeLength: 7 });
    });

    it('keeps a stored key it does not know when another setting is written', async () => {
      const tenant = await newTenant('Other version');
      // Unavoidable shortcut: no path of this version writes an unknown key; the row stands for one written by
      // another version of Portico sharing the store.
      await t.store.db
        .updateTable('tenants')
        .set({ settings: JSON.stringify({ futureSetting: 'x', passcodeLength: 7 }) })
        .where('id', '=', tenant.id)
        .execute();
      assert.deepEqual((await requireTenant(t.store.db, tenant.id)).settings, {
        ...SETTING_DEFAULTS,
        passcodeLength: 7,
      });
      await t.store.transaction((tx) => updateTenantSettings(tx, clock, tenant.id, { expirySummaryEmail: true }));
      assert.deepEqual(await storedSettings(t.store.db, tenant.id), {
        futureSetting: 'x',
        passcodeLength: 7,
        expirySummaryEmail: true,
      });
    });
  });
}
