// The one place background work is started, stopped, kicked and run once: the outbox's delivery, bulk invitation
// jobs, the invitation lifecycle (reminders, expiry, summaries) and the maintenance sweep. Each is a Job with the same
// four verbs, and each one's schedule is a `periodic` job: one timer per job, never two passes of a job at once in this
// process. Work that must end a pass early on stop (the outbox worker's stop grace, the bulk runner handing its job
// back) says so with `onStop`; its pass (the circuit breaker, the batch deadline, the leases) is its own. Every node
// runs every job: each one's work is claimed in the store (outbox claims, bulk leases, reminder rows), so nothing is
// done twice.
import type { Logger } from 'pino';

/** Portico's jobs by name (jobs/index.ts lists them; the outbox worker and the bulk runner name themselves). */
export const JOB = {
  outbox: 'outbox',
  bulk: 'bulk',
  lifecycle: 'lifecycle',
  maintenance: 'maintenance',
  epochs: 'epochs',
} as const;

export interface Job {
  readonly name: string;
  start(): void;
  /** Ends the job's own schedule and waits for a pass in flight (each job bounds how long). */
  stop(): Promise<void>;
  /** Something is due now (a bulk job was just queued): look now rather than at the next tick. */
  kick(): void;
  /** One pass over what is due now, whether started or not (tests, the CLI); resolves with what the pass reports. */
  runOnce(): Promise<unknown>;
}

export interface JobRunner {
  readonly jobs: readonly Job[];
  /** Starts every job, except those named in `except` (a test that drives one with runOnce). */
  start(options?: { except?: readonly string[] }): void;
  /** Stops every job, side by side; resolves when all have stopped. */
  stop(): Promise<void>;
  kick(name: string): void;
  runOnce(name: string): Promise<unknown>;
}

export function createJobRunner(jobs: readonly Job[]): JobRunner {
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const job = (name: string): Job => {
    const found = byName.get(name);
    if (!found) throw new Error(`no job named ${name}`);
    return found;
  };
  return {
    jobs,
    start({ except = [] } = {}) {
      for (const j of jobs) if (!except.includes(j.name)) j.start();
    },
    async stop() {
      await Promise.all(jobs.map((j) => j.stop()));
    },
    kick: (name) => job(name).kick(),
    runOnce: (name) => job(name).runOnce(),
  };
}

export interface PeriodicOptions {
  log: Logger;
  /** the first pass at start rather than after `everyMs` */
  atStart?: boolean;
  /** told at start, before the first pass */
  onStart?: () => void;
  /** told at stop, before the pass in flight is awaited (to end it early); what it returns is called once it has ended */
  onStop?: () => (() => void) | void;
}

/**
 * A job that runs `pass` every `everyMs` once started (the first pass after `everyMs`, unless `atStart`). Passes
 * never overlap: a kick or a runOnce during a pass waits for it. A failed pass is logged and the schedule goes on.
 */
export function periodic(name: string, everyMs: number, pass: () => Promise<unknown>, opts: PeriodicOptions): Job {
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let last: Promise<unknown> = Promise.resolve();
  // One pass after the previous one, whoever asked for it.
  const run = (): Promise<unknown> => {
    const next = last.then(() => pass());
    last = next.catch((error: unknown) => opts.log.warn({ err: error, job: name }, 'job failed'));
    return next;
  };
  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!started) return;
    timer = setTimeout(
      () =>
        void run()
          .catch(() => undefined)
          .finally(() => schedule(everyMs)),
      ms,
    );
    timer.unref();
  };
  return {
    name,
    start() {
      if (started) return;
      started = true;
      opts.onStart?.();
      schedule(opts.atStart ? 0 : everyMs);
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      const ended = opts.onStop?.();
      await last;
      ended?.();
    },
    kick() {
      if (started) schedule(0);
    },
    runOnce: run,
  };
}
