// The filter expressions the API accepts ($filter), as data, and their translation into SQL for one table.
// Parsing lives in api/odata.ts; which properties may be filtered, and how, lives with each resource.
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { UnsupportedQuery } from '../errors.ts';

export type FilterValue = string | boolean | null;

export type Filter =
  | { op: 'eq' | 'ne'; property: string; value: FilterValue }
  | { op: 'startswith'; property: string; value: string }
  | { op: 'in'; property: string; values: string[] }
  | { op: 'and' | 'or'; left: Filter; right: Filter };

export interface FilterableProperty<C extends string> {
  column: C;
  /** Compared lower-cased (the column holds the normalized form). */
  caseInsensitive?: boolean;
  type: 'string' | 'boolean';
}

export type PropertyMap<C extends string> = Record<string, FilterableProperty<C>>;

const likeEscape = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

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
  if (!prop) throw new UnsupportedQuery(`Filtering on property '${filter.property}' is not supported.`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the column is validated through the property map
  const ref = eb.ref(prop.column as any);
  const fold = (v: string) => (prop.caseInsensitive ? v.toLowerCase() : v);
  if (filter.op === 'startswith') {
    if (prop.type !== 'string') throw new UnsupportedQuery(`startswith is only supported on text properties.`);
    const column = prop.caseInsensitive ? ref : eb.fn('lower', [ref]);
    const pattern = `${likeEscape(filter.value.toLowerCase())}%`;
    // ESCAPE is explicit: PostgreSQL defaults to backslash, but SQLite has no escape character without it. Passed as
    // a parameter, so no string-literal quoting rule (standard_conforming_strings) can change its meaning.
    return sql<SqlBool>`${column} like ${pattern} escape ${'\\'}`;
  }
  if (filter.op === 'in') {
    if (filter.values.length === 0) return eb.val(false) as unknown as Expression<SqlBool>;
    return eb(ref, 'in', filter.values.map(fold));
  }
  const value = filter.value;
  if (value === null) return filter.op === 'eq' ? eb(ref, 'is', null) : eb(ref, 'is not', null);
  if (prop.type === 'boolean') {
    if (typeof value !== 'boolean') throw new UnsupportedQuery(`'${filter.property}' compares with true or false.`);
    return eb(ref, filter.op === 'eq' ? '=' : '<>', value ? 1 : 0);
  }
  if (typeof value !== 'string') throw new UnsupportedQuery(`'${filter.property}' compares with a quoted string.`);
  return eb(ref, filter.op === 'eq' ? '=' : '<>', fold(value));
}
