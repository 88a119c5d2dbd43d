// `login`: authorization code + PKCE with a member's password (argon2id at the configured cost) to tokens. The flow,
// Portico's and the bare provider's alike, runs in a generator process of its own (bench/load/).
import { hashPassword, verifyPassword } from '../../src/secrets.ts';
import { startBare } from '../bare.ts';
import { DEFAULT_COST, startCluster } from '../cluster.ts';
import type { AppClient } from '../flows.ts';
import { cpuPerOperation, measure, type Report } from '../harness.ts';
import { load } from '../load/index.ts';
import { baseline, managementApi, statementCount, type Args } from './common.ts';

/** Password attempts allowed per account in 15 minutes (src/signins/lockout.ts): each account is used fewer times. */
const PER_ACCOUNT = 8;

export async function loginScenario(a: Args): Promise<Report> {
  const c = await startCluster({ store: a.store, nodes: a.nodes, built: true, countStatements: true });
  try {
    const { api } = await managementApi(c);
    const redirectUri = 'https://app.bench.example/callback';
    const created = await api('POST', '/v1.0/applications', {
      displayName: 'Bench app',
      web: { redirectUris: [redirectUri] },
    });
    if (created.status !== 201)
      throw new Error(`registering the app: ${created.status} ${JSON.stringify(created.body)}`);
    const app: AppClient = {
      clientId: created.body.appId,
      clientSecret: created.body.passwordCredentials[0].secretText,
      redirectUri,
    };
    const warmup = Math.min(200, a.ops);
    const accounts = Math.ceil((a.ops + warmup) / PER_ACCOUNT) + 1;
    const password = 'bench-password-1';
    for (let i = 0; i < accounts; i++) {
      const res = await api('POST', '/v1.0/users', {
        accountEnabled: true,
        displayName: `Member ${i}`,
        mailNickname: `m${i}`,
        userPrincipalName: `m${i}@${c.tenant.initialDomain}`,
        passwordProfile: { password },
      });
      if (res.status !== 201) throw new Error(`creating members: ${res.status}`);
    }
    const counting = await statementCount(c);
    const figures = await cpuPerOperation(c.pids, a.ops + warmup, () =>
      load({
        kind: 'flow',
        flow: {
          name: 'login',
          baseUrl: c.baseUrl,
          tenantId: c.tenant.tenantId,
          app,
          domain: c.tenant.initialDomain,
          accounts,
          password,
        },
        concurrency: a.clients,
        operations: a.ops,
        warmup,
      }),
    );
    const statements = await counting.done(a.ops + warmup);
    const cost = {
      memoryCost: Number(DEFAULT_COST.PORTICO_ARGON2_MEMORY_KIB),
      timeCost: Number(DEFAULT_COST.PORTICO_ARGON2_TIME_COST),
    };
    const hash = await hashPassword(password, cost);
    const verify = await measure(
      async () => {
        await verifyPassword(password, hash);
      },
      { concurrency: 2, operations: 300, warmup: 20 },
    );
    const bare = await startBare();
    const peer = await cpuPerOperation([bare.pid], a.ops + warmup, () =>
      load({
        kind: 'flow',
        flow: { name: 'bare-login', url: bare.url },
        concurrency: a.clients,
        operations: a.ops,
        warmup,
      }),
    ).finally(() => bare.close());
    return {
      scenario: 'login',
      store: a.store,
      nodes: a.nodes,
      concurrency: a.clients,
      ...figures,
      peakRssMb: c.peakRssMb(),
      statements,
      cpuMsPerOp: { Portico: figures.cpuMsPerOp, 'bare oidc-provider': peer.cpuMsPerOp },
      baselines: {
        'bare oidc-provider 9 with a password form (same argon2id cost)': baseline(figures, peer),
        'argon2id verify (19 MiB, t=2), two at a time': baseline(figures, verify),
      },
      note: `Each operation: authorize, the identifier and password pages, the redirect with the code, the code exchanged with PKCE and a client secret; ${accounts} members used in turn.`,
    };
  } finally {
    await c.close();
  }
}
