// `invite`: POST /v1.0/invitations, one per request, each queueing its email; the outbox workers deliver into the
// loopback SMTP sink while the load runs, and the run waits until every email has arrived. Then, with Portico
// stopped, the Better Auth peer does the same with its organization plugin (bench/peer/better-auth.ts). Both are
// loaded by autocannon from a generator process of its own (bench/load/), each request with a new address. The nodes
// count their SQL statements, and the report gives them per invitation, its email's delivery included.
import { startCluster } from '../cluster.ts';
import type { Figures, Report } from '../harness.ts';
import { load } from '../load/index.ts';
import { BETTER_AUTH_VERSION, startBetterAuth } from '../peer/better-auth.ts';
import { baseline, managementApi, minimalTransaction, statementCount, type Args } from './common.ts';

/** Waits until `count()` reaches `expected` (two minutes at most); says how many arrived and how long it took. */
async function mailArrival(count: () => number, expected: number): Promise<string> {
  const started = performance.now();
  while (count() < expected && performance.now() - started < 120_000)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return `${count()} of ${expected} invitation emails reached the SMTP sink, ${((performance.now() - started) / 1000).toFixed(1)} s after the last invitation.`;
}

export async function inviteScenario(a: Args): Promise<Report> {
  let delivered = 0;
  const warmup = Math.min(200, a.ops);
  const c = await startCluster({
    built: true,
    store: a.store,
    nodes: a.nodes,
    onMail: () => {
      delivered++;
    },
    countStatements: true,
  });
  let portico: Omit<Report, 'baselines'>;
  let floor: Figures;
  try {
    const { token } = await managementApi(c);
    const counting = await statementCount(c);
    const figures = await load({
      kind: 'http',
      url: c.baseUrl,
      method: 'POST',
      path: '/v1.0/invitations',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      bodyTemplate: JSON.stringify({
        invitedUserEmailAddress: 'guest{n}@partner{n%97}.example',
        inviteRedirectUrl: 'https://apps.bench.example/',
        sendInvitationMessage: true,
      }),
      status: 201,
      connections: a.connections,
      operations: a.ops,
      warmup,
    });
    const note = await mailArrival(() => delivered, a.ops + warmup - figures.errors);
    const statements = await counting.done(a.ops + warmup);
    floor = await minimalTransaction(c, a.clients);
    portico = {
      scenario: 'invite',
      store: a.store,
      nodes: a.nodes,
      concurrency: a.connections,
      ...figures,
      peakRssMb: c.peakRssMb(),
      statements,
      note: `${note} Statements per operation: every statement the nodes ran from the warm-up's start to the last email's delivery, over the ${a.ops + warmup} invitations (warm-up included).`,
    };
  } finally {
    await c.close();
  }

  // The peer runs as one process even when Portico ran two, with the same clients and operations.
  let peerMail = 0;
  const peer = await startBetterAuth({
    store: a.store,
    onMail: () => {
      peerMail++;
    },
  });
  try {
    const figures = await load({
      kind: 'http',
      url: peer.url,
      method: 'POST',
      ...peer.invitations(),
      status: 200,
      connections: a.connections,
      operations: a.ops,
      warmup,
    });
    const mailed = await mailArrival(() => peerMail, a.ops + warmup - figures.errors);
    const errors = figures.errors ? `, ${figures.errors} errors (first: ${figures.firstError})` : '';
    return {
      ...portico,
      baselines: {
        'one minimal transaction on the same store': baseline(portico, floor),
        [`Better Auth ${BETTER_AUTH_VERSION} organization invite-member, one process, same store`]: baseline(
          portico,
          figures,
        ),
      },
      note: `${portico.note}\nBetter Auth: p50/p95/p99 ${figures.p50Ms}/${figures.p95Ms}/${figures.p99Ms} ms${errors}, peak RSS ${peer.peakRssMb()} MB; ${mailed}`,
    };
  } finally {
    await peer.close();
  }
}
