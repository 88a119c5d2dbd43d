// The admin center's outbox list: a substring of the recipients, subject or last error; by state; sorted by a column
// with a stable order (newest first, then id, by default); pages by offset with the total (directory/list-search.ts).
import { sql } from 'kysely';

import { containsText, jsonText, listSearch, type ListSearch, type Text } from '../directory/list-search.ts';
import type { Db } from '../store/index.ts';
import { toOutboxEntry, type OUTBOX_STATES } from './outbox.ts';

export const OUTBOX_SORTS = ['created', 'to', 'subject', 'state', 'attempts', 'sent'] as const;
export type OutboxSort = (typeof OUTBOX_SORTS)[number];
export type OutboxSearch = ListSearch<OutboxSort> & { state: '' | (typeof OUTBOX_STATES)[number] };

/** The envelope's recipients (a JSON array's text) and subject. */
const to = (db: Db) => jsonText(db, 'message', 'to');
const subject = (db: Db) => jsonText(db, 'message', 'subject');

const outbox = listSearch({
  matching: (db: Db, tenantId: string, s: OutboxSearch) => {
    const text = containsText(db, [to(db), subject(db), sql.ref<string>('last_error')], s.q);
    return db
      .selectFrom('outbox')
      .where('tenant_id', '=', tenantId)
      .$if(s.state !== '', (q) => q.where('state', '=', s.state as 'pending'))
      .$if(text !== undefined, (q) => q.where(text!));
  },
  // Ties go by creation time (then id): the order the mail was queued.
  order: (s, db): Text[] => {
    const created = sql.ref<string>('created_at');
    const key = {
      created: undefined,
      to: to(db),
      subject: subject(db),
      state: sql.ref<string>('state'),
      attempts: sql.ref<string>('attempts'),
      sent: sql.ref<string>('sent_at'),
    }[s.sort];
    return key ? [key, created] : [created];
  },
  toItem: toOutboxEntry,
});

export const searchOutbox = outbox.search;
export const eachOutboxEntry = outbox.each;
