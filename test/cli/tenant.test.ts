// The CLI end to end, spawned as a process against the same store a server uses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';

import { registerApp } from '../../src/apps/apps.ts';
import { apiClient, appToken, TEST_PASSWORD_COST } from '../helpers/server.ts';
import { signIn } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { createTestStore, type TestStore } from '../helpers/stores.ts';
import { suite } from '../helpers/suite.ts';

suite('portico CLI', {}, ({ s }) => {
  let env: Record<string, string>;
  before(async () => {
    env = { PORTICO_DATABASE_URL: s.testStore.url, PORTICO_BASE_URL: s.baseUrl, ...TEST_PASSWORD_COST };
  });

  it('tenant create --json prints credentials that work against the running server', async () => {
    const ran = await runCli(
      [
        'tenant',
        'create',
        '--name',
        'Northwind Traders',
        '--domain',
        'northwind.example',
        '--admin-email',
        'it@northwind.example',
        '--json',
      ],
      env,
    );
    assert.equal(ran.code, 0, ran.stderr);
    const out = JSON.parse(ran.stdout);
    assert.equal(out.displayName, 'Northwind Traders');
    assert.equal(out.initialDomain, 'northwind-traders.portico.localhost');
    assert.deepEqual(out.verifiedDomains.sort(), ['northwind-traders.portico.localhost', 'northwind.example']);
    assert.equal(out.admin.userPrincipalName, 'it@northwind.example');
    assert.ok(out.admin.password.length >= 16 && out.apiClient.clientSecret.length >= 40);

    // The API client holds every permission: it can read and write users and read the audit log.
    const token = await appToken(s.baseUrl, out.tenantId, out.apiClient.clientId, out.apiClient.clientSecret);
    const api = apiClient(s.baseUrl, token);
    assert.equal((await api('GET', '/v1.0/users')).body.value[0].userPrincipalName, 'it@northwind.example');
    assert.equal((await api('POST', '/v1.0/groups', { displayName: 'Sales' })).status, 201);
    assert.ok(
      (await api('GET', '/v1.0/auditLogs/directoryAudits')).body.value.some(
        (e: { activityDisplayName: string }) => e.activityDisplayName === 'Create tenant',
      ),
    );

    // The admin's password signs in through the tenant's own pages.
    const { app, clientSecret } = await s.portico.services.store.transaction((tx) =>
      registerApp(tx, s.portico.services.clock, out.tenantId, {
        displayName: 'RP',
        grantTypes: ['authorization_code'],
        redirectUris: ['http://127.0.0.1:1/cb'],
      }),
    );
    const rp = await client.discovery(new URL(out.issuer), app.clientId, clientSecret!, undefined, {
      execute: [client.allowInsecureRequests],
    });
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: 'http://127.0.0.1:1/cb',
      scope: 'openid',
      state: 'st',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const { callback } = await signIn(url.toString(), s.baseUrl, out.admin.userPrincipalName, out.admin.password);
    const tokens = await client.authorizationCodeGrant(rp, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedState: 'st',
    });
    assert.equal(tokens.claims()?.tid, out.tenantId);
  });

  it('tenant create without --json prints the credentials for a person', async () => {
    const ran = await runCli(
      ['tenant', 'create', '--name', 'Tailspin', '--admin-email', 'admin@tailspin.portico.localhost'],
      env,
    );
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /tenant id\s+[0-9a-f-]{36}/);
    assert.match(ran.stdout, /administrator\s+admin@tailspin\.portico\.localhost/);
    assert.match(ran.stdout, /API client secret\s+\S{40,}/);
  });

  it('tenant list --json lists every tenant; rotate-keys adds a signing key', async () => {
    const ran = await runCli(['tenant', 'list', '--json'], env);
    assert.equal(ran.code, 0, ran.stderr);
    const names = JSON.parse(ran.stdout).map((t: { displayName: string }) => t.displayName);
    assert.ok(names.includes('Northwind Traders') && names.includes('Tailspin'), names.join(','));
    const rotated = await runCli(['tenant', 'rotate-keys', '--tenant', 'northwind.example', '--json'], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const { tenantId, kids } = JSON.parse(rotated.stdout) as { tenantId: string; kids: string[] };
    const keys = await s.portico.services.store.db
      .selectFrom('tenant_keys')
      .select(['kid', 'retired_at'])
      .where('tenant_id', '=', tenantId)
      .execute();
    assert.equal(
      keys.length,
      4,
      'an ID token key and an access token key made with the tenant, and one of each by the rotation',
    );
    assert.deepEqual(
      keys
        .filter((k) => k.retired_at === null)
        .map((k) => k.kid)
        .sort(),
      [...kids].sort(),
    );
  });

  it('fails with a clear message and a non-zero exit, changing nothing', async () => {
    const before = (await runCli(['tenant', 'list', '--json'], env)).stdout;
    const outside = await runCli(['tenant', 'create', '--name', 'X', '--admin-email', 'a@elsewhere.example'], env);
    assert.notEqual(outside.code, 0);
    assert.match(outside.stderr, /must be in the tenant's domain.*--domain elsewhere\.example/);
    const taken = await runCli(
      ['tenant', 'create', '--name', 'Y', '--domain', 'northwind.example', '--admin-email', 'a@northwind.example'],
      env,
    );
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, /already belongs to another tenant/);
    const missing = await runCli(['tenant', 'create', '--name', 'Z'], env);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /--admin-email/);
    const unknown = await runCli(['tenant', 'rotate-keys', '--tenant', 'nope.example'], env);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /No tenant matches/);
    assert.equal((await runCli(['tenant', 'list', '--json'], env)).stdout, before);
  });

  it('tenant set changes external-identity settings and refuses unknown or bad ones', async () => {
    const set = await runCli(
      [
        'tenant',
        'set',
        '--tenant',
        'northwind.example',
        'emailPasscodeEnabled=false',
        'invitationTicketLifetimeDays=7',
        'redirectAllowList=https://a.example,https://b.example',
        '--json',
      ],
      env,
    );
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout).settings, {
      emailPasscodeEnabled: false,
      invitationTicketLifetimeDays: 7,
      redirectAllowList: ['https://a.example', 'https://b.example'],
    });
    for (const bad of [
      'bogus=1',
      'invitationTicketLifetimeDays=0',
      'redirectAllowList=http://a.example',
      'emailPasscodeEnabled',
    ]) {
      const ran = await runCli(['tenant', 'set', '--tenant', 'northwind.example', bad], env);
      assert.notEqual(ran.code, 0, bad);
      assert.match(ran.stderr, /portico: /);
    }
  });

  it('--help works everywhere', async () => {
    for (const args of [
      ['--help'],
      ['tenant', '--help'],
      ['tenant', 'create', '--help'],
      ['tenant', 'list', '--help'],
      ['serve', '--help'],
    ]) {
      const ran = await runCli(args, env);
      assert.equal(ran.code, 0, `${args.join(' ')}: ${ran.stderr}`);
      assert.match(ran.stdout, /Usage: portico/);
    }
  });
});

describe('portico CLI against an empty store', () => {
  let t: TestStore;
  before(async () => {
    t = await createTestStore('sqlite');
  });
  after(async () => {
    await t?.dispose();
  });
  it('tenant list says how to create the first tenant', async () => {
    const ran = await runCli(['tenant', 'list'], { PORTICO_DATABASE_URL: t.url });
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /portico tenant create/);
  });
});
