// Who may change a privileged user (issue #19's governance holes), as Entra decides it:
// - an application (client credentials) with User.ReadWrite.All alone may change and delete ordinary users, but a
//   Global Administrator only with RoleManagement.ReadWrite.Directory besides (Graph's rule for privileged users):
//   else any app holding the common user permission disables, deletes or hands over the tenant's administrators;
// - a Helpdesk Administrator acts only on non-administrators and the limited roles beneath a User Administrator
//   (Entra's "limited admins"): resetting the redemption of a guest who holds User Administrator would let the
//   helpdesk take over a role above their own.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import {
  GLOBAL_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from '../../src/directory/role-definitions.ts';
import { csrfOf, grantRoles, openAdmin, staffMember, type Login } from '../helpers/admin.ts';
import { assertGraphError, inviteGuest, narrowApi, newUserBody, type Api } from '../helpers/api.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';

suite(
  'security: limited admins and apps acting on privileged users',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    let userWriter: Api; // an app holding User.ReadWrite.All and User.Invite.All only
    let roleWriter: Api; // the same with RoleManagement.ReadWrite.Directory
    let helpdesk: Login;
    before(async () => {
      userWriter = await narrowApi(s, t.tenantId, ['User.ReadWrite.All', 'User.Invite.All']);
      roleWriter = await narrowApi(s, t.tenantId, [
        'User.ReadWrite.All',
        'User.Invite.All',
        'RoleManagement.ReadWrite.Directory',
      ]);
      helpdesk = await staffMember(t, 'hal', 'contoso.example', PASSWORD, [HELPDESK_ADMINISTRATOR]);
    });

    const member = async (name: string, roles: string[] = []) => {
      const res = await t.api('POST', '/v1.0/users', newUserBody(`${name}@contoso.example`, name));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      await grantRoles(t, res.body.id, roles);
      return res.body.id as string;
    };
    const resetBody = (id: string, email: string) => ({
      invitedUserEmailAddress: email,
      inviteRedirectUrl: 'https://apps.example/',
      sendInvitationMessage: false,
      resetRedemption: true,
      invitedUser: { id },
    });

    it('an app with User.ReadWrite.All changes and deletes a plain member, but not a Global Administrator', async () => {
      const plain = await member('pia');
      const gail = await member('gail', [GLOBAL_ADMINISTRATOR]);
      assert.equal((await userWriter('PATCH', `/v1.0/users/${plain}`, { displayName: 'Pia P' })).status, 204);
      for (const body of [
        { accountEnabled: false },
        { passwordProfile: { password: 'taken-over-now-123' } },
        { displayName: 'Not Gail' },
      ]) {
        const refused = await userWriter('PATCH', `/v1.0/users/${gail}`, body);
        assertGraphError(refused, 403, 'Authorization_RequestDenied');
        assert.match(refused.body.error.message, /RoleManagement\.ReadWrite\.Directory/);
      }
      assertGraphError(await userWriter('DELETE', `/v1.0/users/${gail}`), 403, 'Authorization_RequestDenied');
      const unchanged = await t.api('GET', `/v1.0/users/${gail}`);
      assert.deepEqual([unchanged.body.displayName, unchanged.body.accountEnabled], ['gail', true]);
      // With the role permission besides, as Graph asks.
      assert.equal((await roleWriter('PATCH', `/v1.0/users/${gail}`, { displayName: 'Gail G' })).status, 204);
      assert.equal((await userWriter('DELETE', `/v1.0/users/${plain}`)).status, 204);
    });

    it("an app with User.ReadWrite.All resets a plain guest's redemption, not a Global Administrator guest's", async () => {
      const plain = (await inviteGuest(t.api, 'plain@partner.example')).id;
      const boss = (await inviteGuest(t.api, 'boss@partner.example')).id;
      await grantRoles(t, boss, [GLOBAL_ADMINISTRATOR]);
      assert.equal(
        (await userWriter('POST', '/v1.0/invitations', resetBody(plain, 'plain@other.example'))).status,
        201,
      );
      assertGraphError(
        await userWriter('POST', '/v1.0/invitations', resetBody(boss, 'app.owner@attacker.example')),
        403,
        'Authorization_RequestDenied',
      );
      assert.equal((await t.api('GET', `/v1.0/users/${boss}`)).body.mail, 'boss@partner.example');
      assert.equal((await roleWriter('POST', '/v1.0/invitations', resetBody(boss, 'boss@other.example'))).status, 201);
    });

    it("a Helpdesk Administrator resets a plain guest's redemption in the admin center, not a User Administrator guest's", async () => {
      const plain = (await inviteGuest(t.api, 'kim@partner.example')).id;
      const uaGuest = (await inviteGuest(t.api, 'una@partner.example')).id;
      await grantRoles(t, uaGuest, [USER_ADMINISTRATOR]);
      const adminUrl = `${s.baseUrl}/admin/${t.tenantId}`;
      const jar = new CookieJar();
      const opened = await openAdmin(s, jar, `${adminUrl}/users/${plain}`, helpdesk);
      assert.equal(opened.status, 200);
      const csrf = csrfOf(opened.page);
      const allowed = await postForm(jar, `${adminUrl}/users/${plain}/reset`, { csrf });
      assert.equal(allowed.status, 200);
      const refused = await postForm(jar, `${adminUrl}/users/${uaGuest}/reset`, { csrf });
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /una@partner\.example|una_partner\.example/);
      // Nothing was reset: of the two, the audit log has the plain guest's reset only.
      const resets = await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999');
      assert.equal(resets.status, 200, JSON.stringify(resets.body));
      const targets = (resets.body.value as { activityDisplayName: string; targetResources: { id: string }[] }[])
        .filter((e) => e.activityDisplayName === 'Reset redemption status of external user')
        .map((e) => e.targetResources[0]!.id)
        .filter((id) => id === plain || id === uaGuest);
      assert.deepEqual(targets, [plain]);
    });
  },
);
