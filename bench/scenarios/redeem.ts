// `redeem`: the whole passcode redemption per operation: the link, Accept invitation, the code mailed through the
// outbox and read from the SMTP sink, the code typed, Review permissions accepted, the redirect. Then, with Portico
// stopped, the Better Auth peer's email OTP sign-in: a code mailed to a new address, read from its SMTP sink, typed.
import { startCluster } from '../cluster.ts';
import { codeBox, redeem } from '../flows.ts';
import { measure, type Figures, type Report } from '../harness.ts';
import { BETTER_AUTH_VERSION, startBetterAuth } from '../peer/better-auth.ts';
import { baseline, managementApi, minimalTransaction, type Args } from './common.ts';

export async function redeemScenario(a: Args): Promise<Report> {
  const codes = codeBox();
  const warmup = Math.min(100, a.ops);
  const c = await startCluster({ store: a.store, nodes: a.nodes, onMail: (m) => codes.onMail(m) });
  let portico: Omit<Report, 'baselines'>;
  let floor: Figures;
  try {
    const { api } = await managementApi(c);
    const invitations: { url: string; email: string }[] = [];
    for (let i = 0; i < a.ops + warmup; i++) {
      const email = `guest${i}@partner${i % 97}.example`;
      const res = await api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: `${c.baseUrl}/myapps`,
        sendInvitationMessage: false,
      });
      if (res.status !== 201) throw new Error(`inviting: ${res.status}`);
      invitations.push({ url: res.body.inviteRedeemUrl, email });
    }
    let n = 0;
    const figures = await measure(
      async () => {
        const inv = invitations[n++]!;
        await redeem(c.baseUrl, inv.url, inv.email, codes);
      },
      { concurrency: a.clients, operations: a.ops, warmup },
    );
    floor = await minimalTransaction(c, a.clients);
    portico = {
      scenario: 'redeem',
      store: a.store,
      nodes: a.nodes,
      concurrency: a.clients,
      ...figures,
      peakRssMb: c.peakRssMb(),
      note: 'Each operation is five page requests and four form posts, and waits for the code email (outbox poll 50 ms).',
    };
  } finally {
    await c.close();
  }

  // The peer runs as one process even when Portico ran two, with the same clients and operations.
  const peerCodes = codeBox();
  const peer = await startBetterAuth({ store: a.store, onMail: (m) => peerCodes.onMail(m) });
  try {
    const figures = await measure(() => peer.otpSignIn(peerCodes), {
      concurrency: a.clients,
      operations: a.ops,
      warmup,
    });
    const errors = figures.errors ? `, ${figures.errors} errors (first: ${figures.firstError})` : '';
    return {
      ...portico,
      baselines: {
        'one minimal transaction on the same store': baseline(portico, floor),
        [`Better Auth ${BETTER_AUTH_VERSION} email OTP sign-in, one process, same store`]: baseline(portico, figures),
      },
      note:
        `${portico.note}\nBetter Auth: two JSON posts (send-verification-otp, sign-in/email-otp) and the code email between them; ` +
        `p50/p95/p99 ${figures.p50Ms}/${figures.p95Ms}/${figures.p99Ms} ms${errors}, peak RSS ${peer.peakRssMb()} MB.`,
    };
  } finally {
    await peer.close();
  }
}
