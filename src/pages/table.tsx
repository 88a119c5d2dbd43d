// The tables pages draw: items in rows under column headings (or a sentence where there are none), and one item's
// properties, each name beside its value. The admin center's paged lists (admin/list.tsx) draw theirs with `Table` too.
import type { Child } from 'hono/jsx';

/** A column: its heading and what one row shows in it. */
export interface TableColumn<T> {
  label: Child;
  cell: (row: T) => Child;
}

/**
 * `rows` under the headings of `columns`; with no rows, `empty` as a paragraph, or nothing without it. `heading`
 * draws a column's heading cell where it is more than its label (a list's sorting link).
 */
export function Table<T, C extends TableColumn<T> = TableColumn<T>>({
  columns,
  rows,
  empty,
  caption,
  heading = (c) => <th scope="col">{c.label}</th>,
}: {
  /** the columns in order; `false` leaves one out (a column only some readers see) */
  columns: readonly (C | false)[];
  rows: readonly T[];
  empty?: Child;
  caption?: Child;
  heading?: (c: C) => Child;
}) {
  if (rows.length === 0) return empty === undefined ? null : <p>{empty}</p>;
  const shown = columns.filter((c): c is C => c !== false);
  return (
    <table>
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>{shown.map((c) => heading(c))}</tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            {shown.map((c) => (
              <td>{c.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One property: its name and its value; `false` leaves it out (a property only some items have). */
export type Property = readonly [name: Child, value: Child] | false;

/** An item's properties as a table, each name a row's heading beside its value. */
export const Properties = ({
  rows,
  caption,
  class: className,
}: {
  rows: readonly Property[];
  caption?: Child;
  class?: string;
}) => (
  <table class={className}>
    {caption !== undefined && <caption>{caption}</caption>}
    <tbody>
      {rows.map(
        (p) =>
          p && (
            <tr>
              <th scope="row">{p[0]}</th>
              <td>{p[1]}</td>
            </tr>
          ),
      )}
    </tbody>
  </table>
);
