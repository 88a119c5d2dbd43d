// kill -9 between the SMTP server accepting a message and Portico recording it as sent: the SMTP sink takes the
// third message in, SIGKILLs the server process, and only then answers 250 (to nobody). After a restart every
// message arrives; the ones whose outcome was unknown arrive again, with the same Message-ID as the first time, and
// the outbox shows them as resent after an unknown outcome.
// The claim lifetime is PORTICO_OUTBOX_CLAIM_MS=2000 (documented in the README) instead of the default two minutes,
// which would make this test wait two minutes for the same code path. Both stores run at once.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import { messageIdOf } from '../../src/mail/worker.ts';
import { openAdmin } from '../helpers/admin.ts';
import { CookieJar } from '../helpers/signin.ts';
import { storeKinds } from '../helpers/stores.ts';
import { startMailNode, waitFor, type MailNode } from './processes.ts';

const MESSAGES = 10;
const KILL_AT = 3;
const FROM = 'no-reply@portico.localhost';

interface Received {
  outboxId: string;
  messageId: string;
  to: string;
}

/** An SMTP sink that, at its `killAt`-th message, SIGKILLs `victim()` after storing the message and before its 250. */
async function killingSink(killAt: number, victim: () => MailNode) {
  const received: Received[] = [];
  let killed = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void simpleParser(Buffer.concat(chunks)).then(async (m) => {
          received.push({
            outboxId: String(m.headers.get('x-portico-message-id')),
            messageId: String(m.messageId),
            to: m.to && !Array.isArray(m.to) ? m.to.text : '',
          });
          if (!killed && received.length === killAt) {
            killed = true;
            const node = victim();
            node.server.child.kill('SIGKILL');
            await node.server.exited;
          }
          callback();
        });
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as { port: number }).port,
    received,
    killed: () => killed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('kill -9 between SMTP acceptance and the outcome record', { concurrency: true }, () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  for (const { kind, skip } of storeKinds()) {
    it(
      `delivers every message after a restart; a resend carries the first one's Message-ID and is shown as such (${kind})`,
      { skip },
      async () => {
        const target: { node?: MailNode } = {};
        const sink = await killingSink(KILL_AT, () => target.node!);
        cleanup.push(() => sink.close());
        const node = (target.node = await startMailNode(kind, `smtp://127.0.0.1:${sink.port}`, {
          PORTICO_OUTBOX_CLAIM_MS: '2000',
          PORTICO_MAIL_FROM: FROM,
        }));
        cleanup.push(() => node.close());

        await node.invite(MESSAGES, `crash-${kind}-`).catch(() => undefined);
        assert.ok(await waitFor(() => sink.killed(), 20_000), 'the sink killed the server');
        await node.server.exited;
        assert.equal(node.server.child.signalCode, 'SIGKILL');

        await node.restart();
        // Queued before the kill or not, every invitation is in the outbox; wait until all are sent.
        assert.ok(
          await waitFor(async () => {
            const rows = await node.outbox();
            return rows.length > 0 && rows.every((m) => m.state === 'sent');
          }, 30_000),
          JSON.stringify(await node.outbox()),
        );
        const rows = await node.outbox();

        const byId = new Map<string, Received[]>();
        for (const r of sink.received) byId.set(r.outboxId, [...(byId.get(r.outboxId) ?? []), r]);
        assert.deepEqual([...byId.keys()].sort(), rows.map((m) => m.id).sort(), 'every message arrived');
        for (const [id, copies] of byId) {
          assert.ok(copies.length <= 2, `${id} arrived ${copies.length} times`);
          for (const c of copies)
            assert.equal(c.messageId, messageIdOf(id, FROM), 'every copy carries the Message-ID of the outbox message');
        }
        // The killed delivery arrived twice, and the outbox says the message went again after an unknown outcome.
        const killedId = sink.received[KILL_AT - 1]!.outboxId;
        assert.equal(byId.get(killedId)!.length, 2);
        const resent = rows.filter((m) => m.resentAfterUnknownOutcome).map((m) => m.id);
        assert.ok(resent.includes(killedId), JSON.stringify(rows));
        for (const [id, copies] of byId)
          if (copies.length === 2) assert.ok(resent.includes(id), `${id} came twice but is not shown as resent`);
        // The admin center's outbox says so too, once per such message.
        const admin = await openAdmin(
          node,
          new CookieJar(),
          `${node.baseUrl}/admin/${node.tenantId}/outbox`,
          node.admin,
        );
        assert.equal(admin.status, 200);
        assert.equal(admin.page.match(/Resent after an unknown outcome/g)?.length, resent.length);
      },
    );
  }
});
