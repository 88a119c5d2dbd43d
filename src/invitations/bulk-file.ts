// A bulk-invitation CSV file (the CLI's `portico invite --csv`) read as a stream, so a run's memory does not grow
// with the file: 1,000,000 rows take what 100,000 take. The file is read twice: a first pass checks all of it (UTF-8
// text without NUL, CSV syntax, headings) and counts its rows, so a file that cannot be read invites no one, as when
// it was read whole; the second invites the rows as they are read, a chunk at a time (bulk-chunks.ts), and hands the
// results on in line order for the results file.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { sql } from 'kysely';

import type { Services } from '../services.ts';
import { WAL_AUTOCHECKPOINT_PAGES } from '../store/checkpointer.ts';
import { GROUP_LIMIT } from '../store/group-commit.ts';
import { inviteInChunks } from './bulk-chunks.ts';
import {
  BulkCsvError,
  bulkRowReader,
  checkCsvText,
  csvOptions,
  firstLineAfterVersion,
  unreadable,
  type BulkInput,
  type BulkOptions,
  type BulkRow,
  type CsvRecord,
} from './bulk.ts';

/** How much of the file is read at a time. */
const CHUNK_BYTES = 256 * 1024;

/**
 * The file's bytes in chunks that end at a line break (the last one excepted), each checked as checkCsvText checks a
 * whole file, a refusal naming the line in the file. A line break (0x0A) is never part of a multi-byte sequence, so
 * whole lines check on their own; a line longer than a chunk is carried into the next.
 */
async function* textChunks(path: string): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  let line = 1;
  const check = (bytes: Buffer) => {
    try {
      checkCsvText(bytes);
    } catch (error) {
      if (!(error instanceof BulkCsvError) || error.line === undefined) throw error;
      const at = error.line + line - 1;
      throw new BulkCsvError(error.reason, error.key, { ...error.params, line: at }, at);
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    const lf = bytes.lastIndexOf(0x0a);
    if (lf < 0) {
      carry = bytes;
      continue;
    }
    const whole = bytes.subarray(0, lf + 1);
    check(whole);
    for (let at = whole.indexOf(0x0a); at >= 0; at = whole.indexOf(0x0a, at + 1)) line++;
    carry = lf + 1 < bytes.length ? Buffer.from(bytes.subarray(lf + 1)) : undefined;
    yield whole;
  }
  if (carry) {
    check(carry);
    yield carry;
  }
}

/** The records of the file from line `fromLine` on (`to` of them at most), as csvOptions reads them. */
async function* fileRecords(path: string, opts: { fromLine?: number; to?: number }): AsyncGenerator<CsvRecord> {
  const parser = parse(csvOptions(opts));
  // The parser stops reading at `to` records, and a consumer may stop early: the file is then closed unread.
  const feeding = pipeline(Readable.from(textChunks(path)), parser).catch((error: unknown) => {
    if (!parser.destroyed) parser.destroy(error as Error);
  });
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
  } catch (error) {
    throw unreadable(error);
  } finally {
    parser.destroy();
    await feeding;
  }
}

/** The data rows of a bulk-invitation CSV file, read as they are needed (parseBulkCsv's rows, from a file). */
export async function* readBulkCsvFile(path: string): AsyncGenerator<BulkInput> {
  let fromLine = 1;
  for await (const first of fileRecords(path, { to: 1 })) fromLine = firstLineAfterVersion(first);
  const reader = bulkRowReader();
  for await (const record of fileRecords(path, { fromLine })) {
    const row = reader.row(record);
    if (row) yield row;
  }
  reader.end();
}

/**
 * Invites every row of a CSV file: `onTotal` hears the number of rows once the whole file has been checked (nothing
 * is invited before), `onResult` each row's result in line order, `onRow` each row as it ends. Returns the counts.
 */
export async function bulkInviteFile(
  services: Services,
  path: string,
  opts: BulkOptions & { inFlight?: number; onResult: (row: BulkRow) => void },
): Promise<{ rows: number; failed: number }> {
  let total = 0;
  for await (const _ of readBulkCsvFile(path)) total++;
  opts.onTotal?.(total);
  let failed = 0;
  const rows = await withFewerCheckpoints(services, () =>
    inviteInChunks(services, opts, readBulkCsvFile(path), {
      inFlight: opts.inFlight ?? CLI_ROWS_IN_FLIGHT,
      onRow: opts.onRow,
      inOrder: (row) => {
        if (row.outcome === 'failed') failed++;
        opts.onResult(row);
      },
    }),
  );
  return { rows, failed };
}

/**
 * Rows in flight for the CLI's rows that go one by one (bulk-chunks.ts): as many as one group commit takes
 * (store/group-commit.ts). The admin center's jobs keep ROWS_IN_FLIGHT, as they share the server with requests; the
 * CLI has the process to itself.
 */
export const CLI_ROWS_IN_FLIGHT = GROUP_LIMIT;

/** Pages of write-ahead log between checkpoints while a bulk run writes (SQLite's default: 1,000). */
export const BULK_WAL_AUTOCHECKPOINT = 20_000;

/**
 * Runs `fn` with this connection checkpointing SQLite's write-ahead log every BULK_WAL_AUTOCHECKPOINT pages instead
 * of every WAL_AUTOCHECKPOINT_PAGES (should the store's checkpointer fall behind): a checkpoint copies each page changed since the last into the database file, and the pages a bulk
 * run changes (the users', invitations', outbox's and audit's indexes) change again and again, so fewer checkpoints
 * copy far fewer pages (measured at 30,000 rows: 360 to 142 µs a row). The log grows to about 80 MB meanwhile; the
 * setting is this connection's, and is put back (with a checkpoint) when the run ends.
 */
async function withFewerCheckpoints<T>(services: Services, fn: () => Promise<T>): Promise<T> {
  const { store } = services;
  if (store.kind !== 'sqlite') return fn();
  await sql`pragma wal_autocheckpoint = ${sql.lit(BULK_WAL_AUTOCHECKPOINT)}`.execute(store.db);
  try {
    return await fn();
  } finally {
    await sql`pragma wal_autocheckpoint = ${sql.lit(WAL_AUTOCHECKPOINT_PAGES)}`.execute(store.db);
    await sql`pragma wal_checkpoint(PASSIVE)`.execute(store.db);
  }
}
