// Bulk invitations from a CSV: Entra's bulk-invite template (a `version:v1.0` line, headings such as
// `Email address to invite [inviteeEmail] Required`, maybe its examples row) or a plain header row. Each row is
// invited on its own, in its own transaction; a bad row is reported with its line number and the rest still go out.
// Several rows are in flight at once (inviteEach), so SQLite's group commit shares one commit among them and
// PostgreSQL runs them side by side on its pool; rows of one address still take turns, in line order.
import { isUtf8 } from 'node:buffer';
import { CsvError, parse, type InfoRecord } from 'csv-parse/sync';

import type { Actor } from '../directory/audit.ts';
import { PorticoError, refusalText, type RefusalKey, type RefusalParams } from '../errors.ts';
import { LANGS, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { normalize } from '../store/json.ts';
import { invite, type InviteResult } from './invite.ts';

type Column = 'email' | 'redirect' | 'send' | 'message';

/** Heading → column, by Entra's bracketed property name or by a plain name. */
const HEADINGS: [RegExp, Column][] = [
  [/\[inviteeEmail\]|^email( address( to invite)?)?$|^invitedUserEmailAddress$/i, 'email'],
  [/\[inviteRedirectURL\]|^redirect(ion)?[ _-]?url$|^inviteRedirectUrl$/i, 'redirect'],
  [/\[sendEmail\]|^send( invitation message)?( \(true or false\))?$|^sendInvitationMessage$/i, 'send'],
  [/\[customizedMessageBody\]|^(customized invitation )?message$|^customizedMessageBody$/i, 'message'],
];

/** A data row of the CSV: its line and its cells as written (blank when the column is absent). */
export type BulkInput = { line: number } & Record<Column, string>;

export interface BulkRow {
  line: number;
  email: string;
  outcome: InviteResult['outcome'] | 'failed';
  userId: string;
  inviteRedeemUrl: string;
  /** why a failed row was refused, in en-US (the result CSV and the API's words) */
  error: string;
  /** the refusal by code, so a page or the CLI can say it in the reader's language (rowError); absent on rows
   * stored before migration 0028, which keep only the English text */
  refusal?: RowRefusal;
}

/** A refused row's message key and parameters (errors.ts). */
export interface RowRefusal {
  key: RefusalKey;
  params: RefusalParams;
}

/** What a refused row says in `lang`: its refusal's text, or the stored English text when it has no known key. */
export function rowError(row: Pick<BulkRow, 'error' | 'refusal'>, lang: Lang): string {
  const r = row.refusal;
  return r && `refusal.${r.key}` in LANGS['en-US'] ? refusalText(lang, r.key, r.params) : row.error;
}

export interface BulkOptions {
  tenantId: string;
  actor: Actor;
  defaultRedirect: string;
  onRow?: (row: BulkRow) => void;
  /** called once the number of data rows is known */
  onTotal?: (total: number) => void;
}

/** Why a CSV cannot be read as a bulk invitation at all (the admin center shows its own words for each reason). */
export class BulkCsvError extends Error {
  constructor(
    readonly reason: 'notUtf8' | 'nul' | 'unreadable' | 'noHeading' | 'noEmail',
    readonly key: RefusalKey,
    readonly params: RefusalParams = {},
    readonly line?: number,
  ) {
    super(refusalText('en-US', key, params));
    this.name = 'BulkCsvError';
  }
}

/**
 * Refuses CSV bytes that are not UTF-8 text, naming the first bad line: decoded leniently, a Latin-1 export's `josé`
 * became `jos\uFFFD` and was invited as someone else. A NUL is valid UTF-8 but never text (a UTF-16 file without its
 * BOM is half NULs), and an address with one was mailed to another person: refused the same way. A UTF-8 BOM is fine.
 * The bytes are checked, not decoded (csv-parse reads a Buffer faster than a string): isUtf8 and indexOf make two
 * passes without copying; only a refused file is walked line by line, and a line break (0x0A) is never part of a
 * multi-byte sequence, so lines check on their own.
 */
export function checkCsvText(source: string | Uint8Array): void {
  if (typeof source !== 'string' && !isUtf8(source)) {
    const line = firstNonUtf8Line(source);
    throw new BulkCsvError('notUtf8', 'bulk.notUtf8', { line }, line);
  }
  const nul = typeof source === 'string' ? source.indexOf('\u0000') : source.indexOf(0);
  if (nul >= 0) {
    const line = lineAt(source, nul);
    throw new BulkCsvError('nul', 'bulk.nul', { line }, line);
  }
}

function firstNonUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const lf = bytes.indexOf(0x0a, start);
    const end = lf < 0 ? bytes.length : lf;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    start = end + 1;
  }
  return line;
}

/** The 1-based line of `source` (text or UTF-8 bytes) that holds the character at `index`. */
function lineAt(source: string | Uint8Array, index: number): number {
  const breaks =
    typeof source === 'string'
      ? source.slice(0, index).split('\n').length - 1
      : source.subarray(0, index).filter((b) => b === 0x0a).length;
  return breaks + 1;
}

function mapHeadings(cells: string[]): Map<Column, number> {
  const map = new Map<Column, number>();
  cells.forEach((cell, i) => {
    const found = HEADINGS.find(([re]) => re.test(cell.trim()));
    if (found && !map.has(found[1])) map.set(found[1], i);
  });
  if (!map.has('email')) throw new BulkCsvError('noEmail', 'bulk.noEmail', { headings: cells.join(', ') });
  return map;
}

export const parseBool = (value: string | undefined, fallback: boolean): boolean | undefined => {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', '1'].includes(v)) return true;
  if (['false', 'no', '0'].includes(v)) return false;
  return undefined;
};

/** A CSV record with the line it ends on. */
export type CsvRecord = { record: string[]; lines: number };

/** How csv-parse reads a bulk CSV, from line `fromLine` on (`to` records at most), keeping each record's line. */
export function csvOptions(opts: { fromLine?: number; to?: number } = {}) {
  // Only the line is kept, not the whole `info` of each record (which made 100,000 rows take 400 MB); csv-parse's
  // types know on_record only as returning a record, hence the casts.
  const keepLine = (record: string[], { lines }: InfoRecord) => ({ record, lines }) as unknown as string[];
  return {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
    from_line: opts.fromLine ?? 1,
    to: opts.to ?? -1,
    on_record: keepLine,
  };
}

/** csv-parse's refusal as the bulk CSV's. */
export function unreadable(error: unknown): unknown {
  return error instanceof CsvError
    ? new BulkCsvError('unreadable', 'bulk.unreadable', { detail: error.message })
    : error;
}

/** The records of `csv` from line `fromLine` on (`to` of them at most), each with the line it ends on. */
function readRecords(csv: string | Buffer, opts: { fromLine?: number; to?: number } = {}): CsvRecord[] {
  try {
    return parse(csv, csvOptions(opts)) as unknown as CsvRecord[];
  } catch (error) {
    throw unreadable(error);
  }
}

/**
 * The line a bulk CSV's rows start on: after Entra's version line when the first record is one. Entra's version line
 * has one cell where the rows have four, and csv-parse builds (then drops, being relaxed) an error for every record
 * whose length differs from the first's: most of the time 100,000 rows took. So the version line is found first and
 * left out of the parse.
 */
export const firstLineAfterVersion = (first: CsvRecord | undefined): number =>
  first !== undefined && /^version:/i.test(first.record[0]?.trim() ?? '') ? first.lines + 1 : 1;

/**
 * Turns a bulk CSV's records (from firstLineAfterVersion on), one at a time, into data rows: the first record is the
 * headings, and an examples row right after them (Entra's template ships one that people forget to delete) is no row.
 */
export function bulkRowReader(): { row(record: CsvRecord): BulkInput | undefined; end(): void } {
  let columns: Map<Column, number> | undefined;
  let afterHeadings = false;
  return {
    row({ record, lines }) {
      if (!columns) {
        columns = mapHeadings(record);
        afterHeadings = true;
        return undefined;
      }
      if (afterHeadings) {
        afterHeadings = false;
        if (/^example/i.test(record[0]?.trim() ?? '')) return undefined;
      }
      const at = columns;
      const cell = (c: Column) => (at.has(c) ? (record[at.get(c)!] ?? '').trim() : '');
      return {
        line: lines,
        email: cell('email'),
        redirect: cell('redirect'),
        send: cell('send'),
        message: cell('message'),
      };
    },
    end() {
      if (!columns) throw new BulkCsvError('noHeading', 'bulk.noHeading');
    },
  };
}

/** The data rows of a bulk-invitation CSV (text, or bytes that must be UTF-8), after the version line, headings and examples row. */
export function parseBulkCsv(csv: string | Buffer): BulkInput[] {
  checkCsvText(csv);
  const [first] = readRecords(csv, { to: 1 });
  const reader = bulkRowReader();
  const rows: BulkInput[] = [];
  for (const record of readRecords(csv, { fromLine: firstLineAfterVersion(first) })) {
    const row = reader.row(record);
    if (row) rows.push(row);
  }
  reader.end();
  return rows;
}

/**
 * Invites one row through invite(); a row the domain refuses comes back as 'failed' with the reason. `within`
 * runs in a successful invitation's transaction with the row's result.
 */
export async function inviteRow(
  services: Services,
  opts: Pick<BulkOptions, 'tenantId' | 'actor' | 'defaultRedirect'>,
  input: BulkInput,
  within?: (tx: Tx, row: BulkRow) => Promise<void>,
): Promise<BulkRow> {
  const base = baseRow(input);
  const send = parseBool(input.send, true);
  if (send === undefined) return failedRow(base, 'bulk.sendNotBoolean', { value: input.send });
  const rowOf = (r: InviteResult): BulkRow => invitedRow(input, r);
  try {
    const r = await invite(
      services,
      opts.tenantId,
      opts.actor,
      {
        email: input.email,
        redirectUrl: input.redirect || opts.defaultRedirect,
        sendMessage: send,
        messageInfo: input.message ? { customizedMessageBody: input.message } : undefined,
      },
      within && ((tx, result) => within(tx, rowOf(result))),
    );
    return rowOf(r);
  } catch (error) {
    if (!(error instanceof PorticoError)) throw error;
    return failedRow(base, error.key, error.params);
  }
}

const baseRow = (input: BulkInput) => ({
  line: input.line,
  email: input.email,
  userId: '',
  inviteRedeemUrl: '',
  error: '',
});

/** The result of a row that invite() (or a chunk's batch, bulk-chunks.ts) invited. */
export const invitedRow = (
  input: BulkInput,
  r: Pick<InviteResult, 'outcome' | 'inviteRedeemUrl'> & { user: { id: string } },
): BulkRow => ({
  ...baseRow(input),
  outcome: r.outcome,
  userId: r.user.id,
  inviteRedeemUrl: r.inviteRedeemUrl ?? '',
});

const failedRow = (base: Omit<BulkRow, 'outcome'>, key: RefusalKey, params: RefusalParams = {}): BulkRow => ({
  ...base,
  outcome: 'failed',
  error: refusalText('en-US', key, params),
  refusal: { key, params },
});

/**
 * Rows in flight at once. One at a time, each row paid a commit of its own on SQLite (a CPU profile's largest single
 * cost); with several waiting, SQLite's group commit puts them in one. 32 stays under its group limit (64) and
 * holds a request that arrives meanwhile behind at most that many rows.
 */
export const ROWS_IN_FLIGHT = 32;

/**
 * Runs `each` over `inputs` with at most `inFlight` running at once, taken in line order; rows of one address (as
 * invite() matches them, case aside) wait for the one before, so their outcomes read as one after
 * another. `onRow` hears each row as it ends; `inOrder` hears them in line order, each as soon as every row before it
 * has ended. A row that throws (not a refusal: those are results) or `stop()` turning true ends the taking of rows;
 * the rows already taken finish, and then the error is thrown, or the number of rows taken comes back.
 *
 * `inputs` may be a stream (a CSV file read as it goes): rows are taken only as they are needed, and no row is taken
 * more than `window` rows after the first row still running, so one slow row cannot make the rows ended after it,
 * held for `inOrder`, grow with the file.
 */
export async function inviteInOrder<I extends { email: string }>(
  inputs: Iterable<I> | AsyncIterable<I>,
  each: (input: I) => Promise<BulkRow>,
  opts: {
    inFlight?: number;
    window?: number;
    onRow?: (row: BulkRow) => void;
    inOrder?: (row: BulkRow) => void;
    stop?: () => boolean;
  } = {},
): Promise<number> {
  const inFlight = Math.max(1, opts.inFlight ?? ROWS_IN_FLIGHT);
  const window = Math.max(inFlight, opts.window ?? inFlight * 32);
  const source: Iterator<I> | AsyncIterator<I> =
    Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : inputs[Symbol.iterator]();
  const ended = new Map<number, BulkRow>();
  const lastOfAddress = new Map<string, Promise<unknown>>();
  let taken = 0;
  let emitted = 0;
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  // One taker at a time (rows are numbered in the order they are read); it may wait for the window to move on.
  let pulling: Promise<unknown> = Promise.resolve();
  let wake: (() => void) | undefined;
  const moved = () => {
    wake?.();
    wake = undefined;
  };
  const fail = (error: unknown) => {
    failure ??= { error };
    moved();
  };
  const take = (): Promise<{ i: number; input: I } | undefined> => {
    const next = pulling.then(async () => {
      while (taken - emitted >= window && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (exhausted || failure || opts.stop?.()) return undefined;
      const r = await source.next();
      if (r.done) {
        exhausted = true;
        return undefined;
      }
      return { i: taken++, input: r.value };
    });
    pulling = next.catch(() => undefined);
    return next;
  };
  const worker = async () => {
    for (;;) {
      let got;
      try {
        got = await take();
      } catch (error) {
        // The source failed (a file that stopped being readable): like a row that throws.
        exhausted = true;
        return fail(error);
      }
      if (!got) return;
      const { i, input } = got;
      const address = normalize(input.email);
      const before = lastOfAddress.get(address);
      const turn = before ? before.then(() => each(input)) : each(input);
      const settled = turn.then(
        () => undefined,
        () => undefined,
      );
      lastOfAddress.set(address, settled);
      try {
        const row = await turn;
        opts.onRow?.(row);
        ended.set(i, row);
        for (let r = ended.get(emitted); r; r = ended.get(emitted)) {
          ended.delete(emitted++);
          opts.inOrder?.(r);
        }
        moved();
      } catch (error) {
        fail(error);
      } finally {
        if (lastOfAddress.get(address) === settled) lastOfAddress.delete(address);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: inFlight }, worker));
  } finally {
    if (!exhausted) await source.return?.();
  }
  if (failure) throw failure.error;
  return taken;
}

/** inviteInOrder over rows in memory: the results in line order, one per row taken. */
export async function inviteEach<I extends { email: string }>(
  inputs: I[],
  each: (input: I) => Promise<BulkRow>,
  opts: { inFlight?: number; onRow?: (row: BulkRow) => void; stop?: () => boolean } = {},
): Promise<BulkRow[]> {
  const results: BulkRow[] = [];
  await inviteInOrder(inputs, each, {
    ...opts,
    inFlight: Math.min(opts.inFlight ?? ROWS_IN_FLIGHT, Math.max(1, inputs.length)),
    window: inputs.length,
    inOrder: (row) => results.push(row),
  });
  return results;
}

/** Invites every row of a CSV given as its contents (a file goes through bulkInviteFile); the results in line order. */
export async function bulkInvite(
  services: Services,
  source: { csv: string | Buffer },
  opts: BulkOptions & { inFlight?: number },
): Promise<BulkRow[]> {
  const rows = parseBulkCsv(source.csv);
  opts.onTotal?.(rows.length);
  return inviteEach(rows, (input) => inviteRow(services, opts, input), { inFlight: opts.inFlight, onRow: opts.onRow });
}

/** One CSV cell, always quoted, a leading formula character neutralised (the terms acceptance report uses it too). */
export const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote always; neutralise spreadsheet formulas in values that came from the input.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** The results CSV's heading line; `redeemUrls: false` leaves out the column of redeem URLs (they carry tickets). */
export const resultCsvHead = ({ redeemUrls = true } = {}): string =>
  ['line', 'email', 'outcome', 'userId', ...(redeemUrls ? ['inviteRedeemUrl'] : []), 'error'].join(',');

/** One row of the results CSV, without its line break. */
export const resultCsvLine = (r: BulkRow, { redeemUrls = true } = {}): string =>
  [r.line, r.email, r.outcome, r.userId, ...(redeemUrls ? [r.inviteRedeemUrl] : []), r.error].map(csvCell).join(',');

/** The per-row results as CSV; `redeemUrls: false` leaves out the column of redeem URLs (they carry tickets). */
export function resultCsv(rows: BulkRow[], opts: { redeemUrls?: boolean } = {}): string {
  return [resultCsvHead(opts), ...rows.map((r) => resultCsvLine(r, opts))].join('\n') + '\n';
}
