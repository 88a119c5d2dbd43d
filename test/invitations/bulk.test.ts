// Bulk invitation with several rows in flight, on both stores: the results come back in line order, rows of one
// address take turns in line order, a row that throws ends the run only once the rows in flight have ended, and a
// job stopped with rows in flight hands back exactly the rows without a result, so resuming invites no row twice.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { createBulkJob, createBulkRunner } from '../../src/invitations/bulk-jobs.ts';
import { inviteEach, inviteRow, type BulkInput, type BulkRow } from '../../src/invitations/bulk.ts';
import { suite } from '../helpers/suite.ts';

const actor = { kind: 'system' as const, displayName: 'Bulk test' };
const redirect = 'https://apps.contoso.example/';

suite('bulk invitation with rows in flight', { runWorker: false }, ({ s }) => {
  let tenantId: string;
  before(async () => {
    await s.portico.bulk.stop();
    tenantId = (await s.provision('Contoso', { domain: 'contoso.example' })).tenant.id;
  });

  const db = () => s.portico.services.store.db;
  const invitationsOf = (prefix: string) =>
    db()
      .selectFrom('invitations')
      .select(['invited_email', 'ticket_hash'])
      .where('tenant_id', '=', tenantId)
      .where('invited_email', 'like', `${prefix}%`)
      .execute();
  const row = (line: number, email: string, send = 'false'): BulkInput => ({
    line,
    email,
    redirect: '',
    send,
    message: '',
  });

  it('returns the results in line order, with one address at a time and in line order', async () => {
    const inputs: BulkInput[] = [];
    for (let i = 0; i < 40; i++) inputs.push(row(inputs.length + 2, `order${i}@partner.example`));
    // The same guest three times (case aside), next to each other and far apart; refusals in between.
    inputs.splice(5, 0, row(0, 'Order7@Partner.example'), row(0, 'not-an-address'));
    inputs.splice(30, 0, row(0, 'ORDER7@PARTNER.example'), row(0, 'order30@partner.example', 'perhaps'));
    inputs.forEach((r, i) => {
      r.line = i + 2;
    });

    const events: string[] = [];
    const heard: number[] = [];
    let inFlight = 0;
    let most = 0;
    const results = await inviteEach(
      inputs,
      async (input) => {
        most = Math.max(most, ++inFlight);
        events.push(`start ${input.line}`);
        try {
          return await inviteRow(s.portico.services, { tenantId, actor, defaultRedirect: redirect }, input);
        } finally {
          inFlight--;
          events.push(`end ${input.line}`);
        }
      },
      { inFlight: 8, onRow: (r) => heard.push(r.line) },
    );

    assert.deepEqual(
      results.map((r) => r.line),
      inputs.map((r) => r.line),
      'one result per row, in line order',
    );
    assert.deepEqual(
      [...heard].sort((a, b) => a - b),
      inputs.map((r) => r.line),
      'onRow heard every row once',
    );
    assert.ok(most > 1 && most <= 8, `rows in flight: at most ${most}`);
    const outcomes = (address: string) =>
      results.filter((r) => r.email.trim().toLowerCase() === address).map((r) => r.outcome);
    assert.deepEqual(
      outcomes('order7@partner.example'),
      ['created', 'reinvited', 'reinvited'],
      'the first row of an address creates the guest',
    );
    const sevens = results.filter((r) => r.email.trim().toLowerCase() === 'order7@partner.example').map((r) => r.line);
    for (const [earlier, later] of [
      [sevens[0], sevens[1]],
      [sevens[1], sevens[2]],
    ]) {
      assert.ok(
        events.indexOf(`end ${earlier}`) < events.indexOf(`start ${later}`),
        `line ${later} waited for line ${earlier}`,
      );
    }
    assert.deepEqual(
      results.filter((r) => r.outcome === 'failed').map((r) => r.email),
      ['not-an-address', 'order30@partner.example'],
    );

    const sevenInvitations = await invitationsOf('order7@');
    assert.equal(sevenInvitations.length, 3);
    assert.equal(
      sevenInvitations.filter((i) => i.ticket_hash !== null).length,
      1,
      'one ticket of the guest stays open',
    );
    assert.equal((await invitationsOf('order')).length, 40 + 2, 'one invitation per invited row');
  });

  it('ends on a row that throws only once the rows in flight have ended, taking no row after it', async () => {
    const inputs = Array.from({ length: 60 }, (_, i) => row(i + 2, `thrown${i}@partner.example`));
    const started: number[] = [];
    let running = 0;
    let runningAtFailure = -1;
    const failing = inviteEach(
      inputs,
      async (input): Promise<BulkRow> => {
        started.push(input.line);
        running++;
        try {
          if (input.line === 12) throw new Error('the store went away');
          return await inviteRow(s.portico.services, { tenantId, actor, defaultRedirect: redirect }, input);
        } finally {
          running--;
        }
      },
      { inFlight: 6 },
    );
    await assert.rejects(
      failing.finally(() => {
        runningAtFailure = running;
      }),
      /the store went away/,
    );
    assert.equal(runningAtFailure, 0, 'no row was still running when the error came back');
    assert.ok(Math.max(...started) < 12 + 6, `rows taken: up to line ${Math.max(...started)}`);
    const invited = (await invitationsOf('thrown')).map((i) => i.invited_email);
    assert.equal(invited.length, started.length - 1, 'every row taken but the failed one was invited, and no other');
  });

  it('a job stopped with rows in flight keeps a result for exactly the rows it invited; resuming invites each row once', async () => {
    const emails = Array.from({ length: 200 }, (_, i) => `halt${i}@partner.example`);
    const jobId = await createBulkJob(s.portico.services, tenantId, actor, {
      fileName: 'halt.csv',
      csv: Buffer.from(`email,send\n${emails.map((e) => `${e},false`).join('\n')}\n`),
      defaultRedirect: redirect,
    });
    const job = () =>
      db()
        .selectFrom('bulk_jobs')
        .select(['processed', 'status', 'claim'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', jobId)
        .executeTakeFirstOrThrow();

    const first = createBulkRunner(s.portico.services, { inFlight: 8, batchSize: 30 });
    const running = first.runOnce();
    while ((await job()).processed < 20) await new Promise((r) => setTimeout(r, 2));
    await first.stop();
    assert.equal(await running, 1);

    const halted = await job();
    assert.equal(halted.status, 'running');
    assert.equal(halted.claim, null, 'handed back for any node');
    assert.ok(halted.processed < emails.length, `stopped after ${halted.processed} rows`);
    const withResult = await db()
      .selectFrom('bulk_job_rows')
      .select('email')
      .where('tenant_id', '=', tenantId)
      .where('job_id', '=', jobId)
      .where('outcome', 'is not', null)
      .execute();
    assert.equal(withResult.length, halted.processed);
    assert.deepEqual(
      (await invitationsOf('halt')).map((i) => i.invited_email).sort(),
      withResult.map((r) => r.email).sort(),
      'invited exactly the rows with a result',
    );

    await new Promise((r) => setTimeout(r, 5));
    assert.equal(await createBulkRunner(s.portico.services, { inFlight: 8 }).runOnce(), 1);
    assert.deepEqual(await job(), { processed: emails.length, status: 'completed', claim: null });
    assert.deepEqual(
      (await invitationsOf('halt')).map((i) => i.invited_email).sort(),
      [...emails].sort(),
      'each row invited once',
    );
  });
});
