// `client-credentials`: the token endpoint with a client secret, keep-alive, against one ES256 signature (the access
// token's algorithm) and a bare oidc-provider issuing the same ES256 JWT access tokens.
import { issuerFor } from '../../src/oidc/urls.ts';
import { bareClientCredentials, startBare } from '../bare.ts';
import { startCluster } from '../cluster.ts';
import { measure, type Report } from '../harness.ts';
import { baseline, oneSignature, type Args } from './common.ts';

export async function clientCredentialsScenario(a: Args): Promise<Report> {
  const c = await startCluster({ store: a.store, nodes: a.nodes });
  try {
    const url = `${issuerFor(c.baseUrl, c.tenant.tenantId)}/token`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.tenant.apiClient.clientId,
      client_secret: c.tenant.apiClient.clientSecret,
      resource: `${c.baseUrl}/v1.0`,
    }).toString();
    const figures = await measure(
      async () => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        if (res.status !== 200) throw new Error(String(res.status));
        await res.arrayBuffer();
      },
      { concurrency: a.clients, operations: a.ops, warmup: Math.min(500, a.ops) },
    );
    const floor = await oneSignature('ES256');
    const bare = await startBare();
    const peer = await measure(() => bareClientCredentials(bare.url), {
      concurrency: a.clients,
      operations: a.ops,
      warmup: Math.min(500, a.ops),
    }).finally(() => bare.close());
    return {
      scenario: 'client-credentials',
      store: a.store,
      nodes: a.nodes,
      concurrency: a.clients,
      ...figures,
      peakRssMb: c.peakRssMb(),
      baselines: {
        'bare oidc-provider 9, ES256 JWT access tokens, in-memory': baseline(figures, peer),
        'one ES256 JWT signature': baseline(figures, floor),
      },
    };
  } finally {
    await c.close();
  }
}
