// The admin center's list of groups: a substring of the name, description or mail nickname; sorted by a column with a
// stable order (display name, then id, by default); pages by offset with the total (directory/list-search.ts).
import { sql } from 'kysely';

import type { Db } from '../store/index.ts';
import { liveGroups, toGroup } from './groups.ts';
import { containsText, listSearch, thenName, type ListSearch } from './list-search.ts';

export const GROUP_SORTS = ['name', 'description', 'created'] as const;
export type GroupSort = (typeof GROUP_SORTS)[number];
export type GroupSearch = ListSearch<GroupSort>;

const groups = listSearch({
  matching: (db: Db, tenantId: string, s: GroupSearch) => {
    const text = containsText(
      db,
      ['display_name', 'description', 'mail_nickname'].map((c) => sql.ref<string>(c)),
      s.q,
    );
    return liveGroups(db)
      .where('tenant_id', '=', tenantId)
      .$if(text !== undefined, (q) => q.where(text!));
  },
  order: thenName({ name: 'display_name', description: 'description', created: 'created_at' }, 'display_name'),
  toItem: toGroup,
});

export const searchGroups = groups.search;
export const eachGroup = groups.each;
