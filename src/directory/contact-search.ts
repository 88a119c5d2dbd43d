// The admin center's list of contacts: a substring of the name, mail, company or given or surname; sorted by a column
// with a stable order (display name, then id, by default); pages by offset with the total (directory/list-search.ts).
import { sql } from 'kysely';

import type { Db } from '../store/index.ts';
import { toContact } from './contacts.ts';
import { containsText, listSearch, thenName, type ListSearch } from './list-search.ts';

export const CONTACT_SORTS = ['name', 'mail', 'company', 'created'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
export type ContactSearch = ListSearch<ContactSort>;

const TEXT = ['display_name', 'mail_normalized', 'company_name', 'given_name', 'surname'];

const contacts = listSearch({
  matching: (db: Db, tenantId: string, s: ContactSearch) => {
    const text = containsText(
      db,
      TEXT.map((c) => sql.ref<string>(c)),
      s.q,
    );
    return db
      .selectFrom('contacts')
      .where('tenant_id', '=', tenantId)
      .$if(text !== undefined, (q) => q.where(text!));
  },
  order: thenName(
    { name: 'display_name', mail: 'mail_normalized', company: 'company_name', created: 'created_at' },
    'display_name',
  ),
  toItem: toContact,
});

export const searchContacts = contacts.search;
export const eachContact = contacts.each;
