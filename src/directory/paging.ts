// One page of a Graph-style list (users, groups, contacts, apps): filtered by the caller's `base` query, in id order,
// `top` at a time after the previous page's last id, with the total when asked ($count).
import { sql, type Selectable, type SelectQueryBuilder } from 'kysely';

import type { Database } from '../store/schema.ts';
import type { ListOptions, Page } from './users.ts';

type Listed = 'users' | 'groups' | 'contacts' | 'apps';

export async function pageOf<TB extends Listed, T extends { id: string }>(
  base: SelectQueryBuilder<Database, TB, object>,
  opts: ListOptions,
  toItem: (row: Selectable<Database[TB]>) => T,
): Promise<Page<T>> {
  // Every listed table's key is `id`; Kysely cannot see that through the generic table, hence the reference and cast.
  const id = sql.ref<string>('id');
  const rows = (await base
    .selectAll()
    .$if(opts.after !== undefined, (q) => q.where(id, '>', opts.after!))
    .orderBy(id)
    .limit(opts.top + 1)
    .execute()) as unknown as Selectable<Database[TB]>[];
  const items = rows.slice(0, opts.top).map(toItem);
  const page: Page<T> = { items };
  if (rows.length > opts.top) page.next = items[items.length - 1]!.id;
  if (opts.count)
    page.count = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return page;
}
