// Real parts for the mail tests: an smtp-server on loopback as the SMTP peer (which can answer 4xx/5xx on demand),
// and an outbox worker whose nodemailer transport points at it. Tests drive the worker with runOnce().
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

import type { Clock } from '../../src/clock.ts';
import type { OutgoingMail } from '../../src/mail/outbox.ts';
import { smtpTransport } from '../../src/mail/transport.ts';
import { createOutboxWorker, type OutboxWorker, type WorkerOptions } from '../../src/mail/worker.ts';
import type { Store } from '../../src/store/index.ts';

/**
 * How the peer answers one mail transaction: accept (null), or fail with `code` at RCPT TO or at the end of DATA.
 * With `after`, the answer to DATA waits for that promise (a peer that is slow to reply).
 */
export type Answer = { at: 'rcpt' | 'data'; code: number; after?: Promise<unknown> } | null;

export interface SmtpPeer {
  port: number;
  /** MAIL FROM commands seen, i.e. delivery attempts that reached the server */
  attempts(): number;
  /** raw messages the peer accepted (250 after DATA), in order */
  accepted(): Buffer[];
  /** envelope recipients of every accepted message, in order */
  acceptedRecipients(): string[][];
  parsed(): Promise<ParsedMail[]>;
  /** X-Portico-Message-Id of every accepted message, in order */
  acceptedIds(): Promise<string[]>;
  close(): Promise<void>;
}

const smtpError = (code: number) => Object.assign(new Error(`${code} test peer says no`), { responseCode: code });

/**
 * An SMTP server on 127.0.0.1 (`port` 0 = any free port). `answer(n, to)` decides the n-th transaction (1-based),
 * given its first recipient.
 */
export async function startSmtpPeer(
  opts: {
    port?: number;
    answer?: (attempt: number, firstRecipient: string) => Answer;
    /** a reply code refusing this one recipient (the others in the transaction may still be accepted) */
    refuse?: (recipient: string) => number | null;
  } = {},
): Promise<SmtpPeer> {
  let attempts = 0;
  const accepted: Buffer[] = [];
  const recipients: string[][] = [];
  const sessions = new Map<string, { attempt: number; answer?: Answer }>();
  const decision = (session: SMTPServerSession) => sessions.get(session.id)?.answer ?? null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onMailFrom(_address, session, callback) {
      attempts += 1;
      sessions.set(session.id, { attempt: attempts });
      callback();
    },
    onRcptTo(address, session, callback) {
      const refused = opts.refuse?.(address.address);
      if (refused) return callback(smtpError(refused));
      // The transaction's answer is decided once, at its first recipient.
      const s = sessions.get(session.id)!;
      s.answer ??= opts.answer?.(s.attempt, address.address) ?? null;
      callback(s.answer?.at === 'rcpt' ? smtpError(s.answer.code) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const d = decision(session);
        void Promise.resolve(d?.after).then(() => {
          if (d?.at === 'data') return callback(smtpError(d.code));
          accepted.push(Buffer.concat(chunks));
          recipients.push(session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const parsed = () => Promise.all(accepted.map((raw) => simpleParser(raw)));
  return {
    port: (server.server.address() as { port: number }).port,
    attempts: () => attempts,
    accepted: () => [...accepted],
    acceptedRecipients: () => recipients.map((r) => [...r]),
    parsed,
    acceptedIds: async () => (await parsed()).map((m) => String(m.headers.get('x-portico-message-id'))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const FROM = 'no-reply@portico.test';

export interface TestWorker {
  worker: OutboxWorker;
  close(): Promise<void>;
}

/**
 * An outbox worker sending through Portico's SMTP transport to 127.0.0.1:`port`, pooled as Portico runs it (a gentler
 * transport hid the pool's wedge before issue #16). `pool: 'one'` caps the pool at one connection, for a test that
 * counts connections.
 */
export function startWorker(
  store: Store,
  clock: Clock,
  port: number,
  opts: Partial<WorkerOptions> & { pool?: 'production' | 'one' } = {},
): TestWorker {
  const { pool, ...workerOpts } = opts;
  // Production's transport (mail/transport.ts), its deadlines and pool included.
  const shape = pool === 'one' ? '&maxConnections=1' : '';
  const transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true${shape}`);
  const worker = createOutboxWorker({
    store,
    clock,
    log: pino({ level: 'silent' }),
    transport,
    from: FROM,
    pollMs: 60_000,
    ...workerOpts,
  });
  return {
    worker,
    async close() {
      await worker.stop();
      transport.close();
    },
  };
}

export async function outboxRow(store: Store, id: string) {
  return store.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export const sampleMail = (over: Partial<OutgoingMail> = {}): OutgoingMail => ({
  fromName: 'Contoso via Portico',
  to: ['alice@fabrikam.example', 'bob@fabrikam.example'],
  cc: ['carol@contoso.example'],
  replyTo: 'admin@contoso.example',
  subject: 'You were invited to Contoso — Zürich',
  text: 'Hello Alice,\n\nYou were invited to the Contoso directory.\n',
  html: '<p>Hello <b>Alice</b>,</p><p>You were invited to the Contoso directory.</p>',
  ...over,
});
