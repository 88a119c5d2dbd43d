// `invite`: POST /v1.0/invitations, one per request, each queueing its email; the outbox workers deliver into the
// loopback SMTP sink while the load runs, and the run waits until every email has arrived.
import { startCluster } from '../cluster.ts';
import { measure, type Report } from '../harness.ts';
import { baseline, managementApi, minimalTransaction, type Args } from './common.ts';

export async function inviteScenario(a: Args): Promise<Report> {
  let delivered = 0;
  const c = await startCluster({ store: a.store, nodes: a.nodes, onMail: () => { delivered++; } });
  try {
    const { api } = await managementApi(c);
    let n = 0;
    const warmup = Math.min(200, a.ops);
    const figures = await measure(async () => {
      const res = await api('POST', '/v1.0/invitations', { invitedUserEmailAddress: `guest${n++}@partner${n % 97}.example`, inviteRedirectUrl: 'https://apps.bench.example/', sendInvitationMessage: true });
      if (res.status !== 201) throw new Error(String(res.status));
    }, { concurrency: a.clients, operations: a.ops, warmup });
    const expected = a.ops + warmup - figures.errors;
    const started = performance.now();
    while (delivered < expected && performance.now() - started < 120_000) await new Promise((resolve) => setTimeout(resolve, 100));
    const floor = await minimalTransaction(c, a.clients);
    return {
      scenario: 'invite', store: a.store, nodes: a.nodes, concurrency: a.clients, ...figures, peakRssMb: c.peakRssMb(),
      baselines: { 'one minimal transaction on the same store': baseline(figures, floor) },
      note: `${delivered} of ${expected} invitation emails reached the SMTP sink, ${((performance.now() - started) / 1000).toFixed(1)} s after the last invitation.`,
    };
  } finally {
    await c.close();
  }
}
