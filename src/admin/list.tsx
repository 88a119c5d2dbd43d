// The one list of the admin center: its search form (a GET to the list itself), its table, and the link to the next
// page, which carries the filters in force and the cursor. Every paged list uses it, so paging or sorting changes in
// one place.
import type { Child } from 'hono/jsx';

/** A column: its heading and what one row shows in it. */
export interface Column<T> {
  label: string;
  cell: (row: T) => Child;
}

export interface ListProps<T> {
  /** the list's own address: where the search form goes and the next page's link points */
  base: string;
  /** the columns in order; `false` leaves one out (a column only some roles see) */
  columns: readonly (Column<T> | false)[];
  rows: readonly T[];
  /** what shows instead of the table when there are no rows */
  empty: string;
  /** the search form's fields and its button's label; without it, no form */
  search?: { fields: Child; apply: string };
  /** the filters in force, carried by the next page's link */
  query?: Record<string, string>;
  /** the next page's cursor parameters, when there is a next page */
  next?: Record<string, string>;
  nextLabel: string;
}

export function List<T>({ base, columns, rows, empty, search, query, next, nextLabel }: ListProps<T>) {
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <>
      {search && (
        <form method="get" action={base} role="search">
          {search.fields}
          <div class="actions">
            <span />
            <button type="submit">{search.apply}</button>
          </div>
        </form>
      )}
      {rows.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {shown.map((c) => (
                <th scope="col">{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                {shown.map((c) => (
                  <td>{c.cell(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <p>
          <a href={`${base}?${new URLSearchParams({ ...query, ...next })}`}>{nextLabel}</a>
        </p>
      )}
    </>
  );
}
