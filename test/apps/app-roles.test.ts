// App roles of type User: an administrator assigns a user (or a group) an API's app role through Graph
// (/users/{id}/appRoleAssignments, /groups/{id}/appRoleAssignments), and the user's access token for that API carries
// `roles` (directly or through the group); the web app's own role comes in its ID token. Removing the assignment
// removes the role from the next token. Sign-ins go through the tenant's pages (HTTP forms), tokens through openid-client.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';

import { REDIRECT } from '../helpers/app-client.ts';
import { signIn } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const role = (value: string) => ({
  id: randomUUID(),
  value,
  allowedMemberTypes: ['User'],
  displayName: value,
  description: null,
  isEnabled: true,
});
const scope = {
  id: randomUUID(),
  value: 'access_as_user',
  type: 'User',
  adminConsentDisplayName: 'Access',
  adminConsentDescription: null,
  userConsentDisplayName: null,
  userConsentDescription: null,
  isEnabled: true,
};
const PASSWORD = 'correct-horse-battery';

suite(
  'app roles for users and groups in tokens',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    const roles = { approver: role('Orders.Approver'), viewer: role('Orders.Viewer'), webAdmin: role('Web.Admin') };
    let api: { id: string; appId: string; uri: string };
    let web: { id: string; appId: string; secret: string };
    let user: { id: string; upn: string };
    let group: string;

    async function register(body: Record<string, unknown>) {
      const res = await t.api('POST', '/v1.0/applications', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const b = res.body as { id: string; appId: string; passwordCredentials: { secretText: string }[] };
      return { id: b.id, appId: b.appId, secret: b.passwordCredentials[0]!.secretText };
    }

    /** The user's ID token for the web app and access token for the API. */
    async function tokens() {
      const rp = await client.discovery(new URL(`${s.baseUrl}/${t.tenantId}/v2.0`), web.appId, web.secret, undefined, {
        execute: [client.allowInsecureRequests],
      });
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT,
        scope: `openid profile ${api.uri}/access_as_user`,
        state: 'st',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const { callback } = await signIn(url.toString(), s.baseUrl, user.upn, PASSWORD);
      const got = await client.authorizationCodeGrant(rp, new URL(callback), {
        pkceCodeVerifier: verifier,
        expectedState: 'st',
      });
      return { id: decodeJwt(got.id_token!), access: decodeJwt(got.access_token) };
    }

    before(async () => {
      const a = await register({
        displayName: 'Orders API',
        web: { redirectUris: ['https://orders-api.test/signin'] },
        api: { oauth2PermissionScopes: [scope] },
        appRoles: [roles.approver, roles.viewer],
      });
      api = { ...a, uri: `api://${a.appId}` };
      assert.equal((await t.api('PATCH', `/v1.0/applications/${a.id}`, { identifierUris: [api.uri] })).status, 204);
      web = await register({
        displayName: 'Orders web',
        web: { redirectUris: [REDIRECT] },
        appRoles: [roles.webAdmin],
        requiredResourceAccess: [{ resourceAppId: api.appId, resourceAccess: [{ id: scope.id, type: 'Scope' }] }],
      });
      assert.equal((await t.api('POST', `/v1.0/applications/${web.id}/adminConsent`)).status, 200);
      const upn = `rita@contoso.example`;
      const made = await t.api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: 'Rita',
        mailNickname: 'rita',
        userPrincipalName: upn,
        passwordProfile: { password: PASSWORD },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      user = { id: (made.body as { id: string }).id, upn };
      const g = await t.api('POST', '/v1.0/groups', {
        displayName: 'Viewers',
        mailEnabled: false,
        mailNickname: 'viewers',
        securityEnabled: true,
      });
      assert.equal(g.status, 201, JSON.stringify(g.body));
      group = (g.body as { id: string }).id;
      const member = await t.api('POST', `/v1.0/groups/${group}/members/$ref`, {
        '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${user.id}`,
      });
      assert.equal(member.status, 204, JSON.stringify(member.body));
    });

    it('no roles before any assignment', async () => {
      const { id, access } = await tokens();
      assert.equal(id.roles, undefined);
      assert.equal(access.roles, undefined);
      assert.equal(access.scp, 'access_as_user');
    });

    it('a user and a group assigned app roles: the tokens carry them; removing one removes it', async () => {
      const assign = (kind: string, principalId: string, resourceId: string, appRoleId: string) =>
        t.api('POST', `/v1.0/${kind}/${principalId}/appRoleAssignments`, { principalId, resourceId, appRoleId });
      const direct = await assign('users', user.id, api.id, roles.approver.id);
      assert.equal(direct.status, 201, JSON.stringify(direct.body));
      assert.equal((direct.body as { appRoleId: string }).appRoleId, roles.approver.id);
      assert.equal((await assign('users', user.id, web.id, roles.webAdmin.id)).status, 201);
      assert.equal((await assign('groups', group, api.id, roles.viewer.id)).status, 201);
      // Refused: a role the app does not have, twice the same, a principal that is not the URL's.
      assert.equal((await assign('users', user.id, api.id, randomUUID())).status, 400);
      assert.equal((await assign('users', user.id, api.id, roles.approver.id)).status, 400);
      assert.equal((await assign('users', group, api.id, roles.approver.id)).status, 404);

      const listed = await t.api('GET', `/v1.0/users/${user.id}/appRoleAssignments`);
      const value = (listed.body as { value: { id: string; appRoleId: string; resourceId: string }[] }).value;
      assert.deepEqual(
        value.map((a) => [a.resourceId, a.appRoleId]).sort(),
        [
          [api.id, roles.approver.id],
          [web.id, roles.webAdmin.id],
        ].sort(),
      );

      const { id, access } = await tokens();
      assert.deepEqual(id.roles, ['Web.Admin'], 'the web app’s own role in its ID token');
      assert.deepEqual(access.roles, ['Orders.Approver', 'Orders.Viewer'], 'direct and through the group');

      const approver = value.find((a) => a.appRoleId === roles.approver.id)!;
      assert.equal((await t.api('DELETE', `/v1.0/users/${user.id}/appRoleAssignments/${approver.id}`)).status, 204);
      assert.equal((await t.api('DELETE', `/v1.0/users/${user.id}/appRoleAssignments/${approver.id}`)).status, 404);
      const after = await tokens();
      assert.deepEqual(after.access.roles, ['Orders.Viewer']);
    });
  },
);
