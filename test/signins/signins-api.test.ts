// GET /v1.0/auditLogs/signIns and /signIns/{id}: Graph's signIn shape for members, guests and unknown names,
// AuditLog.Read.All required, $filter, $select, and $top with absolute nextLinks. Sign-ins are recorded directly
// (the sign-in pages call the same recordSignIn), with their own clock so times are exact.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock.ts';
import { getUser, type User } from '../../src/directory/users.ts';
import { recordSignIn, SIGNIN_ERRORS, type SignInInput } from '../../src/signins/signins.ts';
import { storeKinds } from '../helpers/stores.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertGraphError, insertGuest, narrowApi, readAllPages, tenantWithApi, type GraphObject, type TenantApi } from '../helpers/api.ts';

const APP = { clientId: '5f1d2c1e-8a7b-4c3d-9e0f-112233445566', displayName: 'Expenses' };

for (const { kind, skip } of storeKinds()) {
  describe(`API sign-in logs (${kind})`, { skip }, () => {
    let s: TestServer;
    let t: TenantApi;
    let guest: User;
    const clock = new ManualClock(new Date('2026-04-01T08:00:00.000Z'));
    const ids: Record<string, string> = {};
    const record = (input: SignInInput, tenantId = t.tenantId) => {
      clock.advance(1000);
      return recordSignIn(s.portico.services.store.db, clock, tenantId, input);
    };
    const q = (filter: string) => `/v1.0/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`;

    before(async () => {
      s = await startTestServer(kind, { runWorker: false });
      t = await tenantWithApi(s, 'Contoso');
      const guestId = await insertGuest(s, t.tenantId, t.domain, { mail: 'alice@partner.example', displayName: 'Alice (Partner)', externalUserState: 'Accepted' });
      guest = (await getUser(s.portico.services.store.db, t.tenantId, guestId))!;
      ids.member = await record({ user: t.admin, app: APP, identityProvider: `${s.baseUrl}/${t.tenantId}/v2.0`, method: 'password', ipAddress: '198.51.100.4', clientAppUsed: 'Browser', correlationId: 'c-1' });
      ids.guest = await record({ user: guest, app: APP, identityProvider: 'mail', method: 'passcode' });
      ids.unknown = await record({ userPrincipalName: 'who@partner.example', identityProvider: `${s.baseUrl}/${t.tenantId}/v2.0`, method: 'password', error: 'userNotFound' });
      ids.consent = await record({ user: guest, app: APP, identityProvider: 'mail', method: 'session', error: 'consentRequired' });
      for (let i = 0; i < 5; i++) await record({ user: t.admin, identityProvider: `${s.baseUrl}/${t.tenantId}/v2.0`, method: 'password', error: 'invalidCredentials' });
      const other = await s.provision('Fabrikam');
      ids.foreign = await record({ user: other.admin, identityProvider: 'x', method: 'password' }, other.tenant.id);
    });
    after(async () => { await s?.close(); });

    const one = async (id: string) => {
      const res = await t.api('GET', `/v1.0/auditLogs/signIns/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    it("shapes a member's sign-in as Graph's signIn, with Portico's identityProvider and signInMethod", async () => {
      assert.deepEqual(await one(ids.member!), {
        '@odata.context': `${s.baseUrl}/v1.0/$metadata#auditLogs/signIns/$entity`,
        id: ids.member, createdDateTime: '2026-04-01T08:00:01.000Z',
        userDisplayName: t.admin.displayName, userPrincipalName: t.admin.userPrincipalName, userId: t.admin.id, userType: 'member',
        appId: APP.clientId, appDisplayName: 'Expenses', ipAddress: '198.51.100.4', clientAppUsed: 'Browser', correlationId: 'c-1',
        resourceTenantId: t.tenantId, crossTenantAccessType: 'none',
        status: { errorCode: 0, failureReason: null, additionalDetails: null },
        identityProvider: `${s.baseUrl}/${t.tenantId}/v2.0`, signInMethod: 'password',
      });
    });

    it("marks a guest's sign-in as B2B collaboration, and an interruption in its status", async () => {
      const g = await one(ids.guest!);
      assert.deepEqual([g.userType, g.crossTenantAccessType, g.identityProvider, g.signInMethod, g.userId], ['guest', 'b2bCollaboration', 'mail', 'passcode', guest.id]);
      const c = await one(ids.consent!);
      assert.equal(c.status.errorCode, 65001);
      assert.equal(c.status.failureReason, SIGNIN_ERRORS.consentRequired.reason);
      assert.match(c.status.additionalDetails, /^Interrupted/);
      const u = await one(ids.unknown!);
      assert.deepEqual([u.userId, u.userType, u.userDisplayName, u.userPrincipalName, u.crossTenantAccessType, u.status.errorCode, u.appId],
        [null, null, null, 'who@partner.example', 'none', 50034, null]);
    });

    it("lists newest first, only the tenant's own, with $select", async () => {
      const res = await t.api('GET', '/v1.0/auditLogs/signIns');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#auditLogs/signIns`);
      assert.equal(res.body['@odata.nextLink'], undefined);
      const times = (res.body.value as GraphObject[]).map((x) => x.createdDateTime as string);
      assert.equal(times.length, 9);
      assert.deepEqual(times, [...times].sort().reverse());
      assert.equal(res.body.value.at(-1).id, ids.member);
      assert.ok(!res.body.value.some((x: GraphObject) => x.id === ids.foreign));
      const selected = await t.api('GET', '/v1.0/auditLogs/signIns?$select=id,status&$top=1');
      assert.deepEqual(Object.keys(selected.body.value[0]), ['id', 'status']);
      assert.deepEqual(Object.keys(await t.api('GET', `/v1.0/auditLogs/signIns/${ids.guest}?$select=userId`).then((r) => r.body)), ['@odata.context', 'userId']);
    });

    it('pages with $top and absolute nextLinks, each sign-in once, also with a $filter', async () => {
      const all = (await t.api('GET', '/v1.0/auditLogs/signIns')).body.value as GraphObject[];
      const { items, pages } = await readAllPages(t.api, s.baseUrl, '/v1.0/auditLogs/signIns?$top=2');
      assert.deepEqual(items.map((x) => x.id), all.map((x) => x.id));
      assert.equal(pages.length, 5);
      const failed = await readAllPages(t.api, s.baseUrl, `${q('status/errorCode eq 50126')}&$top=2`);
      assert.equal(failed.items.length, 5);
      assert.equal(failed.pages.length, 3);
      assert.ok(new URL(failed.pages[0]['@odata.nextLink']).searchParams.get('$filter'), 'the filter carries over');
      const scoped = await t.api('GET', `/${t.tenantId}/v1.0/auditLogs/signIns?$top=1`);
      assert.equal(new URL(scoped.body['@odata.nextLink']).pathname, `/${t.tenantId}/v1.0/auditLogs/signIns`);
    });

    it('filters on userId, userPrincipalName, appId, status/errorCode and createdDateTime', async () => {
      const idsFor = async (filter: string) => {
        const res = await t.api('GET', q(filter));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return (res.body.value as GraphObject[]).map((x) => x.id);
      };
      assert.deepEqual(await idsFor(`userId eq '${guest.id}'`), [ids.consent, ids.guest]);
      assert.deepEqual(await idsFor(`userPrincipalName eq '${guest.userPrincipalName.toUpperCase()}'`), [ids.consent, ids.guest]);
      assert.deepEqual(await idsFor(`appId eq '${APP.clientId}' and status/errorCode eq 0`), [ids.guest, ids.member]);
      assert.deepEqual(await idsFor('createdDateTime ge 2026-04-01T08:00:02Z and createdDateTime le 2026-04-01T08:00:03Z'), [ids.unknown, ids.guest]);
    });

    it('needs AuditLog.Read.All', async () => {
      const reader = await narrowApi(s, t.tenantId, ['AuditLog.Read.All']);
      assert.equal((await reader('GET', '/v1.0/auditLogs/signIns')).status, 200);
      assert.equal((await reader('GET', `/v1.0/auditLogs/signIns/${ids.member}`)).status, 200);
      const other = await narrowApi(s, t.tenantId, ['User.Read.All', 'Directory.Read.All']);
      assertGraphError(await other('GET', '/v1.0/auditLogs/signIns'), 403, 'Authorization_RequestDenied');
      assertGraphError(await other('GET', `/v1.0/auditLogs/signIns/${ids.member}`), 403, 'Authorization_RequestDenied');
    });

    it("answers 404 for an unknown id and another tenant's sign-in", async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', ids.foreign!, 'not-an-id']) {
        assertGraphError(await t.api('GET', `/v1.0/auditLogs/signIns/${id}`), 404, 'Request_ResourceNotFound');
      }
    });

    it('refuses filters and options it cannot answer with 400 Request_UnsupportedQuery and a message saying why', async () => {
      const cases: [string, RegExp][] = [
        [q("createdDateTime ge '2026-04-01'"), /unquoted date-time/],
        [q("userDisplayName eq 'Alice'"), /userDisplayName/],
        [q("status/errorCode eq 'x'"), /integer/],
        [q("status/errorCode eq"), /ends too early/],
        ['/v1.0/auditLogs/signIns?$count=true', /\$count/],
        ['/v1.0/auditLogs/signIns?$select=password', /password/],
        ['/v1.0/auditLogs/signIns?$orderby=createdDateTime', /\$orderby/],
        ['/v1.0/auditLogs/signIns?$skiptoken=garbage', /skiptoken/],
        [`/v1.0/auditLogs/signIns?$skiptoken=${Buffer.from(JSON.stringify({ a: t.admin.id })).toString('base64url')}`, /skiptoken/],
      ];
      for (const [path, message] of cases) {
        const res = await t.api('GET', path);
        assertGraphError(res, 400, 'Request_UnsupportedQuery');
        assert.match(res.body.error.message, message, path);
      }
    });
  });
}
