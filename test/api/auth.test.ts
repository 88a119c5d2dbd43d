// Who may call the API: bearer tokens (missing, malformed, tampered, forged, another tenant's), application
// permissions per route (403 for a narrower app, with nothing changed), and tenant isolation (another tenant's
// objects are 404, the tenant-scoped path must match the token).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';

import {
  assertGraphError,
  narrowApi,
  narrowToken,
  newUserBody,
  seedMembers,
  tenantWithApi,
  type Api,
  type TenantApi,
} from '../helpers/api.ts';
import { apiClient } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';

const NO_ID = '00000000-0000-4000-8000-000000000000';

suite('API authentication and authorization', {}, ({ s }) => {
  let a: TenantApi;
  let b: TenantApi;
  /** objects of tenant B that tenant A must not reach */
  let bUser: { id: string; userPrincipalName: string };
  let bGroup: string;
  let bContact: string;

  before(async () => {
    a = await tenantWithApi(s, 'Contoso');
    b = await tenantWithApi(s, 'Fabrikam');
    bUser = (await b.api('POST', '/v1.0/users', newUserBody(`bob@${b.domain}`, 'Bob'))).body;
    bGroup = (await b.api('POST', '/v1.0/groups', { displayName: 'B team' })).body.id;
    await b.api('POST', `/v1.0/groups/${bGroup}/members/$ref`, { '@odata.id': bUser.id });
    bContact = (await b.api('POST', '/v1.0/contacts', { displayName: 'B contact' })).body.id;
  });

  /** Every route, with a body that would be valid for it. */
  const routes = (): [string, string, unknown?][] => [
    ['GET', '/v1.0/users'],
    ['POST', '/v1.0/users', newUserBody(`new@${a.domain}`)],
    ['GET', `/v1.0/users/${a.admin.id}`],
    ['PATCH', `/v1.0/users/${a.admin.id}`, { displayName: 'Changed' }],
    ['DELETE', `/v1.0/users/${a.admin.id}`],
    ['GET', '/v1.0/groups'],
    ['POST', '/v1.0/groups', { displayName: 'G' }],
    ['GET', `/v1.0/groups/${NO_ID}`],
    ['PATCH', `/v1.0/groups/${NO_ID}`, { displayName: 'G' }],
    ['DELETE', `/v1.0/groups/${NO_ID}`],
    ['GET', `/v1.0/groups/${NO_ID}/members`],
    ['POST', `/v1.0/groups/${NO_ID}/members/$ref`, { '@odata.id': a.admin.id }],
    ['DELETE', `/v1.0/groups/${NO_ID}/members/${a.admin.id}/$ref`],
    ['GET', '/v1.0/contacts'],
    ['POST', '/v1.0/contacts', { displayName: 'C' }],
    ['GET', `/v1.0/contacts/${NO_ID}`],
    ['PATCH', `/v1.0/contacts/${NO_ID}`, { displayName: 'C' }],
    ['DELETE', `/v1.0/contacts/${NO_ID}`],
    ['GET', '/v1.0/organization'],
    ['GET', `/v1.0/organization/${a.tenantId}`],
    ['PATCH', `/v1.0/organization/${a.tenantId}`, { displayName: 'Changed' }],
    ['GET', '/v1.0/auditLogs/directoryAudits'],
    ['GET', '/v1.0/portico/outbox'],
  ];
  const userIds = async (t: TenantApi) =>
    (await t.api('GET', '/v1.0/users?$select=id')).body.value.map((u: { id: string }) => u.id).sort();
  const withToken = (token: string) => apiClient(s.baseUrl, token);
  const tamper = (token: string, change: (payload: Record<string, unknown>) => void) => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    change(claims);
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  };

  it('refuses every route without a valid bearer token (401), and changes nothing', async () => {
    const before = await userIds(a);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${a.token.split('.')[1]}.`;
    const noToken = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${s.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json(), headers: res.headers };
    };
    for (const [method, path, body] of routes()) {
      assertGraphError(await noToken(method, path, body), 401, 'InvalidAuthenticationToken');
      for (const header of [
        '',
        'Bearer',
        'Bearer not-a-jwt',
        `Basic ${Buffer.from('user:pass').toString('base64')}`,
        `Bearer ${unsigned}`,
      ]) {
        assertGraphError(await a.api(method, path, body, { authorization: header }), 401, 'InvalidAuthenticationToken');
      }
    }
    assert.deepEqual(await userIds(a), before);
  });

  it('refuses tampered and forged tokens (401)', async () => {
    const elevated = tamper(await narrowToken(s, a.tenantId, ['User.Read.All']), (c) => {
      c.roles = ['Directory.ReadWrite.All'];
    });
    const otherTenant = tamper(a.token, (c) => {
      c.iss = `${s.baseUrl}/${b.tenantId}/v2.0`;
      c.tid = b.tenantId;
    });
    const unknownTenant = tamper(a.token, (c) => {
      c.iss = `${s.baseUrl}/${NO_ID}/v2.0`;
      c.tid = NO_ID;
    });
    const foreignIssuer = tamper(a.token, (c) => {
      c.iss = `https://login.microsoftonline.com/${a.tenantId}/v2.0`;
    });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({
      tid: a.tenantId,
      roles: ['Directory.ReadWrite.All'],
      idtyp: 'app',
      client_id: 'forger',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .setIssuer(`${s.baseUrl}/${a.tenantId}/v2.0`)
      .setAudience(`${s.baseUrl}/v1.0`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    for (const token of [elevated, otherTenant, unknownTenant, foreignIssuer, forged]) {
      assertGraphError(await withToken(token)('GET', '/v1.0/users'), 401, 'InvalidAuthenticationToken');
      assertGraphError(
        await withToken(token)('DELETE', `/v1.0/users/${a.admin.id}`),
        401,
        'InvalidAuthenticationToken',
      );
    }
    assert.equal((await a.api('GET', `/v1.0/users/${a.admin.id}`)).status, 200);
  });

  it("serves /<tenant id>/v1.0 only with that tenant's token (401 otherwise)", async () => {
    assert.equal((await a.api('GET', `/${a.tenantId}/v1.0/users`)).status, 200);
    assert.equal((await a.api('GET', `/${a.tenantId.toUpperCase()}/v1.0/users`)).status, 200);
    assertGraphError(await a.api('GET', `/${b.tenantId}/v1.0/users`), 401, 'InvalidAuthenticationToken');
    assertGraphError(await a.api('GET', `/${b.tenantId}/v1.0/users/${bUser.id}`), 401, 'InvalidAuthenticationToken');
    assertGraphError(await a.api('DELETE', `/${b.tenantId}/v1.0/users/${bUser.id}`), 401, 'InvalidAuthenticationToken');
    assertGraphError(await a.api('GET', `/${b.domain}/v1.0/users`), 401, 'InvalidAuthenticationToken');
    assert.equal((await b.api('GET', `/v1.0/users/${bUser.id}`)).status, 200);
  });

  it("answers 404 for another tenant's objects, on reads and writes, and changes nothing", async () => {
    const before = {
      user: (await b.api('GET', `/v1.0/users/${bUser.id}`)).body,
      group: (await b.api('GET', `/v1.0/groups/${bGroup}`)).body,
      contact: (await b.api('GET', `/v1.0/contacts/${bContact}`)).body,
    };
    const probes: [string, string, unknown?][] = [
      ['GET', `/v1.0/users/${bUser.id}`],
      ['GET', `/v1.0/users/${encodeURIComponent(bUser.userPrincipalName)}`],
      ['PATCH', `/v1.0/users/${bUser.id}`, { displayName: 'Hijacked' }],
      ['DELETE', `/v1.0/users/${bUser.id}`],
      ['GET', `/v1.0/groups/${bGroup}`],
      ['PATCH', `/v1.0/groups/${bGroup}`, { displayName: 'Hijacked' }],
      ['GET', `/v1.0/groups/${bGroup}/members`],
      ['POST', `/v1.0/groups/${bGroup}/members/$ref`, { '@odata.id': a.admin.id }],
      ['DELETE', `/v1.0/groups/${bGroup}/members/${bUser.id}/$ref`],
      ['DELETE', `/v1.0/groups/${bGroup}`],
      ['GET', `/v1.0/contacts/${bContact}`],
      ['PATCH', `/v1.0/contacts/${bContact}`, { displayName: 'Hijacked' }],
      ['DELETE', `/v1.0/contacts/${bContact}`],
    ];
    for (const [method, path, body] of probes)
      assertGraphError(await a.api(method, path, body), 404, 'Request_ResourceNotFound');
    assert.deepEqual((await b.api('GET', `/v1.0/users/${bUser.id}`)).body, before.user);
    assert.deepEqual((await b.api('GET', `/v1.0/groups/${bGroup}`)).body, before.group);
    assert.deepEqual((await b.api('GET', `/v1.0/contacts/${bContact}`)).body, before.contact);
    assert.deepEqual(
      (await b.api('GET', `/v1.0/groups/${bGroup}/members?$select=id`)).body.value.map((m: { id: string }) => m.id),
      [bUser.id],
    );
    const listed = (await a.api('GET', '/v1.0/users?$top=999')).body.value.map((u: { id: string }) => u.id);
    assert.ok(!listed.includes(bUser.id), "another tenant's users are not listed");
  });

  describe('application permissions', () => {
    let readUsers: Api;
    before(async () => {
      readUsers = await narrowApi(s, a.tenantId, ['User.Read.All']);
    });

    it('lets User.Read.All read users but not write them (403), and a refused write changes nothing', async () => {
      const [target] = await seedMembers(s, a.tenantId, [
        { displayName: 'Guarded', userPrincipalName: `guarded@${a.domain}` },
      ]);
      assert.equal((await readUsers('GET', '/v1.0/users')).status, 200);
      const before = (await readUsers('GET', `/v1.0/users/${target!.id}`)).body;
      assert.equal(before.displayName, 'Guarded');
      const ids = await userIds(a);
      assertGraphError(
        await readUsers('POST', '/v1.0/users', newUserBody(`sneaky@${a.domain}`)),
        403,
        'Authorization_RequestDenied',
      );
      assertGraphError(
        await readUsers('PATCH', `/v1.0/users/${target!.id}`, { displayName: 'Changed' }),
        403,
        'Authorization_RequestDenied',
      );
      assertGraphError(await readUsers('DELETE', `/v1.0/users/${target!.id}`), 403, 'Authorization_RequestDenied');
      assert.deepEqual((await a.api('GET', `/v1.0/users/${target!.id}`)).body, before);
      assert.deepEqual(await userIds(a), ids);
    });

    it('refuses User.Read.All every route outside users (403)', async () => {
      for (const [method, path, body] of routes().filter(([, p]) => !p.startsWith('/v1.0/users'))) {
        assertGraphError(await readUsers(method, path, body), 403, 'Authorization_RequestDenied');
      }
    });

    it('refuses an app without permissions every route (403)', async () => {
      const none = await narrowApi(s, a.tenantId, []);
      for (const [method, path, body] of routes())
        assertGraphError(await none(method, path, body), 403, 'Authorization_RequestDenied');
    });

    it('grants each read permission its reads only', async () => {
      const group = (await a.api('POST', '/v1.0/groups', { displayName: 'Perm group' })).body.id;
      const cases: [Parameters<typeof narrowApi>[2], [string, string, unknown?][], [string, string, unknown?][]][] = [
        [
          ['Group.Read.All'],
          [
            ['GET', '/v1.0/groups'],
            ['GET', `/v1.0/groups/${group}/members`],
          ],
          [
            ['POST', '/v1.0/groups', { displayName: 'X' }],
            ['PATCH', `/v1.0/groups/${group}`, { displayName: 'X' }],
            ['POST', `/v1.0/groups/${group}/members/$ref`, { '@odata.id': a.admin.id }],
          ],
        ],
        [['OrgContact.Read.All'], [['GET', '/v1.0/contacts']], [['POST', '/v1.0/contacts', { displayName: 'X' }]]],
        [
          ['Organization.Read.All'],
          [['GET', '/v1.0/organization']],
          [['PATCH', `/v1.0/organization/${a.tenantId}`, { displayName: 'X' }]],
        ],
        [
          ['GroupMember.ReadWrite.All'],
          [],
          [
            ['PATCH', `/v1.0/groups/${group}`, { displayName: 'X' }],
            ['DELETE', `/v1.0/groups/${group}`],
          ],
        ],
      ];
      for (const [permissions, allowed, denied] of cases) {
        const api = await narrowApi(s, a.tenantId, permissions);
        for (const [method, path, body] of allowed)
          assert.equal((await api(method, path, body)).status, 200, `${permissions} may ${method} ${path}`);
        for (const [method, path, body] of denied)
          assertGraphError(await api(method, path, body), 403, 'Authorization_RequestDenied');
      }
      assert.equal((await a.api('GET', `/v1.0/groups/${group}`)).body.displayName, 'Perm group');
      assert.deepEqual((await a.api('GET', `/v1.0/groups/${group}/members`)).body.value, []);
    });

    it('lets GroupMember.ReadWrite.All manage members without other group rights', async () => {
      const group = (await a.api('POST', '/v1.0/groups', { displayName: 'Members only' })).body.id;
      const members = await narrowApi(s, a.tenantId, ['GroupMember.ReadWrite.All']);
      assert.equal(
        (await members('POST', `/v1.0/groups/${group}/members/$ref`, { '@odata.id': a.admin.id })).status,
        204,
      );
      assert.deepEqual(
        (await a.api('GET', `/v1.0/groups/${group}/members?$select=id`)).body.value.map((m: { id: string }) => m.id),
        [a.admin.id],
      );
      assert.equal((await members('DELETE', `/v1.0/groups/${group}/members/${a.admin.id}/$ref`)).status, 204);
      assert.deepEqual((await a.api('GET', `/v1.0/groups/${group}/members`)).body.value, []);
    });
  });
});
