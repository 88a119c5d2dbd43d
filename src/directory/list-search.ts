// What every admin list's search shares (contacts, groups, apps, enterprise apps, the outbox, the audit and sign-in
// logs; users have their own, directory/user-search.ts, for its trigram index): a substring of any of the list's text
// columns, folded as user-search folds it; an order by one column then a stable tie (name, or time, then id); a page
// by offset with how many match in all; and every match a batch at a time for the CSV export. Each owning module
// builds its query from these and exports `search<Things>` and `each<Thing>` with user-search.ts's shape.
import { sql, SqliteAdapter, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';

import type { Db } from '../store/index.ts';
import { foldText } from '../store/json.ts';
import { likeEscape } from './filter.ts';

export type SortDir = 'asc' | 'desc';

/** A list's search: the text, the sort key in force and its direction, and the list's own filters. */
export interface ListSearch<S extends string> {
  q: string;
  sort: S;
  dir: SortDir;
}

export interface ListResults<T> {
  items: T[];
  /** how many match in all */
  total: number;
}

/** A column (or an expression) the list reads text from. */
export type Text = Expression<string | null> | RawBuilder<string | null>;

/** Any list's query: each owning module types its own; here they are only filtered, ordered, paged and counted. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tables differ per list
type Query = SelectQueryBuilder<any, any, any>;

export const isSqlite = (db: Db) => db.getExecutor().adapter instanceof SqliteAdapter;

/**
 * Rows where any of `columns` holds `q` (any case), or undefined for an empty `q`. ESCAPE is a parameter, as in
 * filter.ts. SQLite's lower() folds ASCII only, so a text with other letters goes through portico_fold (store).
 */
export function containsText(db: Db, columns: Text[], q: string): Expression<SqlBool> | undefined {
  const text = foldText(q.trim());
  if (!text) return undefined;
  const pattern = `%${likeEscape(text)}%`;
  const lower = sql.raw(isSqlite(db) && /\P{ASCII}/u.test(text) ? 'portico_fold' : 'lower');
  return sql<SqlBool>`(${sql.join(
    columns.map((c) => sql`${lower}(${c}) like ${pattern} escape ${'\\'}`),
    sql` or `,
  )})`;
}

/** A JSON object's text member, on either store (the outbox's envelope, the audit log's actor). */
export const jsonText = (db: Db, column: string, key: string): RawBuilder<string | null> =>
  isSqlite(db)
    ? sql`json_extract(${sql.ref(column)}, ${`$.${key}`})`
    : sql`(${sql.ref(column)}::json ->> ${sql.lit(key)})`;

/**
 * The order: each key in `dir`, empty values (NULL) first going up and last going down on both stores, then the id
 * the same way, so the order is stable and a page is always the same rows.
 */
export function ordered(q: Query, keys: Text[], dir: SortDir, id: Text = sql.ref('id')): Query {
  const nulls = sql.raw(dir === 'asc' ? 'asc nulls first' : 'desc nulls last');
  const all = [...keys.map((k) => sql`${k} ${nulls}`), sql`${id} ${sql.raw(dir)}`];
  return all.reduce((acc: Query, o) => acc.orderBy(o), q);
}

/** One page of `rows` (already filtered and ordered), `limit` from `offset`, with the count of `matching`. */
export async function pageOfRows<R, T>(
  rows: Query,
  matching: Query,
  toItem: (row: R) => T,
  { offset, limit }: { offset: number; limit: number },
): Promise<ListResults<T>> {
  const [page, count] = await Promise.all([
    rows.limit(limit).offset(offset).execute() as Promise<R[]>,
    matching.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow() as Promise<{ n: number | string }>,
  ]);
  return { items: page.map(toItem), total: Number(count.n) };
}

/** Every row of `rows` (filtered and ordered), `batch` at a time (the CSV export streams them). */
export async function* batchesOf<R, T>(rows: Query, toItem: (row: R) => T, batch = 500): AsyncGenerator<T[]> {
  for (let offset = 0; ; offset += batch) {
    const page = (await rows.limit(batch).offset(offset).execute()) as R[];
    if (page.length > 0) yield page.map(toItem);
    if (page.length < batch) return;
  }
}

/**
 * A list's `search` and `each` from its query: `matching` (the rows the search selects, nothing selected yet), the
 * keys it orders by for a search, what a page selects (every column by default) and how a row becomes an item.
 */
export function listSearch<S extends ListSearch<string>, R, T>(spec: {
  matching: (db: Db, tenantId: string, s: S) => Query;
  order: (s: S, db: Db) => Text[];
  toItem: (row: R) => T;
  select?: (q: Query) => Query;
  id?: Text;
}) {
  const select = spec.select ?? ((q: Query) => q.selectAll());
  const rows = (db: Db, tenantId: string, s: S) =>
    ordered(select(spec.matching(db, tenantId, s)), spec.order(s, db), s.dir, spec.id);
  return {
    /** One page of what matches, `limit` of it from `offset`, with how many match in all. */
    search: (db: Db, tenantId: string, s: S, page: { offset: number; limit: number }): Promise<ListResults<T>> =>
      pageOfRows(rows(db, tenantId, s), spec.matching(db, tenantId, s), spec.toItem, page),
    /** Everything that matches, in the list's order, a batch at a time (the CSV export streams it). */
    each: (db: Db, tenantId: string, s: S): AsyncGenerator<T[]> => batchesOf(rows(db, tenantId, s), spec.toItem),
  };
}

/** The sort keys of a list whose name breaks ties: the column sorted by, then the name (then the id, always). */
export const thenName =
  <S extends string>(columns: Record<S, string>, name: string) =>
  (s: ListSearch<S>): Text[] =>
    (columns[s.sort] === name ? [name] : [columns[s.sort], name]).map((c) => sql.ref<string>(c));
