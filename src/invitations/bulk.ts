// Bulk invitations from a CSV: Entra's bulk-invite template (a `version:v1.0` line, headings such as
// `Email address to invite [inviteeEmail] Required`, maybe its examples row) or a plain header row. Each row is
// invited on its own; a bad row is reported with its line number and the rest still go out.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Services } from '../services.ts';
import type { Actor } from '../directory/audit.ts';
import { PorticoError } from '../errors.ts';
import { invite, type InviteResult } from './invite.ts';

type Column = 'email' | 'redirect' | 'send' | 'message';

/** Heading → column, by Entra's bracketed property name or by a plain name. */
const HEADINGS: [RegExp, Column][] = [
  [/\[inviteeEmail\]|^email( address( to invite)?)?$|^invitedUserEmailAddress$/i, 'email'],
  [/\[inviteRedirectURL\]|^redirect(ion)?[ _-]?url$|^inviteRedirectUrl$/i, 'redirect'],
  [/\[sendEmail\]|^send( invitation message)?( \(true or false\))?$|^sendInvitationMessage$/i, 'send'],
  [/\[customizedMessageBody\]|^(customized invitation )?message$|^customizedMessageBody$/i, 'message'],
];

export interface BulkRow {
  line: number;
  email: string;
  outcome: InviteResult['outcome'] | 'failed';
  userId: string;
  inviteRedeemUrl: string;
  error: string;
}

export interface BulkOptions {
  tenantId: string;
  actor: Actor;
  defaultRedirect: string;
  onRow?: (row: BulkRow) => void;
  /** called once the number of data rows is known */
  onTotal?: (total: number) => void;
}

function mapHeadings(cells: string[]): Map<Column, number> {
  const map = new Map<Column, number>();
  cells.forEach((cell, i) => {
    const found = HEADINGS.find(([re]) => re.test(cell.trim()));
    if (found && !map.has(found[1])) map.set(found[1], i);
  });
  if (!map.has('email')) throw new Error(`the CSV has no email column (expected a heading like "Email address to invite [inviteeEmail] Required" or "email"); headings seen: ${cells.join(', ')}`);
  return map;
}

const parseBool = (value: string | undefined, fallback: boolean): boolean | undefined => {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', '1'].includes(v)) return true;
  if (['false', 'no', '0'].includes(v)) return false;
  return undefined;
};

/** Reads every record with its line number; the file is small next to what inviting it costs. */
async function readRecords(path: string): Promise<{ line: number; cells: string[] }[]> {
  const records: { line: number; cells: string[] }[] = [];
  const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }));
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) records.push({ line: info.lines, cells: record });
  return records;
}

export async function bulkInvite(services: Services, path: string, opts: BulkOptions): Promise<BulkRow[]> {
  const records = await readRecords(path);
  let start = 0;
  if (/^version:/i.test(records[0]?.cells[0]?.trim() ?? '')) start = 1;
  if (!records[start]) throw new Error('the CSV has no heading row');
  const columns = mapHeadings(records[start]!.cells);
  let rows = records.slice(start + 1);
  // Entra's template ships an examples row that people forget to delete.
  if (/^example/i.test(rows[0]?.cells[0]?.trim() ?? '')) rows = rows.slice(1);
  opts.onTotal?.(rows.length);

  const results: BulkRow[] = [];
  for (const { line, cells } of rows) {
    const cell = (c: Column) => (columns.has(c) ? (cells[columns.get(c)!] ?? '').trim() : '');
    const email = cell('email');
    const base = { line, email, userId: '', inviteRedeemUrl: '', error: '' };
    let row: BulkRow;
    const send = parseBool(cell('send'), true);
    if (send === undefined) {
      row = { ...base, outcome: 'failed', error: `"${cell('send')}" is not true or false in the send column` };
    } else {
      try {
        const r = await invite(services, opts.tenantId, opts.actor, {
          email, redirectUrl: cell('redirect') || opts.defaultRedirect, sendMessage: send,
          messageInfo: cell('message') ? { customizedMessageBody: cell('message') } : undefined,
        });
        row = { ...base, outcome: r.outcome, userId: r.user.id, inviteRedeemUrl: r.inviteRedeemUrl ?? '' };
      } catch (error) {
        if (!(error instanceof PorticoError)) throw error;
        row = { ...base, outcome: 'failed', error: error.message };
      }
    }
    results.push(row);
    opts.onRow?.(row);
  }
  return results;
}

/** One CSV cell, always quoted, a leading formula character neutralised (the terms acceptance report uses it too). */
export const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote always; neutralise spreadsheet formulas in values that came from the input.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

export function resultCsv(rows: BulkRow[]): string {
  const head = ['line', 'email', 'outcome', 'userId', 'inviteRedeemUrl', 'error'];
  return [head.join(','), ...rows.map((r) => [r.line, r.email, r.outcome, r.userId, r.inviteRedeemUrl, r.error].map(csvCell).join(','))].join('\n') + '\n';
}
