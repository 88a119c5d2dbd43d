// Queued mail at rest, on both stores: a queued message's body is sealed with the deployment key (a copy of the
// store cannot read it, a restart with the key delivers it, a process with another key is refused); a delivered
// message keeps its envelope and loses its body; a dead letter keeps its sealed body; both are deleted after the
// retention period (injected clock); migration 0015 and the start-up step scrub a store that holds plaintext bodies.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Migrator } from 'kysely';
import nodemailer from 'nodemailer';
import pino from 'pino';

import { buildPortico } from '../../src/app.ts';
import { prepareAtRest } from '../../src/at-rest.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { isSealed, keyRing } from '../../src/keyring.ts';
import { enqueue, listOutbox, openMessage, retryDead } from '../../src/mail/outbox.ts';
import { newSecret } from '../../src/secrets.ts';
import { keysOf, useKeys } from '../../src/store/keys.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { sweepExpired } from '../../src/store/sweep.ts';
import { tenantWithApi } from '../helpers/api.ts';
import { freePort } from '../helpers/net.ts';
import { findSecrets } from '../helpers/scan.ts';
import { startTestServer, TEST_PASSWORD_COST, type TestServer } from '../helpers/server.ts';
import { createTestStore, storeKinds } from '../helpers/stores.ts';
import { outboxRow, sampleMail, startSmtpPeer, startWorker } from './peer.ts';

const DAY = 86_400_000;
const silent = pino({ level: 'silent' });

for (const { kind, skip } of storeKinds()) {
  describe(`queued mail at rest (${kind})`, { skip }, () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => undefined);
    });

    it('a queued body is sealed with the key; another key is refused at start; a restart with the key delivers it', async () => {
      const key = newSecret(32);
      const s: TestServer = await startTestServer(kind, { runWorker: false, env: { PORTICO_SECRET_KEY: key } });
      cleanup.push(
        () => s.smtp.close(),
        () => s.testStore.dispose(),
      );
      const t = await tenantWithApi(s, 'Contoso');
      const inv = await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'ann@partner.example',
        inviteRedirectUrl: 'https://app.example/',
        sendInvitationMessage: true,
      });
      assert.equal(inv.status, 201);
      const ticket = new URL(inv.body.inviteRedeemUrl).searchParams.get('ticket')!;

      const row = await s.portico.services.store.db
        .selectFrom('outbox')
        .selectAll()
        .where('tenant_id', '=', t.tenantId)
        .executeTakeFirstOrThrow();
      assert.equal(row.state, 'pending');
      assert.ok(row.body && isSealed(row.body), 'the body is sealed');
      assert.ok(!row.body.includes(ticket) && !row.message.includes(ticket), 'the row does not show the ticket');
      const envelope = JSON.parse(row.message);
      assert.deepEqual(envelope.to, ['ann@partner.example'], 'the envelope stays readable');
      assert.match(envelope.subject, /Contoso/);
      assert.equal(envelope.text, undefined);
      assert.throws(
        () => keyRing([newSecret(32)], 'another').open(row.body!),
        /could not be opened/,
        'another key cannot read it',
      );
      assert.match(keyRing([key], 'the key').open(row.body), new RegExp(ticket), 'the key reads it');
      assert.deepEqual(await findSecrets(s.testStore, [ticket], { files: false }), []);
      await s.portico.close();

      const boot = (env: Record<string, string>) =>
        buildPortico(
          loadConfig({
            PORTICO_DATABASE_URL: s.testStore.url,
            PORTICO_BASE_URL: s.baseUrl,
            PORTICO_LOG_LEVEL: 'silent',
            PORTICO_DEV: '0',
            ...TEST_PASSWORD_COST,
            ...env,
          }),
          {
            log: silent,
            runWorker: false,
            runBulk: false,
            transport: nodemailer.createTransport({
              host: '127.0.0.1',
              port: s.smtp.port,
              secure: false,
              ignoreTLS: true,
            }),
          },
        );
      // A node with its own key file (no PORTICO_SECRET_KEY), or a wrong key, would seal mail no other node reads.
      await assert.rejects(boot({}), /sealed with a deployment key this process does not hold/);
      await assert.rejects(boot({ PORTICO_SECRET_KEY: newSecret(32) }), /does not hold/);

      const again = await boot({ PORTICO_SECRET_KEY: key });
      cleanup.push(() => again.close());
      assert.equal(await again.worker.runOnce(), 1);
      await waitFor(() => s.smtp.messages().length === 1);
      assert.match(
        s.smtp.messages()[0]!.text,
        new RegExp(`ticket=${ticket}`),
        'the restarted node delivered the message intact',
      );
      const sent = await again.services.store.db
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      assert.equal(sent.state, 'sent');
      assert.equal(sent.body, null, 'a delivered message loses its body');
      assert.deepEqual(JSON.parse(sent.message).to, ['ann@partner.example'], 'and keeps its envelope');
    });

    it('rotation: the first key seals, every listed key opens, the start-up step re-seals, the old key can go', async () => {
      const ts = await createTestStore(kind);
      cleanup.push(() => ts.dispose());
      const [oldKey, newKey] = [newSecret(32), newSecret(32)];
      const clock = new ManualClock();
      await prepareAtRest(ts.store, keyRing([oldKey], 'old'), silent);
      const id = await ts.store.transaction((tx) =>
        enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ text: 'code 424242' })),
      );
      const sealedOld = (await outboxRow(ts.store, id)).body!;

      await prepareAtRest(ts.store, keyRing([newKey, oldKey], 'both'), silent);
      const resealed = (await outboxRow(ts.store, id)).body!;
      assert.notEqual(resealed, sealedOld);
      assert.equal(
        keyRing([newKey], 'new').open(resealed),
        keyRing([oldKey], 'old').open(sealedOld),
        'the same body, now under the new key',
      );
      await assert.rejects(
        prepareAtRest(ts.store, keyRing([oldKey], 'old'), silent),
        /does not hold/,
        'a node with only the old key is refused',
      );
      await prepareAtRest(ts.store, keyRing([newKey], 'new'), silent);
      assert.equal(openMessage(ts.store.db, await outboxRow(ts.store, id)).text, 'code 424242');
    });

    it('a body no key of this process opens is dead-lettered with a clear error, not retried', async () => {
      const ts = await createTestStore(kind);
      cleanup.push(() => ts.dispose());
      const clock = new ManualClock();
      const id = await ts.store.transaction((tx) => enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail()));
      // The key lost: the store now holds another one (what an operator gets by deleting the key id row).
      useKeys(ts.store.db, keyRing([newSecret(32)], 'a new key'));
      const peer = await startSmtpPeer();
      cleanup.push(() => peer.close());
      const w = startWorker(ts.store, clock, peer.port);
      cleanup.push(() => w.close());
      assert.equal(await w.worker.runOnce(), 1);
      const row = await outboxRow(ts.store, id);
      assert.equal(row.state, 'dead');
      assert.match(row.last_error ?? '', /sealed with a key this deployment no longer holds/);
      assert.equal(peer.attempts(), 0, 'nothing was sent');
    });

    it('a sent row is deleted after the retention period; a dead letter keeps its sealed body until then', async () => {
      const ts = await createTestStore(kind);
      cleanup.push(() => ts.dispose());
      const clock = new ManualClock();
      const peer = await startSmtpPeer({
        answer: (_n, to) => (to === 'dead@partner.example' ? { at: 'rcpt', code: 550 } : null),
      });
      cleanup.push(() => peer.close());
      const w = startWorker(ts.store, clock, peer.port);
      cleanup.push(() => w.close());
      const queue = (to: string) =>
        ts.store.transaction((tx) =>
          enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ to: [to], cc: [], text: `code 135790 for ${to}` })),
        );
      const sentId = await queue('ok@partner.example');
      const deadId = await queue('dead@partner.example');
      assert.equal(await w.worker.runOnce(), 2);

      const sent = await outboxRow(ts.store, sentId);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.body, null);
      const dead = await outboxRow(ts.store, deadId);
      assert.equal(dead.state, 'dead');
      assert.ok(dead.body && isSealed(dead.body), 'a dead letter keeps its sealed body, for a retry');
      assert.equal(openMessage(ts.store.db, dead).text, 'code 135790 for dead@partner.example');
      const listed = await listOutbox(ts.store.db, 'tenant-a', { top: 10 });
      assert.deepEqual(listed.map((m) => [m.state, m.to[0], m.subject]).sort(), [
        ['dead', 'dead@partner.example', sampleMail().subject],
        ['sent', 'ok@partner.example', sampleMail().subject],
      ]);

      clock.advance(30 * DAY);
      assert.equal((await sweepExpired(ts.store, clock)).outbox, 0, 'kept for the whole retention period');
      assert.equal((await outboxRow(ts.store, deadId)).body, dead.body);
      // Within the period the dead letter can still be retried: it is sent again (refused again here) with its body.
      assert.equal(
        await ts.store.transaction((tx) =>
          retryDead(tx, clock, 'tenant-a', deadId, { kind: 'system', displayName: 'test' }),
        ),
        true,
      );
      assert.equal(await w.worker.runOnce(), 1);
      assert.equal(peer.attempts(), 3, 'the retry reached the SMTP server');
      const deadAgain = await outboxRow(ts.store, deadId);
      assert.equal(deadAgain.state, 'dead');
      assert.equal(openMessage(ts.store.db, deadAgain).text, 'code 135790 for dead@partner.example');

      clock.advance(1);
      const fresh = await queue('new@partner.example');
      assert.equal((await sweepExpired(ts.store, clock)).outbox, 2, 'sent and dead rows go once the period has passed');
      assert.deepEqual(
        (await ts.store.db.selectFrom('outbox').select('id').execute()).map((r) => r.id),
        [fresh],
        'a message still to send stays',
      );
    });

    it('migration 0015 and the start-up step scrub a store holding plaintext bodies', async () => {
      const ts = await createTestStore(kind, { migrate: false });
      cleanup.push(() => ts.dispose());
      const names = Object.keys(migrations).sort();
      const mine = names.indexOf('0015-outbox-at-rest');
      const migrator = new Migrator({
        db: ts.store.db,
        provider: { getMigrations: async () => migrations },
        ...(ts.pgSchema && { migrationTableSchema: ts.pgSchema }),
      });
      const older = await migrator.migrateTo(names[mine - 1]!);
      assert.equal(older.error, undefined);

      // A shortcut that cannot be avoided: the rows an older release wrote (the whole message, body included, in
      // `message`) exist only in a store built before this migration, so they are inserted as that release did.
      const ticket = newSecret(32);
      const code = '246813';
      const old = (id: string, state: 'pending' | 'sent' | 'dead') => ({
        tenant_id: 'tenant-a',
        id,
        kind: 'invitation',
        state,
        attempts: state === 'pending' ? 0 : 1,
        next_attempt_at: '2026-01-01T00:00:00.000Z',
        claimed_until: null,
        last_error: state === 'dead' ? '550 no' : null,
        created_at: '2026-01-01T00:00:00.000Z',
        sent_at: state === 'sent' ? '2026-01-01T00:00:01.000Z' : null,
        message: JSON.stringify({
          fromName: 'Contoso via Portico',
          to: [`${state}@partner.example`],
          subject: 'You were invited',
          text: `Open https://p.example/redeem?ticket=${ticket} or type ${code}`,
          html: `<a href="https://p.example/redeem?ticket=${ticket}">${code}</a>`,
        }),
      });
      await ts.store.db
        .insertInto('outbox')
        .values([old('a', 'sent'), old('b', 'pending'), old('c', 'dead')])
        .execute();

      await ts.store.migrate();
      await prepareAtRest(ts.store, keysOf(ts.store.db), silent);
      const rows = await ts.store.db.selectFrom('outbox').selectAll().orderBy('id').execute();
      assert.deepEqual(
        rows.map((r) => [r.id, r.state, r.body === null ? null : isSealed(r.body)]),
        [
          ['a', 'sent', null],
          ['b', 'pending', true],
          ['c', 'dead', true],
        ],
      );
      for (const r of rows) {
        const envelope = JSON.parse(r.message);
        assert.deepEqual(
          [envelope.to, envelope.subject, envelope.text, envelope.html],
          [[`${r.state}@partner.example`], 'You were invited', undefined, undefined],
        );
      }
      assert.deepEqual(
        await findSecrets(ts, [ticket, code], { files: false }),
        [],
        'no table holds the ticket or the code',
      );
      assert.equal(
        openMessage(ts.store.db, rows[1]!).text,
        `Open https://p.example/redeem?ticket=${ticket} or type ${code}`,
        'the queued message is intact',
      );
      assert.match(openMessage(ts.store.db, rows[2]!).html ?? '', new RegExp(ticket));

      // Idempotent: a second start changes nothing; and a body still in clear (an older node writing during an
      // upgrade) is sealed by the next start.
      await prepareAtRest(ts.store, keysOf(ts.store.db), silent);
      assert.deepEqual(
        (await ts.store.db.selectFrom('outbox').select('body').orderBy('id').execute()).map((r) => r.body),
        rows.map((r) => r.body),
      );

      const port = await freePort();
      const peer = await startSmtpPeer({ port });
      cleanup.push(() => peer.close());
      const w = startWorker(ts.store, new ManualClock(new Date('2026-01-02T00:00:00.000Z')), port);
      cleanup.push(() => w.close());
      assert.equal(await w.worker.runOnce(), 1, 'the scrubbed pending message is delivered');
      const [delivered] = await peer.parsed();
      assert.match(delivered!.text ?? '', new RegExp(`ticket=${ticket}`));
    });
  });
}

async function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
}
