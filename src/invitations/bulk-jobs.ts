// Bulk invitation jobs of the admin center: an uploaded CSV becomes a job and its rows in one transaction; a runner
// in each node claims jobs (a token with a lease, as the outbox worker claims mail: FOR UPDATE SKIP LOCKED on
// PostgreSQL) and invites their rows through invite(), a few at a time (inviteEach). Each row's result is stored in the
// invitation's own transaction, and only while the claim still holds, so a row is invited exactly once: a job a node
// left (stopped, crashed, or too slow to renew its lease) is resumed by any node from the rows without a result.
import { recordAudit, type Actor } from '../directory/audit.ts';
import { InvalidRequest, type RefusalKey, type RefusalParams } from '../errors.ts';
import { JOB, periodic, type Job } from '../jobs/runner.ts';
import { newId } from '../secrets.ts';
import type { Services } from '../services.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import type { BulkJobsTable } from '../store/schema.ts';
import { BulkCsvError, inviteEach, inviteRow, parseBulkCsv, type BulkInput, type BulkRow } from './bulk.ts';

export const BULK_MAX_BYTES = 5 * 1024 * 1024;
export const BULK_MAX_ROWS = 50_000;
/**
 * A job's rows in flight at once on SQLite: enough for its group commit to share commits among them, fewer than the
 * CLI's because the node's requests wait behind them. On PostgreSQL one at a time: each row's transaction updates the
 * job's row, so rows in flight would queue on its lock anyway, and the job would stay locked (hidden from other
 * nodes' SKIP LOCKED claims) for as long as the node works on it, even once its lease ran out.
 */
export const JOB_ROWS_IN_FLIGHT = 8;

export type BulkJobStatus = BulkJobsTable['status'];

export interface BulkJob {
  id: string;
  fileName: string;
  createdBy: Actor;
  createdDateTime: string;
  status: BulkJobStatus;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  finishedDateTime: string | null;
  error: string | null;
}

export type BulkRefusal = 'tooLarge' | BulkCsvError['reason'] | 'noRows' | 'tooManyRows';

/** An upload that cannot become a job; `reason` lets a page say why in its own language. */
export class BulkUploadRefused extends InvalidRequest {
  constructor(
    readonly reason: BulkRefusal,
    key: RefusalKey,
    params?: RefusalParams,
    details?: { rows?: number; line?: number },
  ) {
    super(key, params, details);
  }
}

const jobOf = (r: BulkJobsTable): BulkJob => ({
  id: r.id,
  fileName: r.file_name,
  createdBy: parseJson<Actor>(r.created_by, { kind: 'system', displayName: '' }),
  createdDateTime: r.created_at,
  status: r.status,
  total: r.total,
  processed: r.processed,
  succeeded: r.succeeded,
  failed: r.failed,
  finishedDateTime: r.finished_at,
  error: r.error,
});

/** The rows of an upload, or why it cannot be a job. */
export function readUpload(csv: Buffer): BulkInput[] {
  if (csv.length > BULK_MAX_BYTES)
    throw new BulkUploadRefused('tooLarge', 'bulk.tooLarge', { size: BULK_MAX_BYTES / 1024 / 1024 });
  let rows: BulkInput[];
  try {
    rows = parseBulkCsv(csv);
  } catch (error) {
    if (error instanceof BulkCsvError)
      throw new BulkUploadRefused(error.reason, error.key, error.params, { line: error.line });
    throw error;
  }
  if (rows.length === 0) throw new BulkUploadRefused('noRows', 'bulk.noRows');
  if (rows.length > BULK_MAX_ROWS)
    throw new BulkUploadRefused(
      'tooManyRows',
      'bulk.tooManyRows',
      { rows: rows.length, max: BULK_MAX_ROWS },
      { rows: rows.length },
    );
  return rows;
}

/**
 * Turns an upload into a queued job (with its rows and an audit event, in one transaction); the runner invites the
 * rows later. Throws BulkUploadRefused, creating nothing, when the upload is not a usable CSV.
 */
export async function createBulkJob(
  services: Services,
  tenantId: string,
  actor: Actor,
  upload: { fileName: string; csv: Buffer; defaultRedirect: string },
): Promise<string> {
  const rows = readUpload(upload.csv);
  const { store, clock } = services;
  const id = newId();
  const fileName = upload.fileName.replace(/[\p{Cc}]/gu, '').slice(0, 200);
  await store.transaction(async (tx) => {
    await tx
      .insertInto('bulk_jobs')
      .values({
        tenant_id: tenantId,
        id,
        file_name: fileName,
        created_by: toJson(actor),
        created_at: clock.now().toISOString(),
        default_redirect: upload.defaultRedirect,
        status: 'queued',
        total: rows.length,
        processed: 0,
        succeeded: 0,
        failed: 0,
        claim: null,
        claimed_until: null,
        finished_at: null,
        error: null,
      })
      .execute();
    // Batches keep each statement under both stores' limits on bound parameters.
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insertInto('bulk_job_rows')
        .values(
          rows.slice(i, i + 500).map((r) => ({
            tenant_id: tenantId,
            job_id: id,
            line: r.line,
            email: r.email,
            redirect_url: r.redirect,
            send: r.send,
            message: r.message,
            outcome: null,
            user_id: null,
            error: null,
            error_key: null,
            error_params: null,
          })),
        )
        .execute();
    }
    await recordAudit(tx, clock, tenantId, {
      category: 'UserManagement',
      activity: 'Bulk invite users - started (bulk)',
      operationType: 'Add',
      actor,
      targets: [{ id, type: 'Other', displayName: fileName }],
      details: { rows: String(rows.length) },
    });
  });
  services.bulk?.kick();
  return id;
}

export async function listBulkJobs(db: Db, tenantId: string, top = 20): Promise<BulkJob[]> {
  const rows = await db
    .selectFrom('bulk_jobs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(top)
    .execute();
  return rows.map(jobOf);
}

export async function getBulkJob(db: Db, tenantId: string, id: string): Promise<BulkJob | undefined> {
  const row = await db
    .selectFrom('bulk_jobs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && jobOf(row);
}

/** The results of a job's rows so far, in line order (never a redeem URL: it is not stored). */
export async function bulkJobResults(
  db: Db,
  tenantId: string,
  jobId: string,
  opts: { failedOnly?: boolean; top?: number } = {},
): Promise<BulkRow[]> {
  const rows = await db
    .selectFrom('bulk_job_rows')
    .select(['line', 'email', 'outcome', 'user_id', 'error', 'error_key', 'error_params'])
    .where('tenant_id', '=', tenantId)
    .where('job_id', '=', jobId)
    .where('outcome', 'is not', null)
    .$if(Boolean(opts.failedOnly), (q) => q.where('outcome', '=', 'failed'))
    .$if(opts.top !== undefined, (q) => q.limit(opts.top!))
    .orderBy('line')
    .execute();
  return rows.map((r) => ({
    line: r.line,
    email: r.email,
    outcome: r.outcome as BulkRow['outcome'],
    userId: r.user_id ?? '',
    inviteRedeemUrl: '',
    error: r.error ?? '',
    ...(r.error_key && {
      refusal: { key: r.error_key as RefusalKey, params: parseJson<RefusalParams>(r.error_params, {}) },
    }),
  }));
}

/** A deleted user's bulk results keep their line and outcome but stop naming the id (migration 0017; deleted/items.ts USER_REFERENCES lists it). */
export async function forgetBulkRowsOf(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx
    .updateTable('bulk_job_rows')
    .set({ user_id: null })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Bulk invitation jobs as a job (jobs/runner.ts): start works through claimable jobs now and every pollMs after; stop
 * finishes the rows in hand, hands its job back for any node to resume, and stops; a kick (a job was just queued)
 * looks now rather than at the next poll.
 */
export interface BulkRunner extends Job {
  /** Works through every job it can claim, beside a scheduled pass if one is running; returns how many it took up. */
  runOnce(): Promise<number>;
  /** Resolves once a pass that starts after every pass already asked for has ended (tests wait on it). */
  idle(): Promise<void>;
}

/** Our claim on a job was lost (lease expired and another node took it): our writes must not count. */
class ClaimLost extends Error {}

export function createBulkRunner(
  services: Services,
  opts: { pollMs?: number; leaseMs?: number; batchSize?: number; inFlight?: number } = {},
): BulkRunner {
  const { store, clock, log } = services;
  const pollMs = opts.pollMs ?? 5_000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const batchSize = opts.batchSize ?? 100;
  const inFlight = opts.inFlight ?? (store.kind === 'sqlite' ? JOB_ROWS_IN_FLIGHT : 1);
  const leaseFrom = (now = clock.now()) => new Date(now.getTime() + leaseMs).toISOString();
  let halting = false;

  async function claim(): Promise<BulkJobsTable | undefined> {
    const now = clock.now();
    const due = store.db
      .selectFrom('bulk_jobs')
      .select(['tenant_id', 'id'])
      .where((eb) =>
        eb.or([
          eb('status', '=', 'queued'),
          eb.and([eb('status', '=', 'running'), eb('claimed_until', '<', now.toISOString())]),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .$if(store.kind === 'postgres', (q) => q.forUpdate().skipLocked());
    return store.db
      .updateTable('bulk_jobs')
      .set({ status: 'running', claim: newId(), claimed_until: leaseFrom(now) })
      .where((eb) => eb(eb.refTuple('tenant_id', 'id'), 'in', due as never))
      .returningAll()
      .executeTakeFirst();
  }

  /** Counts a row's result and renews the lease, only while the claim holds; else undoes the transaction. */
  async function record(tx: Tx, job: BulkJobsTable, row: BulkRow) {
    const failed = row.outcome === 'failed';
    const counted = await tx
      .updateTable('bulk_jobs')
      .set((eb) => ({
        processed: eb('processed', '+', 1),
        succeeded: eb('succeeded', '+', failed ? 0 : 1),
        failed: eb('failed', '+', failed ? 1 : 0),
        claimed_until: leaseFrom(),
      }))
      .where('tenant_id', '=', job.tenant_id)
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('claim', '=', job.claim)
      .executeTakeFirst();
    if (Number(counted.numUpdatedRows) !== 1) throw new ClaimLost();
    await tx
      .updateTable('bulk_job_rows')
      .set({
        outcome: row.outcome,
        user_id: row.userId || null,
        error: row.error || null,
        error_key: row.refusal?.key ?? null,
        error_params: row.refusal ? toJson(row.refusal.params) : null,
      })
      .where('tenant_id', '=', job.tenant_id)
      .where('job_id', '=', job.id)
      .where('line', '=', row.line)
      .execute();
  }

  const ours = (job: BulkJobsTable) =>
    store.db
      .updateTable('bulk_jobs')
      .where('tenant_id', '=', job.tenant_id)
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('claim', '=', job.claim);

  async function work(job: BulkJobsTable): Promise<void> {
    const actor = parseJson<Actor>(job.created_by, { kind: 'system', displayName: 'Portico' });
    const target = { tenantId: job.tenant_id, actor, defaultRedirect: job.default_redirect };
    let after = 0;
    for (;;) {
      const batch = await store.db
        .selectFrom('bulk_job_rows')
        .select(['line', 'email', 'redirect_url', 'send', 'message'])
        .where('tenant_id', '=', job.tenant_id)
        .where('job_id', '=', job.id)
        .where('line', '>', after)
        .where('outcome', 'is', null)
        .orderBy('line')
        .limit(batchSize)
        .execute();
      if (batch.length === 0) break;
      const inputs = batch.map((r): BulkInput => ({
        line: r.line,
        email: r.email,
        redirect: r.redirect_url,
        send: r.send,
        message: r.message,
      }));
      // A row that throws (ClaimLost, the store) ends the batch once the rows in flight have ended, and the job with it.
      const done = await inviteEach(
        inputs,
        async (input) => {
          const row = await inviteRow(services, target, input, (tx, result) => record(tx, job, result));
          // A refused row changed nothing; its result is stored on its own.
          if (row.outcome === 'failed') await store.transaction((tx) => record(tx, job, row));
          // SQLite's one connection is handed to whoever asks first once free: without a turn of the event loop
          // between rows, a long job would keep every request waiting until it ends.
          await new Promise((resolve) => setImmediate(resolve));
          return row;
        },
        { inFlight, stop: () => halting },
      );
      if (done.length < inputs.length) {
        // Halting: handed back at once (not when the lease runs out), for whichever node starts next.
        await ours(job).set({ claim: null, claimed_until: clock.now().toISOString() }).execute();
        return;
      }
      after = inputs.at(-1)!.line;
    }
    await store.transaction(async (tx) => {
      const done = await tx
        .updateTable('bulk_jobs')
        .set({ status: 'completed', finished_at: clock.now().toISOString(), claim: null, claimed_until: null })
        .where('tenant_id', '=', job.tenant_id)
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('claim', '=', job.claim)
        .returning(['total', 'succeeded', 'failed'])
        .executeTakeFirst();
      if (!done) throw new ClaimLost();
      await recordAudit(tx, clock, job.tenant_id, {
        category: 'UserManagement',
        activity: 'Bulk invite users - finished (bulk)',
        operationType: 'Add',
        actor,
        targets: [{ id: job.id, type: 'Other', displayName: job.file_name }],
        details: { rows: String(done.total), succeeded: String(done.succeeded), failed: String(done.failed) },
      });
    });
  }

  async function runOnce(): Promise<number> {
    let taken = 0;
    while (!halting) {
      const job = await claim();
      if (!job) break;
      taken++;
      try {
        await work(job);
      } catch (error) {
        if (error instanceof ClaimLost) {
          log.warn({ tenant: job.tenant_id, job: job.id }, 'bulk job taken over by another node');
          continue;
        }
        // Not a row's fault (those are results): the store or a bug. The job stops with the reason for the admin.
        log.error({ err: error, tenant: job.tenant_id, job: job.id }, 'bulk job failed');
        await ours(job)
          .set({
            status: 'failed',
            finished_at: clock.now().toISOString(),
            claim: null,
            claimed_until: null,
            error: String((error as Error)?.message ?? error).slice(0, 500),
          })
          .execute()
          .catch((e: unknown) => log.error({ err: e, job: job.id }, 'could not mark bulk job failed'));
      }
    }
    return taken;
  }

  const loop = periodic(JOB.bulk, pollMs, runOnce, {
    log,
    // Jobs left running by a node that stopped are resumed at once.
    atStart: true,
    onStart: () => {
      halting = false;
    },
    onStop: () => {
      halting = true;
    },
  });
  return {
    ...loop,
    runOnce,
    idle: () =>
      loop.runOnce().then(
        () => undefined,
        () => undefined,
      ),
  };
}
