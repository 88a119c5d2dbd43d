// One-time codes with an injected clock: expiry, single use, five wrong tries, cool-down and the limits.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { keyRing } from '../../src/keyring.ts';
import { CODE_DEFAULTS, issueCode, verifyCode, type CodeRef } from '../../src/passcodes/codes.ts';
import { newSecret } from '../../src/secrets.ts';
import { keysOf, useKeys } from '../../src/store/keys.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

const MIN = 60_000;

for (const { kind, skip } of storeKinds()) {
  describe(`email codes (${kind})`, { skip }, () => {
    let t: TestStore;
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    let n = 0;
    const ref = (): CodeRef => ({ realm: 'tenant-1', purpose: 'redeem-passcode', subject: `flow-${++n}` });
    const issue = (r: CodeRef, email = `guest${n}@partner.example`, ip: string | null = null) =>
      t.store.transaction((tx) => issueCode(tx, clock, r, email, ip));
    before(async () => {
      t = await createTestStore(kind);
    });
    after(async () => {
      await t?.dispose();
    });

    it('issues 6-digit codes stored as an HMAC, not the code', async () => {
      const r = ref();
      const { code } = await issue(r);
      assert.match(code, /^\d{6}$/);
      const row = await t.store.db
        .selectFrom('email_codes')
        .selectAll()
        .where('subject', '=', r.subject)
        .executeTakeFirstOrThrow();
      assert.ok(!row.code_hash.includes(code));
      assert.equal(row.email_normalized, `guest${n}@partner.example`);
    });

    it('keys the MAC with the deployment key, not with anything the database holds', async () => {
      // A 6-digit code MAC'd under a key in the `deployment` table is read back from a copy of the database by trying
      // all million codes; so no value the store holds may be the key. Every deployment row is tried, as that attacker would.
      const r = ref();
      const { code } = await issue(r);
      const row = await t.store.db
        .selectFrom('email_codes')
        .selectAll()
        .where('subject', '=', r.subject)
        .executeTakeFirstOrThrow();
      assert.equal(
        row.code_hash,
        keysOf(t.store.db).macs('email-code', `${row.id}:${code}`)[0],
        'under the deployment key',
      );
      const held = await t.store.db.selectFrom('deployment').select('value').execute();
      for (const { value } of held)
        assert.notEqual(createHmac('sha256', value).update(`${row.id}:${code}`).digest('base64url'), row.code_hash);
    });

    it('still accepts a code issued before a key rotation, and none under a key it does not hold', async () => {
      const held = keysOf(t.store.db);
      const [a, b] = [newSecret(32), newSecret(32)];
      try {
        useKeys(t.store.db, keyRing([a], 'test'));
        const r = ref();
        const { code } = await issue(r);
        // What PORTICO_SECRET_KEY=b,a gives a process restarted for a rotation.
        useKeys(t.store.db, keyRing([b, a], 'test'));
        assert.equal((await verifyCode(t.store.db, clock, r, code)).result, 'ok');
        const r2 = ref();
        const { code: code2 } = await issue(r2);
        useKeys(t.store.db, keyRing([a], 'test'));
        assert.equal(
          (await verifyCode(t.store.db, clock, r2, code2)).result,
          'wrong',
          'issued under b, which this ring lacks',
        );
      } finally {
        useKeys(t.store.db, held);
      }
    });

    it('accepts the right code once, and only for its own subject', async () => {
      const r = ref();
      const { code } = await issue(r, 'Ana@Partner.example');
      assert.equal((await verifyCode(t.store.db, clock, { ...r, subject: 'another-flow' }, code)).result, 'none');
      assert.deepEqual(await verifyCode(t.store.db, clock, r, code), { result: 'ok', email: 'ana@partner.example' });
      assert.equal((await verifyCode(t.store.db, clock, r, code)).result, 'none', 'single use');
    });

    it('lets exactly one of many parallel submissions of the right code through', async () => {
      const r = ref();
      const { code } = await issue(r);
      const results = await Promise.all(Array.from({ length: 10 }, () => verifyCode(t.store.db, clock, r, code)));
      assert.equal(results.filter((x) => x.result === 'ok').length, 1);
    });

    it('expires after the validity period', async () => {
      const r = ref();
      const { code } = await issue(r);
      clock.advance(CODE_DEFAULTS.validityMinutes * MIN);
      assert.equal((await verifyCode(t.store.db, clock, r, code)).result, 'expired');
    });

    it('locks after five wrong tries, even for the right code', async () => {
      const r = ref();
      const { code } = await issue(r);
      const wrong = code === '000000' ? '111111' : '000000';
      const results = [];
      for (let i = 0; i < 5; i++) results.push((await verifyCode(t.store.db, clock, r, wrong)).result);
      assert.deepEqual(results, ['wrong', 'wrong', 'wrong', 'wrong', 'locked']);
      assert.equal((await verifyCode(t.store.db, clock, r, code)).result, 'locked');
      assert.equal((await verifyCode(t.store.db, clock, r, 'abc')).result, 'locked');
    });

    it('refuses a resend within the cool-down; a resend replaces the old code', async () => {
      const r = ref();
      const first = await issue(r);
      await assert.rejects(issue(r), (e: { code?: string }) => e.code === 'TooManyRequests');
      clock.advance(CODE_DEFAULTS.resendCooldownSeconds * 1000);
      const second = await issue(r);
      if (first.code !== second.code)
        assert.equal(
          (await verifyCode(t.store.db, clock, r, first.code)).result,
          'wrong',
          'the old code no longer works',
        );
      assert.equal((await verifyCode(t.store.db, clock, r, second.code)).result, 'ok');
    });

    it('limits codes per address and per IP per hour', async () => {
      clock.advance(2 * 3_600_000);
      for (let i = 0; i < CODE_DEFAULTS.perAddressPerHour; i++) await issue(ref(), 'busy@partner.example');
      await assert.rejects(issue(ref(), 'BUSY@partner.example'), /this address/);
      for (let i = 0; i < CODE_DEFAULTS.perIpPerHour; i++) await issue(ref(), `ip${i}@partner.example`, '203.0.113.9');
      await assert.rejects(issue(ref(), 'fresh@partner.example', '203.0.113.9'), /your network/);
      clock.advance(3_600_000 + 1);
      await issue(ref(), 'busy@partner.example', '203.0.113.9');
    });
  });
}
