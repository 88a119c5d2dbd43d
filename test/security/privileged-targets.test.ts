// A User Administrator manages users, not the administrators above them: as in Entra, a caller who is not a Global
// Administrator may not reset the password of, disable, rename or delete a Global Administrator (else a User
// Administrator resets a Global Administrator's password and signs in as one: privilege escalation).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { assertGraphError, newUserBody, type Api, type GraphObject } from '../helpers/api.ts';
import { userToken } from '../helpers/app-client.ts';
import { apiClient } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';

const ASSIGN = '/v1.0/roleManagement/directory/roleAssignments';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const PASSWORD = 'correct-horse-battery';

suite(
  'security: privileged targets',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let admin: Api;
    let uma: Api; // a User Administrator's token
    let gail: GraphObject; // a second Global Administrator
    let max: GraphObject; // a member without a role
    before(async () => {
      admin = apiClient(s.baseUrl, await userToken(s, t.tenantId, 'admin@contoso.example', t.adminPassword));
      const umaUser = (await t.api('POST', '/v1.0/users', newUserBody('uma@contoso.example', 'Uma'))).body;
      gail = (await t.api('POST', '/v1.0/users', newUserBody('gail@contoso.example', 'Gail'))).body;
      max = (await t.api('POST', '/v1.0/users', newUserBody('max@contoso.example', 'Max'))).body;
      for (const [role, id] of [
        [USER_ADMIN, umaUser.id],
        [GA, gail.id],
      ])
        assert.equal((await t.api('POST', ASSIGN, { roleDefinitionId: role, principalId: id })).status, 201);
      uma = apiClient(s.baseUrl, await userToken(s, t.tenantId, 'uma@contoso.example', PASSWORD));
    });

    it('a User Administrator resets a member password but not a Global Administrator one', async () => {
      const reset = { passwordProfile: { password: 'taken-over-now-123' } };
      assert.equal((await uma('PATCH', `/v1.0/users/${max.id}`, reset)).status, 204);
      assertGraphError(await uma('PATCH', `/v1.0/users/${gail.id}`, reset), 403, 'Authorization_RequestDenied');
      assertGraphError(
        await uma('PATCH', `/v1.0/users/${gail.id}`, { accountEnabled: false }),
        403,
        'Authorization_RequestDenied',
      );
      assertGraphError(
        await uma('PATCH', `/v1.0/users/${gail.id}`, { userPrincipalName: 'gail2@contoso.example' }),
        403,
        'Authorization_RequestDenied',
      );
      assertGraphError(await uma('DELETE', `/v1.0/users/${gail.id}`), 403, 'Authorization_RequestDenied');
      // Gail still signs in with her own password: nothing changed.
      assert.ok(await userToken(s, t.tenantId, 'gail@contoso.example', PASSWORD));
      // A Global Administrator may.
      assert.equal((await admin('PATCH', `/v1.0/users/${gail.id}`, { displayName: 'Gail G' })).status, 204);
    });
  },
);
