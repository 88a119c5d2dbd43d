// Directory roles through Graph's shapes: roleDefinitions (the built-in roles with Entra's template ids),
// roleAssignments (grant, list with $filter, read, revoke; only a Global Administrator or an app holding
// RoleManagement.ReadWrite.Directory), directoryRoles with members, the last Global Administrator kept on every path,
// every change audited; and Graph URL casts in both spellings on every cast route.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, it } from 'node:test';

import { GUEST_INVITER } from '../../src/admin/roles.ts';
import { assertGraphError, narrowApi, newUserBody, type Api, type GraphObject } from '../helpers/api.ts';
import { userToken } from '../helpers/app-client.ts';
import { apiClient } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';

const DEFS = '/v1.0/roleManagement/directory/roleDefinitions';
const ASSIGN = '/v1.0/roleManagement/directory/roleAssignments';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b';
const PASSWORD = 'correct-horse-battery';

const TEMPLATES = {
  'Global Administrator': GA,
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Guest Inviter': INVITER,
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  'External Identity Provider Administrator': 'be2f45a1-457d-42af-a067-6ec1fa63bc45',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Security Reader': '5d6b6bb7-de71-4623-b4af-96380a352509',
  'Reports Reader': '4a5d8f65-41da-4de4-8968-e035b65339cf',
};

suite(
  'API directory roles',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let admin: Api; // the Global Administrator's own token
    let mia: GraphObject;
    let mia2: Api; // Mia's token, read again after each role change (roles are read when a token is used)
    before(async () => {
      admin = apiClient(s.baseUrl, await userToken(s, t.tenantId, 'admin@contoso.example', t.adminPassword));
      mia = (await t.api('POST', '/v1.0/users', newUserBody('mia@contoso.example', 'Mia'))).body;
      mia2 = apiClient(s.baseUrl, await userToken(s, t.tenantId, 'mia@contoso.example', PASSWORD));
    });
    const invite = (api: Api, email: string) =>
      api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://apps.example/',
        sendInvitationMessage: false,
      });
    const audits = async () =>
      (await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=100')).body.value as {
        category: string;
        activityDisplayName: string;
        initiatedBy: { user: { id: string } | null };
        targetResources: { id: string }[];
      }[];

    it('lists the built-in role definitions with their template ids and permissions, and reads one', async () => {
      const list = await t.api('GET', DEFS);
      assert.equal(list.status, 200);
      assert.equal(list.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#roleManagement/directory/roleDefinitions`);
      const byName = Object.fromEntries(
        (list.body.value as { displayName: string; id: string; templateId: string }[]).map((d) => [
          d.displayName,
          [d.id, d.templateId],
        ]),
      );
      assert.deepEqual(byName, Object.fromEntries(Object.entries(TEMPLATES).map(([name, id]) => [name, [id, id]])));
      const one = await t.api('GET', `${DEFS}/${INVITER}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.displayName, GUEST_INVITER);
      assert.equal(one.body.isBuiltIn, true);
      assert.ok(one.body.rolePermissions[0].allowedResourceActions.includes('microsoft.directory/users/inviteGuest'));
      assertGraphError(
        await t.api('GET', `${DEFS}/00000000-0000-0000-0000-000000000000`),
        404,
        'Request_ResourceNotFound',
      );
    });

    it('a Global Administrator grants Guest Inviter to a member, who may then invite; revoking takes it back', async () => {
      // Entra's default lets every member invite: only admins and Guest Inviters may, from here on.
      const policy = await t.api('PATCH', '/v1.0/policies/authorizationPolicy', {
        allowInvitesFrom: 'adminsAndGuestInviters',
      });
      assert.equal(policy.status, 204, JSON.stringify(policy.body));
      assertGraphError(await invite(mia2, 'before@partner.example'), 403, 'Authorization_RequestDenied');
      // A plain member cannot assign roles, not even to themselves.
      assertGraphError(
        await mia2('POST', ASSIGN, { roleDefinitionId: INVITER, principalId: mia.id, directoryScopeId: '/' }),
        403,
        'Authorization_RequestDenied',
      );
      const created = await admin('POST', ASSIGN, {
        roleDefinitionId: INVITER,
        principalId: mia.id,
        directoryScopeId: '/',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(
        created.body['@odata.context'],
        `${s.baseUrl}/v1.0/$metadata#roleManagement/directory/roleAssignments/$entity`,
      );
      assert.deepEqual(
        { ...created.body, '@odata.context': undefined },
        {
          '@odata.context': undefined,
          id: created.body.id,
          roleDefinitionId: INVITER,
          principalId: mia.id,
          directoryScopeId: '/',
          appScopeId: null,
          condition: null,
        },
      );
      // Entra's id: the role's and the principal's GUID bytes, base64url, and the directory scope.
      assert.match(created.body.id, /^[A-Za-z0-9_-]{43}-1$/);
      assertGraphError(
        await admin('POST', ASSIGN, { roleDefinitionId: INVITER, principalId: mia.id }),
        400,
        'Request_MultipleObjectsWithSameKeyValue',
      );
      assert.equal((await invite(mia2, 'gwen@partner.example')).status, 201, 'a Guest Inviter invites');

      const byPrincipal = await t.api('GET', `${ASSIGN}?$filter=principalId eq '${mia.id}'`);
      assert.deepEqual(
        byPrincipal.body.value.map((a: GraphObject) => a.id),
        [created.body.id],
      );
      const byRole = await t.api('GET', `${ASSIGN}?$filter=roleDefinitionId eq '${GA}'`);
      assert.deepEqual(
        byRole.body.value.map((a: GraphObject) => a.principalId),
        [t.admin.id],
      );
      const both = await t.api('GET', `${ASSIGN}?$filter=principalId eq '${mia.id}' and roleDefinitionId eq '${GA}'`);
      assert.deepEqual(both.body.value, []);
      assertGraphError(await t.api('GET', `${ASSIGN}?$filter=displayName eq 'x'`), 400, 'Request_UnsupportedQuery');
      assert.equal((await t.api('GET', `${ASSIGN}/${created.body.id}`)).body.principalId, mia.id);

      // directoryRoles: the activated roles, by object id and by template id, with members.
      const roles = (await t.api('GET', '/v1.0/directoryRoles')).body.value as GraphObject[];
      assert.deepEqual(roles.map((r) => r.roleTemplateId).sort(), [GA, INVITER].sort());
      const inviterRole = roles.find((r) => r.roleTemplateId === INVITER)!;
      const members = await t.api('GET', `/v1.0/directoryRoles/${inviterRole.id}/members`);
      assert.deepEqual(
        members.body.value.map((m: GraphObject) => [m['@odata.type'], m.id]),
        [['#microsoft.graph.user', mia.id]],
      );
      const byTemplate = await t.api('GET', `/v1.0/directoryRoles/roleTemplateId=${GA}`);
      assert.equal(byTemplate.body.id, roles.find((r) => r.roleTemplateId === GA)!.id);
      const gaMembers = await t.api('GET', `/v1.0/directoryRoles/roleTemplateId=${GA}/members`);
      assert.deepEqual(
        gaMembers.body.value.map((m: GraphObject) => m.id),
        [t.admin.id],
      );

      assert.equal((await admin('DELETE', `${ASSIGN}/${created.body.id}`)).status, 204);
      assertGraphError(await t.api('GET', `${ASSIGN}/${created.body.id}`), 404, 'Request_ResourceNotFound');
      assertGraphError(await invite(mia2, 'late@partner.example'), 403, 'Authorization_RequestDenied');

      const events = (await audits()).filter((e) => e.category === 'RoleManagement');
      for (const activity of ['Add member to role', 'Remove member from role']) {
        const e = events.find((x) => x.activityDisplayName === activity && x.targetResources[0]?.id === mia.id);
        assert.ok(e, `${activity} is audited`);
        assert.equal(e.initiatedBy.user?.id, t.admin.id, 'the Global Administrator is the actor');
      }
    });

    it('refuses bad assignments with a clear 4xx and changes nothing', async () => {
      const before = (await t.api('GET', ASSIGN)).body.value;
      assertGraphError(
        await t.api('POST', ASSIGN, { roleDefinitionId: '11111111-1111-1111-1111-111111111111', principalId: mia.id }),
        404,
        'Request_ResourceNotFound',
      );
      assertGraphError(
        await t.api('POST', ASSIGN, { roleDefinitionId: INVITER, principalId: '11111111-1111-1111-1111-111111111111' }),
        400,
        'Request_BadRequest',
      );
      assertGraphError(
        await t.api('POST', ASSIGN, {
          roleDefinitionId: INVITER,
          principalId: mia.id,
          directoryScopeId: '/administrativeUnits/x',
        }),
        400,
        'Request_BadRequest',
      );
      assertGraphError(await t.api('DELETE', `${ASSIGN}/not-an-assignment`), 404, 'Request_ResourceNotFound');
      assert.deepEqual((await t.api('GET', ASSIGN)).body.value, before);
    });

    it('an app needs RoleManagement.ReadWrite.Directory to assign; RoleManagement.Read.Directory reads', async () => {
      const reader = await narrowApi(s, t.tenantId, ['RoleManagement.Read.Directory']);
      assert.equal((await reader('GET', ASSIGN)).status, 200);
      assertGraphError(
        await reader('POST', ASSIGN, { roleDefinitionId: INVITER, principalId: mia.id }),
        403,
        'Authorization_RequestDenied',
      );
      const writer = await narrowApi(s, t.tenantId, ['RoleManagement.ReadWrite.Directory']);
      const made = await writer('POST', ASSIGN, { roleDefinitionId: INVITER, principalId: mia.id });
      assert.equal(made.status, 201);
      assert.equal((await writer('DELETE', `${ASSIGN}/${made.body.id}`)).status, 204);
    });

    it('the last Global Administrator cannot be removed, deleted or disabled; with a second one it can', async () => {
      const gaAssignment = (await t.api('GET', `${ASSIGN}?$filter=principalId eq '${t.admin.id}'`)).body.value[0].id;
      assertGraphError(await t.api('DELETE', `${ASSIGN}/${gaAssignment}`), 400, 'Request_BadRequest');
      const refused = await t.api('DELETE', `/v1.0/users/${t.admin.id}`);
      assertGraphError(refused, 400, 'Request_BadRequest');
      assert.match(refused.body.error.message, /last enabled Global Administrator/);
      assertGraphError(
        await t.api('PATCH', `/v1.0/users/${t.admin.id}`, { accountEnabled: false }),
        400,
        'Request_BadRequest',
      );
      assert.equal((await t.api('GET', `/v1.0/users/${t.admin.id}`)).body.accountEnabled, true);

      // A second Global Administrator, disabled, does not count; enabled, it does.
      const ben = (
        await t.api('POST', '/v1.0/users', newUserBody('ben@contoso.example', 'Ben', { accountEnabled: false }))
      ).body;
      const benGa = await t.api('POST', ASSIGN, { roleDefinitionId: GA, principalId: ben.id });
      assert.equal(benGa.status, 201);
      assertGraphError(await t.api('DELETE', `${ASSIGN}/${gaAssignment}`), 400, 'Request_BadRequest');
      assert.equal((await t.api('PATCH', `/v1.0/users/${ben.id}`, { accountEnabled: true })).status, 204);
      assert.equal((await t.api('DELETE', `${ASSIGN}/${gaAssignment}`)).status, 204);
      // Now Ben is the last one.
      assertGraphError(await t.api('DELETE', `/v1.0/users/${ben.id}`), 400, 'Request_BadRequest');
      assert.equal((await t.api('POST', ASSIGN, { roleDefinitionId: GA, principalId: t.admin.id })).status, 201);
      assert.equal((await t.api('DELETE', `/v1.0/users/${ben.id}`)).status, 204);
    });
  },
);

suite('API Graph URL casts', { runWorker: false, tenant: 'Contoso' }, ({ t }) => {
  const FED = '/v1.0/directory/federationConfigurations';
  const cert = readFileSync(new URL('../fixtures/saml/idp-cert.pem', import.meta.url), 'utf8');
  for (const prefix of ['microsoft.graph.', 'graph.']) {
    it(`every cast route answers with ${prefix}samlOrWsFedExternalDomainFederation`, async () => {
      const cast = `${FED}/${prefix}samlOrWsFedExternalDomainFederation`;
      const d = `${prefix.replace(/\./g, '')}.example`;
      const created = await t.api('POST', cast, {
        displayName: `Fed ${prefix}`,
        issuerUri: `urn:idp:${d}`,
        passiveSignInUri: `https://idp.${d}/sso`,
        signingCertificate: cert,
        domains: [{ '@odata.type': 'microsoft.graph.externalDomainName', id: d, name: d }],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const list = await t.api('GET', cast);
      assert.equal(list.status, 200);
      assert.ok(list.body.value.some((f: GraphObject) => f.id === created.body.id));
      const domains = `${cast}/${created.body.id}/domains`;
      assert.deepEqual(
        (await t.api('GET', domains)).body.value.map((x: GraphObject) => x.id),
        [d],
      );
      const added = await t.api('POST', domains, {
        '@odata.type': 'microsoft.graph.externalDomainName',
        id: `more.${d}`,
        name: `more.${d}`,
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal((await t.api('DELETE', `${domains}/more.${d}`)).status, 204);
      // Neither spelling without its dot, nor another namespace, is a cast.
      assert.equal((await t.api('GET', `${FED}/microsoftgraph.samlOrWsFedExternalDomainFederation`)).status, 404);
    });
  }
});
