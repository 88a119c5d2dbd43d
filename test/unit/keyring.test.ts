// The deployment key: PORTICO_SECRET_KEY (a list, for rotation) or the embedded default, a 0600 key file outside the
// database, created once even when processes race; bad keys are refused with a clear message.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

import { loadConfig } from '../../src/config.ts';
import { defaultKeyFile, isSealed, keyRing, loadKeyRing } from '../../src/keyring.ts';
import { newSecret } from '../../src/secrets.ts';
import { runCli } from '../helpers/spawn.ts';

describe('deployment key', () => {
  it('seals with the first key, opens with any listed key, and refuses what no key opens', () => {
    const [a, b] = [newSecret(32), newSecret(32)];
    const sealed = keyRing([a], 'x').seal('ticket');
    assert.ok(isSealed(sealed));
    assert.ok(!isSealed('{"text":"hi"}'));
    const both = keyRing([b, a], 'x');
    assert.equal(both.open(sealed), 'ticket');
    assert.equal(both.sealedWithCurrent(sealed), false);
    assert.equal(both.sealedWithCurrent(both.seal('x')), true);
    assert.throws(() => keyRing([b], 'x').open(sealed), /could not be opened/);
    assert.notEqual(keyRing([a], 'x').id, keyRing([b], 'x').id);
    assert.ok(!keyRing([a], 'x').id.includes(a) && keyRing([a], 'x').id.length === 16, 'the id is not the key');
    assert.throws(() => keyRing(['short'], 'PORTICO_SECRET_KEY'), /32 random bytes in base64url/);
  });

  it('reads PORTICO_SECRET_KEY as a comma-separated list and refuses malformed keys', () => {
    const [a, b] = [newSecret(32), newSecret(32)];
    const config = loadConfig({ PORTICO_SECRET_KEY: ` ${a} , ${b} ` });
    assert.deepEqual(config.secretKeys, [a, b]);
    assert.equal(loadKeyRing(config).source, 'PORTICO_SECRET_KEY');
    assert.throws(
      () => loadConfig({ PORTICO_SECRET_KEY: 'not-a-key' }),
      /PORTICO_SECRET_KEY: each key must be 32 random bytes/,
    );
    const defaults = loadConfig({});
    assert.deepEqual([defaults.secretKeys, defaults.secretKeyFile, defaults.outboxRetentionDays], [[], null, 30]);
    assert.throws(() => loadConfig({ PORTICO_OUTBOX_RETENTION_DAYS: '0' }), /PORTICO_OUTBOX_RETENTION_DAYS/);
  });

  it('without PORTICO_SECRET_KEY keeps a key file beside the SQLite file, mode 0600, created once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-key-'));
    try {
      const databaseUrl = `sqlite:${join(dir, 'portico.db')}`;
      assert.equal(defaultKeyFile(databaseUrl), join(dir, 'portico.key'));
      assert.equal(defaultKeyFile('postgres://db/portico'), resolve('data', 'portico.key'));
      const first = loadKeyRing({ databaseUrl });
      assert.equal(first.source, join(dir, 'portico.key'));
      assert.equal(statSync(first.source).mode & 0o777, 0o600);
      assert.equal(loadKeyRing({ databaseUrl }).id, first.id, 'the same key on the next start');
      const elsewhere = join(dir, 'keys', 'deployment.key');
      assert.equal(loadKeyRing({ databaseUrl, secretKeyFile: elsewhere }).source, elsewhere);
      // A file may hold a list too (rotation without the environment).
      const [a, b] = [newSecret(32), newSecret(32)];
      writeFileSync(elsewhere, `${a},${b}\n`);
      assert.deepEqual(loadKeyRing({ databaseUrl, secretKeyFile: elsewhere }).ids, [
        keyRing([a], '').id,
        keyRing([b], '').id,
      ]);
      assert.equal(loadKeyRing({ databaseUrl: 'sqlite::memory:' }).source, 'memory');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('processes racing at first start end up with one key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-key-'));
    try {
      const env = { PORTICO_DATABASE_URL: `sqlite:${join(dir, 'portico.db')}` };
      const runs = await Promise.all([0, 1, 2].map(() => runCli(['init'], env)));
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      assert.match(readFileSync(join(dir, 'portico.key'), 'utf8'), /^[A-Za-z0-9_-]{43}\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
