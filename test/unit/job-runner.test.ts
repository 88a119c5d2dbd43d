// The job runner (jobs/runner.ts): a periodic job runs on its schedule once started, never two passes at once, a kick
// runs it now, runOnce works without starting, stop waits for the pass in flight and ends the schedule; the runner
// starts all but the jobs a caller drives itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';

import { createJobRunner, periodic } from '../../src/jobs/runner.ts';

const log = pino({ level: 'silent' });
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for `ok` (up to 5 s: a loaded machine may give the process no time for a while), then asserts it. */
async function eventually(ok: () => boolean, message: () => string): Promise<void> {
  for (let waited = 0; !ok() && waited < 5_000; waited += 5) await tick(5);
  assert.ok(ok(), message());
}

/** A pass that counts itself and how many run at once, and takes `ms`. */
function counter(ms = 5) {
  const c = {
    passes: 0,
    running: 0,
    most: 0,
    pass: async () => {
      c.running++;
      c.most = Math.max(c.most, c.running);
      await tick(ms);
      c.running--;
      return ++c.passes;
    },
  };
  return c;
}

describe('job runner', () => {
  it('runOnce runs a pass without starting, and passes never overlap', async () => {
    const c = counter();
    const job = periodic('j', 60_000, c.pass, { log });
    assert.deepEqual(await Promise.all([job.runOnce(), job.runOnce(), job.runOnce()]), [1, 2, 3]);
    assert.equal(c.most, 1);
    job.kick();
    await tick(20);
    assert.equal(c.passes, 3, 'a kick does nothing before start');
  });

  it('runs on its schedule once started, a kick runs it at once, stop waits for the pass in flight and ends it', async () => {
    const scheduled = counter();
    const kicked = counter(30);
    const failing = periodic(
      'failing',
      10,
      async () => {
        throw new Error('boom');
      },
      { log },
    );
    const runner = createJobRunner([
      periodic('scheduled', 10, scheduled.pass, { log }),
      periodic('kicked', 60_000, kicked.pass, { log }),
      failing,
    ]);
    runner.start({ except: ['failing'] });
    await eventually(
      () => scheduled.passes >= 2,
      () => `ran ${scheduled.passes} times`,
    );
    runner.kick('kicked');
    // The kicked job's schedule is a minute: a pass now is the kick's.
    await eventually(
      () => kicked.running + kicked.passes === 1,
      () => 'the kick started no pass',
    );
    await runner.stop();
    assert.equal(kicked.passes, 1, 'stop waited for the pass in flight');
    const after = scheduled.passes;
    await tick(40);
    assert.equal(scheduled.passes, after, 'nothing runs after stop');
    await assert.rejects(runner.runOnce('failing'), /boom/);
    assert.throws(() => runner.kick('nope'), /no job named nope/);
  });
});
