// /v1.0/applications: create (the secret once), read, list, update, delete; assignments of members, guests and
// groups (appRoleAssignedTo); admin consent; permissions; and refusals, each checked by reading back that nothing
// changed.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { requireApp } from '../../src/apps/apps.ts';
import { appsForUser, isAssigned, needsAdminConsent } from '../../src/apps/assignments.ts';
import type { User } from '../../src/directory/users.ts';
import { hashSecret } from '../../src/secrets.ts';
import {
  assertGraphError,
  ids,
  narrowApi,
  readAllPages,
  seedMembers,
  tenantWithApi,
  type GraphObject,
} from '../helpers/api.ts';
import { redeemedGuest } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

const REDIRECT = 'https://expenses.example/callback';
const body = (extra: Record<string, unknown> = {}) => ({
  displayName: 'Expenses',
  web: { redirectUris: [REDIRECT] },
  ...extra,
});

suite('API applications', { tenant: 'Contoso' }, ({ s, t }) => {
  let ann: User;
  let ben: User;
  let guestId: string;
  before(async () => {
    [ann, ben] = (await seedMembers(
      s,
      t.tenantId,
      ['Ann', 'Ben'].map((n) => ({ displayName: n, userPrincipalName: `${n.toLowerCase()}@${t.domain}` })),
    )) as [User, User];
    guestId = (await redeemedGuest(s, t.api, 'gina@partner.example', 'Gina')).id;
  });

  const db = () => s.portico.services.store.db;
  const create = async (extra: Record<string, unknown> = {}) => {
    const res = await t.api('POST', '/v1.0/applications', body(extra));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as GraphObject;
  };
  const allApps = async () => (await readAllPages(t.api, s.baseUrl, '/v1.0/applications')).items;
  const domainApp = (id: string) => requireApp(db(), t.tenantId, id);
  const assignedIds = async (appId: string) =>
    ids((await t.api('GET', `/v1.0/applications/${appId}/appRoleAssignedTo`)).body.value);
  const assign = (appId: string, principalId: string) =>
    t.api('POST', `/v1.0/applications/${appId}/appRoleAssignedTo`, { principalId });

  it('creates an app, returns its secret once, and reads it back by id and in the list', async () => {
    const a = await create({
      info: { logoUrl: 'https://cdn.example/expenses.png' },
      web: { homePageUrl: 'https://expenses.example/', redirectUris: [REDIRECT] },
      requestedPermissions: [{ value: 'User.Read' }, { value: 'Files.Read.All', adminConsentRequired: true }],
      appRoleAssignmentRequired: true,
    });
    assert.equal(a['@odata.context'], `${s.baseUrl}/v1.0/$metadata#applications/$entity`);
    const { passwordCredentials, ...entity } = a;
    const secret = (passwordCredentials as { secretText: string }[])[0]!.secretText;
    assert.ok(secret.length >= 40);
    const row = await db()
      .selectFrom('apps')
      .select(['secret_hash', 'client_id'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, hashSecret(secret), 'only its hash is stored');
    assert.deepEqual(
      { ...entity, id: undefined, appId: undefined, createdDateTime: undefined, '@odata.context': undefined },
      {
        id: undefined,
        appId: undefined,
        createdDateTime: undefined,
        '@odata.context': undefined,
        displayName: 'Expenses',
        info: { logoUrl: 'https://cdn.example/expenses.png' },
        web: { homePageUrl: 'https://expenses.example/', redirectUris: [REDIRECT] },
        signInAudience: 'AzureADMyOrg',
        requestedPermissions: [
          { value: 'User.Read', adminConsentRequired: false },
          { value: 'Files.Read.All', adminConsentRequired: true },
        ],
        appRoleAssignmentRequired: true,
        visibleInMyApps: true,
        isFallbackPublicClient: false,
        adminConsentGranted: false,
        '@portico.requiredSignInMethods': null,
        identifierUris: [],
        api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [] },
        appRoles: [],
        requiredResourceAccess: [],
      },
    );
    assert.equal(a.appId, row.client_id);
    const back = await t.api('GET', `/v1.0/applications/${a.id}`);
    assert.equal(back.status, 200);
    assert.deepEqual(
      back.body,
      {
        ...entity,
        passwordCredentials: (passwordCredentials as object[]).map((p) => ({ ...p, secretText: null })),
      },
      'read back with its credential, without the secret (apps/secrets.ts)',
    );
    const list = await t.api('GET', '/v1.0/applications');
    assert.equal(list.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#applications`);
    assert.ok(list.body.value.some((x: GraphObject) => x.id === a.id));
    for (const res of [back, list])
      assert.ok(!JSON.stringify(res.body).includes(secret), 'the secret is never read again');
    assert.ok(
      list.body.value.some((x: GraphObject) => x.displayName === 'Portico management'),
      'the management app is listed',
    );
  });

  it('filters by appId, selects and pages', async () => {
    const a = await create({ displayName: 'Filter me' });
    const byAppId = await t.api(
      'GET',
      `/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${a.appId}'`)}&$select=id,displayName&$count=true`,
    );
    assert.equal(byAppId.status, 200, JSON.stringify(byAppId.body));
    assert.deepEqual(byAppId.body.value, [{ id: a.id, displayName: 'Filter me' }]);
    assert.equal(byAppId.body['@odata.count'], 1);
    const { items, pages } = await readAllPages(t.api, s.baseUrl, '/v1.0/applications?$top=1');
    assert.equal(pages.length, items.length);
    assert.deepEqual(ids(items), ids(await allApps()));
  });

  it('updates an app partially; the change reads back', async () => {
    const a = await create({ requestedPermissions: [{ value: 'User.Read' }] });
    const res = await t.api('PATCH', `/v1.0/applications/${a.id}`, {
      displayName: 'Expenses v2',
      web: { homePageUrl: 'https://expenses.example/home' },
      visibleInMyApps: false,
      requestedPermissions: [{ value: 'User.Read' }, { value: 'Mail.Read', adminConsentRequired: true }],
    });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    const back = (await t.api('GET', `/v1.0/applications/${a.id}`)).body;
    assert.deepEqual(
      [back.displayName, back.web, back.visibleInMyApps, back.info, back.requestedPermissions],
      [
        'Expenses v2',
        { homePageUrl: 'https://expenses.example/home', redirectUris: [REDIRECT] },
        false,
        { logoUrl: null },
        [
          { value: 'User.Read', adminConsentRequired: false },
          { value: 'Mail.Read', adminConsentRequired: true },
        ],
      ],
    );
    assert.equal((await t.api('PATCH', `/v1.0/applications/${a.id}`, { web: { homePageUrl: null } })).status, 204);
    assert.equal((await t.api('GET', `/v1.0/applications/${a.id}`)).body.web.homePageUrl, null);
  });

  it('deletes an app: reads and a second delete are 404; the management app cannot be deleted', async () => {
    const a = await create();
    assert.equal((await assign(a.id, ann.id)).status, 201);
    assert.equal((await t.api('DELETE', `/v1.0/applications/${a.id}`)).status, 204);
    assertGraphError(await t.api('GET', `/v1.0/applications/${a.id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(
      await t.api('GET', `/v1.0/applications/${a.id}/appRoleAssignedTo`),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(await t.api('DELETE', `/v1.0/applications/${a.id}`), 404, 'Request_ResourceNotFound');
    // In deleted items (issue #19) the assignments wait for a restore; the permanent delete removes them.
    assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${a.id}`)).status, 200);
    assert.equal((await db().selectFrom('app_assignments').selectAll().where('app_id', '=', a.id).execute()).length, 1);
    assert.equal((await t.api('DELETE', `/v1.0/directory/deletedItems/${a.id}`)).status, 204);
    assert.deepEqual(await db().selectFrom('app_assignments').selectAll().where('app_id', '=', a.id).execute(), []);
    const management = (await allApps()).find((x) => x.displayName === 'Portico management')!;
    assertGraphError(await t.api('DELETE', `/v1.0/applications/${management.id}`), 400, 'Request_BadRequest');
    assert.equal((await t.api('GET', `/v1.0/applications/${management.id}`)).status, 200);
  });

  it("404s for unknown ids, client ids and other tenants' apps", async () => {
    const a = await create();
    const other = await tenantWithApi(s, 'Fabrikam');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'expenses', a.appId as string]) {
      for (const [method, path, b] of [
        ['GET', ''],
        ['PATCH', '', { displayName: 'X' }],
        ['DELETE', ''],
        ['GET', '/appRoleAssignedTo'],
        ['POST', '/adminConsent'],
        ['DELETE', '/adminConsent'],
      ] as [string, string, unknown?][]) {
        assertGraphError(
          await t.api(method, `/v1.0/applications/${encodeURIComponent(id)}${path}`, b),
          404,
          'Request_ResourceNotFound',
        );
      }
    }
    assertGraphError(await other.api('GET', `/v1.0/applications/${a.id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await other.api('DELETE', `/v1.0/applications/${a.id}`), 404, 'Request_ResourceNotFound');
    assert.equal(
      (await t.api('GET', `/${t.tenantId}/v1.0/applications/${a.id}`)).status,
      200,
      'the tenant-scoped path',
    );
  });

  it("assigns a member, a guest and a group; the group's members may use the app", async () => {
    const a = await create({ appRoleAssignmentRequired: true });
    const group = (await t.api('POST', '/v1.0/groups', { displayName: 'Finance' })).body as GraphObject;
    const res = await assign(a.id, ann.id);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { '@odata.context': context, createdDateTime, ...assignment } = res.body;
    assert.equal(context, `${s.baseUrl}/v1.0/$metadata#applications('${a.id}')/appRoleAssignedTo/$entity`);
    assert.ok(!Number.isNaN(Date.parse(createdDateTime)));
    assert.deepEqual(assignment, {
      id: ann.id,
      appRoleId: '00000000-0000-0000-0000-000000000000',
      principalId: ann.id,
      principalType: 'User',
      principalDisplayName: 'Ann',
      resourceId: a.id,
      resourceDisplayName: 'Expenses',
    });
    assert.equal((await assign(a.id, guestId)).body.principalDisplayName, 'Gina', 'guests are users');
    const g = await t.api('POST', `/v1.0/applications/${a.id}/appRoleAssignedTo`, {
      principalId: group.id,
      resourceId: a.id,
      appRoleId: '00000000-0000-0000-0000-000000000000',
    });
    assert.equal(g.status, 201, JSON.stringify(g.body));
    assert.equal(g.body.principalType, 'Group');
    assert.deepEqual(await assignedIds(a.id), [ann.id, guestId, group.id as string].sort());
    const list = await t.api('GET', `/v1.0/applications/${a.id}/appRoleAssignedTo`);
    assert.equal(list.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#applications('${a.id}')/appRoleAssignedTo`);

    const app = await domainApp(a.id);
    assert.equal(await isAssigned(db(), t.tenantId, app, ben.id), false);
    assert.equal(
      (
        await t.api('POST', `/v1.0/groups/${group.id}/members/$ref`, {
          '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${ben.id}`,
        })
      ).status,
      204,
    );
    assert.equal(await isAssigned(db(), t.tenantId, app, ben.id), true, 'through the group');
    assert.ok((await appsForUser(db(), t.tenantId, ben.id)).some((x) => x.id === a.id));
    assert.ok((await appsForUser(db(), t.tenantId, guestId)).some((x) => x.id === a.id));

    assert.equal((await t.api('DELETE', `/v1.0/applications/${a.id}/appRoleAssignedTo/${group.id}`)).status, 204);
    assert.equal(await isAssigned(db(), t.tenantId, app, ben.id), false);
    assert.ok(!(await appsForUser(db(), t.tenantId, ben.id)).some((x) => x.id === a.id));
    assertGraphError(
      await t.api('DELETE', `/v1.0/applications/${a.id}/appRoleAssignedTo/${group.id}`),
      404,
      'Request_ResourceNotFound',
    );
    assert.deepEqual(await assignedIds(a.id), [ann.id, guestId].sort());
  });

  it('refuses bad assignments and changes nothing', async () => {
    const a = await create({ appRoleAssignmentRequired: true });
    assert.equal((await assign(a.id, ann.id)).status, 201);
    const other = await tenantWithApi(s, 'Northwind');
    const foreignUser = (await other.api('GET', '/v1.0/users')).body.value[0].id as string;
    const cases: [unknown, number, string][] = [
      [{ principalId: '00000000-0000-4000-8000-000000000000' }, 404, 'Request_ResourceNotFound'],
      [{ principalId: 'ann' }, 404, 'Request_ResourceNotFound'],
      [{ principalId: foreignUser }, 404, 'Request_ResourceNotFound'],
      [{ principalId: ann.id }, 400, 'Request_BadRequest'],
      [{ principalId: ben.id, resourceId: '00000000-0000-4000-8000-000000000000' }, 400, 'Request_BadRequest'],
      [{ principalId: ben.id, appRoleId: '11111111-1111-4111-8111-111111111111' }, 400, 'Request_BadRequest'],
      [{ principalId: ben.id, role: 'x' }, 400, 'Request_BadRequest'],
      [{}, 400, 'Request_BadRequest'],
      ['{"principalId":', 400, 'BadRequest'],
    ];
    for (const [b, status, code] of cases)
      assertGraphError(await t.api('POST', `/v1.0/applications/${a.id}/appRoleAssignedTo`, b), status, code);
    assert.deepEqual(await assignedIds(a.id), [ann.id]);
  });

  it('grants and revokes admin consent', async () => {
    const a = await create({
      requestedPermissions: [{ value: 'User.Read' }, { value: 'Files.Read.All', adminConsentRequired: true }],
    });
    assert.equal(needsAdminConsent(await domainApp(a.id)), true);
    const granted = await t.api('POST', `/v1.0/applications/${a.id}/adminConsent`);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    assert.deepEqual(
      { ...granted.body, grantedDateTime: undefined },
      {
        clientId: a.appId,
        consentType: 'AllPrincipals',
        scope: 'User.Read Files.Read.All',
        grantedDateTime: undefined,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(granted.body.grantedDateTime)));
    assert.equal((await t.api('GET', `/v1.0/applications/${a.id}`)).body.adminConsentGranted, true);
    assert.equal(needsAdminConsent(await domainApp(a.id)), false);
    assert.equal((await t.api('DELETE', `/v1.0/applications/${a.id}/adminConsent`)).status, 204);
    assert.equal((await t.api('GET', `/v1.0/applications/${a.id}`)).body.adminConsentGranted, false);
    assert.equal(needsAdminConsent(await domainApp(a.id)), true);
  });

  describe('refused writes change nothing', () => {
    const bodies: [string, () => unknown, number, string, Record<string, string>?][] = [
      [
        'a plain-http redirect URI',
        () => body({ web: { redirectUris: ['http://expenses.example/cb'] } }),
        400,
        'Request_BadRequest',
      ],
      [
        'a redirect URI with a fragment',
        () => body({ web: { redirectUris: [`${REDIRECT}#x`] } }),
        400,
        'Request_BadRequest',
      ],
      ['a relative redirect URI', () => body({ web: { redirectUris: ['/callback'] } }), 400, 'Request_BadRequest'],
      ['no redirect URI', () => body({ web: { redirectUris: [] } }), 400, 'Request_BadRequest'],
      ['a javascript: logo', () => body({ info: { logoUrl: 'javascript:alert(1)' } }), 400, 'Request_BadRequest'],
      [
        'a permission with a space',
        () => body({ requestedPermissions: [{ value: 'User Read' }] }),
        400,
        'Request_BadRequest',
      ],
      [
        'a permission in CLI form',
        () => body({ requestedPermissions: [{ value: 'User.Read:admin' }] }),
        400,
        'Request_BadRequest',
      ],
      [
        'a permission listed twice',
        () =>
          body({ requestedPermissions: [{ value: 'User.Read' }, { value: 'User.Read', adminConsentRequired: true }] }),
        400,
        'Request_BadRequest',
      ],
      [
        'an unknown sign-in audience',
        () => body({ signInAudience: 'AzureADandMicrosoftAccount' }),
        400,
        'Request_BadRequest',
      ],
      ['an unknown property', () => body({ keyCredentials: [] }), 400, 'Request_BadRequest'],
      [
        'an unknown web property',
        () => body({ web: { redirectUris: [REDIRECT], logoutUrl: REDIRECT } }),
        400,
        'Request_BadRequest',
      ],
      ['an empty displayName', () => body({ displayName: ' ' }), 400, 'Request_BadRequest'],
      ['malformed JSON', () => '{"displayName":"X"', 400, 'BadRequest'],
      [
        'a text/plain body',
        () => JSON.stringify(body()),
        415,
        'UnsupportedMediaType',
        { 'content-type': 'text/plain' },
      ],
    ];
    for (const [what, b, status, code, headers] of bodies) {
      it(`refuses to create with ${what} (${status} ${code})`, async () => {
        const before = ids(await allApps());
        assertGraphError(await t.api('POST', '/v1.0/applications', b(), headers), status, code);
        assert.deepEqual(ids(await allApps()), before);
      });
    }

    it('refuses bad updates, and the app reads back unchanged', async () => {
      const a = await create({ requestedPermissions: [{ value: 'User.Read' }] });
      const before = (await t.api('GET', `/v1.0/applications/${a.id}`)).body;
      for (const [, b, status, code, headers] of bodies)
        assertGraphError(await t.api('PATCH', `/v1.0/applications/${a.id}`, b(), headers), status, code);
      assert.deepEqual((await t.api('GET', `/v1.0/applications/${a.id}`)).body, before);
    });
  });

  it('needs Application.ReadWrite.All to write; Application.Read.All reads', async () => {
    const a = await create();
    const none = await narrowApi(s, t.tenantId, ['User.Read.All']);
    const reader = await narrowApi(s, t.tenantId, ['Application.Read.All']);
    const writes: [string, string, unknown?][] = [
      ['POST', '/v1.0/applications', body()],
      ['PATCH', `/v1.0/applications/${a.id}`, { displayName: 'X' }],
      ['DELETE', `/v1.0/applications/${a.id}`],
      ['POST', `/v1.0/applications/${a.id}/appRoleAssignedTo`, { principalId: ann.id }],
      ['DELETE', `/v1.0/applications/${a.id}/appRoleAssignedTo/${ann.id}`],
      ['POST', `/v1.0/applications/${a.id}/adminConsent`],
      ['DELETE', `/v1.0/applications/${a.id}/adminConsent`],
    ];
    const before = ids(await allApps());
    for (const api of [none, reader])
      for (const [method, path, b] of writes)
        assertGraphError(await api(method, path, b), 403, 'Authorization_RequestDenied');
    for (const path of [
      '/v1.0/applications',
      `/v1.0/applications/${a.id}`,
      `/v1.0/applications/${a.id}/appRoleAssignedTo`,
    ]) {
      assertGraphError(await none('GET', path), 403, 'Authorization_RequestDenied');
      assert.equal((await reader('GET', path)).status, 200);
    }
    assert.deepEqual(ids(await allApps()), before);
    assert.deepEqual(await assignedIds(a.id), []);
    assert.equal((await t.api('GET', `/v1.0/applications/${a.id}`)).body.displayName, 'Expenses');
  });

  it('records every change in the audit log (ApplicationManagement)', async () => {
    const a = await create({ displayName: 'Audited' });
    const group = (await t.api('POST', '/v1.0/groups', { displayName: 'Audited group' })).body as GraphObject;
    await t.api('PATCH', `/v1.0/applications/${a.id}`, { appRoleAssignmentRequired: true });
    await assign(a.id, guestId);
    await assign(a.id, group.id);
    await t.api('DELETE', `/v1.0/applications/${a.id}/appRoleAssignedTo/${guestId}`);
    await t.api('POST', `/v1.0/applications/${a.id}/adminConsent`);
    await t.api('DELETE', `/v1.0/applications/${a.id}/adminConsent`);
    await t.api('POST', `/v1.0/applications/${a.id}/appRoleAssignedTo`, {
      principalId: '00000000-0000-4000-8000-000000000000',
    });
    await t.api('DELETE', `/v1.0/applications/${a.id}`);
    type Event = {
      category: string;
      activityDisplayName: string;
      operationType: string;
      initiatedBy: { app?: { appId?: string } };
      targetResources: { id: string; type: string }[];
    };
    const events = (
      (await readAllPages(t.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items as unknown as Event[]
    ).filter((e) => e.targetResources.some((r) => r.id === a.id));
    // Sorted: two requests within one millisecond share a timestamp, and the log orders those by event id.
    assert.deepEqual(
      events.map((e) => e.activityDisplayName).sort(),
      [
        'Add application',
        'Update application',
        'Add app role assignment grant to user',
        'Add app role assignment to group',
        'Remove app role assignment from user',
        'Consent to application',
        'Remove delegated permission grant',
        'Delete application',
      ].sort(),
      'one event per change, none for the refused assignment',
    );
    assert.ok(
      events.every(
        (e) => e.category === 'ApplicationManagement' && e.initiatedBy.app?.appId === t.managementClient.clientId,
      ),
    );
    const grant = events.find((e) => e.activityDisplayName === 'Add app role assignment grant to user')!;
    assert.deepEqual(
      grant.targetResources.map((r) => [r.id, r.type]),
      [
        [a.id, 'Application'],
        [guestId, 'User'],
      ],
    );
  });
});
