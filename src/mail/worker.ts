// Delivers the outbox. Claims due messages in one statement (FOR UPDATE SKIP LOCKED on PostgreSQL, so several
// nodes never send one message twice), sends each, then records the outcome. Temporary failures (4xx replies,
// timeouts, refused connections) are retried with exponential back-off and jitter; permanent ones (5xx) and
// exhausted retries end in the dead-letter state with the last error. A claim expires, so a message claimed by a
// node that died is picked up again.
import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../clock.ts';
import type { Updateable } from 'kysely';
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
}

export interface OutboxWorker {
  start(): void;
  stop(): Promise<void>;
  /** Sends everything due now; returns how many messages it handled. For tests and the CLI. */
  runOnce(): Promise<number>;
}

export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number } | null | undefined)?.responseCode;
  return typeof code === 'number' && code >= 500;
}

/** Recipients the server refused while accepting the message for others (nodemailer's `rejectedErrors`). */
export function refusedRecipients(info: unknown): { address: string; permanent: boolean; message: string }[] {
  const errors = (info as { rejectedErrors?: { recipient?: string; responseCode?: number; message?: string }[] } | null)?.rejectedErrors ?? [];
  return errors.map((e) => ({ address: e.recipient ?? '', permanent: isPermanentFailure(e), message: String(e.message ?? '').slice(0, 200) }))
    .filter((r) => r.address);
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
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;

  async function claim() {
    const now = clock.now();
    const due = store.db.selectFrom('outbox').select(['tenant_id', 'id'])
      .where((eb) => eb.or([
        eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now.toISOString())]),
        eb.and([eb('state', '=', 'sending'), eb('claimed_until', '<', now.toISOString())]),
      ]))
      .orderBy('next_attempt_at').limit(batchSize)
      .$if(store.kind === 'postgres', (q) => q.forUpdate().skipLocked());
    return store.db.updateTable('outbox')
      .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), claimed_until: new Date(now.getTime() + claimMs).toISOString() }))
      .where((eb) => eb(eb.refTuple('tenant_id', 'id'), 'in', due as never))
      .returningAll().execute();
  }

  async function deliver(row: Awaited<ReturnType<typeof claim>>[number]) {
    const where = { tenant: row.tenant_id, id: row.id };
    // The outcome is recorded only while this claim still holds (attempts counts claims): if it expired and another
    // node took the message over, that node's outcome stands.
    const record = (outcome: Updateable<Database['outbox']>) => store.write((db) => db.updateTable('outbox').set(outcome)
      .where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).where('state', '=', 'sending').where('attempts', '=', row.attempts).execute());
    try {
      const mail = openMessage(store.db, row);
      // Headers name everyone; the envelope goes only to whoever has not received the message yet.
      const envelopeTo = mail.remaining ?? [...mail.to, ...(mail.cc ?? [])];
      const info = await transport.sendMail({
        from: mail.fromName ? { name: mail.fromName, address: opts.from } : opts.from,
        to: mail.to, cc: mail.cc, replyTo: mail.replyTo, subject: mail.subject, text: mail.text, html: mail.html,
        headers: { 'X-Portico-Message-Id': row.id },
        envelope: { from: opts.from, to: envelopeTo },
      });
      const refused = refusedRecipients(info);
      const retry = refused.filter((r) => !r.permanent).map((r) => r.address);
      const lastError = refused.length ? refused.map((r) => `${r.address}: ${r.message}`).join('; ').slice(0, 500) : null;
      if (retry.length === 0) {
        await record({ ...delivered(clock), last_error: lastError });
      } else {
        // Some recipients were refused for now: the message stays queued for them alone.
        const dead = row.attempts >= maxAttempts;
        const next = new Date(clock.now().getTime() + retryDelayMs(row.attempts, baseDelayMs)).toISOString();
        await record({ state: dead ? 'dead' : 'pending', ...owedTo(mail, retry), next_attempt_at: next, claimed_until: null, last_error: lastError });
        log.warn({ ...where, attempts: row.attempts, refused: retry.length, dead }, 'some recipients refused; will retry them');
      }
    } catch (error) {
      const message = String((error as Error | null | undefined)?.message ?? error).slice(0, 500);
      const dead = isPermanentFailure(error) || row.attempts >= maxAttempts;
      const next = new Date(clock.now().getTime() + retryDelayMs(row.attempts, baseDelayMs)).toISOString();
      await record({ state: dead ? 'dead' : 'pending', next_attempt_at: next, claimed_until: null, last_error: message });
      log.warn({ ...where, attempts: row.attempts, dead, error: message }, dead ? 'mail dead-lettered' : 'mail delivery failed; will retry');
    }
  }

  async function runOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = await claim();
      if (batch.length === 0) return handled;
      // A batch goes out side by side: the transport's pool bounds the connections; each outcome is its own update.
      await Promise.all(batch.map(deliver));
      handled += batch.length;
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().catch((error) => log.error({ err: error }, 'outbox worker failed')).finally(schedule);
    }, opts.pollMs);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    runOnce,
  };
}

