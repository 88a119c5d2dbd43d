// What the development mail catcher (catcher.ts) received, kept in the store (caught_mail, this module its owner)
// until an administrator clears it, so a restart loses nothing; only the newest KEEP_CAUGHT stay.
import type { Selectable } from 'kysely';

import type { Db } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import type { CaughtMailTable } from '../store/schema.ts';
import type { CaughtMail } from './catcher.ts';

export const KEEP_CAUGHT = 1000;

/** A message as the dev pages show it: its id sorts in arrival order. */
export type StoredMail = Omit<CaughtMail, 'id' | 'raw'> & { id: string };

let last = 0;
/** Arrival-ordered ids: the time, then a counter within the millisecond, then randomness against other processes. */
function nextId(): string {
  const now = Math.max(Date.now() * 1000, last + 1);
  last = now;
  return `${String(now).padStart(17, '0')}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function keepCaught(db: Db, mail: CaughtMail): Promise<void> {
  await db
    .insertInto('caught_mail')
    .values({
      id: nextId(),
      received_at: mail.receivedAt,
      sender: mail.from,
      recipients: toJson(mail.to),
      copies: toJson(mail.cc),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    })
    .execute();
  const cutoff = await db
    .selectFrom('caught_mail')
    .select('id')
    .orderBy('id', 'desc')
    .offset(KEEP_CAUGHT)
    .limit(1)
    .executeTakeFirst();
  if (cutoff) await db.deleteFrom('caught_mail').where('id', '<=', cutoff.id).execute();
}

const toMail = (r: Selectable<CaughtMailTable>): StoredMail => ({
  id: r.id,
  receivedAt: r.received_at,
  from: r.sender,
  to: parseJson<string[]>(r.recipients, []),
  cc: parseJson<string[]>(r.copies, []),
  subject: r.subject,
  text: r.text,
  html: r.html,
});

/** Newest first. */
export async function listCaught(db: Db): Promise<StoredMail[]> {
  const rows = await db.selectFrom('caught_mail').selectAll().orderBy('id', 'desc').limit(KEEP_CAUGHT).execute();
  return rows.map(toMail);
}

export async function getCaught(db: Db, id: string): Promise<StoredMail | undefined> {
  const row = await db.selectFrom('caught_mail').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMail(row);
}

export async function clearCaught(db: Db): Promise<number> {
  const r = await db.deleteFrom('caught_mail').executeTakeFirst();
  return Number(r.numDeletedRows);
}
