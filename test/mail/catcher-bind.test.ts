// The built-in mail catcher publishes every passcode and invitation link at /dev/mail: Portico refuses to start with
// it on an address other machines can reach (no PORTICO_SMTP_URL, a non-loopback PORTICO_HOST) unless PORTICO_DEV=1
// says this is a development machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

import { catcherRefusal, loadConfig } from '../../src/config.ts';
import { ROOT } from '../helpers/spawn.ts';

const BEHIND_PROXY = /PORTICO_BASE_URL is .*not a loopback address.*PORTICO_SMTP_URL.*PORTICO_DEV=1/s;
const REFUSED = /PORTICO_HOST is .*not a loopback address.*PORTICO_SMTP_URL.*PORTICO_DEV=1/s;

/** `npm start` with `env` (no SMTP URL, no PORTICO_DEV): it must exit 1; its stderr. */
async function refusedStart(env: NodeJS.ProcessEnv): Promise<string> {
  delete env.PORTICO_SMTP_URL;
  delete env.PORTICO_DEV;
  const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}src/main.ts`], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, 1, stderr);
  return stderr;
}

describe('the mail catcher and the bind address', () => {
  it('refuses a non-loopback address without SMTP or PORTICO_DEV=1', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'portico.example'])
      assert.throws(() => loadConfig({ PORTICO_HOST: host }), REFUSED, host);
    assert.throws(() => loadConfig({ PORTICO_HOST: '0.0.0.0', PORTICO_DEV: '0' }), REFUSED);
    assert.throws(() => loadConfig({ PORTICO_HOST: '0.0.0.0', PORTICO_SMTP_URL: ' ' }), REFUSED, 'a blank URL is none');
  });

  it('refuses to serve on loopback behind a proxy: a public PORTICO_BASE_URL without SMTP or PORTICO_DEV=1', () => {
    // A proxy on the same machine passes every request on to 127.0.0.1: /dev/mail would be public all the same.
    const refusal = (env: NodeJS.ProcessEnv) => catcherRefusal(loadConfig(env), env);
    for (const base of ['https://portico.example', 'http://192.0.2.10:8080'])
      assert.match(refusal({ PORTICO_BASE_URL: base }) ?? '', BEHIND_PROXY, base);
    for (const base of ['http://localhost:3000', 'http://127.0.0.1:3000', 'https://[::1]:8443'])
      assert.equal(refusal({ PORTICO_BASE_URL: base }), undefined, base);
    const base = 'https://portico.example';
    assert.equal(refusal({ PORTICO_BASE_URL: base, PORTICO_SMTP_URL: 'smtp://mail.example:587' }), undefined);
    assert.equal(refusal({ PORTICO_BASE_URL: base, PORTICO_DEV: '1' }), undefined);
  });

  it('`npm start` on loopback with a public base URL and no SMTP exits with the reason', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORTICO_HOST: '127.0.0.1', PORTICO_PORT: '0' };
    env.PORTICO_BASE_URL = 'https://portico.example';
    const stderr = await refusedStart(env);
    assert.match(stderr, BEHIND_PROXY);
  });

  it('allows loopback, a configured SMTP server, or an explicit PORTICO_DEV=1', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost'])
      assert.equal(loadConfig({ PORTICO_HOST: host }).host, host);
    assert.equal(loadConfig({ PORTICO_HOST: '0.0.0.0', PORTICO_SMTP_URL: 'smtp://mail.example:587' }).dev, false);
    assert.equal(loadConfig({ PORTICO_HOST: '0.0.0.0', PORTICO_DEV: '1' }).dev, true);
    assert.equal(loadConfig({ PORTICO_HOST: '0.0.0.0', PORTICO_DEV: 'true' }).dev, true);
  });

  it('`npm start` on 0.0.0.0 without the flag exits with the reason', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORTICO_HOST: '0.0.0.0', PORTICO_PORT: '0' };
    const stderr = await refusedStart(env);
    assert.match(stderr, /Portico could not start/);
    assert.match(stderr, REFUSED);
  });
});
