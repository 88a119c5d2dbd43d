// The one list of the admin center: its search form (a GET to the list itself), its table, and its paging. Every
// paged list uses it, so paging or sorting changes in one place. A list pages either by cursor (`next`: the Graph-style
// lists) or by offset with a total (`range`: previous and next pages and "41–60 of 2,000"); a column with a `sort`
// key is a link that sorts by it (`?sort=key&dir=asc`, again to turn it round); `exportHref` offers the rows the
// filters select as CSV.
import type { Child } from 'hono/jsx';

import { t, type Lang } from '../i18n/index.ts';
import { Table, type TableColumn } from '../pages/table.tsx';

/** A column: its heading, what one row shows in it, and the key that sorts by it when it sorts. */
export interface Column<T> extends TableColumn<T> {
  label: string;
  sort?: string;
}

/** Where an offset-paged list is: the first row shown (0-based), how many a page holds, how many there are. */
export interface ListRange {
  offset: number;
  size: number;
  total: number;
}

export interface ListProps<T> {
  /** the list's own address: where the search form goes and the paging links point */
  base: string;
  /** the columns in order; `false` leaves one out (a column only some roles see) */
  columns: readonly (Column<T> | false)[];
  rows: readonly T[];
  /** what shows instead of the table when there are no rows */
  empty: string;
  /** the search form's fields and its button's label; without it, no form */
  search?: { fields: Child; apply: string };
  /** the filters in force, carried by the sorting and paging links */
  query?: Record<string, string>;
  /** the next page's cursor parameters, when there is a next page */
  next?: Record<string, string>;
  nextLabel?: string;
  /** the reader's language: the range, previous and next, sorting and export say it (needed with `range`) */
  lang?: Lang;
  /** the order in force, for lists whose columns sort */
  sort?: { key: string; dir: 'asc' | 'desc' };
  /** offset paging with a total */
  range?: ListRange;
  /** the CSV of every row the filters select */
  exportHref?: string;
}

/** The address of the list with `query` and `more` (empty values left out, so links stay short). */
export function listHref(base: string, query: Record<string, string> = {}, more: Record<string, string> = {}) {
  const params = new URLSearchParams(Object.entries({ ...query, ...more }).filter(([, v]) => v !== ''));
  const s = params.toString();
  return s ? `${base}?${s}` : base;
}

/** The page an offset-paged list shows, from its `page` parameter (1-based; anything else is the first). */
export function pageOffset(page: string | undefined, size: number): number {
  const n = Number(page);
  return Number.isSafeInteger(n) && n > 1 && n < 1_000_000 ? (n - 1) * size : 0;
}

function Heading<T>({
  c,
  lang,
  base,
  query,
  sort,
}: { c: Column<T> } & Pick<ListProps<T>, 'lang' | 'base' | 'query' | 'sort'>) {
  if (!c.sort || !sort || !lang) return <th scope="col">{c.label}</th>;
  const current = sort.key === c.sort;
  const dir = current && sort.dir === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={current ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a
        href={listHref(base, { ...query, sort: c.sort, dir })}
        title={t(lang, dir === 'asc' ? 'list.sortAsc' : 'list.sortDesc', { column: c.label })}
      >
        {c.label}
        {current && <span aria-hidden="true">{sort.dir === 'asc' ? ' ▲' : ' ▼'}</span>}
      </a>
    </th>
  );
}

function Paging({
  lang,
  base,
  query,
  sort,
  range,
}: { lang: Lang; range: ListRange } & Pick<ListProps<unknown>, 'base' | 'query' | 'sort'>) {
  const number = new Intl.NumberFormat(lang);
  const inForce = { ...query, ...(sort && { sort: sort.key, dir: sort.dir }) };
  const page = Math.floor(range.offset / range.size) + 1;
  const to = Math.min(range.total, range.offset + range.size);
  const at = (p: number) => listHref(base, inForce, p > 1 ? { page: String(p) } : {});
  return (
    <nav class="paging" aria-label={t(lang, 'list.pages')}>
      <span role="status">
        {t(lang, 'list.range', {
          from: number.format(Math.min(range.total, range.offset + 1)),
          to: number.format(to),
          total: number.format(range.total),
        })}
      </span>
      {page > 1 && (
        <a href={at(page - 1)} rel="prev">
          {t(lang, 'list.previous')}
        </a>
      )}
      {to < range.total && (
        <a href={at(page + 1)} rel="next">
          {t(lang, 'list.next')}
        </a>
      )}
    </nav>
  );
}

export function List<T>(props: ListProps<T>) {
  const { base, columns, rows, empty, search, query, next, nextLabel, lang, sort, range, exportHref } = props;
  return (
    <>
      {search && (
        <form method="get" action={base} role="search">
          {search.fields}
          {sort && <input type="hidden" name="sort" value={sort.key} />}
          {sort && <input type="hidden" name="dir" value={sort.dir} />}
          <div class="actions">
            {exportHref && lang ? <a href={exportHref}>{t(lang, 'list.export')}</a> : <span />}
            <button type="submit">{search.apply}</button>
          </div>
        </form>
      )}
      <Table
        columns={columns}
        rows={rows}
        empty={empty}
        heading={(c) => <Heading c={c} lang={lang} base={base} query={query} sort={sort} />}
      />
      {range && lang && range.total > 0 && <Paging lang={lang} base={base} query={query} sort={sort} range={range} />}
      {next && nextLabel && (
        <p>
          <a href={`${base}?${new URLSearchParams({ ...query, ...next })}`}>{nextLabel}</a>
        </p>
      )}
    </>
  );
}

/** A list's text search field (`q`), labelled with what it looks in. */
export const SearchField = ({ label, value }: { label: string; value: string }) => (
  <>
    <label for="q">{label}</label>
    <input id="q" name="q" type="search" value={value} />
  </>
);

/** A date-time cell: the day, or the day and time to the second with `seconds`; the full time in `datetime`. */
export const When = ({ iso, seconds }: { iso: string | null; seconds?: boolean }) =>
  iso ? <time datetime={iso}>{seconds ? iso.slice(0, 19).replace('T', ' ') : iso.slice(0, 10)}</time> : '';

/** A select of a filter: "any" ('') and each value with its label; `current` is selected. */
export function FilterSelect({
  id,
  label,
  any,
  options,
  current,
}: {
  id: string;
  label: string;
  any: string;
  options: readonly (readonly [string, string])[];
  current: string;
}) {
  return (
    <>
      <label for={id}>{label}</label>
      <select id={id} name={id}>
        {[['', any] as const, ...options].map(([value, text]) => (
          <option value={value} selected={value === current}>
            {text}
          </option>
        ))}
      </select>
    </>
  );
}
