// An SMTP outage of a minute against Portico as production runs it (server processes, the pooled production
// transport, default poll and claim settings): the SMTP port refuses connections for 60 s, then a real smtp-server
// listens on it. Every queued invitation email arrives exactly once within a minute of SMTP's return, and SIGTERM
// during the outage stops a server within 10 s. Before issue #16, five refused connects leaked all five pool slots:
// nothing was delivered after SMTP returned and SIGTERM did not stop the process.
// Both stores share the one outage (a server process each), so the suite takes about 75 s, not 150 s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { freePort } from '../helpers/net.ts';
import { storeKinds } from '../helpers/stores.ts';
import { startSmtpPeer, type SmtpPeer } from './peer.ts';
import { startMailNode, waitFor, type MailNode } from './processes.ts';

const OUTAGE_MS = 60_000;
const INVITATIONS = 20;

describe('an SMTP outage of a minute', () => {
  const kinds = storeKinds()
    .filter((k) => !k.skip)
    .map((k) => k.kind);
  let smtpPort: number;
  let nodes: MailNode[] = [];
  let peer: SmtpPeer | undefined;
  let outageStarted: number;

  before(async () => {
    // Nothing listens here until the outage ends: every connect is refused.
    smtpPort = await freePort();
    outageStarted = Date.now();
    nodes = await Promise.all(kinds.map((kind) => startMailNode(kind, `smtp://127.0.0.1:${smtpPort}`)));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await peer?.close();
  });

  it(`delivers every queued message exactly once within a minute of SMTP's return, and SIGTERM stops a server within 10 s (${kinds.join(', ')})`, async (t) => {
    const invited = await Promise.all(nodes.map((n, i) => n.invite(INVITATIONS, `outage${i}-`)));

    // The workers tried (the breaker then probes one message at a time), without counting it against the messages.
    for (const n of nodes) {
      // A message of the first batch (or a probe) is 'sending' for the moment its refused connect takes: wait until
      // every outcome is recorded, then each message is back in the queue with its attempt uncounted.
      let rows = await n.outbox();
      const settled = await waitFor(async () => {
        rows = await n.outbox();
        return rows.some((m) => /ECONNREFUSED/.test(m.lastError ?? '')) && rows.every((m) => m.state === 'pending');
      }, 10_000);
      assert.equal(rows.length, INVITATIONS);
      assert.ok(
        settled && rows.every((m) => m.attempts === 0),
        JSON.stringify(rows.map((m) => [m.state, m.attempts, m.lastError])),
      );
    }

    // SIGTERM in the middle of the outage: each process exits within 10 s, then starts again on the same data.
    for (const n of nodes) {
      const ms = await n.server.stop('SIGTERM');
      assert.ok(ms < 10_000, `exited ${ms} ms after SIGTERM`);
      t.diagnostic(`exited ${ms} ms after SIGTERM during the outage`);
      assert.equal(n.server.child.exitCode, 0, n.server.output());
    }
    await Promise.all(nodes.map((n) => n.restart()));

    // The outage ends: a real SMTP server on the port that refused.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageStarted + OUTAGE_MS - Date.now())));
    peer = await startSmtpPeer({ port: smtpPort });
    const back = Date.now();
    const expected = INVITATIONS * nodes.length;
    const arrived = await waitFor(() => peer!.accepted().length >= expected, 60_000);
    const tookMs = Date.now() - back;
    assert.ok(arrived, `${peer.accepted().length} of ${expected} messages arrived within a minute`);
    t.diagnostic(
      `${expected} messages delivered ${tookMs} ms after SMTP returned, after a ${back - outageStarted} ms outage`,
    );

    // Exactly once: each outbox message once, and nothing more arrives.
    await waitFor(
      async () => (await Promise.all(nodes.map((n) => n.outbox()))).flat().every((m) => m.state === 'sent'),
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ids = await peer.acceptedIds();
    assert.equal(ids.length, expected);
    const outboxes = await Promise.all(nodes.map((n) => n.outbox()));
    assert.deepEqual(
      [...ids].sort(),
      outboxes
        .flat()
        .map((m) => m.id)
        .sort(),
    );
    for (const rows of outboxes)
      assert.ok(
        rows.every((m) => m.state === 'sent' && m.attempts === 1 && !m.resentAfterUnknownOutcome),
        JSON.stringify(rows),
      );
    assert.deepEqual(
      peer
        .acceptedRecipients()
        .flat()
        .filter((a) => a.startsWith('outage'))
        .sort(),
      invited.flat().sort(),
    );
  });
});
