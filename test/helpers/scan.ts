// Looks for known secrets (tickets, codes) anywhere in a store: every table the catalog lists (not a hand-kept
// list, so a table added later is searched too), every column, and on SQLite the raw bytes of the database file and
// its write-ahead log, where an overwritten or deleted value could still linger.
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';

import type { TestStore } from './stores.ts';

/** Where each secret was found: `table.column` (or the file; `files: false` skips them), empty when nowhere. */
export async function findSecrets(ts: TestStore, secrets: Iterable<string>, { files = true } = {}): Promise<string[]> {
  const wanted = [...secrets].map((secret) => ({ secret, pattern: patternOf(secret) }));
  const hits: string[] = [];
  const { db } = ts.store;
  const tables = ts.pgSchema
    ? (
        await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = ${ts.pgSchema} and table_type = 'BASE TABLE'`.execute(
          db,
        )
      ).rows
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows;
  if (tables.length < 30) throw new Error(`the catalog lists only ${tables.length} tables`);
  for (const { name } of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (value === null || value === undefined) continue;
        const text = Buffer.isBuffer(value)
          ? value.toString('latin1')
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
        for (const w of wanted) if (w.pattern.test(text)) hits.push(`${name}.${column}: ${w.secret}`);
      }
    }
  }
  if (files && !ts.pgSchema) {
    const file = ts.url.slice('sqlite:'.length);
    for (const path of [file, `${file}-wal`]) {
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path).toString('latin1');
      for (const w of wanted) if (w.pattern.test(bytes)) hits.push(`${path}: ${w.secret}`);
    }
  }
  return hits;
}

/** A code must stand alone (6 digits could also sit inside a longer number or an encoded value by chance). */
function patternOf(secret: string): RegExp {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /^\d+$/.test(secret) ? new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`) : new RegExp(escaped);
}

/** The tickets (redeem URLs) and codes a mail carries, from its text and HTML. */
export function secretsIn(mail: { text: string; html?: string | null }): { tickets: string[]; codes: string[] } {
  const all = `${mail.text}\n${mail.html || ''}`;
  return {
    tickets: [...all.matchAll(/[?&](?:amp;)?ticket=([A-Za-z0-9_-]{43})/g)].map((m) => m[1]!),
    codes: [...mail.text.matchAll(/(?<![0-9A-Za-z])(\d{6,8})(?![0-9A-Za-z])/g)].map((m) => m[1]!),
  };
}
