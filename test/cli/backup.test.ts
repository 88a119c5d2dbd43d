// `portico backup <file>` while the server runs, and the README's restore: the copy and the key file in an empty
// folder give a working server with the same tenants and the same secrets (#22).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { freePort } from '../helpers/net.ts';
import { apiClient, appToken, TEST_PASSWORD_COST } from '../helpers/server.ts';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/spawn.ts';

describe('portico backup, and restoring the copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-backup-'));
  const running: ServerProcess[] = [];
  after(async () => {
    for (const server of running) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the store while the server runs; the copy and the key start a server with the same tenant', async () => {
    const live = join(dir, 'live');
    const store = `sqlite:${join(live, 'portico.db')}`;
    const port = await freePort();
    const env = { PORTICO_DATABASE_URL: store, PORTICO_BASE_URL: `http://127.0.0.1:${port}`, ...TEST_PASSWORD_COST };
    const server = await startServerProcess(env, port);
    running.push(server);
    const [credentials] = readdirSync(live).filter((f) => f.startsWith('first-start-credentials-'));
    const secrets = readFileSync(join(live, credentials!), 'utf8');
    const value = (label: string) => new RegExp(`^${label}\\s+(\\S+)$`, 'm').exec(secrets)![1]!;
    const tenantId = /tenant id (\S+)\.$/m.exec(secrets)![1]!;
    // A change after the first start, so the copy holds more than what a first start would make again.
    const before = apiClient(
      server.baseUrl,
      await appToken(server.baseUrl, tenantId, value('API client id'), value('API client secret')),
    );
    const invited = await before('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: 'kept@fabrikam.example',
      inviteRedirectUrl: 'https://example.com',
    });
    assert.equal(invited.status, 201);

    const copy = join(dir, 'portico-copy.db');
    const ran = await runCli(['backup', copy], env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /Copied the store/);
    assert.match(ran.stdout, /back up .*portico\.key apart/, 'it says the key is not in the copy');
    assert.equal(statSync(copy).mode & 0o777, 0o600);
    const again = await runCli(['backup', copy], env);
    assert.notEqual(again.code, 0, 'an existing file is never overwritten');
    assert.match(again.stderr, /exists already/);

    // Restore as the README says: the copy as the store file and the key beside it, in an empty folder.
    const restored = join(dir, 'restored');
    mkdirSync(restored, { mode: 0o700 });
    copyFileSync(copy, join(restored, 'portico.db'));
    copyFileSync(join(live, 'portico.key'), join(restored, 'portico.key'));
    const port2 = await freePort();
    const second = await startServerProcess(
      {
        PORTICO_DATABASE_URL: `sqlite:${join(restored, 'portico.db')}`,
        PORTICO_BASE_URL: `http://127.0.0.1:${port2}`,
        ...TEST_PASSWORD_COST,
      },
      port2,
    );
    running.push(second);
    assert.doesNotMatch(
      second.output(),
      /first-start-credentials/,
      'the restored store has its tenant: no first start',
    );
    const after2 = apiClient(
      second.baseUrl,
      await appToken(second.baseUrl, tenantId, value('API client id'), value('API client secret')),
    );
    const org = await after2('GET', '/v1.0/organization');
    assert.equal(org.body.value[0].displayName, 'Contoso');
    const users = await after2('GET', `/v1.0/users?$filter=mail eq 'kept@fabrikam.example'`);
    assert.equal(users.body.value.length, 1, 'the guest invited before the backup is there');
  });

  it('refuses on PostgreSQL, pointing at pg_dump', async () => {
    const ran = await runCli(['backup', join(dir, 'x.db')], {
      PORTICO_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      PORTICO_SECRET_KEY: Buffer.alloc(32, 1).toString('base64url'),
    });
    assert.notEqual(ran.code, 0);
    assert.match(ran.stderr, /pg_dump/);
  });
});
