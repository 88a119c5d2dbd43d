// `bulk-invite`: the CLI's CSV path (`portico invite --csv`) as its own process, every row queueing its email.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli, type Ran } from '../../test/helpers/spawn.ts';
import { createTestStore } from '../../test/helpers/stores.ts';
import { measure, type Report } from '../harness.ts';
import { ratio, type Args } from './common.ts';

// Written by the CLI process as it exits, so the bench can report the CLI's own peak RSS (VmHWM) rather than its own.
const PEAK_RSS_AT_EXIT = `data:text/javascript,${encodeURIComponent(
  "import { readFileSync, writeSync } from 'node:fs'; process.on('exit', () => writeSync(2, `\\nbench-peak-rss-kb ${/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]}\\n`));",
)}`;

/** `portico invite --csv` as its own process, with BENCH_CPU_PROF=<dir> writing its V8 CPU profile. */
async function runInvite(args: string[], env: Record<string, string>): Promise<Ran & { peakRssMb: number }> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const ran = await runCli(args, env, [...profile, '--import', PEAK_RSS_AT_EXIT]);
  const kb = Number(/bench-peak-rss-kb (\d+)/.exec(ran.stderr)?.[1] ?? 0);
  return { ...ran, peakRssMb: Math.round(kb / 1024) };
}

export async function bulkInviteScenario(a: Args): Promise<Report> {
  const t = await createTestStore(a.store);
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
  try {
    // No server runs here to record its URL, which the invitation links need: the CLI takes it from the environment.
    const env = {
      PORTICO_DATABASE_URL: t.url,
      PORTICO_LOG_LEVEL: 'silent',
      PORTICO_BASE_URL: 'https://portico.bench.example',
    };
    const created = await runCli(
      ['tenant', 'create', '--name', 'Bench', '--admin-email', 'admin@bench.portico.localhost', '--json'],
      env,
    );
    if (created.code !== 0) throw new Error(`portico tenant create failed: ${created.stderr}`);
    const tenantId = JSON.parse(created.stdout).tenantId as string;
    const file = join(dir, 'invite.csv');
    const lines = [
      'version:v1.0',
      'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]',
    ];
    for (let i = 0; i < a.rows; i++)
      lines.push(`guest${i}@partner${i % 97}.example,https://apps.bench.example/,true,Welcome`);
    writeFileSync(file, lines.join('\n'));
    const started = performance.now();
    const ran = await runInvite(['invite', '--csv', file, '--tenant', tenantId, '--json'], env);
    const seconds = (performance.now() - started) / 1000;
    if (ran.code !== 0) throw new Error(`portico invite --csv failed: ${ran.stderr}`);
    const summary = JSON.parse(ran.stdout) as { rows: number; failed: number; rowsPerSecond: number };
    const floor = await measure(
      async () => {
        await t.store.transaction((tx) =>
          tx
            .insertInto('deployment')
            .values({ key: `bench-${Math.random()}`, value: 'x' })
            .execute(),
        );
      },
      { concurrency: 1, operations: 2000, warmup: 200 },
    );
    const throughput = Math.round((summary.rows / seconds) * 100) / 100;
    return {
      scenario: 'bulk-invite',
      store: a.store,
      nodes: 1,
      concurrency: 1,
      operations: summary.rows,
      throughput,
      p50Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
      errors: summary.failed,
      peakRssMb: ran.peakRssMb,
      baselines: {
        'one minimal transaction on the same store': {
          throughput: floor.throughput,
          ratio: ratio(throughput, floor.throughput),
        },
      },
      note: `${summary.rows} rows in ${seconds.toFixed(1)} s including process start (the CLI itself counted ${summary.rowsPerSecond} rows/s); every row queues its invitation email. Latency percentiles do not apply to one batch. Peak RSS is the CLI process's.`,
    };
  } finally {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
