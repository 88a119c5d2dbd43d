// Load loop and report: N concurrent clients on loopback, warm-up then a fixed number of operations; throughput,
// latency percentiles, errors and peak RSS, printed as a table and written to bench/results/<scenario>.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
  return {
    throughput: round(opts.operations / seconds),
    p50Ms: pct(50),
    p95Ms: pct(95),
    p99Ms: pct(99),
    errors,
    ...(firstError && { firstError }),
    operations: opts.operations,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export interface Report extends Figures {
  scenario: string;
  store: string;
  nodes: number;
  concurrency: number;
  peakRssMb: number;
  baselines: Record<string, { throughput: number; ratio: number }>;
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
