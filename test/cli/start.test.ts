// `npm start` on an empty data directory: comes up healthy, writes working credentials once to the 0600 file whose
// path it prints (never the secrets themselves), stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { freePort } from '../helpers/net.ts';
import { apiClient, appToken, TEST_PASSWORD_COST } from '../helpers/server.ts';
import { CookieJar, follow } from '../helpers/signin.ts';
import { ROOT } from '../helpers/spawn.ts';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The start script from package.json, run as `npm start` runs it (or through npm itself). */
const START = (
  JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } }
).scripts.start.split(' ');

async function start(env: Record<string, string>, via: 'npm' | 'script'): Promise<Started> {
  // Its own process group, so SIGTERM reaches the whole tree as a terminal or a process manager sends it.
  const [cmd, ...args] = via === 'npm' ? ['npm', 'start', '--silent'] : START;
  const child = spawn(cmd!, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => {
    output += d;
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/Portico is listening/.test(output)) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before listening:\n${output}`)));
  });
  return { child, output: () => output, exited };
}

const field = (output: string, label: string) => {
  const m = new RegExp(`${label}\\s+(\\S+)`).exec(output);
  assert.ok(m, `the start output names the ${label}:\n${output}`);
  return m[1]!;
};

describe('npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-start-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on an empty store, writes working credentials once to the file it names, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      PORTICO_DATABASE_URL: `sqlite:${join(dir, 'portico.db')}`,
      PORTICO_PORT: String(port),
      PORTICO_BASE_URL: baseUrl,
      PORTICO_LOG_LEVEL: 'warn',
      ...TEST_PASSWORD_COST,
    };
    const first = await start(env, 'npm');
    try {
      const out = first.output();
      const tenantId = field(out, 'Tenant id');
      assert.equal(field(out, 'Administrator'), 'admin@contoso.portico.localhost');
      assert.deepEqual(await (await fetch(`${baseUrl}/healthz`)).json(), { status: 'ok' });
      assert.deepEqual(await (await fetch(`${baseUrl}/readyz`)).json(), { status: 'ready', store: 'sqlite' });
      const discovery = (await (await fetch(field(out, 'OpenID discovery'))).json()) as { issuer: string };
      assert.equal(discovery.issuer, `${baseUrl}/${tenantId}/v2.0`);
      const file = /written to (\S+)/.exec(out)?.[1];
      assert.ok(file, `the start output names the credentials file:\n${out}`);
      const secrets = readFileSync(file, 'utf8');
      assert.ok(!out.includes(field(secrets, 'API client secret')), 'the secret is in the file, not in the output');
      assert.ok(!out.includes(field(secrets, 'Password')), 'the password is in the file, not in the output');
      const token = await appToken(
        baseUrl,
        tenantId,
        field(secrets, 'API client id'),
        field(secrets, 'API client secret'),
      );
      const org = await apiClient(baseUrl, token)('GET', '/v1.0/organization');
      assert.equal(org.body.value[0].displayName, 'Contoso');
      assert.equal((await fetch(`${baseUrl}/dev/mail`)).status, 200, 'the built-in mail catcher page is served');
      for (const label of ['My Apps', 'Admin center']) {
        // My Apps sends the browser to Contoso's sign-in page, which needs the cookies a browser keeps.
        const page = await follow(new CookieJar(), field(out, label), baseUrl);
        assert.equal(page.res?.status, 200, `${label} answers`);
        assert.match(await page.res!.text(), /Contoso/);
      }
    } finally {
      process.kill(-first.child.pid!, 'SIGTERM');
    }
    await first.exited;
    await assert.rejects(fetch(`${baseUrl}/healthz`), 'the server has stopped');

    // The same start script run directly (npm built dist/ before the first start, as `prestart`): compiled
    // JavaScript, no TypeScript loader in the process; it exits 0 on SIGTERM after closing everything.
    assert.deepEqual(START, ['node', 'dist/main.js'], 'npm start runs the compiled server');
    const second = await start(env, 'script');
    try {
      const cmdline = readFileSync(`/proc/${second.child.pid}/cmdline`, 'utf8').split('\0');
      assert.ok(!cmdline.some((arg) => /tsx/.test(arg)), `no tsx loader: ${cmdline.join(' ')}`);
      assert.doesNotMatch(
        second.output(),
        /first-start-credentials/,
        'credentials are written only on the first start',
      );
      assert.deepEqual(await (await fetch(`${baseUrl}/healthz`)).json(), { status: 'ok' });
    } finally {
      second.child.kill('SIGTERM');
    }
    assert.equal(await second.exited, 0, `graceful shutdown:\n${second.output()}`);
  });
});
