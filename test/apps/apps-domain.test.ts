// Apps in the domain: settings and their refusals, assignments (members, guests, groups), who may use an app
// (isAssigned), what My Apps lists (appsForUser), admin consent, deletion, and the audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';

import {
  createApp,
  deleteApp,
  findAppByClientId,
  purgeApp,
  registerApp,
  requireApp,
  updateApp,
  type App,
  type NewApp,
} from '../../src/apps/apps.ts';
import {
  appsForUser,
  assignPrincipal,
  grantAdminConsent,
  isAssigned,
  listAssignments,
  needsAdminConsent,
  revokeAdminConsent,
  unassign,
} from '../../src/apps/assignments.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { listAudit, type Actor } from '../../src/directory/audit.ts';
import { addMember, createGroup, deleteGroup } from '../../src/directory/groups.ts';
import { provisionTenant } from '../../src/directory/provisioning.ts';
import { requireTenant } from '../../src/directory/tenants.ts';
import { createMember, deleteUser, type User } from '../../src/directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../../src/errors.ts';
import { createGuest } from '../../src/invitations/guests.ts';
import type { Services } from '../../src/services.ts';
import type { Tx } from '../../src/store/index.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

const actor: Actor = {
  kind: 'user',
  id: '00000000-0000-4000-8000-00000000000a',
  userPrincipalName: 'admin@contoso.example',
};
const REDIRECT = 'https://expenses.example/callback';

for (const { kind, skip } of storeKinds()) {
  describe(`apps domain (${kind})`, { skip }, () => {
    let ts: TestStore;
    let tenantId: string;
    let otherTenantId: string;
    let alice: User;
    let bob: User;
    let guest: User;
    const clock = new ManualClock(new Date('2026-04-01T09:00:00.000Z'));
    // Each change a second later, so the audit log (latest first) lists them in the order they happened.
    const tx = <T>(fn: (t: Tx) => Promise<T>) => {
      clock.advance(1000);
      return ts.store.transaction(fn);
    };
    const make = async (input: Partial<NewApp> = {}, tenant = tenantId) =>
      (
        await tx((t) =>
          createApp(
            t,
            clock,
            tenant,
            {
              displayName: 'Expenses',
              grantTypes: ['authorization_code', 'refresh_token'],
              redirectUris: [REDIRECT],
              ...input,
            },
            actor,
          ),
        )
      ).app;
    const reload = (app: App) => requireApp(ts.store.db, tenantId, app.id);
    const myApps = async (userId: string) => (await appsForUser(ts.store.db, tenantId, userId)).map((a) => a.id);
    const refused = async (
      fn: () => Promise<unknown>,
      error: typeof InvalidRequest | typeof ResourceNotFound,
      pattern?: RegExp,
    ) => assert.rejects(fn, (e: Error) => e instanceof error && (!pattern || pattern.test(e.message)));
    const auditOf = async (appId: string) =>
      (await listAudit(ts.store.db, tenantId, { top: 500 }))
        .filter((e) => e.targetResources.some((t) => t.id === appId))
        .map((e) => [e.category, e.activityDisplayName, e.operationType]);

    before(async () => {
      ts = await createTestStore(kind);
      const services: Services = {
        store: ts.store,
        clock,
        config: loadConfig({ PORTICO_DATABASE_URL: ts.url, ...TEST_PASSWORD_COST }),
        log: pino({ level: 'silent' }),
      };
      tenantId = (await provisionTenant(services, { name: 'Contoso' })).tenant.id;
      otherTenantId = (await provisionTenant(services, { name: 'Fabrikam' })).tenant.id;
      const tenant = await requireTenant(ts.store.db, tenantId);
      [alice, bob, guest] = await tx(async (t) => [
        await createMember(t, clock, tenantId, {
          displayName: 'Alice',
          userPrincipalName: 'alice@contoso.portico.localhost',
          passwordHash: null,
        }),
        await createMember(t, clock, tenantId, {
          displayName: 'Bob',
          userPrincipalName: 'bob@contoso.portico.localhost',
          passwordHash: null,
        }),
        (
          await createGuest(t, clock, tenant, {
            email: 'gina@partner.example',
            displayName: 'Gina',
            userType: 'Guest',
            contactConflict: false,
          })
        ).user,
      ]);
    });
    after(async () => {
      await ts?.dispose();
    });

    it('registers an app with My Apps settings and delegated permissions, and reads them back', async () => {
      const app = await make({
        logoUrl: 'https://cdn.example/logo.png',
        homepageUrl: 'https://expenses.example/#/home',
        assignmentRequired: true,
        delegatedPermissions: ['User.Read', 'Files.Read.All', 'offline_access'],
        adminConsentRequired: ['Files.Read.All'],
      });
      const back = (await findAppByClientId(ts.store.db, tenantId, app.clientId))!;
      assert.deepEqual(
        [
          back.logoUrl,
          back.homepageUrl,
          back.assignmentRequired,
          back.delegatedPermissions,
          back.adminConsentRequired,
          back.adminConsentGranted,
          back.visibleInMyApps,
        ],
        [
          'https://cdn.example/logo.png',
          'https://expenses.example/#/home',
          true,
          ['User.Read', 'Files.Read.All', 'offline_access'],
          ['Files.Read.All'],
          false,
          true,
        ],
      );
      assert.deepEqual(await auditOf(app.id), [['ApplicationManagement', 'Add application', 'Add']]);
    });

    it('existing registrations get the defaults (nothing required, visible, no permissions)', async () => {
      const { app } = await tx((t) =>
        registerApp(t, clock, tenantId, {
          displayName: 'Old style',
          grantTypes: ['authorization_code'],
          redirectUris: [REDIRECT],
        }),
      );
      assert.deepEqual(
        [
          app.logoUrl,
          app.homepageUrl,
          app.assignmentRequired,
          app.delegatedPermissions,
          app.adminConsentRequired,
          app.visibleInMyApps,
          needsAdminConsent(app),
        ],
        [null, null, false, [], [], true, false],
      );
    });

    it('refuses bad settings and stores nothing', async () => {
      const count = async () =>
        (await ts.store.db.selectFrom('apps').select('id').where('tenant_id', '=', tenantId).execute()).length;
      const before = await count();
      for (const [input, pattern] of [
        [{ redirectUris: ['http://expenses.example/cb'] }, /redirect URI/],
        [{ redirectUris: ['https://expenses.example/cb#x'] }, /redirect URI/],
        [{ redirectUris: [] }, /at least one redirect URI/],
        [{ logoUrl: 'javascript:alert(1)' }, /logoUrl/],
        [{ homepageUrl: 'https://user:pw@expenses.example/' }, /homepageUrl/],
        [{ delegatedPermissions: ['User Read'] }, /Not a permission name/],
        [{ delegatedPermissions: ['User.Read:admin'] }, /Not a permission name/],
        [{ delegatedPermissions: ['User.Read', 'User.Read'] }, /twice/],
        [{ delegatedPermissions: ['User.Read'], adminConsentRequired: ['Files.Read'] }, /asks for/],
      ] as [Partial<NewApp>, RegExp][]) {
        await refused(() => make(input), InvalidRequest, pattern);
      }
      assert.equal(await count(), before);
    });

    it('updates settings partially; a refused update changes nothing', async () => {
      const app = await make({ delegatedPermissions: ['User.Read'] });
      const updated = await tx((t) =>
        updateApp(
          t,
          clock,
          tenantId,
          app.id,
          { displayName: 'Expenses 2', homepageUrl: 'https://expenses.example/', visibleInMyApps: false },
          actor,
        ),
      );
      assert.deepEqual(
        [
          updated.displayName,
          updated.homepageUrl,
          updated.visibleInMyApps,
          updated.redirectUris,
          updated.delegatedPermissions,
        ],
        ['Expenses 2', 'https://expenses.example/', false, [REDIRECT], ['User.Read']],
      );
      const cleared = await tx((t) => updateApp(t, clock, tenantId, app.id, { homepageUrl: null }, actor));
      assert.equal(cleared.homepageUrl, null);
      await refused(
        () =>
          tx((t) =>
            updateApp(t, clock, tenantId, app.id, { displayName: 'X', redirectUris: ['ftp://x.example/'] }, actor),
          ),
        InvalidRequest,
      );
      await refused(
        () => tx((t) => updateApp(t, clock, tenantId, app.id, { adminConsentRequired: ['Mail.Send'] }, actor)),
        InvalidRequest,
      );
      assert.deepEqual(await reload(app), cleared);
      await refused(
        () => tx((t) => updateApp(t, clock, otherTenantId, app.id, { displayName: 'Y' }, actor)),
        ResourceNotFound,
      );
      assert.deepEqual(
        (await auditOf(app.id)).map((e) => e[1]),
        ['Update application', 'Update application', 'Add application'],
      );
    });

    it('assigns a member, a guest and a group; isAssigned follows assignments and group membership', async () => {
      const app = await make({ assignmentRequired: true });
      const open = await make();
      const group = await tx((t) => createGroup(t, clock, tenantId, { displayName: 'Finance' }));
      for (const u of [alice, bob, guest]) {
        assert.equal(await isAssigned(ts.store.db, tenantId, app, u.id), false);
        assert.equal(
          await isAssigned(ts.store.db, tenantId, open, u.id),
          true,
          'an app without assignment required is open to all',
        );
      }
      await tx((t) => assignPrincipal(t, clock, tenantId, app.id, alice.id, 'User', actor));
      const g = await tx((t) => assignPrincipal(t, clock, tenantId, app.id, guest.id, 'User', actor));
      assert.deepEqual([g.principalType, g.principalDisplayName], ['User', 'Gina']);
      await tx((t) => assignPrincipal(t, clock, tenantId, app.id, group.id, 'Group', actor));
      assert.equal(await isAssigned(ts.store.db, tenantId, app, alice.id), true);
      assert.equal(await isAssigned(ts.store.db, tenantId, app, guest.id), true, 'guests are users');
      assert.equal(await isAssigned(ts.store.db, tenantId, app, bob.id), false);
      await tx((t) => addMember(t, tenantId, group.id, bob.id));
      assert.equal(await isAssigned(ts.store.db, tenantId, app, bob.id), true, 'through the group');
      assert.deepEqual(
        (await listAssignments(ts.store.db, tenantId, app.id))
          .map((a) => [a.principalType, a.principalDisplayName])
          .sort(),
        [
          ['Group', 'Finance'],
          ['User', 'Alice'],
          ['User', 'Gina'],
        ],
      );

      await refused(
        () => tx((t) => assignPrincipal(t, clock, tenantId, app.id, alice.id, 'User', actor)),
        InvalidRequest,
        /already exists/,
      );
      await refused(
        () => tx((t) => assignPrincipal(t, clock, tenantId, app.id, group.id, 'User', actor)),
        ResourceNotFound,
        undefined,
      );
      await refused(
        () =>
          tx((t) => assignPrincipal(t, clock, tenantId, app.id, '00000000-0000-4000-8000-000000000001', 'User', actor)),
        ResourceNotFound,
      );
      await refused(
        () => tx((t) => assignPrincipal(t, clock, otherTenantId, app.id, alice.id, 'User', actor)),
        ResourceNotFound,
      );
      assert.equal((await listAssignments(ts.store.db, tenantId, app.id)).length, 3);

      await tx((t) => unassign(t, clock, tenantId, app.id, group.id, actor));
      assert.equal(await isAssigned(ts.store.db, tenantId, app, bob.id), false);
      await refused(() => tx((t) => unassign(t, clock, tenantId, app.id, group.id, actor)), ResourceNotFound);
      assert.deepEqual((await auditOf(app.id)).map((e) => e[1]).reverse(), [
        'Add application',
        'Add app role assignment grant to user',
        'Add app role assignment grant to user',
        'Add app role assignment to group',
        'Remove app role assignment from group',
      ]);
    });

    it('deleting a user or a group removes its assignments', async () => {
      const app = await make({ assignmentRequired: true });
      const temp = await tx((t) =>
        createMember(t, clock, tenantId, {
          displayName: 'Temp',
          userPrincipalName: 'temp@contoso.portico.localhost',
          passwordHash: null,
        }),
      );
      const group = await tx((t) => createGroup(t, clock, tenantId, { displayName: 'Temps' }));
      await tx((t) => assignPrincipal(t, clock, tenantId, app.id, temp.id, 'User', actor));
      await tx((t) => assignPrincipal(t, clock, tenantId, app.id, group.id, 'Group', actor));
      await tx((t) => deleteUser(t, clock, tenantId, temp.id));
      await tx((t) => deleteGroup(t, clock, tenantId, group.id));
      assert.deepEqual(await listAssignments(ts.store.db, tenantId, app.id), []);
    });

    it('appsForUser lists visible sign-in apps the user may use, by name', async () => {
      const user = await tx((t) =>
        createMember(t, clock, tenantId, {
          displayName: 'Mia',
          userPrincipalName: 'mia@contoso.portico.localhost',
          passwordHash: null,
        }),
      );
      const group = await tx((t) => createGroup(t, clock, tenantId, { displayName: 'Mia fans' }));
      await tx((t) => addMember(t, tenantId, group.id, user.id));
      const openApp = await make({ displayName: 'A open' });
      const hidden = await make({ displayName: 'B hidden', visibleInMyApps: false });
      const direct = await make({ displayName: 'C direct', assignmentRequired: true });
      const viaGroup = await make({ displayName: 'D group', assignmentRequired: true });
      const notMine = await make({ displayName: 'E not mine', assignmentRequired: true });
      const daemon = (
        await tx((t) =>
          registerApp(t, clock, tenantId, { displayName: 'F daemon', grantTypes: ['client_credentials'] }),
        )
      ).app;
      const foreign = await make({ displayName: 'G other tenant' }, otherTenantId);
      await tx((t) => assignPrincipal(t, clock, tenantId, direct.id, user.id, 'User', actor));
      await tx((t) => assignPrincipal(t, clock, tenantId, viaGroup.id, group.id, 'Group', actor));
      const mine = await myApps(user.id);
      const names = (await appsForUser(ts.store.db, tenantId, user.id)).map((a) => a.displayName);
      assert.deepEqual(
        names.filter((n) => /^[A-G] /.test(n)),
        ['A open', 'C direct', 'D group'],
        'by name',
      );
      for (const a of [openApp, direct, viaGroup]) assert.ok(mine.includes(a.id), a.displayName);
      for (const a of [hidden, notMine, daemon, foreign]) assert.ok(!mine.includes(a.id), a.displayName);
      assert.ok(!(await myApps(bob.id)).includes(direct.id));
    });

    it('admin consent: needed while required permissions are not granted; grant, revoke, and asking for more resets it', async () => {
      const app = await make({
        delegatedPermissions: ['User.Read', 'Files.Read.All'],
        adminConsentRequired: ['Files.Read.All'],
      });
      assert.equal(needsAdminConsent(app), true);
      clock.advance(60_000);
      const granted = await tx((t) => grantAdminConsent(t, clock, tenantId, app.id, actor));
      assert.equal(needsAdminConsent(granted), false);
      assert.equal((await reload(app)).adminConsentGrantedDateTime, clock.now().toISOString());
      // Adding a permission users consent to themselves keeps the grant; one that needs an administrator does not.
      const more = await tx((t) =>
        updateApp(
          t,
          clock,
          tenantId,
          app.id,
          { delegatedPermissions: ['User.Read', 'Files.Read.All', 'Calendars.Read'] },
          actor,
        ),
      );
      assert.equal(more.adminConsentGranted, true);
      const adminMore = await tx((t) =>
        updateApp(
          t,
          clock,
          tenantId,
          app.id,
          {
            delegatedPermissions: ['User.Read', 'Files.Read.All', 'Mail.Read'],
            adminConsentRequired: ['Files.Read.All', 'Mail.Read'],
          },
          actor,
        ),
      );
      assert.equal(needsAdminConsent(adminMore), true);
      await tx((t) => grantAdminConsent(t, clock, tenantId, app.id, actor));
      const revoked = await tx((t) => revokeAdminConsent(t, clock, tenantId, app.id, actor));
      assert.equal(needsAdminConsent(revoked), true);
      assert.equal(needsAdminConsent(await reload(app)), true);
      assert.equal(
        needsAdminConsent(await make({ delegatedPermissions: ['User.Read'] })),
        false,
        'nothing needs an administrator',
      );
      await refused(() => tx((t) => grantAdminConsent(t, clock, otherTenantId, app.id, actor)), ResourceNotFound);
      const events = (await listAudit(ts.store.db, tenantId, { top: 500 })).filter((e) =>
        e.targetResources.some((t) => t.id === app.id),
      );
      assert.deepEqual(events.map((e) => e.activityDisplayName).reverse(), [
        'Add application',
        'Consent to application',
        'Update application',
        'Update application',
        'Consent to application',
        'Remove delegated permission grant',
      ]);
      assert.ok(
        events.some((e) => e.additionalDetails.some((d) => d.key === 'adminConsent')),
        'the reset is recorded',
      );
      assert.ok(events.every((e) => e.category === 'ApplicationManagement' && e.initiatedBy.kind === 'user'));
    });

    it('concurrent changes: one assignment wins, and updates of one app take turns (none is lost)', async () => {
      const app = await make({ assignmentRequired: true, delegatedPermissions: ['User.Read'] });
      const assigns = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          ts.store.transaction((t) => assignPrincipal(t, clock, tenantId, app.id, bob.id, 'User', actor)),
        ),
      );
      assert.equal(assigns.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(
        assigns.every((r) => r.status === 'fulfilled' || r.reason instanceof InvalidRequest),
        'the others are refused cleanly',
      );
      assert.equal((await listAssignments(ts.store.db, tenantId, app.id)).length, 1);
      // Each update writes the whole app: unserialized, one would write back the other's stale view and lose its change.
      for (let round = 0; round < 5; round++) {
        await Promise.all([
          ts.store.transaction((t) => updateApp(t, clock, tenantId, app.id, { displayName: `Round ${round}` }, actor)),
          ts.store.transaction((t) =>
            updateApp(t, clock, tenantId, app.id, { homepageUrl: `https://expenses.example/${round}` }, actor),
          ),
          ts.store.transaction((t) =>
            updateApp(t, clock, tenantId, app.id, { delegatedPermissions: ['User.Read', `Scope${round}.Read`] }, actor),
          ),
        ]);
        const final = await reload(app);
        assert.deepEqual(
          [final.displayName, final.homepageUrl, final.delegatedPermissions],
          [`Round ${round}`, `https://expenses.example/${round}`, ['User.Read', `Scope${round}.Read`]],
        );
      }
    });

    it('deletes an app with its assignments; the management app cannot be deleted', async () => {
      const app = await make({ assignmentRequired: true });
      await tx((t) => assignPrincipal(t, clock, tenantId, app.id, alice.id, 'User', actor));
      await tx((t) => deleteApp(t, clock, tenantId, app.id, actor));
      await refused(() => requireApp(ts.store.db, tenantId, app.id), ResourceNotFound);
      // In deleted items (issue #19): no assignment is listed; the permanent delete removes them.
      assert.deepEqual(await listAssignments(ts.store.db, tenantId, app.id), []);
      await refused(() => tx((t) => deleteApp(t, clock, tenantId, app.id, actor)), ResourceNotFound);
      await tx((t) => purgeApp(t, clock, tenantId, app.id, actor));
      assert.deepEqual(
        await ts.store.db.selectFrom('app_assignments').selectAll().where('app_id', '=', app.id).execute(),
        [],
      );
      assert.deepEqual(
        (await auditOf(app.id)).map((e) => e[1]),
        ['Hard delete application', 'Delete application', 'Add app role assignment grant to user', 'Add application'],
      );
      const management = await ts.store.db
        .selectFrom('apps')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('is_management', '=', 1)
        .executeTakeFirstOrThrow();
      await refused(() => tx((t) => deleteApp(t, clock, tenantId, management.id, actor)), InvalidRequest, /management/);
      assert.ok(await requireApp(ts.store.db, tenantId, management.id));
    });
  });
}
