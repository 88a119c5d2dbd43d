// One page of a Graph-style list (users, groups, contacts, apps): filtered by the caller's `base` query, in id order
// (or by an $orderby key, then id), `top` at a time after the previous page's last row, with the total when asked
// ($count).
import { sql, type Expression, type Selectable, type SelectQueryBuilder } from 'kysely';

import { UnsupportedQuery } from '../errors.ts';
import type { Database } from '../store/schema.ts';
import { compileFilter, type PropertyMap } from './filter.ts';
import type { ListOptions, Page } from './users.ts';

/** An $orderby: a text key of each row (empty for none: first ascending, last descending), then the id. */
export interface PageOrder {
  key: Expression<string | null>;
  desc: boolean;
}

/** The cursor of an ordered page: the last row's key and id (a $skiptoken's content, so checked on the way back). */
const orderCursor = (key: string, id: string) => JSON.stringify([key, id]);
function readOrderCursor(after: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(after);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((v) => typeof v === 'string'))
      return parsed as [string, string];
  } catch {
    /* below */
  }
  throw new UnsupportedQuery('query.skiptoken');
}

type Listed = 'users' | 'groups' | 'contacts' | 'apps';

export async function pageOf<TB extends Listed, T extends { id: string }>(
  base: SelectQueryBuilder<Database, TB, object>,
  opts: ListOptions,
  toItem: (row: Selectable<Database[TB]>) => T,
): Promise<Page<T>> {
  // Every listed table's key is `id`; Kysely cannot see that through the generic table, hence the reference and cast.
  const id = sql.ref<string>('id');
  if (opts.order) return orderedPageOf(base, opts, opts.order, toItem);
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

/** `pageOf` of `base` narrowed by the request's $filter, whose properties `properties` maps to the table's columns. */
export function filteredPageOf<TB extends Listed, T extends { id: string }, C extends string>(
  base: SelectQueryBuilder<Database, TB, object>,
  opts: ListOptions,
  properties: PropertyMap<C>,
  toItem: (row: Selectable<Database[TB]>) => T,
): Promise<Page<T>> {
  const filter = opts.filter;
  return pageOf(filter ? base.where((eb) => compileFilter(eb, filter, properties)) : base, opts, toItem);
}

async function orderedPageOf<TB extends Listed, T extends { id: string }>(
  base: SelectQueryBuilder<Database, TB, object>,
  opts: ListOptions,
  order: PageOrder,
  toItem: (row: Selectable<Database[TB]>) => T,
): Promise<Page<T>> {
  const id = sql.ref<string>('id');
  // coalesce: SQLite sorts NULL first and PostgreSQL last; the empty text sorts first on both.
  const key = sql<string>`coalesce(${order.key}, '')`;
  const after = opts.after === undefined ? undefined : readOrderCursor(opts.after);
  const beyond = order.desc ? '<' : '>';
  const rows = (await base
    .selectAll()
    .select(key.as('order_key'))
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([eb(key, beyond, after![0]), eb.and([eb(key, '=', after![0]), eb(id, beyond, after![1])])]),
      ),
    )
    .orderBy(key, order.desc ? 'desc' : 'asc')
    .orderBy(id, order.desc ? 'desc' : 'asc')
    .limit(opts.top + 1)
    .execute()) as unknown as (Selectable<Database[TB]> & { order_key: string })[];
  const items = rows.slice(0, opts.top).map(toItem);
  const page: Page<T> = { items };
  const last = rows[opts.top - 1];
  if (rows.length > opts.top && last) page.next = orderCursor(last.order_key, items[items.length - 1]!.id);
  if (opts.count)
    page.count = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return page;
}
