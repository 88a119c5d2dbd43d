// Secrets at rest on the embedded default (#22): the store file, its WAL and the key file are readable only by their
// owner, and the first start prints no secret: the administrator's password and the API client's secret go to a 0600
// file whose path it prints. Runs `src/main.ts` as `npm start` does, in a fresh folder with the default permissions.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { freePort } from '../helpers/net.ts';
import { startServerProcess, type ServerProcess } from '../helpers/spawn.ts';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('files at rest on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-at-rest-'));
  let server: ServerProcess | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the store, its WAL, the key and the credentials file 0600, and prints no secret', async () => {
    const port = await freePort();
    const data = join(dir, 'data');
    server = await startServerProcess(
      { PORTICO_DATABASE_URL: `sqlite:${join(data, 'portico.db')}`, PORTICO_BASE_URL: `http://127.0.0.1:${port}` },
      port,
    );
    // A write goes through the WAL, so the file exists while the server runs.
    assert.equal((await fetch(`${server.baseUrl}/readyz`)).status, 200);
    const printed = server.output();

    for (const file of ['portico.db', 'portico.db-wal', 'portico.key'])
      assert.equal(modeOf(join(data, file)), 0o600, `${file} is readable only by its owner`);
    assert.equal(modeOf(data), 0o700, "the data folder is its owner's");

    const [credentials] = readdirSync(data).filter((f) => f.startsWith('first-start-credentials-'));
    assert.ok(credentials, 'the first start wrote its credentials to a file');
    const file = join(data, credentials);
    assert.equal(modeOf(file), 0o600);
    assert.match(
      printed,
      new RegExp(`written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      'its path is printed',
    );

    const secrets = readFileSync(file, 'utf8');
    const password = /^Password\s+(\S+)$/m.exec(secrets)?.[1];
    const clientSecret = /^API client secret\s+(\S+)$/m.exec(secrets)?.[1];
    assert.ok(password && password.length >= 16, 'the file holds the administrator password');
    assert.ok(clientSecret && clientSecret.length >= 32, 'the file holds the API client secret');
    assert.ok(!printed.includes(password), 'the password is not printed');
    assert.ok(!printed.includes(clientSecret), 'the client secret is not printed');

    // The secrets in the file work: the API client gets a token with them.
    const clientId = /^API client id\s+(\S+)$/m.exec(secrets)?.[1];
    const tenantId = /tenant id (\S+)\.$/m.exec(secrets)?.[1];
    const token = await fetch(`${server.baseUrl}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId!,
        client_secret: clientSecret,
        scope: `${server.baseUrl}/v1.0/.default`,
      }),
    });
    assert.equal(token.status, 200, await token.clone().text());
  });

  it('narrows an existing store file to 0600 at the next start', async () => {
    await server?.stop();
    server = undefined;
    const { chmodSync } = await import('node:fs');
    const db = join(dir, 'data', 'portico.db');
    // An older Portico left the file with the default mode (the state being tested is a file's mode, not the store).
    chmodSync(db, 0o644);
    const port = await freePort();
    server = await startServerProcess(
      { PORTICO_DATABASE_URL: `sqlite:${db}`, PORTICO_BASE_URL: `http://127.0.0.1:${port}` },
      port,
    );
    assert.equal(modeOf(db), 0o600);
    assert.ok(!/first-start-credentials/.test(server.output()), 'a store with a tenant has no first start');
    assert.ok(existsSync(db));
  });
});
