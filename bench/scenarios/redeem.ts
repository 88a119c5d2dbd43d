// `redeem`: the whole passcode redemption per operation: the link, Accept invitation, the code mailed through the
// outbox and read from the SMTP sink, the code typed, Review permissions accepted, the redirect.
import { startCluster } from '../cluster.ts';
import { codeBox, redeem } from '../flows.ts';
import { measure, type Report } from '../harness.ts';
import { baseline, managementApi, minimalTransaction, type Args } from './common.ts';

export async function redeemScenario(a: Args): Promise<Report> {
  const codes = codeBox();
  const c = await startCluster({ store: a.store, nodes: a.nodes, onMail: (m) => codes.onMail(m) });
  try {
    const { api } = await managementApi(c);
    const warmup = Math.min(100, a.ops);
    const invitations: { url: string; email: string }[] = [];
    for (let i = 0; i < a.ops + warmup; i++) {
      const email = `guest${i}@partner${i % 97}.example`;
      const res = await api('POST', '/v1.0/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: `${c.baseUrl}/myapps`, sendInvitationMessage: false });
      if (res.status !== 201) throw new Error(`inviting: ${res.status}`);
      invitations.push({ url: res.body.inviteRedeemUrl, email });
    }
    let n = 0;
    const figures = await measure(async () => {
      const inv = invitations[n++]!;
      await redeem(c.baseUrl, inv.url, inv.email, codes);
    }, { concurrency: a.clients, operations: a.ops, warmup });
    const floor = await minimalTransaction(c, a.clients);
    return {
      scenario: 'redeem', store: a.store, nodes: a.nodes, concurrency: a.clients, ...figures, peakRssMb: c.peakRssMb(),
      baselines: { 'one minimal transaction on the same store': baseline(figures, floor) },
      note: 'Each operation is five page requests and four form posts, and waits for the code email (outbox poll 50 ms).',
    };
  } finally {
    await c.close();
  }
}
