// Opt-in count of the SQL statements this process runs, for the benchmark's statements per operation (bench/: a
// regression in the number of round trips shows there before it shows in throughput). On only when
// BENCH_COUNT_STATEMENTS is set when a store opens: then Kysely's log hook counts each statement by its SQL text
// (begin, commit and savepoints included: they go through the same connection), and SIGUSR2 makes the process write
// the counts to stdout as one line, `bench-statements {"<sql>": count, ...}`. Off, the store is built without the
// hook, exactly as before: nothing on the production path pays for it.
import type { LogConfig, LogEvent } from 'kysely';

const counts = new Map<string, number>();
let listening = false;

/** Kysely's `log` option when counting is on, otherwise undefined (no hook at all). */
export function statementCounter(env: NodeJS.ProcessEnv = process.env): LogConfig | undefined {
  if (!env.BENCH_COUNT_STATEMENTS) return undefined;
  if (!listening) {
    listening = true;
    process.on('SIGUSR2', () => {
      process.stdout.write(`bench-statements ${JSON.stringify(Object.fromEntries(counts))}\n`);
    });
  }
  return (event: LogEvent) => {
    const { sql } = event.query;
    counts.set(sql, (counts.get(sql) ?? 0) + 1);
  };
}
