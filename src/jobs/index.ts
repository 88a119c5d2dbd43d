// Portico's background jobs, in one runner (jobs/runner.ts): what each is, how often it runs. app.ts starts and
// stops the runner; tests drive a job with runOnce (or the `worker` and `bulk` the Portico object still exposes,
// which are the same objects the runner holds).
import type { Logger } from 'pino';

import type { BulkRunner } from '../invitations/bulk-jobs.ts';
import { runInvitationLifecycle } from '../invitations/lifecycle.ts';
import type { OutboxWorker } from '../mail/worker.ts';
import type { Services } from '../services.ts';
import { EPOCH_POLL_MS, pollEpochs } from '../store/epochs.ts';
import { sweepExpired } from '../store/sweep.ts';
import { createJobRunner, JOB, periodic, type JobRunner } from './runner.ts';

export { JOB } from './runner.ts';

/** How often the lifecycle and the maintenance sweep run (the outbox and bulk jobs poll on their own settings). */
export const SWEEP_EVERY_MS = 15 * 60_000;

/** A pass whose failures are logged when they start and when they end, not at every pass. */
function onceLogged(log: Logger, message: string, pass: () => Promise<unknown>): () => Promise<void> {
  let failing = false;
  return async () => {
    try {
      await pass();
      if (failing) log.info('%s: read again', message);
      failing = false;
    } catch (error) {
      if (!failing) log.warn({ err: error }, message);
      failing = true;
    }
  };
}

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
    // The epochs of the tenants this node caches (store/epochs.ts): a change on another node reaches this one within a
    // second. A store that does not answer is logged once, not four times a second; the caches then load every time.
    periodic(
      JOB.epochs,
      EPOCH_POLL_MS,
      onceLogged(log, 'cannot read the cache epochs', () => pollEpochs(store.db)),
      {
        log,
        atStart: true,
      },
    ),
  ]);
}
