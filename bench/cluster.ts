// The system under test for a benchmark: a fresh store, a tenant made by the real CLI, one or two Portico processes
// (`src/main.ts`, as `npm start` runs it) sharing that store, a round-robin balancer in front of two, and a loopback
// SMTP sink receiving what they send. The load comes from generator processes of its own (bench/load/), and the
// servers' memory is their own (peak RSS is read from /proc for each node).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { startMailCatcher, type CaughtMail, type MailCatcher } from '../src/mail/catcher.ts';
import { freePort } from '../test/helpers/net.ts';
import { ROOT, runCli, waitReady } from '../test/helpers/spawn.ts';
import { createTestStore, type StoreKind, type TestStore } from '../test/helpers/stores.ts';
import { startBalancer, type Balancer } from './balancer.ts';
import { profileArgs } from './harness.ts';

export interface Tenant {
  tenantId: string;
  initialDomain: string;
  admin: { userPrincipalName: string; password: string };
  apiClient: { clientId: string; clientSecret: string };
}

export interface Cluster {
  baseUrl: string;
  store: TestStore;
  smtp: MailCatcher;
  tenant: Tenant;
  env: Record<string, string>;
  /** requests the balancer sent to each node (two nodes only) */
  balanced?: number[];
  /** each node's own URL (behind the balancer, when there are two), to send a request to one node */
  nodeUrls: string[];
  /** the nodes' process ids */
  pids: number[];
  /** the largest peak RSS among the nodes, in MB (VmHWM) */
  peakRssMb(): number;
  /** the SQL statements the nodes have run so far, by SQL text, summed over the nodes (`countStatements` only) */
  statements(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  store: StoreKind;
  nodes: 1 | 2;
  env?: Record<string, string>;
  /** sees each message the SMTP sink receives */
  onMail?: (mail: CaughtMail) => void;
  /** the nodes count their SQL statements (src/store/statement-count.ts), read with `statements()` */
  countStatements?: boolean;
  /**
   * Run the compiled server, `dist/main.js`, as `npm start` does (building it first when the sources are newer), not
   * the sources through tsx: what the bench measures is what production runs (tsx's transform adds work per call).
   * Tests leave it off, so they run the sources as they are without a build.
   */
  built?: boolean;
}

/** Password hashing at Portico's default cost (argon2id 19 MiB, t=2): what the login target is stated for. */
export const DEFAULT_COST = { PORTICO_ARGON2_MEMORY_KIB: '19456', PORTICO_ARGON2_TIME_COST: '2' };

/** A process's peak resident memory (VmHWM) in MB, 0 once it is gone. */
export const vmHwmMb = (pid: number): number => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
};

/** Asks a node for its statement counts (SIGUSR2) and reads the line it writes to stdout. */
function countsOf(child: ChildProcess): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(new Error('no statement counts from the node within 5 s')), 5000);
    const onData = (d: Buffer) => {
      text += d;
      const line = /bench-statements (.*)\n/.exec(text)?.[1];
      if (line !== undefined) done(undefined, JSON.parse(line) as Record<string, number>);
    };
    const done = (error?: Error, counts?: Record<string, number>) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      if (error) reject(error);
      else resolve(counts!);
    };
    child.stdout!.on('data', onData);
    child.kill('SIGUSR2');
  });
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const store = await createTestStore(opts.store);
  const smtp = await startMailCatcher({ keep: 100, onMail: opts.onMail });
  const ports = await Promise.all(Array.from({ length: opts.nodes }, () => freePort()));
  const balancer: Balancer | undefined =
    opts.nodes > 1 ? await startBalancer(ports.map((p) => `http://127.0.0.1:${p}`)) : undefined;
  const baseUrl = balancer?.url ?? `http://127.0.0.1:${ports[0]}`;
  const env: Record<string, string> = {
    PORTICO_DATABASE_URL: store.url,
    PORTICO_BASE_URL: baseUrl,
    PORTICO_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    PORTICO_LOG_LEVEL: 'silent',
    PORTICO_DEV: '0',
    PORTICO_OUTBOX_POLL_MS: '50',
    PORTICO_TRUSTED_PROXIES: '127.0.0.1',
    ...DEFAULT_COST,
    ...opts.env,
  };
  const created = await runCli(
    ['tenant', 'create', '--name', 'Bench', '--admin-email', 'admin@bench.portico.localhost', '--json'],
    env,
  );
  if (created.code !== 0) throw new Error(`portico tenant create failed: ${created.stderr}`);
  const tenant = JSON.parse(created.stdout) as Tenant;

  if (opts.built) execFileSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  const server = opts.built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const children: ChildProcess[] = [];
  try {
    for (const port of ports) {
      let output = '';
      // BENCH_CPU_PROF=<dir> writes each node's V8 CPU profile there when it stops (open it in Chrome DevTools).
      const profile = profileArgs();
      const child = spawn(process.execPath, [...profile, ...server], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...env,
          PORTICO_PORT: String(port),
          ...(opts.countStatements && { BENCH_COUNT_STATEMENTS: '1' }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => {
        output += d;
      });
      child.stderr!.on('data', (d: Buffer) => {
        output += d;
      });
      children.push(child);
      await waitReady(`http://127.0.0.1:${port}`, child, () => output);
    }
  } catch (error) {
    for (const c of children) c.kill('SIGKILL');
    throw error;
  }

  return {
    baseUrl,
    store,
    smtp,
    tenant,
    env,
    balanced: balancer?.counts,
    nodeUrls: ports.map((p) => `http://127.0.0.1:${p}`),
    pids: children.map((c) => c.pid!),
    peakRssMb: () => Math.max(...children.map((c) => vmHwmMb(c.pid!))),
    async statements() {
      if (!opts.countStatements) throw new Error('the cluster was started without countStatements');
      const total = new Map<string, number>();
      for (const child of children)
        for (const [text, n] of Object.entries(await countsOf(child))) total.set(text, (total.get(text) ?? 0) + n);
      return total;
    },
    async close() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
      await balancer?.close();
      await smtp.close();
      await store.dispose().catch(() => undefined);
    },
  };
}
