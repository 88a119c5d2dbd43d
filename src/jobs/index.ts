// Portico's background jobs, in one runner (jobs/runner.ts): what each is, how often it runs. app.ts starts and
// stops the runner; tests drive a job with runOnce (or the `worker` and `bulk` the Portico object still exposes,
// which are the same objects the runner holds).
import type { BulkRunner } from '../invitations/bulk-jobs.ts';
import { runInvitationLifecycle } from '../invitations/lifecycle.ts';
import type { OutboxWorker } from '../mail/worker.ts';
import type { Services } from '../services.ts';
import { sweepExpired } from '../store/sweep.ts';
import { createJobRunner, periodic, type Job, type JobRunner } from './runner.ts';

export const JOB = { outbox: 'outbox', bulk: 'bulk', lifecycle: 'lifecycle', maintenance: 'maintenance' } as const;

/** How often the lifecycle and the maintenance sweep run (the outbox and bulk jobs poll on their own settings). */
export const SWEEP_EVERY_MS = 15 * 60_000;

/** The outbox worker as a job: its loop, breaker and stop grace are its own (mail/worker.ts); a kick runs a pass now. */
function outboxJob(worker: OutboxWorker, services: Services): Job {
  let started = false;
  return {
    name: JOB.outbox,
    start() {
      started = true;
      worker.start();
    },
    async stop() {
      started = false;
      await worker.stop();
    },
    kick() {
      if (started)
        void worker.runOnce().catch((error: unknown) => services.log.error({ err: error }, 'outbox worker failed'));
    },
    runOnce: () => worker.runOnce(),
  };
}

/** The bulk runner as a job: it already has the four verbs (its leases and hand-back on stop are its own). */
const bulkJob = (bulk: BulkRunner): Job => ({
  name: JOB.bulk,
  start: () => bulk.start(),
  stop: () => bulk.stop(),
  kick: () => bulk.kick(),
  runOnce: () => bulk.runOnce(),
});

export function porticoJobs(services: Services, parts: { worker: OutboxWorker; bulk: BulkRunner }): JobRunner {
  const { store, clock, config, log } = services;
  return createJobRunner([
    outboxJob(parts.worker, services),
    bulkJob(parts.bulk),
    // Reminders, expiry and the daily summaries: every node runs it, each mail still goes out once (invitations/lifecycle.ts).
    periodic(JOB.lifecycle, SWEEP_EVERY_MS, () => runInvitationLifecycle(services), { log }),
    // Each owner's expired rows (store/sweep.ts).
    periodic(JOB.maintenance, SWEEP_EVERY_MS, () => sweepExpired(store, clock, config.outboxRetentionDays), { log }),
  ]);
}
