// Who may manage other people's authentication methods with a delegated token (issue #20): as Entra gives it to
// its Authentication Administrator (no Portico role), User and Helpdesk Administrators hold
// UserAuthenticationMethod.Read.All / ReadWrite.All, for the users their role manages (directory/roles.ts, Entra's
// limited admins). Ana and Gia (a Global Administrator) register an authenticator app at sign-in; a Helpdesk
// Administrator and a User Administrator read both lists, may not remove Gia's method (403, nothing changed), and each
// removes Ana's; a Guest Inviter may do neither. All through the API with real user tokens.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { assertGraphError, newUserBody, type Api, type GraphObject } from '../helpers/api.ts';
import { appClient, userToken, type AppClient } from '../helpers/app-client.ts';
import { registerTotp, requireMfa } from '../helpers/mfa.ts';
import { apiClient } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;
const ASSIGN = '/v1.0/roleManagement/directory/roleAssignments';
const ROLES = {
  global: '62e90394-69f5-4237-9190-012177145e10',
  user: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdesk: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  inviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
};

suite(
  'authentication methods managed by User and Helpdesk Administrators',
  { clock: 'manual', runWorker: false, tenant: 'Contoso' },
  ({ s, t, clock }) => {
    let rp: AppClient;
    const ids: Record<string, string> = {};
    const tokens: Record<string, Api> = {};
    const upn = (name: string) => `${name}@${t.domain}`;

    /** Signs `name` in to the app with a password and registers an authenticator app at the MFA step. */
    async function registerMethod(name: string) {
      const jar = new CookieJar();
      const first = await follow(jar, (await rp.start()).url, s.baseUrl);
      assert.ok(first.res);
      const pw = await postForm(jar, new URL(formAction(await first.res.text(), '/identifier'), s.baseUrl).toString(), {
        login: upn(name),
      });
      const res = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
        login: upn(name),
        password: PASSWORD,
      });
      const done = await registerTotp(s, jar, await res.text(), () => clock.now());
      assert.equal(done.res.status, 303);
    }

    before(async () => {
      rp = await appClient(s, t.tenantId);
      for (const [name, role] of [
        ['ana', undefined],
        ['gia', ROLES.global],
        ['uma', ROLES.user],
        ['hal', ROLES.helpdesk],
        ['ivy', ROLES.inviter],
      ] as const) {
        const created = await t.api('POST', '/v1.0/users', newUserBody(upn(name), name));
        assert.equal(created.status, 201, JSON.stringify(created.body));
        ids[name] = created.body.id as string;
        if (role) {
          const assigned = await t.api('POST', ASSIGN, {
            roleDefinitionId: role,
            principalId: ids[name],
            directoryScopeId: '/',
          });
          assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
        }
      }
      await requireMfa(t.api, [ids.ana!, ids.gia!]);
      await registerMethod('ana');
      await registerMethod('gia');
      for (const name of ['uma', 'hal', 'ivy'])
        tokens[name] = apiClient(s.baseUrl, await userToken(s, t.tenantId, upn(name), PASSWORD));
    });

    const oathMethods = async (api: Api, who: string) => {
      const res = await api('GET', `/v1.0/users/${ids[who]}/authentication/softwareOathMethods`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.value as GraphObject[];
    };

    it('a Helpdesk and a User Administrator read the methods; a Guest Inviter may not', async () => {
      for (const admin of ['hal', 'uma']) {
        assert.equal((await oathMethods(tokens[admin]!, 'ana')).length, 1, admin);
        const all = await tokens[admin]!('GET', `/v1.0/users/${ids.gia}/authentication/methods`);
        assert.equal(all.status, 200);
        assert.ok(
          (all.body.value as GraphObject[]).some(
            (m) => m['@odata.type'] === '#microsoft.graph.softwareOathAuthenticationMethod',
          ),
        );
      }
      assertGraphError(
        await tokens.ivy!('GET', `/v1.0/users/${ids.ana}/authentication/methods`),
        403,
        'Authorization_RequestDenied',
      );
    });

    it("neither removes a Global Administrator's method: 403, and it is still there", async () => {
      const [method] = await oathMethods(t.api, 'gia');
      for (const admin of ['hal', 'uma'])
        assertGraphError(
          await tokens[admin]!('DELETE', `/v1.0/users/${ids.gia}/authentication/softwareOathMethods/${method!.id}`),
          403,
          'Authorization_RequestDenied',
        );
      assert.equal((await oathMethods(t.api, 'gia')).length, 1);
    });

    it("a Guest Inviter may not remove Ana's method; a Helpdesk, then a User Administrator remove it", async () => {
      const path = async () =>
        `/v1.0/users/${ids.ana}/authentication/softwareOathMethods/${(await oathMethods(t.api, 'ana'))[0]!.id}`;
      assertGraphError(await tokens.ivy!('DELETE', await path()), 403, 'Authorization_RequestDenied');
      assert.equal((await tokens.hal!('DELETE', await path())).status, 204);
      assert.deepEqual(await oathMethods(t.api, 'ana'), []);
      await registerMethod('ana'); // asked to register again at her next sign-in
      assert.equal((await tokens.uma!('DELETE', await path())).status, 204);
      assert.deepEqual(await oathMethods(t.api, 'ana'), []);
    });
  },
);
