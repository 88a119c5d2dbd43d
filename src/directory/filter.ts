// The filter expressions the API accepts ($filter), as data, and their translation into SQL for one table.
// Parsing lives in api/odata.ts; which properties may be filtered, and how, lives with each resource.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';

import { UnsupportedQuery } from '../errors.ts';

/** A quoted string, true/false, null, an integer, or an unquoted date-time (Edm.DateTimeOffset) as a Date. */
export type FilterValue = string | boolean | null | number | Date;

export type Filter =
  | { op: 'eq' | 'ne' | 'ge' | 'le'; property: string; value: FilterValue }
  | { op: 'startswith'; property: string; value: string }
  | { op: 'in'; property: string; values: string[] }
  | { op: 'and' | 'or'; left: Filter; right: Filter };

export interface FilterableProperty<C extends string> {
  column: C;
  /** Compared lower-cased (the column holds the normalized form). */
  caseInsensitive?: boolean;
  /** `dateTime` columns hold ISO-8601 UTC text, so a Date compares as its toISOString(). */
  type: 'string' | 'boolean' | 'integer' | 'dateTime';
  /**
   * A property another module keeps in its own table (a user's signInActivity): for a comparison, the subquery of
   * the values of `column` that match (`in`) or that do not (`in: false`). Only for `dateTime` properties.
   */
  via?: (op: '=' | '<>' | '>=' | '<=', value: string | null) => { in: boolean; ids: Expression<unknown> };
}

export type PropertyMap<C extends string> = Record<string, FilterableProperty<C>>;

/** The properties a filter names. */
export const filterProperties = (filter: Filter): string[] =>
  'left' in filter ? [...filterProperties(filter.left), ...filterProperties(filter.right)] : [filter.property];

export const likeEscape = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export function compileFilter<DB, TB extends keyof DB & string, C extends string>(
  eb: ExpressionBuilder<DB, TB>,
  filter: Filter,
  properties: PropertyMap<C>,
): Expression<SqlBool> {
  if ('left' in filter) {
    const parts = [compileFilter(eb, filter.left, properties), compileFilter(eb, filter.right, properties)];
    return filter.op === 'and' ? eb.and(parts) : eb.or(parts);
  }
  const prop = properties[filter.property];
  if (!prop) throw new UnsupportedQuery('filter.property', { property: filter.property });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the column is validated through the property map
  const ref = eb.ref(prop.column as any);
  const fold = (v: string) => (prop.caseInsensitive ? v.toLowerCase() : v);
  if (filter.op === 'startswith') {
    if (prop.type !== 'string') throw new UnsupportedQuery('filter.startswithText');
    const column = prop.caseInsensitive ? ref : eb.fn('lower', [ref]);
    const pattern = `${likeEscape(filter.value.toLowerCase())}%`;
    // ESCAPE is explicit: PostgreSQL defaults to backslash, but SQLite has no escape character without it. Passed as
    // a parameter, so no string-literal quoting rule (standard_conforming_strings) can change its meaning.
    return sql<SqlBool>`${column} like ${pattern} escape ${'\\'}`;
  }
  if (filter.op === 'in') {
    if (prop.type === 'integer' || prop.type === 'dateTime')
      throw new UnsupportedQuery('filter.inUnsupported', { property: filter.property });
    if (filter.values.length === 0) return eb.val(false) as unknown as Expression<SqlBool>;
    return eb(ref, 'in', filter.values.map(fold));
  }
  const value = filter.value;
  const ordered = filter.op === 'ge' || filter.op === 'le';
  if (ordered && prop.type !== 'integer' && prop.type !== 'dateTime')
    throw new UnsupportedQuery('filter.orderedType', { op: filter.op, property: filter.property });
  const op = ({ eq: '=', ne: '<>', ge: '>=', le: '<=' } as const)[filter.op];
  if (prop.via) {
    if (value === null && ordered)
      throw new UnsupportedQuery('filter.orderedNull', { property: filter.property, op: filter.op });
    if (value !== null && !(value instanceof Date))
      throw new UnsupportedQuery('filter.wantsDate', { property: filter.property });
    const found = prop.via(op, value === null ? null : value.toISOString());
    return eb(ref, found.in ? 'in' : 'not in', found.ids);
  }
  if (value === null) {
    if (ordered) throw new UnsupportedQuery('filter.orderedNull', { property: filter.property, op: filter.op });
    return filter.op === 'eq' ? eb(ref, 'is', null) : eb(ref, 'is not', null);
  }
  if (prop.type === 'integer') {
    if (typeof value !== 'number') throw new UnsupportedQuery('filter.wantsInteger', { property: filter.property });
    return eb(ref, op, value);
  }
  if (prop.type === 'dateTime') {
    if (!(value instanceof Date)) throw new UnsupportedQuery('filter.wantsDate', { property: filter.property });
    return eb(ref, op, value.toISOString());
  }
  if (prop.type === 'boolean') {
    if (typeof value !== 'boolean') throw new UnsupportedQuery('filter.wantsBoolean', { property: filter.property });
    return eb(ref, op, value ? 1 : 0);
  }
  if (typeof value !== 'string') throw new UnsupportedQuery('filter.wantsString', { property: filter.property });
  return eb(ref, op, fold(value));
}
