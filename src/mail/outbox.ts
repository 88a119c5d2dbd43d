// The transactional outbox: a message is queued in the same transaction as the change that causes it, and the
// worker (mail/worker.ts) delivers it later, with retries, whatever happens to SMTP or this process meanwhile.
import type { Clock } from '../clock.ts';
import { recordAudit, type Actor } from '../directory/audit.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import type { OutboxTable } from '../store/schema.ts';
import { parseJson, toJson } from '../store/json.ts';

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

export async function enqueue(tx: Tx, clock: Clock, tenantId: string, kind: string, mail: OutgoingMail): Promise<string> {
  const id = newId();
  const now = clock.now().toISOString();
  await tx.insertInto('outbox').values({
    tenant_id: tenantId, id, kind, message: toJson(mail), state: 'pending', attempts: 0, next_attempt_at: now,
    claimed_until: null, last_error: null, created_at: now, sent_at: null,
  }).execute();
  return id;
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

export async function listOutbox(db: Db, tenantId: string, opts: { top: number; state?: string; after?: string }): Promise<OutboxEntry[]> {
  const rows = await db.selectFrom('outbox').selectAll().where('tenant_id', '=', tenantId)
    .$if(opts.state !== undefined, (q) => q.where('state', '=', opts.state as 'pending'))
    .$if(opts.after !== undefined, (q) => q.where('id', '>', opts.after!))
    .orderBy('id').limit(opts.top).execute();
  return rows.map((r) => {
    const m = parseJson<OutgoingMail>(r.message, { to: [], subject: '', text: '' });
    return {
      id: r.id, kind: r.kind, state: r.state, attempts: r.attempts, to: m.to, subject: m.subject, createdDateTime: r.created_at,
      nextAttemptDateTime: r.state === 'pending' ? r.next_attempt_at : null, sentDateTime: r.sent_at, lastError: r.last_error,
      resentAfterUnknownOutcome: r.unknown_outcomes > 0,
    };
  });
}

export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'dead'] as const satisfies readonly OutboxTable['state'][];

async function auditDead(tx: Tx, clock: Clock, tenantId: string, row: { id: string; message: string }, activity: string, operationType: 'Update' | 'Delete', actor: Actor) {
  const m = parseJson<OutgoingMail>(row.message, { to: [], subject: '', text: '' });
  await recordAudit(tx, clock, tenantId, {
    category: 'DirectoryManagement', activity, operationType, actor,
    targets: [{ id: row.id, type: 'Other', displayName: m.subject }], details: { to: m.to.join(', ') },
  });
}

/**
 * Sends a dead letter again: back to pending, due now, with its attempts reset, so the worker retries it as new.
 * Only a message still dead changes (a conditional update); false when there was none. Run it in a transaction.
 */
export async function retryDead(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<boolean> {
  const row = await tx.updateTable('outbox')
    .set({ state: 'pending', attempts: 0, next_attempt_at: clock.now().toISOString(), claimed_until: null })
    .where('tenant_id', '=', tenantId).where('id', '=', id).where('state', '=', 'dead')
    .returning(['id', 'message']).executeTakeFirst();
  if (!row) return false;
  await auditDead(tx, clock, tenantId, row, 'Retry undeliverable email', 'Update', actor);
  return true;
}

/** Deletes a dead letter; only a message still dead goes, and false when there was none. Run it in a transaction. */
export async function discardDead(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<boolean> {
  const row = await tx.deleteFrom('outbox')
    .where('tenant_id', '=', tenantId).where('id', '=', id).where('state', '=', 'dead')
    .returning(['id', 'message']).executeTakeFirst();
  if (!row) return false;
  await auditDead(tx, clock, tenantId, row, 'Discard undeliverable email', 'Delete', actor);
  return true;
}
