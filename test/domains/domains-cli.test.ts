// `portico domain list|add|verify|unverify|remove`, spawned against the store a running server uses and the DNS
// server on loopback (PORTICO_DNS_SERVERS): what the CLI verifies the server's direct links follow at once, and
// refusals exit non-zero with the reason.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { startTestDns, type TestDns } from '../helpers/dns.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { CookieJar, request } from '../helpers/signin.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite('portico domain CLI', { tenant: 'Contoso' }, ({ s, t, prepare }) => {
  let dns: TestDns;
  let env: Record<string, string>;
  prepare(async () => {
    dns = await startTestDns();
    return { runWorker: false, env: { PORTICO_DNS_SERVERS: dns.server } };
  });
  before(async () => {
    env = {
      PORTICO_DATABASE_URL: s.testStore.url,
      PORTICO_BASE_URL: s.baseUrl,
      PORTICO_DNS_SERVERS: dns.server,
      ...TEST_PASSWORD_COST,
    };
  });
  after(async () => {
    await dns?.close();
  });

  const cli = (...args: string[]) => runCli(['domain', ...args], env);
  const directLink = async (name: string) => (await request(new CookieJar(), `${s.baseUrl}/myapps/${name}`)).status;

  it('add prints the TXT record; verify fails without it and succeeds with it; unverify and remove take effect', async () => {
    const added = await cli('add', 'Tailspin.Example', '--tenant', t.domain, '--json');
    assert.equal(added.code, 0, added.stderr);
    const row = JSON.parse(added.stdout) as {
      name: string;
      isVerified: boolean;
      txt: { label: string; text: string; ttl: number };
    };
    assert.deepEqual(
      [row.name, row.isVerified, row.txt.label, row.txt.ttl],
      ['tailspin.example', false, 'tailspin.example', 3600],
    );
    assert.equal(
      row.txt.text,
      (await t.api('GET', '/v1.0/domains/tailspin.example/verificationDnsRecords')).body.value[0].text,
    );
    const human = await cli('list', '--tenant', t.tenantId);
    assert.match(human.stdout, new RegExp(`^${t.domain}  initial$`, 'm'));
    assert.match(human.stdout, /^tailspin\.example {2}unverified {2}TXT portico-verification=/m);

    const early = await cli('verify', 'tailspin.example', '--tenant', t.tenantId);
    assert.equal(early.code, 2);
    assert.match(
      early.stderr,
      /no TXT record "portico-verification=.*" was found at tailspin\.example.*\(Request_BadRequest\)/,
    );
    assert.equal(await directLink('tailspin.example'), 404);

    dns.publish('tailspin.example', row.txt.text);
    const verified = await cli('verify', 'tailspin.example', '--tenant', t.tenantId);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /tailspin\.example is verified for Contoso/);
    assert.equal(await directLink('tailspin.example'), 303, 'the running server follows at once');
    assert.equal(
      (await cli('list', '--tenant', 'tailspin.example', '--json')).code,
      0,
      'a verified domain names the tenant for --tenant',
    );

    assert.equal((await cli('unverify', 'tailspin.example', '--tenant', t.tenantId)).code, 0);
    assert.equal(await directLink('tailspin.example'), 404);
    const removed = await cli('remove', 'tailspin.example', '--tenant', t.tenantId);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await t.api('GET', '/v1.0/domains/tailspin.example')).status, 404);
    const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value as {
      activityDisplayName: string;
      initiatedBy: { app?: { displayName?: string } };
    }[];
    for (const activity of ['Add unverified domain', 'Verify domain', 'Unverify domain', 'Remove unverified domain']) {
      assert.ok(
        audit.some((e) => e.activityDisplayName === activity && e.initiatedBy.app?.displayName === 'Portico CLI'),
        activity,
      );
    }
  });

  it('refuses the initial domain and bad names with a non-zero exit', async () => {
    const initial = await cli('remove', t.domain, '--tenant', t.tenantId);
    assert.equal(initial.code, 2);
    assert.match(initial.stderr, /initial domain and cannot be removed/);
    const bad = await cli('add', 'not_a_domain', '--tenant', t.tenantId);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a valid domain name/);
    assert.equal((await cli('verify', 'nowhere.example', '--tenant', t.tenantId)).code, 2);
    assert.equal((await t.api('GET', '/v1.0/domains')).body.value.length, 1);
  });
});
