// Portico's background jobs, in one runner (jobs/runner.ts): what each is, how often it runs. app.ts starts and
// stops the runner; tests drive a job with runOnce (or the `worker` and `bulk` the Portico object still exposes,
// which are the same objects the runner holds).
import type { BulkRunner } from '../invitations/bulk-jobs.ts';
import { runInvitationLifecycle } from '../invitations/lifecycle.ts';
import type { OutboxWorker } from '../mail/worker.ts';
import type { Services } from '../services.ts';
import { sweepExpired } from '../store/sweep.ts';
import { createJobRunner, JOB, periodic, type JobRunner } from './runner.ts';

export { JOB } from './runner.ts';

/** How often the lifecycle and the maintenance sweep run (the outbox and bulk jobs poll on their own settings). */
export const SWEEP_EVERY_MS = 15 * 60_000;

export function porticoJobs(services: Services, parts: { worker: OutboxWorker; bulk: BulkRunner }): JobRunner {
  const { store, clock, config, log } = services;
  return createJobRunner([
    // Each schedules itself through the runner's `periodic`; its pass (breaker, leases, stop grace) is its own.
    parts.worker,
    parts.bulk,
    // Reminders, expiry and the daily summaries: every node runs it, each mail still goes out once (invitations/lifecycle.ts).
    periodic(JOB.lifecycle, SWEEP_EVERY_MS, () => runInvitationLifecycle(services), { log }),
    // Each owner's expired rows (store/sweep.ts).
    periodic(JOB.maintenance, SWEEP_EVERY_MS, () => sweepExpired(store, clock, config.outboxRetentionDays), { log }),
  ]);
}
