// Load loop and report: N concurrent clients on loopback, warm-up then a fixed number of operations; throughput,
// latency percentiles, errors and peak RSS, printed as a table and written to bench/results/<scenario>.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface Figures {
  throughput: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  /** what went wrong first, when anything did */
  firstError?: string;
  operations: number;
}

export async function measure(
  op: () => Promise<void>,
  opts: { concurrency: number; operations: number; warmup: number },
): Promise<Figures> {
  let issued = 0;
  let firstError: string | undefined;
  const run = async (count: number, latencies: number[] | null) => {
    let errors = 0;
    issued = 0;
    const worker = async () => {
      while (issued < count) {
        issued++;
        const start = performance.now();
        try {
          await op();
        } catch (error) {
          if (errors++ === 0) firstError = (error as Error).message;
        }
        latencies?.push(performance.now() - start);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    return errors;
  };
  await run(opts.warmup, null);
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await run(opts.operations, latencies);
  return figuresOf(latencies, (performance.now() - started) / 1000, errors, firstError);
}

/** Throughput and latency percentiles from each operation's latency (ms) and the seconds they took together. */
export function figuresOf(latencies: number[], seconds: number, errors: number, firstError?: string): Figures {
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
  return {
    throughput: round(latencies.length / seconds),
    p50Ms: pct(50),
    p95Ms: pct(95),
    p99Ms: pct(99),
    errors,
    ...(firstError && { firstError }),
    operations: latencies.length,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** `BENCH_CPU_PROF=<dir>`: the node flags that make a process the bench starts write its V8 CPU profile there. */
export const profileArgs = (): string[] =>
  process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];

/** A process's CPU time so far (user + system, from /proc/<pid>/stat, in clock ticks of 10 ms), in ms; 0 once gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * The CPU the processes `pids` spent per operation while `run` ran `operations` operations (its warm-up included):
 * what a request costs the server whatever else shares the machine (throughput on 2 shared cores moves with the
 * load; CPU per operation barely does).
 */
export async function cpuPerOperation<T>(
  pids: number[],
  operations: number,
  run: () => Promise<T>,
): Promise<T & { cpuMsPerOp: number }> {
  const before = pids.map(cpuMs);
  const figures = await run();
  const spent = pids.reduce((sum, pid, i) => sum + cpuMs(pid) - before[i]!, 0);
  return { ...figures, cpuMsPerOp: Math.round((spent / operations) * 1000) / 1000 };
}

/** The SQL statements the nodes ran per operation, from their counts before and after (bench/cluster.ts). */
export interface StatementsPerOperation {
  total: number;
  /** by the statement's first word: select, insert, update, delete, begin, commit, savepoint, release, ... */
  byKind: Record<string, number>;
  /** the most frequent statements, per operation */
  top: { perOperation: number; sql: string }[];
  /** what the idle nodes ran per second before the load (the outbox workers' polls), included in the figures */
  idlePerSecond: number;
}

export function statementsPerOperation(
  before: Map<string, number>,
  after: Map<string, number>,
  operations: number,
  idlePerSecond: number,
): StatementsPerOperation {
  const delta = [...after]
    .map(([text, n]): [string, number] => [text, n - (before.get(text) ?? 0)])
    .filter(([, n]) => n);
  const byKind: Record<string, number> = {};
  for (const [text, n] of delta) {
    const kind = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
    byKind[kind] = (byKind[kind] ?? 0) + n;
  }
  const per = (n: number) => round(n / operations);
  return {
    total: per(delta.reduce((sum, [, n]) => sum + n, 0)),
    byKind: Object.fromEntries(
      Object.entries(byKind)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => [k, per(n)]),
    ),
    top: delta
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([text, n]) => ({ perOperation: per(n), sql: text.length > 200 ? `${text.slice(0, 200)}…` : text })),
    idlePerSecond: round(idlePerSecond),
  };
}

export interface Report extends Figures {
  scenario: string;
  store: string;
  nodes: number;
  concurrency: number;
  peakRssMb: number;
  baselines: Record<string, { throughput: number; ratio: number }>;
  /** SQL statements per operation, for the write paths (invite, redeem) */
  statements?: StatementsPerOperation;
  /** the server processes' CPU per operation (cpuPerOperation), Portico's and the baselines' that have one */
  cpuMsPerOp?: Record<string, number>;
  note?: string;
}

export function report(r: Report): void {
  const rows: [string, string][] = [
    [
      'scenario',
      `${r.scenario} (${r.store}, ${r.nodes} node${r.nodes > 1 ? 's' : ''}, ${r.concurrency} clients, ${r.operations} ops)`,
    ],
    ['throughput', `${r.throughput} ops/s`],
    ['latency p50/p95/p99', `${r.p50Ms} / ${r.p95Ms} / ${r.p99Ms} ms`],
    ['errors', r.errors ? `${r.errors} (first: ${r.firstError})` : '0'],
    ['server peak RSS', `${r.peakRssMb} MB`],
    ...(r.cpuMsPerOp
      ? [
          [
            'server CPU per op',
            Object.entries(r.cpuMsPerOp)
              .map(([k, ms]) => `${k} ${ms} ms`)
              .join(', '),
          ] as [string, string],
        ]
      : []),
    ...(r.statements
      ? [
          [
            'SQL statements per op',
            `${r.statements.total} (${Object.entries(r.statements.byKind)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}; idle nodes ran ${r.statements.idlePerSecond}/s)`,
          ] as [string, string],
        ]
      : []),
    ...Object.entries(r.baselines).map(([name, b]): [string, string] => [
      `baseline: ${name}`,
      `${b.throughput} ops/s (Portico at ${b.ratio}× of it)`,
    ]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
  if (r.note) console.log(r.note);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}${r.scenario}.json`,
    `${JSON.stringify({ ...r, commit: commitOf(), machine: machine() }, null, 2)}\n`,
  );
  console.log(`written to bench/results/${r.scenario}.json`);
}

const commitOf = () => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

const machine = () => ({ cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version });
