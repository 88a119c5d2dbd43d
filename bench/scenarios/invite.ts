// `invite`: POST /v1.0/invitations, one per request, each queueing its email; the outbox workers deliver into the
// loopback SMTP sink while the load runs, and the run waits until every email has arrived. Then, with Portico
// stopped, the Better Auth peer does the same with its organization plugin (bench/peer/better-auth.ts).
import { startCluster } from '../cluster.ts';
import { measure, type Figures, type Report } from '../harness.ts';
import { BETTER_AUTH_VERSION, startBetterAuth } from '../peer/better-auth.ts';
import { baseline, managementApi, minimalTransaction, type Args } from './common.ts';

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
    store: a.store,
    nodes: a.nodes,
    onMail: () => {
      delivered++;
    },
  });
  let portico: Omit<Report, 'baselines'>;
  let floor: Figures;
  try {
    const { api } = await managementApi(c);
    let n = 0;
    const figures = await measure(
      async () => {
        const res = await api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: `guest${n++}@partner${n % 97}.example`,
          inviteRedirectUrl: 'https://apps.bench.example/',
          sendInvitationMessage: true,
        });
        if (res.status !== 201) throw new Error(String(res.status));
      },
      { concurrency: a.clients, operations: a.ops, warmup },
    );
    const note = await mailArrival(() => delivered, a.ops + warmup - figures.errors);
    floor = await minimalTransaction(c, a.clients);
    portico = {
      scenario: 'invite',
      store: a.store,
      nodes: a.nodes,
      concurrency: a.clients,
      ...figures,
      peakRssMb: c.peakRssMb(),
      note,
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
    const figures = await measure(() => peer.invite(), { concurrency: a.clients, operations: a.ops, warmup });
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
