// The personal accounts domain functions on both stores, without HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ManualClock } from '../../src/clock.ts';
import { InvalidRequest, ObjectConflict, ResourceNotFound } from '../../src/errors.ts';
import {
  assertPasswordPolicy,
  checkPersonalPassword,
  createPersonalAccount,
  findPersonalAccount,
  getPersonalAccount,
  markVerified,
  passwordProblem,
  setPersonalPassword,
} from '../../src/personal/accounts.ts';
import { hashPassword } from '../../src/secrets.ts';
import { createTestStore, storeKinds, type TestStore } from '../helpers/stores.ts';

const COST = { memoryCost: 1024, timeCost: 1 };

describe('personal password policy', () => {
  it('needs 10 characters and not the address', () => {
    assert.equal(passwordProblem('123456789', 'a@b.example'), 'tooShort');
    assert.equal(passwordProblem('1234567890', 'a@b.example'), undefined);
    assert.equal(passwordProblem('Long.Name@Example.com', 'long.name@example.com'), 'sameAsEmail');
    assert.equal(passwordProblem('x'.repeat(257), 'a@b.example'), 'tooLong');
    assert.throws(
      () => assertPasswordPolicy('short', 'a@b.example'),
      (e: unknown) => e instanceof InvalidRequest && /at least 10 characters/.test(e.message),
    );
    assert.throws(
      () => assertPasswordPolicy('a@b.example', 'a@b.example'),
      /must not be the same as the email address/,
    );
  });
});

for (const { kind, skip } of storeKinds()) {
  describe(`personal accounts domain (${kind})`, { skip }, () => {
    let t: TestStore;
    const clock = new ManualClock(new Date('2026-05-01T08:00:00Z'));
    before(async () => {
      t = await createTestStore(kind);
    });
    after(async () => {
      await t?.dispose();
    });
    const create = async (email: string, verified = false, password = 'a fine password') => {
      const passwordHash = await hashPassword(password, COST);
      return t.store.transaction((tx) =>
        createPersonalAccount(tx, clock, { email, displayName: ' Kim ', passwordHash, verified }),
      );
    };

    it('creates an account, finds it case-insensitively, and refuses the same address twice', async () => {
      const a = await create('Kim.Lee@Example.COM');
      assert.equal(a.email, 'Kim.Lee@Example.COM');
      assert.equal(a.displayName, 'Kim');
      assert.equal(a.emailVerified, false);
      assert.equal(a.createdAt, '2026-05-01T08:00:00.000Z');
      assert.deepEqual(await findPersonalAccount(t.store.db, ' kim.lee@example.com '), a);
      assert.deepEqual(await getPersonalAccount(t.store.db, a.id), a);
      await assert.rejects(
        create('KIM.LEE@example.com'),
        (e: unknown) => e instanceof ObjectConflict && /already exists/.test(e.message),
      );
      const verified = await create('verified@example.com', true);
      assert.equal(verified.emailVerified, true);
    });

    it('refuses bad input with clear errors', async () => {
      await assert.rejects(
        create('not-an-address'),
        (e: unknown) => e instanceof InvalidRequest && /not a valid email address/.test(e.message),
      );
      const passwordHash = await hashPassword('a fine password', COST);
      await assert.rejects(
        t.store.transaction((tx) =>
          createPersonalAccount(tx, clock, { email: 'x@example.com', displayName: ' ', passwordHash, verified: false }),
        ),
        /display name/,
      );
      await assert.rejects(
        t.store.transaction((tx) =>
          createPersonalAccount(tx, clock, {
            email: 'x@example.com',
            displayName: 'X',
            passwordHash: 'plain',
            verified: false,
          }),
        ),
        /argon2/,
      );
      assert.equal(await findPersonalAccount(t.store.db, 'x@example.com'), undefined);
    });

    it('checks passwords, also for unknown addresses, and changes them', async () => {
      const a = await create('pw@example.com', true, 'first password 1');
      assert.equal((await checkPersonalPassword(t.store.db, 'PW@example.com', 'first password 1', COST))?.id, a.id);
      assert.equal(await checkPersonalPassword(t.store.db, 'pw@example.com', 'wrong password 1', COST), undefined);
      assert.equal(await checkPersonalPassword(t.store.db, 'nobody@example.com', 'first password 1', COST), undefined);
      clock.advance(60_000);
      await t.store.transaction(async (tx) =>
        setPersonalPassword(tx, clock, a.id, await hashPassword('second password 2', COST)),
      );
      assert.equal(await checkPersonalPassword(t.store.db, 'pw@example.com', 'first password 1', COST), undefined);
      const changed = await checkPersonalPassword(t.store.db, 'pw@example.com', 'second password 2', COST);
      assert.equal(changed?.updatedAt, '2026-05-01T08:01:00.000Z');
      await assert.rejects(
        t.store.transaction(async (tx) =>
          setPersonalPassword(
            tx,
            clock,
            '00000000-0000-4000-8000-000000000000',
            await hashPassword('x password 12', COST),
          ),
        ),
        ResourceNotFound,
      );
    });

    it('marks an address verified once, keeping the first time', async () => {
      const a = await create('verify@example.com');
      clock.advance(60_000);
      const v = await t.store.transaction((tx) => markVerified(tx, clock, a.id));
      assert.equal(v.emailVerified, true);
      const first = v.emailVerifiedAt;
      clock.advance(60_000);
      assert.equal((await t.store.transaction((tx) => markVerified(tx, clock, a.id))).emailVerifiedAt, first);
      await assert.rejects(
        t.store.transaction((tx) => markVerified(tx, clock, '00000000-0000-4000-8000-000000000000')),
        ResourceNotFound,
      );
    });
  });
}
