// `redeem`: the whole passcode redemption per operation: the link, Accept invitation, the code mailed through the
// outbox and read from the SMTP sink, the code typed, Review permissions accepted, the redirect. Then, with Portico
// stopped, the Better Auth peer's email OTP sign-in: a code mailed to a new address, read from its SMTP sink, typed.
// Both flows run in a generator process of their own (bench/load/); the bench process forwards the mailed codes to
// it. The nodes count their SQL statements, and the report gives them per redemption.
import type { CaughtMail } from '../../src/mail/catcher.ts';
import { startCluster } from '../cluster.ts';
import type { Figures, Report } from '../harness.ts';
import { startLoad } from '../load/index.ts';
import { BETTER_AUTH_VERSION, startBetterAuth } from '../peer/better-auth.ts';
import { baseline, managementApi, minimalTransaction, statementCount, type Args } from './common.ts';

/** Mail for the generator process, which exists only once the run starts (none is expected before). */
function mailRelay() {
  let to: ((mail: CaughtMail) => void) | undefined;
  return { onMail: (mail: CaughtMail) => to?.(mail), connect: (send: (mail: CaughtMail) => void) => (to = send) };
}

export async function redeemScenario(a: Args): Promise<Report> {
  const relay = mailRelay();
  const warmup = Math.min(100, a.ops);
  const c = await startCluster({
    store: a.store,
    nodes: a.nodes,
    built: true,
    onMail: relay.onMail,
    countStatements: true,
  });
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
    const counting = await statementCount(c);
    const run = startLoad({
      kind: 'flow',
      flow: { name: 'redeem', baseUrl: c.baseUrl, invitations },
      concurrency: a.clients,
      operations: a.ops,
      warmup,
    });
    relay.connect(run.mail);
    const figures = await run.figures;
    const statements = await counting.done(a.ops + warmup);
    floor = await minimalTransaction(c, a.clients);
    portico = {
      scenario: 'redeem',
      store: a.store,
      nodes: a.nodes,
      concurrency: a.clients,
      ...figures,
      peakRssMb: c.peakRssMb(),
      statements,
      note: 'Statements per operation: every statement the nodes ran from the warm-up to the end, over every redemption (warm-up included). Each operation is five page requests and four form posts, and waits for the code email (outbox poll 50 ms).',
    };
  } finally {
    await c.close();
  }

  // The peer runs as one process even when Portico ran two, with the same clients and operations.
  const peerRelay = mailRelay();
  const peer = await startBetterAuth({ store: a.store, onMail: peerRelay.onMail });
  try {
    const run = startLoad({
      kind: 'flow',
      flow: { name: 'otp-sign-in', url: peer.url },
      concurrency: a.clients,
      operations: a.ops,
      warmup,
    });
    peerRelay.connect(run.mail);
    const figures = await run.figures;
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
