// The CLI's remote mode (issue #22): `portico login` against a running server saves a 0600 profile, then tenant,
// invite, user and export commands work through the Graph-shaped API and print the same `--json` as the same
// commands on the server's store. A refused login saves nothing; a command with no remote implementation refuses
// without opening any store.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';

import { cliEnv } from '../helpers/cli.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite('portico remote mode', { runWorker: false }, ({ s }) => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-remote-'));
  const profiles = join(dir, 'config', 'portico', 'profiles.json');
  /** No store here: a remote command that opened one would create nothing and fail, never succeed. */
  const missingStore = join(dir, 'no-store.db');
  let local: Record<string, string>;
  let remote: Record<string, string>;
  let tenant: { tenantId: string; apiClient: { clientId: string; clientSecret: string } };

  const run = async (env: Record<string, string>, args: string[], code = 0) => {
    const ran = await runCli(args, env);
    assert.equal(ran.code, code, `portico ${args.join(' ')}: ${ran.stderr}${ran.stdout}`);
    return ran;
  };
  const json = async (env: Record<string, string>, args: string[]) => JSON.parse((await run(env, args)).stdout);
  /** The same command in both modes: its `--json` must be the same. */
  const both = async (args: string[]) => {
    const [l, r] = [await json(local, [...args, '--json']), await json(remote, [...args, '--json'])];
    assert.deepEqual(r, l, `portico ${args.join(' ')}: remote and local differ`);
    return r;
  };

  before(async () => {
    const home = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') };
    local = { ...cliEnv(s), ...home, PORTICO_PROFILE: 'local' };
    remote = { ...home, PORTICO_DATABASE_URL: `sqlite:${missingStore}`, PORTICO_BASE_URL: 'http://127.0.0.1:9' };
    // The tenant and its management API client, made as an operator makes them.
    tenant = await json(local, [
      'tenant',
      'create',
      '--name',
      'Fabrikam',
      '--domain',
      'fabrikam.example',
      '--admin-email',
      'admin@fabrikam.example',
      '--json',
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const login = (secret: string, code = 0) =>
    run(
      { ...remote, CLIENT_SECRET: secret },
      [
        'login',
        s.baseUrl,
        '--client-id',
        tenant.apiClient.clientId,
        '--client-secret-env',
        'CLIENT_SECRET',
        '--tenant',
        'fabrikam.example',
        '--profile',
        'fab',
        '--json',
      ],
      code,
    );

  it('refuses a wrong secret with a clear message and saves nothing', async () => {
    const ran = await login(`${tenant.apiClient.clientSecret}x`, 2);
    assert.match(ran.stderr, /^portico: login to http:\/\/127\.0\.0\.1:\d+ failed: the client id or secret is wrong/);
    assert.doesNotMatch(ran.stderr, new RegExp(tenant.apiClient.clientSecret));
    assert.equal(existsSync(profiles), false, 'no profile file');
    const unset = await run(
      remote,
      ['login', s.baseUrl, '--client-id', 'x', '--client-secret-env', 'NOPE_UNSET', '--tenant', 't'],
      2,
    );
    assert.match(unset.stderr, /NOPE_UNSET is not set/);
  });

  it('logs in: a 0600 profile in a 0700 folder, selected from now on', async () => {
    const out = JSON.parse((await login(tenant.apiClient.clientSecret)).stdout);
    assert.equal(out.tenantId, tenant.tenantId, 'the domain resolved to the tenant id');
    assert.equal(statSync(profiles).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'config', 'portico')).mode & 0o777, 0o700);
    const saved = JSON.parse(readFileSync(profiles, 'utf8'));
    assert.equal(saved.current, 'fab');
    assert.equal(saved.profiles.fab.tenantId, tenant.tenantId);
    const list = await json(remote, ['config', 'list', '--json']);
    assert.deepEqual(
      list.map((p: { profile: string; selected: boolean }) => [p.profile, p.selected]),
      [
        ['local', false],
        ['fab', true],
      ],
    );
    assert.ok(!JSON.stringify(list).includes(tenant.apiClient.clientSecret), 'config list never shows the secret');
    // The local mode's default tenant: --tenant becomes optional there.
    await run(local, ['config', 'set', 'tenant', 'fabrikam.example']);
    assert.equal((await json(local, ['config', 'get', 'tenant', '--json'])).tenant, 'fabrikam.example');
  });

  it('tenant show and invite work remotely, as locally', async () => {
    const shown = await both(['tenant', 'show']);
    assert.equal(shown.tenantId, tenant.tenantId);
    assert.deepEqual(shown.verifiedDomains.sort(), ['fabrikam.example', shown.initialDomain].sort());

    const invited = await json(remote, [
      'invite',
      'ann@partner.example',
      '--display-name',
      '=HYPERLINK("http://evil.example")',
      '--no-send',
      '--json',
    ]);
    assert.equal(invited.outcome, 'created');
    assert.equal(invited.emailQueued, false);
    assert.match(invited.inviteRedeemUrl, new RegExp(`^${s.baseUrl}/redeem\\?ticket=`));
    // Invited again locally: the same user, the same shape.
    const again = await json(local, ['invite', 'ann@partner.example', '--no-send', '--json']);
    assert.equal(again.userId, invited.userId);
    assert.deepEqual(Object.keys(again), Object.keys(invited));
    assert.equal(again.userPrincipalName, invited.userPrincipalName);
    for (const email of ['ben@partner.example', 'cy@other.example'])
      await run(remote, ['invite', email, '--no-send', '--tenant', tenant.tenantId]);
  });

  it('user list, show and update print the same in both modes', async () => {
    const all = await both(['user', 'list']);
    assert.equal(all.length, 4, 'the administrator and three guests');
    // All pages: two users a request reads the same list.
    assert.deepEqual(await json(remote, ['user', 'list', '--page-size', '2', '--json']), all);
    assert.deepEqual(await json(local, ['user', 'list', '--page-size', '2', '--json']), all);
    const guests = await both(['user', 'list', '--filter', "userType eq 'Guest'"]);
    assert.equal(guests.length, 3);
    const searched = await both(['user', 'list', '--search', 'ben@']);
    assert.deepEqual(
      searched.map((u: { mail: string }) => u.mail),
      ['ben@partner.example'],
    );
    const ann = await both(['user', 'show', 'ann@partner.example']);
    assert.equal(ann.externalUserState, 'PendingAcceptance');

    const updated = await json(remote, [
      'user',
      'update',
      'ann@partner.example',
      '--set',
      'displayName=Ann Remote',
      '--set',
      'accountEnabled=false',
      '--json',
    ]);
    assert.equal(updated.displayName, 'Ann Remote');
    assert.equal(updated.accountEnabled, false);
    assert.deepEqual(await json(local, ['user', 'show', ann.id, '--json']), updated);
    // A refused change says the same in both modes, and changes nothing.
    const refusals = await Promise.all(
      [local, remote].map((env) => run(env, ['user', 'update', ann.id, '--set', 'favouriteColour=blue'], 2)),
    );
    assert.match(refusals[0]!.stderr, /Property 'favouriteColour' does not exist/);
    assert.equal(refusals[1]!.stderr, refusals[0]!.stderr);
    const missing = await Promise.all([local, remote].map((env) => run(env, ['user', 'show', 'nobody@x.example'], 2)));
    assert.equal(missing[1]!.stderr, missing[0]!.stderr);
  });

  it('reset-redemption, delete and restore work remotely', async () => {
    const ben = await json(remote, ['user', 'show', 'ben@partner.example', '--json']);
    const reset = await json(remote, ['user', 'reset-redemption', 'ben@partner.example', '--no-send', '--json']);
    assert.equal(reset.userId, ben.id);
    assert.equal(reset.outcome, 'reset');
    assert.match(reset.inviteRedeemUrl, /\/redeem\?ticket=/);
    const locally = await json(local, ['user', 'reset-redemption', ben.id, '--no-send', '--json']);
    assert.deepEqual(Object.keys(locally), Object.keys(reset));
    assert.notEqual(locally.inviteRedeemUrl, reset.inviteRedeemUrl, 'a new link each time');

    const beforeDelete = await json(local, ['user', 'show', ben.id, '--json']);
    const deleted = await json(remote, ['user', 'delete', 'ben@partner.example', '--json']);
    assert.deepEqual(deleted, { deleted: beforeDelete });
    await run(local, ['user', 'show', ben.id], 2);
    const listed = await json(local, ['deleted', 'list', '--tenant', tenant.tenantId, '--json']);
    assert.ok(listed.value.some((d: { id: string }) => d.id === ben.id));
    const restored = await json(remote, ['user', 'restore', ben.userPrincipalName, '--json']);
    assert.equal(restored.restored.id, ben.id);
    assert.deepEqual(restored.restored, await json(local, ['user', 'show', ben.id, '--json']));
    // The same in the local mode, by object id.
    await run(local, ['user', 'delete', ben.id]);
    assert.deepEqual((await json(local, ['user', 'restore', ben.id, '--json'])).restored, restored.restored);
  });

  it('export users --csv: all pages, the same file in both modes, formulas neutralised', async () => {
    const [l, r] = [join(dir, 'local.csv'), join(dir, 'remote.csv')];
    await run(local, ['export', 'users', '--csv', '--out', l, '--page-size', '3']);
    const out = await json(remote, ['export', 'users', '--csv', '--out', r, '--page-size', '2', '--json']);
    assert.equal(out.rows, 4);
    const text = readFileSync(r, 'utf8');
    assert.equal(text, readFileSync(l, 'utf8'));
    assert.equal(statSync(r).mode & 0o777, 0o600);
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,displayName,mail,userPrincipalName,userType,externalUserState,createdDateTime');
    assert.equal(lines.length, 5);
    assert.ok(!text.includes('"=HYPERLINK'), 'no cell starts a formula');
    const stdout = await run(remote, ['export', 'users', '--csv', '--filter', "userType eq 'Member'"]);
    assert.equal(stdout.stdout.trimEnd().split('\r\n').length, 2, 'the header and the administrator');
    await run(remote, ['export', 'users'], 2);
  });

  it('refuses what has no remote implementation, without touching a store', async () => {
    for (const args of [
      ['tenant', 'list'],
      ['tenant', 'rotate-keys'],
      ['deleted', 'list', '--tenant', tenant.tenantId],
    ]) {
      const ran = await run(remote, args, 2);
      assert.match(
        ran.stderr,
        /^portico: `portico [a-z -]+` works only on the store beside the server, and profile fab is remote/,
      );
      assert.equal(ran.stderr.trim().split('\n').length, 1, 'one line');
    }
    const inactive = await run(remote, ['user', 'list', '--inactive-days', '30'], 2);
    assert.match(inactive.stderr, /--inactive-days works only on the store/);
    const csv = await run(remote, ['invite', '--csv', join(dir, 'x.csv')], 2);
    assert.match(csv.stderr, /--csv works only on the store/);
    assert.equal(existsSync(missingStore), false, 'no store was created or opened');
    const other = await run(remote, ['user', 'list', '--tenant', 'contoso.example'], 2);
    assert.match(other.stderr, /Profile fab manages tenant/);
  });

  it('logout forgets the profile: commands work on the store here again', async () => {
    await run(remote, ['logout']);
    assert.equal(JSON.parse(readFileSync(profiles, 'utf8')).profiles.fab, undefined);
    assert.equal(statSync(profiles).mode & 0o777, 0o600);
    const { PORTICO_PROFILE: _, ...unselected } = local;
    const users = await json(unselected, ['user', 'list', '--json']);
    assert.equal(users.length, 4, 'the local default tenant, no --tenant');
  });
});
