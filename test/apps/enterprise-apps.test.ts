// Another tenant's multi-tenant apps as a tenant's service principals (Entra's enterprise applications): listed and
// removed through `portico sp` and the admin center's Enterprise applications section, and gone from every tenant
// when the owner tenant deletes the app (migration 0021's cascade). The admin center's user consent setting is
// Graph's authorizationPolicy. Everything is reached through Graph, the CLI and the admin pages.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { csrfOf, openAdmin } from '../helpers/admin.ts';
import { cliEnv } from '../helpers/cli.ts';
import { apiClient, appToken } from '../helpers/server.ts';
import { CookieJar, postForm } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

type Api = ReturnType<typeof apiClient>;

suite('enterprise applications: service principals in the CLI and the admin center', { runWorker: false }, ({ s }) => {
  let owner: { tenantId: string; api: Api };
  let user: { tenantId: string; api: Api; admin: { email: string; password: string } };
  const apps: Record<'a' | 'b' | 'c', { id: string; appId: string }> = {} as never;

  async function org(name: string, domain: string) {
    const p = await s.provision(name, { domain, adminEmail: `admin@${domain}` });
    const token = await appToken(s.baseUrl, p.tenant.id, p.managementClient.clientId, p.managementClient.clientSecret);
    return {
      tenantId: p.tenant.id,
      api: apiClient(s.baseUrl, token),
      admin: { email: `admin@${domain}`, password: p.adminPassword },
    };
  }
  const sps = async () => {
    const res = await user.api('GET', '/v1.0/servicePrincipals');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { value: { id: string; appId: string; displayName: string }[] }).value;
  };
  const cli = (...args: string[]) => runCli(['sp', ...args, '--tenant', user.tenantId], cliEnv(s));

  before(async () => {
    owner = await org('Contoso', 'contoso.example');
    user = await org('Fabrikam', 'fabrikam.example');
    for (const [key, name] of [
      ['a', 'Timesheets'],
      ['b', 'Expenses'],
      ['c', 'Travel'],
    ] as const) {
      const res = await owner.api('POST', '/v1.0/applications', {
        displayName: name,
        signInAudience: 'AzureADMultipleOrgs',
        web: { redirectUris: [`https://${key}.test/signin`] },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      apps[key] = { id: res.body.id as string, appId: res.body.appId as string };
      const added = await user.api('POST', '/v1.0/servicePrincipals', { appId: apps[key].appId });
      assert.equal(added.status, 201, JSON.stringify(added.body));
    }
  });

  it('portico sp list shows them; portico sp remove removes one (by appId)', async () => {
    const listed = await cli('list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const list = JSON.parse(listed.stdout) as { appId: string; displayName: string; appOwnerOrganizationId: string }[];
    assert.deepEqual(
      list.map((p) => [p.displayName, p.appId, p.appOwnerOrganizationId]),
      [
        ['Timesheets', apps.a.appId, owner.tenantId],
        ['Expenses', apps.b.appId, owner.tenantId],
        ['Travel', apps.c.appId, owner.tenantId],
      ],
    );
    const human = await cli('list');
    assert.match(human.stdout, /Timesheets/);

    const removed = await cli('remove', apps.a.appId);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(
      (await sps()).map((p) => p.appId),
      [apps.b.appId, apps.c.appId],
    );
    const again = await cli('remove', apps.a.appId);
    assert.notEqual(again.code, 0, 'an unknown one is refused');
    assert.match(again.stderr, /portico: .+/);
  });

  it('the admin center lists them, deletes one, and sets user consent', async () => {
    const jar = new CookieJar();
    const url = `${s.baseUrl}/admin/${user.tenantId}/enterprise-apps`;
    const opened = await openAdmin(s, jar, url, user.admin);
    assert.equal(opened.status, 200);
    assert.match(opened.page, /Enterprise applications/);
    assert.match(opened.page, /Expenses/);
    assert.match(opened.page, /Travel/);
    const csrf = csrfOf(opened.page);
    const expenses = (await sps()).find((p) => p.appId === apps.b.appId)!;

    const deleted = await postForm(jar, `${url}/${expenses.id}/remove`, { csrf });
    assert.equal(deleted.status, 303);
    assert.deepEqual(
      (await sps()).map((p) => p.appId),
      [apps.c.appId],
    );
    const after = await openAdmin(s, jar, `${url}?done=removed`);
    assert.match(after.page, /removed from this tenant/);
    assert.doesNotMatch(after.page, /Expenses/);

    const forged = await postForm(jar, `${url}/${expenses.id}/remove`, { csrf: 'forged' });
    assert.ok(forged.status >= 400 && forged.status < 500, `a forged form is refused: ${forged.status}`);

    const bad = await postForm(jar, `${url}/consent`, { csrf, userConsent: 'sometimes' });
    assert.equal(bad.status, 400);
    const saved = await postForm(jar, `${url}/consent`, { csrf, userConsent: 'lowRisk' });
    assert.equal(saved.status, 303);
    const policy = await user.api('GET', '/v1.0/policies/authorizationPolicy');
    assert.deepEqual(
      (policy.body as { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: unknown } })
        .defaultUserRolePermissions.permissionGrantPoliciesAssigned,
      ['ManagePermissionGrantsForSelf.microsoft-user-default-low'],
    );
  });

  it('the owner deleting the app removes its service principal in every other tenant', async () => {
    assert.deepEqual(
      (await sps()).map((p) => p.appId),
      [apps.c.appId],
    );
    const del = await owner.api('DELETE', `/v1.0/applications/${apps.c.id}`);
    assert.equal(del.status, 204, JSON.stringify(del.body));
    assert.deepEqual(await sps(), []);
    const listed = await cli('list', '--json');
    assert.deepEqual(JSON.parse(listed.stdout), []);
  });
});
