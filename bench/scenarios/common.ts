// What every scenario gets from the command line, and the small things they share.
import { generateKeyPair, SignJWT } from 'jose';

import { apiClient, appToken } from '../../test/helpers/server.ts';
import type { StoreKind } from '../../test/helpers/stores.ts';
import type { Cluster } from '../cluster.ts';
import { measure, statementsPerOperation, type Figures, type StatementsPerOperation } from '../harness.ts';

export interface Args {
  store: StoreKind;
  nodes: 1 | 2;
  clients: number;
  /** the load generator's connections for the scenarios that repeat one request (--connections, default --clients) */
  connections: number;
  ops: number;
  users: number;
  rows: number;
}

export const ratio = (ours: number, limit: number) => Math.round((ours / limit) * 1000) / 1000;
export const baseline = (ours: Figures, limit: Figures) => ({
  throughput: limit.throughput,
  ratio: ratio(ours.throughput, limit.throughput),
});

/** The management API of the cluster's tenant, with a client-credentials token. */
export async function managementApi(c: Cluster) {
  const token = await appToken(
    c.baseUrl,
    c.tenant.tenantId,
    c.tenant.apiClient.clientId,
    c.tenant.apiClient.clientSecret,
  );
  return { token, api: apiClient(c.baseUrl, token) };
}

/** One committed transaction doing the least a write can: the floor under every write path on this store. */
export const minimalTransaction = (c: Cluster, clients: number) =>
  measure(
    async () => {
      await c.store.store.transaction((tx) =>
        tx
          .insertInto('deployment')
          .values({ key: `bench-${Math.random()}`, value: 'x' })
          .execute(),
      );
    },
    { concurrency: clients, operations: 2000, warmup: 200 },
  );

/** One JWT signature with the given algorithm (Portico's: ES256 access tokens, RS256 ID tokens), on one core. */
export async function oneSignature(alg: 'ES256' | 'RS256'): Promise<Figures> {
  const { privateKey } = await generateKeyPair(alg);
  return measure(
    async () => {
      await new SignJWT({ a: 1 }).setProtectedHeader({ alg }).sign(privateKey);
    },
    { concurrency: 1, operations: 2000, warmup: 200 },
  );
}

/**
 * Counts the nodes' SQL statements over a run (the cluster must count them: `countStatements`): what idle nodes run
 * in one second first (the outbox workers' polls), then the counts when the run starts and when it ends.
 */
export async function statementCount(c: Cluster) {
  const idleFrom = await c.statements();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = await c.statements();
  const idle = [...before].reduce((sum, [text, n]) => sum + n - (idleFrom.get(text) ?? 0), 0);
  return {
    done: async (operations: number): Promise<StatementsPerOperation> =>
      statementsPerOperation(before, await c.statements(), operations, idle),
  };
}
