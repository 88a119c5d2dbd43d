// /v1.0/auditLogs/directoryAudits records every change made through the API (and nothing for refused requests);
// /v1.0/portico/outbox lists the tenant's queued and sent mail. The worker is driven by hand here.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { enqueue } from '../../src/mail/outbox.ts';
import { assertGraphError, ids, newUserBody, readAllPages, tenantWithApi, type GraphObject } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

type AuditEvent = GraphObject & { activityDisplayName: string; targetResources: { id: string; type: string }[] };

suite('API audit log and outbox', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  const audits = async (tenant = t) =>
    (await readAllPages(tenant.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items as AuditEvent[];
  const ok = async (res: Promise<{ status: number; body: { id?: string } | null }>, status: number) => {
    const r = await res;
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body?.id as string;
  };

  it('has the provisioning events, attributed to Portico', async () => {
    const events = await audits();
    const created = events.find((e) => e.activityDisplayName === 'Create tenant')!;
    assert.deepEqual(created.initiatedBy, { user: null, app: { appId: null, displayName: 'Portico provisioning' } });
    assert.deepEqual(
      created.targetResources.map((r) => [r.id, r.type]),
      [[t.tenantId, 'Tenant']],
    );
    assert.ok(events.some((e) => e.activityDisplayName === 'Add user' && e.targetResources[0]!.id === t.admin.id));
  });

  it('records each change made through the API, with its actor, target and outcome', async () => {
    const userId = await ok(t.api('POST', '/v1.0/users', newUserBody(`audited@${t.domain}`, 'Audited')), 201);
    await ok(t.api('PATCH', `/v1.0/users/${userId}`, { displayName: 'Audited twice' }), 204);
    await ok(t.api('PATCH', `/v1.0/users/${userId}`, { passwordProfile: { password: 'another-long-password' } }), 204);
    const groupId = await ok(t.api('POST', '/v1.0/groups', { displayName: 'Audited group' }), 201);
    await ok(t.api('PATCH', `/v1.0/groups/${groupId}`, { description: 'now described' }), 204);
    await ok(
      t.api('POST', `/v1.0/groups/${groupId}/members/$ref`, {
        '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}`,
      }),
      204,
    );
    await ok(t.api('DELETE', `/v1.0/groups/${groupId}/members/${userId}/$ref`), 204);
    await ok(t.api('DELETE', `/v1.0/groups/${groupId}`), 204);
    const contactId = await ok(t.api('POST', '/v1.0/contacts', { displayName: 'Audited contact' }), 201);
    await ok(t.api('PATCH', `/v1.0/contacts/${contactId}`, { companyName: 'Audit Co' }), 204);
    await ok(t.api('DELETE', `/v1.0/contacts/${contactId}`), 204);
    await ok(
      t.api('PATCH', `/v1.0/organization/${t.tenantId}`, {
        privacyProfile: { contactEmail: 'privacy@contoso.example' },
      }),
      204,
    );
    await ok(t.api('DELETE', `/v1.0/users/${userId}`), 204);

    const expected: [string, string, string, string, string][] = [
      ['Add user', 'UserManagement', 'Add', userId, 'User'],
      ['Update user', 'UserManagement', 'Update', userId, 'User'],
      ['Reset user password', 'UserManagement', 'Update', userId, 'User'],
      ['Delete user', 'UserManagement', 'Delete', userId, 'User'],
      ['Add group', 'GroupManagement', 'Add', groupId, 'Group'],
      ['Update group', 'GroupManagement', 'Update', groupId, 'Group'],
      ['Add member to group', 'GroupManagement', 'Assign', groupId, 'Group'],
      ['Remove member from group', 'GroupManagement', 'Unassign', groupId, 'Group'],
      ['Delete group', 'GroupManagement', 'Delete', groupId, 'Group'],
      ['Add contact', 'DirectoryManagement', 'Add', contactId, 'Contact'],
      ['Update contact', 'DirectoryManagement', 'Update', contactId, 'Contact'],
      ['Delete contact', 'DirectoryManagement', 'Delete', contactId, 'Contact'],
      ['Update company settings', 'DirectoryManagement', 'Update', t.tenantId, 'Tenant'],
    ];
    const events = await audits();
    for (const [activity, category, operationType, targetId, targetType] of expected) {
      const matching = events.filter(
        (e) => e.activityDisplayName === activity && e.targetResources[0]?.id === targetId,
      );
      assert.equal(matching.length, 1, `one '${activity}' event for ${targetId}`);
      const e = matching[0]!;
      assert.equal(e.category, category);
      assert.equal(e.operationType, operationType);
      assert.equal(e.result, 'success');
      assert.equal(e.targetResources[0]!.type, targetType);
      assert.equal(e.loggedByService, 'Core Directory');
      assert.deepEqual(e.initiatedBy, {
        user: null,
        app: { appId: t.managementClient.clientId, displayName: 'Portico management' },
      });
    }
    const member = events.find(
      (e) => e.activityDisplayName === 'Add member to group' && e.targetResources[0]?.id === groupId,
    )!;
    assert.deepEqual(member.targetResources[1], {
      id: userId,
      type: 'User',
      displayName: 'Audited twice',
      userPrincipalName: 'audited@contoso.portico.localhost',
    });
    const times = events.map((e) => Date.parse(e.activityDateTime as string));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    );
  });

  it('records nothing for refused requests', async () => {
    const before = ids(await audits());
    await ok(t.api('POST', '/v1.0/users', newUserBody('x@fabrikam.com')), 400);
    await ok(t.api('POST', '/v1.0/users', newUserBody(t.admin.userPrincipalName)), 400);
    await ok(t.api('PATCH', '/v1.0/users/00000000-0000-4000-8000-000000000000', { displayName: 'X' }), 404);
    await ok(t.api('POST', '/v1.0/groups', { displayName: 'X', groupTypes: ['Unified'] }), 400);
    await ok(t.api('PATCH', `/v1.0/organization/${t.tenantId}`, { branding: { primaryColor: 'red' } }), 400);
    assert.deepEqual(ids(await audits()), before);
  });

  it('pages the audit log with absolute nextLinks, each event once, and keeps tenants apart', async () => {
    const all = await audits();
    const { items, pages } = await readAllPages(t.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits?$top=4');
    assert.deepEqual(
      items.map((e) => e.id),
      all.map((e) => e.id),
      'same events in the same order',
    );
    assert.equal(pages.length, Math.ceil(all.length / 4));
    assert.equal(pages[0]['@odata.context'], `${s.baseUrl}/v1.0/$metadata#auditLogs/directoryAudits`);
    const other = await tenantWithApi(s, 'Fabrikam');
    const theirs = await audits(other);
    assert.ok(theirs.length > 0);
    assert.ok(!theirs.some((e) => all.some((mine) => mine.id === e.id)));
  });

  it('refuses unsupported audit query options and a $skiptoken it did not issue', async () => {
    const usersNext = (await t.api('GET', '/v1.0/users?$top=1')).body['@odata.nextLink'] as string | undefined;
    const foreignToken = usersNext
      ? new URL(usersNext).searchParams.get('$skiptoken')!
      : Buffer.from(JSON.stringify({ a: t.admin.id })).toString('base64url');
    const wrongShape = Buffer.from(JSON.stringify({ a: JSON.stringify({ time: 1 }) })).toString('base64url');
    for (const query of [
      `$filter=${encodeURIComponent("category eq 'UserManagement'")}`,
      '$select=id',
      '$top=0',
      '$count=true',
      '$skiptoken=garbage',
      `$skiptoken=${foreignToken}`,
      `$skiptoken=${wrongShape}`,
    ]) {
      assertGraphError(await t.api('GET', `/v1.0/auditLogs/directoryAudits?${query}`), 400, 'Request_UnsupportedQuery');
    }
  });

  describe('outbox', () => {
    const mail = (n: number) => ({ to: [`guest${n}@fabrikam.example`], subject: `Message ${n}`, text: `Hello ${n}` });
    let queued: string[];
    before(async () => {
      const { store, clock } = s.portico.services;
      const other = await s.provision('Northwind');
      queued = await store.transaction(async (tx) => {
        await enqueue(tx, clock, other.tenant.id, 'test', mail(99));
        return [
          await enqueue(tx, clock, t.tenantId, 'test', mail(1)),
          await enqueue(tx, clock, t.tenantId, 'test', mail(2)),
          await enqueue(tx, clock, t.tenantId, 'test', mail(3)),
        ];
      });
    });

    it("lists the tenant's pending mail, and only its own", async () => {
      const res = await t.api('GET', '/v1.0/portico/outbox');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(ids(res.body.value), [...queued].sort());
      const first = res.body.value.find((m: GraphObject) => m.id === queued[0]);
      assert.equal(first.kind, 'test');
      assert.equal(first.state, 'pending');
      assert.equal(first.attempts, 0);
      assert.deepEqual(first.to, ['guest1@fabrikam.example']);
      assert.equal(first.subject, 'Message 1');
      assert.equal(first.sentDateTime, null);
      assert.equal(first.lastError, null);
      assert.ok(!Number.isNaN(Date.parse(first.nextAttemptDateTime)));
      assert.equal((await t.api('GET', '/v1.0/portico/outbox?state=sent')).body.value.length, 0);
    });

    it('pages the outbox with nextLink', async () => {
      const { items, pages } = await readAllPages(t.api, s.baseUrl, '/v1.0/portico/outbox?$top=2');
      assert.deepEqual(ids(items), [...queued].sort());
      assert.equal(pages.length, 2);
    });

    it('shows mail as sent once the worker has delivered it', async () => {
      await s.portico.worker.runOnce();
      const sent = (await t.api('GET', '/v1.0/portico/outbox?state=sent')).body.value;
      assert.deepEqual(ids(sent), [...queued].sort());
      for (const m of sent) {
        assert.ok(!Number.isNaN(Date.parse(m.sentDateTime)));
        assert.equal(m.nextAttemptDateTime, null);
      }
      assert.equal((await t.api('GET', '/v1.0/portico/outbox?state=pending')).body.value.length, 0);
      assert.deepEqual(
        s.smtp
          .messages()
          .map((m) => m.subject)
          .sort(),
        ['Message 1', 'Message 2', 'Message 3', 'Message 99'],
      );
    });

    it('refuses unsupported query options', async () => {
      for (const query of ['$top=0', '$select=id', `$filter=${encodeURIComponent("state eq 'sent'")}`, '$count=true']) {
        assertGraphError(await t.api('GET', `/v1.0/portico/outbox?${query}`), 400, 'Request_UnsupportedQuery');
      }
    });
  });
});
