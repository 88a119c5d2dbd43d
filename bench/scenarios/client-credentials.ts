// `client-credentials`: the token endpoint with a client secret, keep-alive, against one ES256 signature (the access
// token's algorithm) and a bare oidc-provider issuing the same ES256 JWT access tokens. Both are loaded the same way:
// autocannon in a generator process of its own (bench/load/), with --connections connections.
import { issuerFor } from '../../src/oidc/urls.ts';
import { BARE } from '../bare-config.ts';
import { startBare } from '../bare.ts';
import { startCluster } from '../cluster.ts';
import { cpuPerOperation, type Report } from '../harness.ts';
import { load } from '../load/index.ts';
import { baseline, oneSignature, statementCount, type Args } from './common.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export async function clientCredentialsScenario(a: Args): Promise<Report> {
  const c = await startCluster({ store: a.store, nodes: a.nodes, built: true, countStatements: true });
  const run = { connections: a.connections, operations: a.ops, warmup: Math.min(500, a.ops), status: 200 };
  try {
    const counting = await statementCount(c);
    const figures = await cpuPerOperation(c.pids, a.ops + run.warmup, () =>
      load({
        kind: 'http',
        url: c.baseUrl,
        method: 'POST',
        path: new URL(`${issuerFor(c.baseUrl, c.tenant.tenantId)}/token`).pathname,
        headers: FORM,
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: c.tenant.apiClient.clientId,
          client_secret: c.tenant.apiClient.clientSecret,
          resource: `${c.baseUrl}/v1.0`,
        }).toString(),
        ...run,
      }),
    );
    const statements = await counting.done(a.ops + run.warmup);
    const floor = await oneSignature('ES256');
    const bare = await startBare();
    const peer = await cpuPerOperation([bare.pid], a.ops + run.warmup, () =>
      load({
        kind: 'http',
        url: bare.url,
        method: 'POST',
        path: '/token',
        headers: FORM,
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: BARE.clientId,
          client_secret: BARE.clientSecret,
          resource: BARE.resource,
        }).toString(),
        ...run,
      }),
    ).finally(() => bare.close());
    const peerErrors = peer.errors ? ` The bare provider had ${peer.errors} errors (first: ${peer.firstError}).` : '';
    return {
      scenario: 'client-credentials',
      store: a.store,
      nodes: a.nodes,
      concurrency: a.connections,
      ...figures,
      peakRssMb: c.peakRssMb(),
      statements,
      cpuMsPerOp: { Portico: figures.cpuMsPerOp, 'bare oidc-provider': peer.cpuMsPerOp },
      baselines: {
        'bare oidc-provider 9, ES256 JWT access tokens, in-memory': baseline(figures, peer),
        'one ES256 JWT signature': baseline(figures, floor),
      },
      note: `Load: autocannon in its own process, ${a.connections} keep-alive connections, for Portico and the bare provider alike; the bare provider's p50/p95/p99 ${peer.p50Ms} / ${peer.p95Ms} / ${peer.p99Ms} ms.${peerErrors}`,
    };
  } finally {
    await c.close();
  }
}
