// The transactional outbox: a message is queued in the same transaction as the change that causes it, and the
// worker (mail/worker.ts) delivers it later, with retries, whatever happens to SMTP or this process meanwhile.
// A message carries redeem links and codes, so a row keeps only its envelope (recipients, subject) in clear and its
// body (text, html) sealed with the deployment key (keyring.ts), which the database does not hold; once delivered
// the body is dropped, and the sweep deletes sent and dead rows after the retention period (store/sweep.ts).
import type { ExpressionBuilder, Selectable, Updateable } from 'kysely';

import type { Clock } from '../clock.ts';
import { recordAudit, type Actor } from '../directory/audit.ts';
import { isSealed, UnreadableSecret } from '../keyring.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import { keysOf } from '../store/keys.ts';
import type { Database, OutboxTable } from '../store/schema.ts';

export interface OutgoingMail {
  /** display name shown before the deployment's From address, e.g. "Contoso via Portico" */
  fromName?: string;
  to: string[];
  cc?: string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  /** set by the worker when some recipients were refused for now: the ones still owed the message */
  remaining?: string[];
}

/** The part of a message kept in clear (the `message` column): everything but its body. */
type Envelope = Omit<OutgoingMail, 'text' | 'html'>;
/** The part kept sealed (the `body` column). */
interface Body {
  text: string;
  html?: string;
}

const envelopeOf = ({ text: _text, html: _html, ...envelope }: OutgoingMail): Envelope => envelope;
const bodyOf = (mail: OutgoingMail): Body => ({ text: mail.text, ...(mail.html !== undefined && { html: mail.html }) });

export async function enqueue(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  kind: string,
  mail: OutgoingMail,
): Promise<string> {
  const [id] = await enqueueAll(tx, clock, tenantId, kind, [mail]);
  return id!;
}

/** Several messages in one statement (a bulk invitation's chunk of rows); their ids in the same order. */
export async function enqueueAll(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  kind: string,
  mails: OutgoingMail[],
): Promise<string[]> {
  if (mails.length === 0) return [];
  const now = clock.now().toISOString();
  const keys = keysOf(tx);
  const rows = mails.map((mail) => ({
    tenant_id: tenantId,
    id: newId(),
    kind,
    message: toJson(envelopeOf(mail)),
    body: keys.seal(toJson(bodyOf(mail))),
    state: 'pending' as const,
    attempts: 0,
    next_attempt_at: now,
    claimed_until: null,
    last_error: null,
    created_at: now,
    sent_at: null,
  }));
  await tx.insertInto('outbox').values(rows).execute();
  return rows.map((r) => r.id);
}

/** A body no key of this deployment opens: delivering it can never succeed, so it fails as a 5xx reply does. */
export class UnreadableMail extends Error {
  readonly responseCode = 554;
  constructor() {
    super('the message body is sealed with a key this deployment no longer holds (PORTICO_SECRET_KEY)');
  }
}

/**
 * The whole message of an outbox row, its body unsealed. Rows from before migration 0015 kept the body in `message`;
 * a body 0015 moved out but the start-up step has not sealed yet (sealQueuedMail) is still JSON: both are read too.
 */
export function openMessage(db: Db, row: { message: string; body: string | null }): OutgoingMail {
  const mail = parseJson<OutgoingMail>(row.message, { to: [], subject: '', text: '' });
  if (row.body === null) return { ...mail, text: mail.text ?? '' };
  let body: string;
  try {
    body = isSealed(row.body) ? keysOf(db).open(row.body) : row.body;
  } catch (error) {
    if (error instanceof UnreadableSecret) throw new UnreadableMail();
    throw error;
  }
  return { ...envelopeOf(mail), ...parseJson<Body>(body, { text: '' }) };
}

/** The outcome of a delivered message: it keeps its envelope and loses its body. */
export const delivered = (clock: Clock): Updateable<OutboxTable> => ({
  state: 'sent',
  sent_at: clock.now().toISOString(),
  claimed_until: null,
  body: null,
});

/** The envelope of a message still owed to `remaining` (the body stays as sealed). */
export const owedTo = (mail: OutgoingMail, remaining: string[]): Updateable<OutboxTable> => ({
  message: toJson({ ...envelopeOf(mail), remaining }),
});

/**
 * The start-up step after migrating (at-rest.ts, run by the server and the CLI): seals every body of a message still
 * to send or dead that is in clear (moved out of `message` by migration 0015, which has no key; or written by an
 * older release during an upgrade), and re-seals under the first key what an older key sealed, so that key can be
 * retired. Idempotent, and each row changes only if no one changed it meanwhile. Returns how many rows changed.
 */
export async function sealQueuedMail(db: Db): Promise<number> {
  const keys = keysOf(db);
  // Every server start and every CLI command runs this. Holding one key, only a body in clear (or none, a row from
  // before 0015) can need sealing, and the store finds those: a queue of sealed mail is neither read nor decrypted.
  const rotating = keys.ids.length > 1;
  let changed = 0;
  let after = { tenant_id: '', id: '' };
  for (;;) {
    const rows = await db
      .selectFrom('outbox')
      .select(['tenant_id', 'id', 'message', 'body'])
      .where('state', 'in', ['pending', 'sending', 'dead'])
      .$if(!rotating, (q) =>
        q.where((eb) =>
          eb.or([eb('body', 'is', null), eb.and([eb('body', 'not like', 'v1.%'), eb('body', 'not like', 'v2.%')])]),
        ),
      )
      .where((eb) =>
        eb.or([
          eb('tenant_id', '>', after.tenant_id),
          eb.and([eb('tenant_id', '=', after.tenant_id), eb('id', '>', after.id)]),
        ]),
      )
      .orderBy('tenant_id')
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) return changed;
    for (const row of rows) {
      const legacy = row.body === null && parseJson<Partial<Body>>(row.message, {}).text !== undefined;
      if (!legacy && (row.body === null || (isSealed(row.body) && keys.sealedWithCurrent(row.body)))) continue;
      let mail: OutgoingMail;
      try {
        mail = openMessage(db, row);
      } catch (error) {
        if (error instanceof UnreadableMail) continue; // the worker dead-letters it with that error
        throw error;
      }
      const done = await db
        .updateTable('outbox')
        .set({ message: toJson(envelopeOf(mail)), body: keys.seal(toJson(bodyOf(mail))) })
        .where('tenant_id', '=', row.tenant_id)
        .where('id', '=', row.id)
        .where('message', '=', row.message)
        .where((eb) => (row.body === null ? eb('body', 'is', null) : eb('body', '=', row.body)))
        .executeTakeFirst();
      changed += Number(done.numUpdatedRows);
    }
    after = rows.at(-1)!;
  }
}

export interface OutboxEntry {
  id: string;
  kind: string;
  state: string;
  attempts: number;
  to: string[];
  subject: string;
  createdDateTime: string;
  nextAttemptDateTime: string | null;
  sentDateTime: string | null;
  lastError: string | null;
  /** a claim on it expired before its outcome was known, so it was sent again, with the same Message-ID (mail/worker.ts) */
  resentAfterUnknownOutcome: boolean;
}

export async function listOutbox(
  db: Db,
  tenantId: string,
  opts: { top: number; state?: string; after?: string },
): Promise<OutboxEntry[]> {
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(opts.state !== undefined, (q) => q.where('state', '=', opts.state as 'pending'))
    .$if(opts.after !== undefined, (q) => q.where('id', '>', opts.after!))
    .orderBy('id')
    .limit(opts.top)
    .execute();
  return rows.map(toOutboxEntry);
}

export function toOutboxEntry(r: Selectable<OutboxTable>): OutboxEntry {
  const m = parseJson<OutgoingMail>(r.message, { to: [], subject: '', text: '' });
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    attempts: r.attempts,
    to: m.to,
    subject: m.subject,
    createdDateTime: r.created_at,
    nextAttemptDateTime: r.state === 'pending' ? r.next_attempt_at : null,
    sentDateTime: r.sent_at,
    lastError: r.last_error,
    resentAfterUnknownOutcome: r.unknown_outcomes > 0,
  };
}

export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'dead'] as const satisfies readonly OutboxTable['state'][];

async function auditDead(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  row: { id: string; message: string } | undefined,
  activity: string,
  operationType: 'Update' | 'Delete',
  actor: Actor,
): Promise<boolean> {
  if (!row) return false;
  const m = parseJson<OutgoingMail>(row.message, { to: [], subject: '', text: '' });
  await recordAudit(tx, clock, tenantId, {
    category: 'DirectoryManagement',
    activity,
    operationType,
    actor,
    targets: [{ id: row.id, type: 'Other', displayName: m.subject }],
    details: { to: m.to.join(', ') },
  });
  return true;
}

/** The tenant's letter `id` while it is dead: what a retry or a discard may change, conditionally. */
const deadLetter = (eb: ExpressionBuilder<Database, 'outbox'>, tenantId: string, id: string) =>
  eb.and([eb('tenant_id', '=', tenantId), eb('id', '=', id), eb('state', '=', 'dead')]);

/**
 * Sends a dead letter again: back to pending, due now, with its attempts reset, so the worker retries it as new.
 * Only a message still dead changes (a conditional update); false when there was none. Run it in a transaction.
 */
export async function retryDead(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<boolean> {
  const row = await tx
    .updateTable('outbox')
    .set({ state: 'pending', attempts: 0, next_attempt_at: clock.now().toISOString(), claimed_until: null })
    .where((eb) => deadLetter(eb, tenantId, id))
    .returning(['id', 'message'])
    .executeTakeFirst();
  return auditDead(tx, clock, tenantId, row, 'Retry undeliverable email', 'Update', actor);
}

/** Deletes a dead letter; only a message still dead goes, and false when there was none. Run it in a transaction. */
export async function discardDead(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<boolean> {
  const row = await tx
    .deleteFrom('outbox')
    .where((eb) => deadLetter(eb, tenantId, id))
    .returning(['id', 'message'])
    .executeTakeFirst();
  return auditDead(tx, clock, tenantId, row, 'Discard undeliverable email', 'Delete', actor);
}

/** For the maintenance sweep (store/sweep.ts): sent and dead-lettered mail queued before `queuedBefore` (the retention). */
export async function sweepOutbox(db: Db, queuedBefore: string): Promise<number> {
  const r = await db
    .deleteFrom('outbox')
    .where('state', 'in', ['sent', 'dead'])
    .where('created_at', '<', queuedBefore)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** How many of the tenant's messages are dead letters (the admin overview). */
export async function countDead(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'dead')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The queue as monitoring sees it (the metrics): messages waiting, the oldest one's queue time, and dead letters. */
export async function outboxDepth(db: Db): Promise<{ pending: number; oldestPendingAt: string | null; dead: number }> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['state', eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('state', 'in', ['pending', 'sending', 'dead'])
    .groupBy('state')
    .execute();
  const waiting = rows.filter((r) => r.state !== 'dead');
  const oldest =
    waiting
      .map((r) => r.oldest)
      .filter((o): o is string => !!o)
      .sort()[0] ?? null;
  return {
    pending: waiting.reduce((n, r) => n + Number(r.n), 0),
    oldestPendingAt: oldest,
    dead: Number(rows.find((r) => r.state === 'dead')?.n ?? 0),
  };
}
