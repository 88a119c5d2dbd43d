// The one form-token scheme (keyed.ts) on both stores: a token is bound to its values and to its use's deployment
// key, any change to either or to the token is refused, checking goes through the constant-time compare, and no
// module outside the base layer makes HMACs or compares secrets by itself.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';

import { formToken, formTokenMatches, keyedHmac } from '../../src/keyed.ts';
import { isSealed } from '../../src/keyring.ts';
import { hmac, sameSecret } from '../../src/secrets.ts';
import { keysOf } from '../../src/store/keys.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

describe('sameSecret', () => {
  it('is true only for the same string, false for anything else', () => {
    assert.equal(sameSecret('abc', 'abc'), true);
    assert.equal(sameSecret('abd', 'abc'), false);
    assert.equal(sameSecret('ab', 'abc'), false);
    assert.equal(sameSecret('', 'abc'), false);
    for (const other of [undefined, null, 0, ['abc'], { toString: () => 'abc' }])
      assert.equal(sameSecret(other, 'abc'), false);
  });

  it('compares with crypto.timingSafeEqual', () => {
    const spy = mock.method(crypto, 'timingSafeEqual');
    syncBuiltinESMExports();
    try {
      assert.equal(sameSecret('same-length-1', 'same-length-2'), false);
      assert.equal(sameSecret('same-length-1', 'same-length-1'), true);
      assert.equal(spy.mock.callCount(), 2);
    } finally {
      spy.mock.restore();
      syncBuiltinESMExports();
    }
  });
});

for (const { kind, skip } of storeKinds()) {
  describe(`form tokens (${kind})`, { skip }, () => {
    let t: TestStore;
    before(async () => {
      t = await createTestStore(kind);
    });
    after(async () => {
      await t?.dispose();
    });

    it('match the values they are bound to, and no others', async () => {
      const db = t.store.db;
      const token = await formToken(db, 'test-form-key', 'tenant-1', 'session-hash');
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(
        await formToken(db, 'test-form-key', 'tenant-1', 'session-hash'),
        token,
        'the same on every call (every node derives it)',
      );
      assert.equal(await formTokenMatches(db, 'test-form-key', token, 'tenant-1', 'session-hash'), true);
      assert.equal(
        await formTokenMatches(db, 'test-form-key', token, 'tenant-2', 'session-hash'),
        false,
        'another tenant',
      );
      assert.equal(
        await formTokenMatches(db, 'test-form-key', token, 'tenant-1', 'other-session'),
        false,
        'another session',
      );
      assert.equal(await formTokenMatches(db, 'test-form-key', token, 'tenant-1'), false, 'fewer values');
      assert.equal(
        await formTokenMatches(db, 'test-form-key', token, 'tenant-1', 'session-hash', ''),
        false,
        'more values',
      );
    });

    it("are worth nothing under another use's key", async () => {
      const db = t.store.db;
      const token = await formToken(db, 'test-form-key', 'ticket');
      assert.equal(await formTokenMatches(db, 'test-other-key', token, 'ticket'), false);
      assert.notEqual(await formToken(db, 'test-other-key', 'ticket'), token);
    });

    it('refuse a tampered, truncated, empty or non-string token', async () => {
      const db = t.store.db;
      const token = await formToken(db, 'test-form-key', 'flow');
      const flipped = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
      for (const bad of [
        flipped,
        token.slice(0, -1),
        `${token}A`,
        '',
        token.toUpperCase(),
        undefined,
        null,
        42,
        [token],
      ]) {
        assert.equal(await formTokenMatches(db, 'test-form-key', bad, 'flow'), false, String(bad));
      }
    });

    it('keep bound values apart: no value may hold the separator', async () => {
      const db = t.store.db;
      const token = await formToken(db, 'test-form-key', 'a', 'b');
      assert.equal(await formTokenMatches(db, 'test-form-key', token, 'a|b'), false);
      await assert.rejects(formToken(db, 'test-form-key', 'a|b'), /may not contain/);
    });

    it('are the HMAC of the bound values under the stored deployment key (tokens issued before stay valid)', async () => {
      const db = t.store.db;
      const sealed = await db
        .selectFrom('deployment')
        .select('value')
        .where('key', '=', 'test-form-key')
        .executeTakeFirstOrThrow();
      // The store keeps the key sealed with the deployment key (issue #22), never in clear.
      assert.ok(isSealed(sealed.value));
      const row = { value: keysOf(db).open(sealed.value) };
      assert.equal(
        await formToken(db, 'test-form-key', 'tenant-1', 'session-hash'),
        hmac(row.value, 'tenant-1|session-hash'),
      );
      assert.equal(await keyedHmac(db, 'test-form-key', 'x:y'), hmac(row.value, 'x:y'));
    });
  });
}

describe('the base layer is the only place', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
    });

  it('that makes an HMAC or compares in constant time (src/secrets.ts)', () => {
    const offenders = files('src').filter(
      (f) => f !== join('src', 'secrets.ts') && /\b(createHmac|timingSafeEqual)\b/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });
});
