// Delivers the outbox. Claims due messages in one statement (FOR UPDATE SKIP LOCKED on PostgreSQL, so several
// nodes never send one message twice), sends each, then records the outcome. Temporary failures (4xx replies, a
// connection lost mid-message) are retried with exponential back-off and jitter; permanent ones (5xx) and exhausted
// retries end in the dead-letter state with the last error. A claim expires, so a message claimed by a node that
// died is picked up again.
//
// SMTP down is the server's fault, not the message's (issue #16): a connection that is refused, times out or never
// greets puts the message back in the queue without counting the attempt, and opens a circuit breaker: the worker
// claims nothing for a pause (1 s, doubling to at most 15 s), then probes with a single message, and resumes full
// batches once a server answers. However long the outage, queued mail keeps its place and goes out within seconds
// of the server's return; none is dead-lettered for it.
//
// Nothing waits forever: the transport bounds connect, greeting and each command (mail/transport.ts); a batch that
// still has not settled after `batchTimeoutMs` is left to its claim's expiry and the worker goes on; stop() waits a
// few seconds for sends in flight and no longer.
//
// Crash semantics (at least once, deduplicable): an outcome is recorded after the server's reply. If the process
// dies, or gives up waiting, between the server accepting a message and that record, the message stays 'sending'
// until its claim expires (`claimMs`, PORTICO_OUTBOX_CLAIM_MS, 2 min) and is then sent again. Every attempt of a
// message carries the same Message-ID header, <outbox id@From domain>, so a receiving system that drops duplicates
// by Message-ID drops it, and the outbox counts the takeover (`unknown_outcomes`): the API and the admin outbox
// show the message as "resent after an unknown outcome". Never resending would lose mail whenever the process dies
// before the server's reply; a person may get the same email twice, never no email.
import type { Updateable } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';

import type { Clock } from '../clock.ts';
import { JOB, periodic, type Job } from '../jobs/runner.ts';
import type { Store } from '../store/index.ts';
import type { Database } from '../store/schema.ts';
import { delivered, openMessage, owedTo } from './outbox.ts';

export interface WorkerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  transport: Transporter;
  /** envelope and From address */
  from: string;
  pollMs: number;
  /** attempts before a temporary failure becomes a dead letter (default 8) */
  maxAttempts?: number;
  /** first retry delay; doubles each attempt (default 30 s), capped at 1 h */
  baseDelayMs?: number;
  batchSize?: number;
  /** how long a claim holds before another worker may take the message (default 2 min) */
  claimMs?: number;
  /** how long a batch may take before the worker stops waiting for it (default 90 s: the transport's deadlines end a send sooner) */
  batchTimeoutMs?: number;
  /** how long stop() waits for sends in flight (default 3 s) */
  stopGraceMs?: number;
}

/** The outbox's delivery as a job (jobs/runner.ts): its schedule is the runner's `periodic`. */
export interface OutboxWorker extends Job {
  /** Sends everything due now, beside a scheduled pass if one is running; returns how many messages it handled. */
  runOnce(): Promise<number>;
}

export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number } | null | undefined)?.responseCode;
  return typeof code === 'number' && code >= 500;
}

/** Recipients the server refused while accepting the message for others (nodemailer's `rejectedErrors`). */
export function refusedRecipients(info: unknown): { address: string; permanent: boolean; message: string }[] {
  const errors =
    (info as { rejectedErrors?: { recipient?: string; responseCode?: number; message?: string }[] } | null)
      ?.rejectedErrors ?? [];
  return errors
    .map((e) => ({
      address: e.recipient ?? '',
      permanent: isPermanentFailure(e),
      message: String(e.message ?? '').slice(0, 200),
    }))
    .filter((r) => r.address);
}

/**
 * A failure to reach the server at all: refused, unreachable, no greeting, TLS not established. No message can cause
 * it, so it counts against the server (the circuit breaker), never against the message's attempts.
 */
function isConnectionFailure(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string; syscall?: string; message?: string } | null | undefined;
  if (!e || typeof e.responseCode === 'number') return false;
  return (
    e.syscall === 'connect' ||
    e.syscall === 'getaddrinfo' ||
    e.code === 'EDNS' ||
    e.code === 'ETLS' ||
    e.message === 'Greeting never received' ||
    e.message === 'Connection timeout'
  );
}

/** The pauses of the circuit breaker: 1 s after the first failure to connect, doubling to at most 15 s. */
export const BREAKER = { firstMs: 1_000, maxMs: 15_000 } as const;

/** The Message-ID of every attempt of one outbox message, so the receiver can drop a resend. */
export function messageIdOf(outboxId: string, from: string): string {
  return `<${outboxId}@${from.slice(from.lastIndexOf('@') + 1)}>`;
}

export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(exp / 2 + random() * (exp / 2));
}

export function createOutboxWorker(opts: WorkerOptions): OutboxWorker {
  const { store, clock, log, transport } = opts;
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseDelayMs = opts.baseDelayMs ?? 30_000;
  const batchSize = opts.batchSize ?? 20;
  const claimMs = opts.claimMs ?? 120_000;
  const batchTimeoutMs = opts.batchTimeoutMs ?? 90_000;
  const stopGraceMs = opts.stopGraceMs ?? 3_000;
  // Set by stop(); runOnce() then claims nothing more, and `givenUp` ends its wait for a batch after the grace.
  let closing = false;
  let giveUp!: () => void;
  const givenUp = new Promise<void>((resolve) => {
    giveUp = resolve;
  });
  // The circuit breaker: no claims before `pausedUntil` (clock ms); while `pauseMs` > 0, probe with one message.
  let pauseMs = 0;
  let pausedUntil = 0;

  async function claim(limit: number) {
    const now = clock.now();
    const due = store.db
      .selectFrom('outbox')
      .select(['tenant_id', 'id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now.toISOString())]),
          eb.and([eb('state', '=', 'sending'), eb('claimed_until', '<', now.toISOString())]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit)
      .$if(store.kind === 'postgres', (q) => q.forUpdate().skipLocked());
    return store.db
      .updateTable('outbox')
      .set((eb) => ({
        state: 'sending',
        attempts: eb('attempts', '+', 1),
        claimed_until: new Date(now.getTime() + claimMs).toISOString(),
        // Still 'sending' means the claim expired before any outcome was recorded: it may have been delivered.
        unknown_outcomes: eb
          .case()
          .when('state', '=', 'sending')
          .then(eb('unknown_outcomes', '+', 1))
          .else(eb.ref('unknown_outcomes'))
          .end(),
      }))
      .where((eb) => eb(eb.refTuple('tenant_id', 'id'), 'in', due as never))
      .returningAll()
      .execute();
  }

  /** Sends one claimed message and records the outcome; never throws. 'unreachable' when no server could be reached. */
  async function deliver(row: Awaited<ReturnType<typeof claim>>[number]): Promise<'done' | 'unreachable'> {
    try {
      return await attempt(row);
    } catch (error) {
      // Only recording can fail here (the store is down or closing): the claim expires and the message goes again.
      log.error({ tenant: row.tenant_id, id: row.id, err: error }, 'could not record a mail outcome');
      return 'done';
    }
  }

  async function attempt(row: Awaited<ReturnType<typeof claim>>[number]): Promise<'done' | 'unreachable'> {
    const where = { tenant: row.tenant_id, id: row.id };
    // The outcome is recorded only while this claim still holds (attempts counts claims): if it expired and another
    // node took the message over, that node's outcome stands.
    const record = (outcome: Updateable<Database['outbox']>) =>
      store.write((db) =>
        db
          .updateTable('outbox')
          .set(outcome)
          .where('tenant_id', '=', row.tenant_id)
          .where('id', '=', row.id)
          .where('state', '=', 'sending')
          .where('attempts', '=', row.attempts)
          .execute(),
      );
    try {
      const mail = openMessage(store.db, row);
      // Headers name everyone; the envelope goes only to whoever has not received the message yet.
      const envelopeTo = mail.remaining ?? [...mail.to, ...(mail.cc ?? [])];
      const info = await transport.sendMail({
        from: mail.fromName ? { name: mail.fromName, address: opts.from } : opts.from,
        to: mail.to,
        cc: mail.cc,
        replyTo: mail.replyTo,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: messageIdOf(row.id, opts.from),
        headers: { 'X-Portico-Message-Id': row.id },
        envelope: { from: opts.from, to: envelopeTo },
      });
      const refused = refusedRecipients(info);
      const retry = refused.filter((r) => !r.permanent).map((r) => r.address);
      const lastError = refused.length
        ? refused
            .map((r) => `${r.address}: ${r.message}`)
            .join('; ')
            .slice(0, 500)
        : null;
      if (retry.length === 0) {
        await record({ ...delivered(clock), last_error: lastError });
      } else {
        // Some recipients were refused for now: the message stays queued for them alone.
        const dead = row.attempts >= maxAttempts;
        const next = new Date(clock.now().getTime() + retryDelayMs(row.attempts, baseDelayMs)).toISOString();
        await record({
          state: dead ? 'dead' : 'pending',
          ...owedTo(mail, retry),
          next_attempt_at: next,
          claimed_until: null,
          last_error: lastError,
        });
        log.warn(
          { ...where, attempts: row.attempts, refused: retry.length, dead },
          'some recipients refused; will retry them',
        );
      }
    } catch (error) {
      const message = String((error as Error | null | undefined)?.message ?? error).slice(0, 500);
      if (isConnectionFailure(error)) {
        // Back in the queue in its place, the attempt not counted: the breaker paces the retries.
        await record({ state: 'pending', attempts: row.attempts - 1, claimed_until: null, last_error: message });
        log.warn({ ...where, error: message }, 'SMTP server unreachable; mail stays queued');
        return 'unreachable';
      }
      const dead = isPermanentFailure(error) || row.attempts >= maxAttempts;
      const next = new Date(clock.now().getTime() + retryDelayMs(row.attempts, baseDelayMs)).toISOString();
      await record({
        state: dead ? 'dead' : 'pending',
        next_attempt_at: next,
        claimed_until: null,
        last_error: message,
      });
      log.warn(
        { ...where, attempts: row.attempts, dead, error: message },
        dead ? 'mail dead-lettered' : 'mail delivery failed; will retry',
      );
    }
    return 'done';
  }

  function openBreaker(reason: string) {
    pauseMs = pauseMs ? Math.min(pauseMs * 2, BREAKER.maxMs) : BREAKER.firstMs;
    pausedUntil = clock.now().getTime() + pauseMs;
    log.warn({ pauseMs, reason }, 'mail delivery paused');
  }

  /** The batch's outcomes, or null when it did not settle in time or stop() gave up waiting. */
  async function settle(sends: Promise<'done' | 'unreachable'>[]): Promise<('done' | 'unreachable')[] | null> {
    let timeout: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timeout = setTimeout(() => resolve(null), batchTimeoutMs);
    });
    try {
      return await Promise.race([Promise.all(sends), late, givenUp.then(() => null)]);
    } finally {
      clearTimeout(timeout);
    }
  }

  async function runOnce(): Promise<number> {
    let handled = 0;
    while (!closing && clock.now().getTime() >= pausedUntil) {
      const batch = await claim(pauseMs ? 1 : batchSize);
      if (batch.length === 0) return handled;
      // A batch goes out side by side: the transport's pool bounds the connections; each outcome is its own update.
      const outcomes = await settle(batch.map(deliver));
      handled += batch.length;
      if (outcomes === null) {
        // Sends that have not settled keep their claims; whichever worker retakes them once those expire resends.
        if (!closing) openBreaker(`a batch did not settle within ${batchTimeoutMs} ms`);
        return handled;
      }
      if (outcomes.includes('unreachable')) {
        openBreaker('SMTP server unreachable');
        return handled;
      }
      if (pauseMs) log.info('SMTP server reachable again; mail delivery resumed');
      pauseMs = 0;
    }
    return handled;
  }

  const loop = periodic(JOB.outbox, opts.pollMs, runOnce, {
    log,
    onStop() {
      closing = true;
      const grace = setTimeout(giveUp, stopGraceMs);
      return () => clearTimeout(grace);
    },
  });
  return { ...loop, runOnce };
}
