// Resetting a guest's redemption points the guest object (its roles, groups and apps) at a new address: whoever
// redeems the new link signs in as that guest. As in Graph, it needs User.ReadWrite.All (inviting alone is not
// enough: under the default invite settings every member may invite), and, as any change of a privileged user,
// only a Global Administrator may do it to a guest who holds an administrator role.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { assertGraphError, inviteGuest, newUserBody, type Api } from '../helpers/api.ts';
import { userToken } from '../helpers/app-client.ts';
import { apiClient } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';

const ASSIGN = '/v1.0/roleManagement/directory/roleAssignments';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const PASSWORD = 'correct-horse-battery';

suite(
  'security: reset redemption',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let mo: Api; // a member without a role
    let uma: Api; // a User Administrator
    let adminGuest: string; // a guest holding Global Administrator
    let plainGuest: string;
    const reset = (api: Api, id: string, email: string) =>
      api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://apps.example/',
        sendInvitationMessage: false,
        resetRedemption: true,
        invitedUser: { id },
      });
    before(async () => {
      await t.api('POST', '/v1.0/users', newUserBody('mo@contoso.example', 'Mo'));
      const umaUser = (await t.api('POST', '/v1.0/users', newUserBody('uma@contoso.example', 'Uma'))).body;
      adminGuest = (await inviteGuest(t.api, 'boss@partner.example', 'Boss')).id;
      plainGuest = (await inviteGuest(t.api, 'pat@partner.example', 'Pat')).id;
      for (const [role, id] of [
        [USER_ADMIN, umaUser.id as string],
        [GA, adminGuest],
      ])
        assert.equal((await t.api('POST', ASSIGN, { roleDefinitionId: role, principalId: id })).status, 201);
      mo = apiClient(s.baseUrl, await userToken(s, t.tenantId, 'mo@contoso.example', PASSWORD));
      uma = apiClient(s.baseUrl, await userToken(s, t.tenantId, 'uma@contoso.example', PASSWORD));
    });

    it('a member who may invite may not reset a guest redemption to an address they own', async () => {
      // Inviting is allowed to members by default...
      assert.equal((await inviteGuest(mo, 'friend@partner.example')).id.length, 36);
      // ...taking over an existing guest is not.
      assertGraphError(await reset(mo, adminGuest, 'mo.private@attacker.example'), 403, 'Authorization_RequestDenied');
      assertGraphError(await reset(mo, plainGuest, 'mo.private@attacker.example'), 403, 'Authorization_RequestDenied');
    });

    it('a User Administrator resets a plain guest but not one holding Global Administrator', async () => {
      assert.equal((await reset(uma, plainGuest, 'pat@other.example')).status, 201);
      assertGraphError(
        await reset(uma, adminGuest, 'uma.private@attacker.example'),
        403,
        'Authorization_RequestDenied',
      );
      const guest = await t.api('GET', `/v1.0/users/${adminGuest}`);
      assert.equal(guest.body.mail, 'boss@partner.example', 'the Global Administrator guest is unchanged');
    });
  },
);
