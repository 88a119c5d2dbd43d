// The retry policy on its own: exponential back-off with jitter, capped at an hour; 5xx is permanent, the rest not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isPermanentFailure, retryDelayMs } from '../../src/mail/worker.ts';

const HOUR = 3_600_000;
const BASE = 30_000;
/** The un-jittered delay the policy promises: base doubling from the first attempt, at most an hour. */
const expected = (attempt: number, base = BASE) => Math.min(base * 2 ** Math.max(0, attempt - 1), HOUR);

describe('retryDelayMs', () => {
  it('starts at the base delay and doubles with each attempt', () => {
    const top = () => 1;
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((a) => retryDelayMs(a, BASE, top)),
      [30_000, 60_000, 120_000, 240_000, 480_000],
    );
    assert.deepEqual(
      [1, 2, 3].map((a) => retryDelayMs(a, 1_000, top)),
      [1_000, 2_000, 4_000],
    );
  });

  it('grows monotonically for a fixed jitter', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const delays = Array.from({ length: 20 }, (_, i) => retryDelayMs(i + 1, BASE, () => r));
      for (let i = 1; i < delays.length; i++)
        assert.ok(delays[i]! >= delays[i - 1]!, `attempt ${i + 1} with jitter ${r}: ${delays.join(', ')}`);
      assert.ok(delays[7]! > delays[0]!);
    }
  });

  it('is capped at one hour, however many attempts', () => {
    for (const attempt of [8, 9, 12, 20, 50, 1_000, 1e6]) {
      const d = retryDelayMs(attempt, BASE, () => 1);
      assert.equal(d, HOUR, `attempt ${attempt}`);
      assert.ok(Number.isFinite(d));
    }
    assert.equal(
      retryDelayMs(1, 10 * HOUR, () => 1),
      HOUR,
      'a base above the cap is capped too',
    );
  });

  it('jitters within [exp/2, exp]', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const exp = expected(attempt);
      assert.equal(
        retryDelayMs(attempt, BASE, () => 0),
        exp / 2,
      );
      assert.equal(
        retryDelayMs(attempt, BASE, () => 0.5),
        Math.round(exp * 0.75),
      );
      for (let i = 0; i < 200; i++) {
        const d = retryDelayMs(attempt, BASE);
        assert.ok(Number.isInteger(d), `integer milliseconds: ${d}`);
        assert.ok(d >= exp / 2 && d <= exp, `attempt ${attempt}: ${d} outside [${exp / 2}, ${exp}]`);
      }
    }
  });

  it('actually varies between calls (jitter spreads retries of many nodes)', () => {
    const seen = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, BASE)));
    assert.ok(seen.size > 1);
  });

  it('treats attempt 0 or below as the first attempt', () => {
    for (const attempt of [0, -1, -10])
      assert.equal(
        retryDelayMs(attempt, BASE, () => 1),
        BASE,
      );
  });
});

describe('isPermanentFailure', () => {
  const smtp = (responseCode: number) =>
    Object.assign(new Error(`${responseCode} reply`), { responseCode, code: 'EENVELOPE' });

  it('is true for 5xx replies', () => {
    for (const code of [500, 550, 552, 553, 554]) assert.equal(isPermanentFailure(smtp(code)), true, String(code));
  });

  it('is false for 4xx replies', () => {
    for (const code of [421, 450, 451, 452]) assert.equal(isPermanentFailure(smtp(code)), false, String(code));
  });

  it('is false for connection errors and errors without a reply code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNECTION', errno: -111 });
    const timeout = Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' });
    for (const error of [refused, timeout, new Error('boom'), { responseCode: '550' }, { responseCode: Number.NaN }]) {
      assert.equal(isPermanentFailure(error), false, String((error as Error).message ?? JSON.stringify(error)));
    }
  });

  it('does not throw for values that are not error objects', () => {
    for (const value of [undefined, null, 'failed', 550, {}])
      assert.equal(isPermanentFailure(value), false, String(value));
  });
});
