// The built-in mail catcher publishes every passcode and invitation link at /dev/mail: Portico refuses to start with
// it on an address other machines can reach (no PORTICO_SMTP_URL, a non-loopback PORTICO_HOST) unless PORTICO_DEV=1
// says this is a development machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

import { loadConfig } from '../../src/config.ts';
import { ROOT } from '../helpers/spawn.ts';

const REFUSED = /PORTICO_HOST is .*not a loopback address.*PORTICO_SMTP_URL.*PORTICO_DEV=1/s;

describe('the mail catcher and the bind address', () => {
  it('refuses a non-loopback address without SMTP or PORTICO_DEV=1', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'portico.example'])
      assert.throws(() => loadConfig({ PORTICO_HOST: host }), REFUSED, host);
    assert.throws(() => loadConfig({ PORTICO_HOST: '0.0.0.0', PORTICO_DEV: '0' }), REFUSED);
    assert.throws(() => loadConfig({ PORTICO_HOST: '0.0.0.0', PORTICO_SMTP_URL: ' ' }), REFUSED, 'a blank URL is none');
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
    assert.match(stderr, /Portico could not start/);
    assert.match(stderr, REFUSED);
  });
});
