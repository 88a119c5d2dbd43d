// `portico app create|list|assign|unassign|consent|delete`, spawned as a process against the store a running server uses.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { requireApp } from '../../src/apps/apps.ts';
import { isAssigned, listAssignments, needsAdminConsent } from '../../src/apps/assignments.ts';
import type { User } from '../../src/directory/users.ts';
import { hashSecret } from '../../src/secrets.ts';
import { seedMembers } from '../helpers/api.ts';
import { redeemedGuest } from '../helpers/redeem.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite('portico app CLI', { tenant: 'Contoso' }, ({ s, t }) => {
  let env: Record<string, string>;
  let ann: User;
  let guestId: string;
  let created: { id: string; clientId: string; clientSecret: string };
  const cli = (...args: string[]) => runCli(['app', ...args], env);
  const ok = async (...args: string[]) => {
    const ran = await cli(...args);
    assert.equal(ran.code, 0, ran.stderr);
    return ran.stdout;
  };
  const appCount = async () =>
    (await s.portico.services.store.db.selectFrom('apps').select('id').where('tenant_id', '=', t.tenantId).execute())
      .length;

  before(async () => {
    env = { PORTICO_DATABASE_URL: s.testStore.url, PORTICO_BASE_URL: s.baseUrl, ...TEST_PASSWORD_COST };
    [ann] = (await seedMembers(s, t.tenantId, [{ displayName: 'Ann', userPrincipalName: `ann@${t.domain}` }])) as [
      User,
    ];
    guestId = (await redeemedGuest(s, t.api, 'gina@partner.example', 'Gina')).id;
  });

  it('app create --json registers an app the API and the domain see, with its secret once', async () => {
    const out = JSON.parse(
      await ok(
        'create',
        '--tenant',
        t.domain,
        '--name',
        'Expenses',
        '--redirect-uri',
        'https://expenses.example/cb',
        '--redirect-uri',
        'http://localhost:5173/cb',
        '--homepage',
        'https://expenses.example/',
        '--logo',
        'https://cdn.example/e.png',
        '--assignment-required',
        '--permission',
        'User.Read',
        '--permission',
        'Files.Read.All:admin',
        '--json',
      ),
    );
    created = out;
    assert.equal(out.tenantId, t.tenantId);
    const app = await requireApp(s.portico.services.store.db, t.tenantId, out.id);
    assert.deepEqual(
      [
        app.clientId,
        app.redirectUris,
        app.homepageUrl,
        app.logoUrl,
        app.assignmentRequired,
        app.delegatedPermissions,
        app.adminConsentRequired,
      ],
      [
        out.clientId,
        ['https://expenses.example/cb', 'http://localhost:5173/cb'],
        'https://expenses.example/',
        'https://cdn.example/e.png',
        true,
        ['User.Read', 'Files.Read.All'],
        ['Files.Read.All'],
      ],
    );
    const row = await s.portico.services.store.db
      .selectFrom('apps')
      .select('secret_hash')
      .where('id', '=', out.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, hashSecret(out.clientSecret));
    const api = (await t.api('GET', `/v1.0/applications/${out.id}`)).body;
    assert.equal(api.appId, out.clientId);
    assert.equal(api.appRoleAssignmentRequired, true);
  });

  it('app create without --json prints the client id and secret for a person', async () => {
    const stdout = await ok(
      'create',
      '--tenant',
      t.tenantId,
      '--name',
      'Wiki',
      '--redirect-uri',
      'https://wiki.example/cb',
    );
    assert.match(stdout, /client id\s+[0-9a-f-]{36}/);
    assert.match(stdout, /client secret\s+\S{40,}/);
    assert.match(stdout, /shown only now/);
  });

  it('refuses bad input with a clear message and exit code 2, creating nothing', async () => {
    const before = await appCount();
    for (const [args, pattern] of [
      [['--redirect-uri', 'http://wiki.example/cb'], /redirect URI.*Request_BadRequest/],
      [
        ['--redirect-uri', 'https://wiki.example/cb', '--permission', 'User.Read:owner'],
        /--permission 'User.Read:owner'/,
      ],
      [['--redirect-uri', 'https://wiki.example/cb', '--permission', 'User Read'], /Not a permission name/],
      [['--redirect-uri', 'https://wiki.example/cb', '--logo', 'ftp://cdn.example/x.png'], /logoUrl/],
    ] as [string[], RegExp][]) {
      const ran = await cli('create', '--tenant', t.domain, '--name', 'Bad', ...args);
      assert.equal(ran.code, 2, ran.stdout);
      assert.match(ran.stderr, pattern);
    }
    const unknownTenant = await cli(
      'create',
      '--tenant',
      'nowhere.example',
      '--name',
      'X',
      '--redirect-uri',
      'https://x.example/cb',
    );
    assert.equal(unknownTenant.code, 2);
    assert.match(unknownTenant.stderr, /No tenant matches/);
    assert.equal(await appCount(), before);
  });

  it('app list shows the apps, as JSON and for a person', async () => {
    const rows = JSON.parse(await ok('list', '--tenant', t.domain, '--json')) as {
      id: string;
      clientId: string;
      isManagement: boolean;
    }[];
    assert.equal(rows.length, await appCount());
    assert.ok(rows.some((r) => r.id === created.id && r.clientId === created.clientId));
    assert.ok(rows.some((r) => r.isManagement));
    const text = await ok('list', '--tenant', t.domain);
    assert.match(
      text,
      new RegExp(`${created.id}  client ${created.clientId}  Expenses  \\(assignment required, needs admin consent\\)`),
    );
  });

  it('app assign and unassign a member by UPN, a guest by mail and a group, by object id or client id', async () => {
    const group = (await t.api('POST', '/v1.0/groups', { displayName: 'Finance' })).body as { id: string };
    await ok('assign', '--tenant', t.domain, '--app', created.id, '--user', ann.userPrincipalName);
    await ok('assign', '--tenant', t.domain, '--app', created.clientId, '--user', 'GINA@partner.example');
    const out = JSON.parse(
      await ok('assign', '--tenant', t.domain, '--app', created.clientId, '--group', group.id, '--json'),
    );
    assert.deepEqual(
      out.assignments.map((a: { principalId: string }) => a.principalId).sort(),
      [ann.id, guestId, group.id].sort(),
    );
    const app = await requireApp(s.portico.services.store.db, t.tenantId, created.id);
    assert.equal(await isAssigned(s.portico.services.store.db, t.tenantId, app, guestId), true);

    for (const [args, pattern] of [
      [['--user', ann.userPrincipalName], /already exists/],
      [['--user', 'nobody@partner.example'], /No user of this tenant.*Request_ResourceNotFound/],
      [['--group', ann.id], /Request_ResourceNotFound/],
      [['--user', ann.id, '--group', group.id], /exactly one of --user/],
      [[], /exactly one of --user/],
    ] as [string[], RegExp][]) {
      const ran = await cli('assign', '--tenant', t.domain, '--app', created.id, ...args);
      assert.equal(ran.code, 2, ran.stdout);
      assert.match(ran.stderr, pattern);
    }
    const unknownApp = await cli(
      'assign',
      '--tenant',
      t.domain,
      '--app',
      '00000000-0000-4000-8000-000000000000',
      '--user',
      ann.id,
    );
    assert.equal(unknownApp.code, 2);
    assert.equal((await listAssignments(s.portico.services.store.db, t.tenantId, created.id)).length, 3);

    assert.match(
      await ok('unassign', '--tenant', t.domain, '--app', created.id, '--group', group.id),
      /Unassigned group .* it has 2 assignment/,
    );
    assert.equal((await listAssignments(s.portico.services.store.db, t.tenantId, created.id)).length, 2);
  });

  it('app consent grants and --revoke revokes admin consent', async () => {
    const db = s.portico.services.store.db;
    assert.match(
      await ok('consent', '--tenant', t.domain, '--app', created.clientId),
      /Granted admin consent for "Expenses" \(User.Read, Files.Read.All\)/,
    );
    assert.equal(needsAdminConsent(await requireApp(db, t.tenantId, created.id)), false);
    const out = JSON.parse(await ok('consent', '--tenant', t.domain, '--app', created.id, '--revoke', '--json'));
    assert.equal(out.adminConsentGranted, false);
    assert.equal(needsAdminConsent(await requireApp(db, t.tenantId, created.id)), true);
  });

  it('app delete moves the app to deleted items; the management app stays', async () => {
    await ok('delete', '--tenant', t.domain, '--app', created.clientId);
    assert.equal((await t.api('GET', `/v1.0/applications/${created.id}`)).status, 404);
    assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${created.id}`)).status, 200);
    assert.deepEqual(await listAssignments(s.portico.services.store.db, t.tenantId, created.id), []);
    const again = await cli('delete', '--tenant', t.domain, '--app', created.id);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /Request_ResourceNotFound/);
    const management = await s.portico.services.store.db
      .selectFrom('apps')
      .select('id')
      .where('tenant_id', '=', t.tenantId)
      .where('is_management', '=', 1)
      .executeTakeFirstOrThrow();
    const refused = await cli('delete', '--tenant', t.domain, '--app', management.id);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /management app cannot be deleted/);

    type Event = {
      activityDisplayName: string;
      category: string;
      initiatedBy: { app?: { displayName?: string } };
      targetResources: { id: string }[];
    };
    const events = ((await t.api('GET', '/v1.0/auditLogs/directoryAudits?$top=999')).body.value as Event[]).filter(
      (e) => e.targetResources.some((r) => r.id === created.id),
    );
    assert.deepEqual(events.map((e) => e.activityDisplayName).sort(), [
      'Add app role assignment grant to user',
      'Add app role assignment grant to user',
      'Add app role assignment to group',
      'Add application',
      'Consent to application',
      'Delete application',
      'Remove app role assignment from group',
      'Remove delegated permission grant',
    ]);
    assert.ok(
      events.every((e) => e.category === 'ApplicationManagement' && e.initiatedBy.app?.displayName === 'Portico CLI'),
    );
  });
});
