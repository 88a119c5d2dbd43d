// Deleted items for groups and app registrations through the API, on both stores (issue #19): a deleted group is gone
// from every read (the group, the list, its members, the app assignments through it) and comes back with the same id,
// members and assignments; a deleted app's client gets no tokens (the token endpoint answers as for an unknown client)
// and comes back with the same appId, secret and redirect URIs. Both are purged on request or by the sweep after 30
// days (the injected clock).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { registerApp } from '../../src/apps/apps.ts';
import { JOB } from '../../src/jobs/index.ts';
import { assertGraphError, narrowApi, newUserBody } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const DAY = 86_400_000;

suite(
  'deleted groups and applications',
  { clock: 'manual', runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example' } },
  ({ s, t, clock }) => {
    let userId: string;
    before(async () => {
      const user = await t.api('POST', '/v1.0/users', newUserBody('ida@contoso.example', 'Ida'));
      assert.equal(user.status, 201, JSON.stringify(user.body));
      userId = user.body.id;
    });

    const ids = async (path: string) => ((await t.api('GET', path)).body.value as { id: string }[]).map((x) => x.id);
    const principals = async (appId: string) =>
      (
        (await t.api('GET', `/v1.0/applications/${appId}/appRoleAssignedTo`)).body.value as { principalId: string }[]
      ).map((a) => a.principalId);
    const activities = async (id: string) =>
      (
        (await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=200')).body.value as {
          activityDisplayName: string;
          targetResources: { id: string }[];
        }[]
      )
        .filter((e) => e.targetResources.some((r) => r.id === id))
        .map((e) => e.activityDisplayName);

    it('moves a deleted group to deleted items and restores it with its members and assignments', async () => {
      const group = await t.api('POST', '/v1.0/groups', {
        displayName: 'Auditors',
        mailEnabled: false,
        mailNickname: 'auditors',
        securityEnabled: true,
      });
      assert.equal(group.status, 201);
      const groupId: string = group.body.id;
      const app = await t.api('POST', '/v1.0/applications', {
        displayName: 'Ledger',
        web: { redirectUris: ['https://ledger.example/callback'] },
      });
      assert.equal(app.status, 201, JSON.stringify(app.body));
      const member = await t.api('POST', `/v1.0/groups/${groupId}/members/$ref`, {
        '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${userId}`,
      });
      assert.equal(member.status, 204);
      const assigned = await t.api('POST', `/v1.0/applications/${app.body.id}/appRoleAssignedTo`, {
        principalId: groupId,
      });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));

      assert.equal((await t.api('DELETE', `/v1.0/groups/${groupId}`)).status, 204);
      assertGraphError(await t.api('GET', `/v1.0/groups/${groupId}`), 404, 'Request_ResourceNotFound');
      assertGraphError(await t.api('GET', `/v1.0/groups/${groupId}/members`), 404, 'Request_ResourceNotFound');
      assert.ok(!(await ids('/v1.0/groups')).includes(groupId));
      assert.deepEqual(await principals(app.body.id), []);
      assertGraphError(await t.api('DELETE', `/v1.0/groups/${groupId}`), 404, 'Request_ResourceNotFound');
      // Nobody can be added to a deleted group.
      assertGraphError(
        await t.api('POST', `/v1.0/groups/${groupId}/members/$ref`, {
          '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${userId}`,
        }),
        404,
        'Request_ResourceNotFound',
      );
      for (const cast of ['microsoft.graph.group', 'graph.group']) {
        const list = await t.api('GET', `/v1.0/directory/deletedItems/${cast}`);
        assert.equal(list.status, 200);
        assert.equal(
          list.body['@odata.context'],
          `${s.baseUrl}/v1.0/$metadata#directory/deletedItems/microsoft.graph.group`,
        );
        assert.deepEqual(
          (list.body.value as { id: string }[]).map((g) => g.id),
          [groupId],
        );
        assert.equal(list.body.value[0]['@odata.type'], '#microsoft.graph.group');
        assert.equal(list.body.value[0].deletedDateTime, clock.now().toISOString());
      }
      // A deleted group is no deleted user.
      assert.deepEqual(await ids('/v1.0/directory/deletedItems/microsoft.graph.user'), []);
      const item = await t.api('GET', `/v1.0/directory/deletedItems/${groupId}`);
      assert.equal(item.status, 200);
      assert.equal(item.body['@odata.type'], '#microsoft.graph.group');
      assert.equal(item.body.displayName, 'Auditors');
      // Each kind asks for its own permissions: a reader of users only may not see deleted groups.
      const usersOnly = await narrowApi(s, t.tenantId, ['User.Read.All']);
      assertGraphError(
        await usersOnly('GET', '/v1.0/directory/deletedItems/microsoft.graph.group'),
        403,
        'Authorization_RequestDenied',
      );
      assertGraphError(
        await usersOnly('GET', `/v1.0/directory/deletedItems/${groupId}`),
        403,
        'Authorization_RequestDenied',
      );
      const groupReader = await narrowApi(s, t.tenantId, ['Group.Read.All']);
      assertGraphError(
        await groupReader('POST', `/v1.0/directory/deletedItems/${groupId}/restore`),
        403,
        'Authorization_RequestDenied',
      );
      assert.equal((await groupReader('GET', `/v1.0/directory/deletedItems/${groupId}`)).status, 200);

      const restored = await t.api('POST', `/v1.0/directory/deletedItems/${groupId}/restore`);
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
      assert.equal(restored.body.id, groupId);
      assert.equal(restored.body['@odata.type'], '#microsoft.graph.group');
      assert.equal((await t.api('GET', `/v1.0/groups/${groupId}`)).status, 200);
      assert.deepEqual(await ids(`/v1.0/groups/${groupId}/members`), [userId]);
      assert.deepEqual(await principals(app.body.id), [groupId]);
      assert.deepEqual(await ids('/v1.0/directory/deletedItems/microsoft.graph.group'), []);

      // Deleted again: still there after 29 days, purged by the sweep after 30.
      assert.equal((await t.api('DELETE', `/v1.0/groups/${groupId}`)).status, 204);
      clock.advance(29 * DAY);
      await s.portico.jobs.runOnce(JOB.maintenance);
      assert.deepEqual(await ids('/v1.0/directory/deletedItems/microsoft.graph.group'), [groupId]);
      clock.advance(DAY + 60_000);
      await s.portico.jobs.runOnce(JOB.maintenance);
      assert.deepEqual(await ids('/v1.0/directory/deletedItems/microsoft.graph.group'), []);
      assertGraphError(
        await t.api('POST', `/v1.0/directory/deletedItems/${groupId}/restore`),
        404,
        'Request_ResourceNotFound',
      );
      // The user stays, and the app has no assignment left.
      assert.equal((await t.api('GET', `/v1.0/users/${userId}`)).status, 200);
      assert.deepEqual(await principals(app.body.id), []);
      const done = await activities(groupId);
      for (const a of ['Delete group', 'Restore group', 'Hard delete group']) assert.ok(done.includes(a), a);
    });

    it('purges a deleted group on request', async () => {
      const group = await t.api('POST', '/v1.0/groups', {
        displayName: 'Temps',
        mailEnabled: false,
        securityEnabled: true,
      });
      assert.equal((await t.api('DELETE', `/v1.0/groups/${group.body.id}`)).status, 204);
      assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${group.body.id}`)).status, 204);
      assertGraphError(
        await t.api('GET', `/v1.0/directory/deletedItems/${group.body.id}`),
        404,
        'Request_ResourceNotFound',
      );
      assertGraphError(await t.api('GET', `/v1.0/groups/${group.body.id}`), 404, 'Request_ResourceNotFound');
    });

    /** A client-credentials request at the tenant's token endpoint: its status and body. */
    async function tokenRequest(clientId: string, secret: string) {
      const res = await fetch(`${s.baseUrl}/${t.tenantId}/v2.0/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: `${s.baseUrl}/v1.0/.default` }),
      });
      return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
    }

    it('moves a deleted app to deleted items: no tokens while deleted, the same app after restore', async () => {
      // A daemon app with a secret (as `portico app create` registers one; the API registers sign-in apps only).
      const { services } = s.portico;
      const daemon = await services.store.transaction((tx) =>
        registerApp(tx, services.clock, t.tenantId, {
          displayName: 'Payroll daemon',
          grantTypes: ['client_credentials'],
          appPermissions: ['User.Read.All'],
          redirectUris: ['https://payroll.example/callback'],
        }),
      );
      const { app, clientSecret } = daemon;
      assert.ok((await tokenRequest(app.clientId, clientSecret!)).body.access_token);
      const assigned = await t.api('POST', `/v1.0/applications/${app.id}/appRoleAssignedTo`, { principalId: userId });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));

      assert.equal((await t.api('DELETE', `/v1.0/applications/${app.id}`)).status, 204);
      assertGraphError(await t.api('GET', `/v1.0/applications/${app.id}`), 404, 'Request_ResourceNotFound');
      assert.ok(!(await ids('/v1.0/applications')).includes(app.id));
      // The token endpoint answers as for a client id it never knew.
      const refused = await tokenRequest(app.clientId, clientSecret!);
      const unknown = await tokenRequest('00000000-0000-4000-8000-000000000001', clientSecret!);
      assert.equal(refused.status, unknown.status);
      assert.equal(refused.body.error, 'invalid_client');
      assert.equal(refused.body.error, unknown.body.error);
      assert.equal(refused.body.access_token, undefined);

      for (const cast of ['microsoft.graph.application', 'graph.application']) {
        const list = await t.api('GET', `/v1.0/directory/deletedItems/${cast}`);
        assert.equal(list.status, 200);
        assert.deepEqual(
          (list.body.value as { appId: string }[]).map((a) => a.appId),
          [app.clientId],
        );
        assert.equal(list.body.value[0]['@odata.type'], '#microsoft.graph.application');
      }
      const item = await t.api('GET', `/v1.0/directory/deletedItems/${app.id}`);
      assert.equal(item.body['@odata.type'], '#microsoft.graph.application');
      assert.equal(item.body.appId, app.clientId);

      const restored = await t.api('POST', `/v1.0/directory/deletedItems/${app.id}/restore`);
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
      assert.equal(restored.body.id, app.id);
      assert.equal(restored.body.appId, app.clientId);
      assert.deepEqual(restored.body.web.redirectUris, ['https://payroll.example/callback']);
      assert.ok((await tokenRequest(app.clientId, clientSecret!)).body.access_token, 'the same secret works again');
      assert.deepEqual(await principals(app.id), [userId]);

      // Purged on request: the client id is unknown for good.
      assert.equal((await t.api('DELETE', `/v1.0/applications/${app.id}`)).status, 204);
      assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${app.id}`)).status, 204);
      assertGraphError(await t.api('GET', `/v1.0/directory/deletedItems/${app.id}`), 404, 'Request_ResourceNotFound');
      assert.equal((await tokenRequest(app.clientId, clientSecret!)).body.error, 'invalid_client');
      const done = await activities(app.id);
      for (const a of ['Delete application', 'Restore application', 'Hard delete application'])
        assert.ok(done.includes(a), a);
    });

    it('purges a deleted app after 30 days', async () => {
      const app = await t.api('POST', '/v1.0/applications', {
        displayName: 'Old portal',
        web: { redirectUris: ['https://portal.example/callback'] },
      });
      assert.equal((await t.api('DELETE', `/v1.0/applications/${app.body.id}`)).status, 204);
      clock.advance(30 * DAY + 60_000);
      await s.portico.jobs.runOnce(JOB.maintenance);
      assert.deepEqual(await ids('/v1.0/directory/deletedItems/microsoft.graph.application'), []);
    });
  },
);
