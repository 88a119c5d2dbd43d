// `portico role list|assign|remove` and `portico admin reset-password`, spawned against the server's store: a role
// the CLI assigns opens the admin center's invite page to the member, removing it closes it again, the last Global
// Administrator stays, and an operator locked out signs in with the password the CLI printed.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { csrfOf, openAdmin } from '../helpers/admin.ts';
import { newUserBody } from '../helpers/api.ts';
import { cliEnv } from '../helpers/cli.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

const INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b';

suite(
  'portico role and admin reset-password',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    const cli = (...args: string[]) => runCli(args, cliEnv(s));
    const invitePage = async (email: string, password: string) =>
      (await openAdmin(s, new CookieJar(), `${s.baseUrl}/admin/${t.tenantId}/users/invite`, { email, password }))
        .status;

    it('assigns, lists and removes a role; the member gets and loses the invite page', async () => {
      const mia = (await t.api('POST', '/v1.0/users', newUserBody('mia@contoso.example', 'Mia'))).body;
      const password = newUserBody('x').passwordProfile.password;
      assert.equal(await invitePage('mia@contoso.example', password), 403, 'a plain member is no admin');

      const assigned = await cli(
        'role',
        'assign',
        '--tenant',
        'contoso.example',
        '--user',
        'mia@contoso.example',
        '--role',
        'guest inviter',
      );
      assert.equal(assigned.code, 0, assigned.stderr);
      assert.equal(assigned.stdout.trim(), 'mia@contoso.example now holds Guest Inviter.');
      const mine = JSON.parse(
        (await cli('role', 'list', '--tenant', t.tenantId, '--user', mia.id, '--json')).stdout,
      ) as { roles: { id: string; displayName: string }[] };
      assert.deepEqual(mine.roles, [{ id: INVITER, displayName: 'Guest Inviter' }]);
      const all = JSON.parse((await cli('role', 'list', '--tenant', t.tenantId, '--json')).stdout) as {
        displayName: string;
        members: { userPrincipalName: string }[];
      }[];
      assert.equal(all.length, 8);
      assert.deepEqual(
        all.filter((r) => r.members.length).map((r) => [r.displayName, r.members.map((m) => m.userPrincipalName)]),
        [
          ['Global Administrator', ['admin@contoso.example']],
          ['Guest Inviter', ['mia@contoso.example']],
        ],
      );
      // The API sees the same assignment, and the audit log names the CLI.
      const viaApi = await t.api(
        'GET',
        `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${mia.id}'`,
      );
      assert.deepEqual(
        viaApi.body.value.map((a: { roleDefinitionId: string }) => a.roleDefinitionId),
        [INVITER],
      );
      const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value as {
        activityDisplayName: string;
        initiatedBy: { app: { displayName: string } | null };
      }[];
      assert.ok(audit.some((e) => e.activityDisplayName === 'Add member to role'));

      assert.equal(await invitePage('mia@contoso.example', password), 200, 'a Guest Inviter opens the invite page');

      const removed = await cli('role', 'remove', '--tenant', t.tenantId, '--user', mia.id, '--role', INVITER);
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal(await invitePage('mia@contoso.example', password), 403, 'revoked: refused again');

      const unknown = await cli('role', 'assign', '--tenant', t.tenantId, '--user', mia.id, '--role', 'Emperor');
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /No built-in directory role has the id 'Emperor'/);
    });

    it('refuses to remove the last Global Administrator', async () => {
      const ran = await cli(
        'role',
        'remove',
        '--tenant',
        t.tenantId,
        '--user',
        'admin@contoso.example',
        '--role',
        'Global Administrator',
      );
      assert.equal(ran.code, 2);
      assert.match(ran.stderr, /admin@contoso\.example is the last enabled Global Administrator/);
      const still = await t.api(
        'GET',
        `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${t.admin.id}'`,
      );
      assert.equal(still.body.value.length, 1, 'the Global Administrator keeps the role');
    });

    it('reset-password prints a new password the locked-out administrator signs in with; the old one stops', async () => {
      const ran = await cli(
        'admin',
        'reset-password',
        '--tenant',
        t.tenantId,
        '--user',
        'admin@contoso.example',
        '--json',
      );
      assert.equal(ran.code, 0, ran.stderr);
      const { password } = JSON.parse(ran.stdout) as { password: string };
      assert.ok(password.length >= 20 && password !== t.adminPassword);
      const old = await openAdmin(s, new CookieJar(), `${s.baseUrl}/admin/${t.tenantId}`, {
        email: 'admin@contoso.example',
        password: t.adminPassword,
      });
      assert.notEqual(old.status, 200, 'the old password no longer signs in');
      // The printed password signs in, and must be changed first (signin/change-password.tsx): the password page
      // answers with the change page, whose form goes on to the admin center.
      const jar = new CookieJar();
      const start = await follow(jar, `${s.baseUrl}/admin/${t.tenantId}`, s.baseUrl);
      const identifier = await postForm(
        jar,
        new URL(formAction(await start.res!.text(), '/identifier'), s.baseUrl).toString(),
        { login: 'admin@contoso.example' },
      );
      const fresh = await postForm(
        jar,
        new URL(formAction(await identifier.text(), '/password'), s.baseUrl).toString(),
        { login: 'admin@contoso.example', password },
      );
      const changePage = await fresh.text();
      assert.equal(fresh.status, 200);
      assert.match(changePage, /Update your password/);
      assert.doesNotMatch(changePage, /Overview/);
      const changed = await postForm(jar, new URL(formAction(changePage, 'change-password'), s.baseUrl).toString(), {
        csrf: csrfOf(changePage),
        newPassword: 'a password of my own',
        confirmPassword: 'a password of my own',
      });
      assert.equal(changed.status, 303, await changed.text());
      const opened = await follow(jar, new URL(changed.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
      assert.equal(opened.res?.status, 200);
      assert.match(await opened.res!.text(), /Overview/);
      // From now on the member's own password signs in without the step.
      const again = await openAdmin(s, new CookieJar(), `${s.baseUrl}/admin/${t.tenantId}`, {
        email: 'admin@contoso.example',
        password: 'a password of my own',
      });
      assert.equal(again.status, 200);
      assert.match(again.page, /Overview/);
      const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value as {
        activityDisplayName: string;
        initiatedBy: { app: { displayName: string } | null; user: unknown };
        targetResources: { userPrincipalName: string }[];
      }[];
      const e = audit.find((x) => x.activityDisplayName === 'Reset user password');
      assert.ok(e, 'the reset is audited');
      assert.equal(e.targetResources[0]?.userPrincipalName, 'admin@contoso.example');
      assert.ok(
        audit.some((x) => x.activityDisplayName === 'Change user password'),
        "the member's own new password is audited",
      );
    });
  },
);
