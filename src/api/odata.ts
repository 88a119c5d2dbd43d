// OData query options as Graph accepts them: $filter (eq, ne, ge, le, startswith, in, and, or, parentheses), $select,
// $top, $count, $skiptoken; and the JSON envelope of collections with an absolute @odata.nextLink.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';

import type { Filter, FilterValue } from '../directory/filter.ts';
import { BadRequest, InvalidRequest, UnsupportedMediaType, UnsupportedQuery } from '../errors.ts';
import { parseJsonText } from '../http/inputs.ts';

type Token = { kind: 'ident' | 'string' | 'punct' | 'literal'; text: string; value?: FilterValue };

/** The instant an ISO-8601 date-time names; undefined for impossible ones, which Date would roll over (Feb 30). */
function dateTime(text: string): Date | undefined {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const value = new Date(text);
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d && !Number.isNaN(value.getTime()) ? value : undefined;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new UnsupportedQuery('filter.unclosedString');
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += input[i++];
      }
      tokens.push({ kind: 'string', text: value, value });
      continue;
    }
    // Graph writes date-times unquoted (createdDateTime ge 2026-01-31T00:00:00Z); tried before integers, which they start like.
    const literal =
      /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))|^(-?\d+)(?![\w.:-])/.exec(
        input.slice(i),
      );
    if (literal) {
      const value = literal[1] ? dateTime(literal[1]) : Number(literal[2]);
      if (value === undefined || (typeof value === 'number' && !Number.isSafeInteger(value)))
        throw new UnsupportedQuery('filter.badLiteral', { literal: literal[0] });
      tokens.push({ kind: 'literal', text: literal[0], value });
      i += literal[0].length;
      continue;
    }
    // A '/' walks into a complex property, as in status/errorCode.
    const word = /^[A-Za-z_][\w.]*(?:\/[A-Za-z_][\w.]*)*/.exec(input.slice(i));
    if (!word) throw new UnsupportedQuery('filter.unexpectedAt', { ch, i });
    const text = word[0];
    if (text === 'true' || text === 'false') tokens.push({ kind: 'literal', text, value: text === 'true' });
    else if (text === 'null') tokens.push({ kind: 'literal', text, value: null });
    else tokens.push({ kind: 'ident', text });
    i += text.length;
  }
  return tokens;
}

/**
 * Limits of a $filter, far below what breaks a store: SQLite refuses an expression tree deeper than 1000
 * (SQLITE_MAX_EXPR_DEPTH), which an `or` chain of 999 terms reaches, and the recursive parser below would overflow the
 * stack on thousands of nested parentheses. Graph's own filters rarely use more than a handful of either.
 */
export const MAX_FILTER_DEPTH = 16;
export const MAX_FILTER_TERMS = 100;

export function parseFilter(input: string): Filter {
  const tokens = tokenize(input);
  let pos = 0;
  let depth = 0;
  let terms = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const tok = tokens[pos++];
    if (!tok) throw new UnsupportedQuery('filter.endsEarly');
    return tok;
  };
  const expect = (text: string) => {
    const tok = next();
    if (tok.text !== text || tok.kind === 'string')
      throw new UnsupportedQuery('filter.expected', { expected: text, found: tok.text });
  };
  const stringLiteral = (): string => {
    const tok = next();
    if (tok.kind !== 'string') throw new UnsupportedQuery('filter.expectedString', { text: tok.text });
    return tok.text;
  };

  function primary(): Filter {
    const tok = next();
    if (tok.kind === 'punct' && tok.text === '(') {
      if (++depth > MAX_FILTER_DEPTH)
        throw new UnsupportedQuery('filter.tooDeep', { maxFilterDepth: MAX_FILTER_DEPTH });
      const inner = orExpr();
      expect(')');
      depth--;
      return inner;
    }
    if (tok.kind !== 'ident') throw new UnsupportedQuery('filter.unexpected', { text: tok.text });
    if (++terms > MAX_FILTER_TERMS)
      throw new UnsupportedQuery('filter.tooManyTerms', { maxFilterTerms: MAX_FILTER_TERMS });
    if (tok.text.toLowerCase() === 'startswith' && peek()?.text === '(') {
      expect('(');
      const prop = next();
      if (prop.kind !== 'ident') throw new UnsupportedQuery('filter.startswithProperty');
      expect(',');
      const value = stringLiteral();
      expect(')');
      return { op: 'startswith', property: prop.text, value };
    }
    const op = next();
    if (op.kind === 'ident' && (op.text === 'eq' || op.text === 'ne' || op.text === 'ge' || op.text === 'le')) {
      const v = next();
      if (v.kind !== 'string' && v.kind !== 'literal') throw new UnsupportedQuery('filter.notValue', { text: v.text });
      return { op: op.text, property: tok.text, value: v.value ?? null };
    }
    if (op.kind === 'ident' && op.text === 'in') {
      expect('(');
      const values = [stringLiteral()];
      while (peek()?.text === ',') {
        next();
        values.push(stringLiteral());
      }
      expect(')');
      if (values.length > 50) throw new UnsupportedQuery('filter.inTooLong');
      return { op: 'in', property: tok.text, values };
    }
    throw new UnsupportedQuery('filter.operator', { text: op.text });
  }
  /** `operand (op operand)*`, grouped from the left: `and` binds tighter than `or`. */
  const chain = (op: 'and' | 'or', operand: () => Filter) => (): Filter => {
    let left = operand();
    while (peek()?.kind === 'ident' && peek()!.text === op) {
      next();
      left = { op, left, right: operand() };
    }
    return left;
  };
  const andExpr = chain('and', primary);
  const orExpr = chain('or', andExpr);
  if (tokens.length === 0) throw new UnsupportedQuery('filter.empty');
  const result = orExpr();
  if (pos !== tokens.length) throw new UnsupportedQuery('filter.unexpected', { text: tokens[pos]!.text });
  return result;
}

export interface ListQuery {
  filter?: Filter;
  /** $orderby, where the resource names what it orders by (`orderable`): one property, ascending by default */
  orderBy?: { property: string; desc: boolean };
  select?: string[];
  top: number;
  count: boolean;
  after?: string;
}

const KNOWN_OPTIONS = new Set(['$filter', '$select', '$top', '$count', '$skiptoken', '$orderby', '$search', '$expand']);

/** Reads the query options of a collection request; `selectable` lists the properties $select may name. */
export function readListQuery(
  c: Context,
  selectable: readonly string[],
  opts: { defaultTop?: number; maxTop?: number; orderable?: readonly string[] } = {},
): ListQuery {
  const url = new URL(c.req.url);
  for (const key of url.searchParams.keys()) {
    if (key.startsWith('$') && !KNOWN_OPTIONS.has(key)) throw new UnsupportedQuery('query.optionUnknown', { key });
  }
  for (const unsupported of [...(opts.orderable ? [] : ['$orderby']), '$search', '$expand']) {
    if (url.searchParams.has(unsupported)) throw new UnsupportedQuery('query.optionUnsupported', { unsupported });
  }
  const maxTop = opts.maxTop ?? 999;
  const rawTop = url.searchParams.get('$top');
  const top = rawTop === null ? (opts.defaultTop ?? 100) : Number(rawTop);
  if (!Number.isInteger(top) || top < 1 || top > maxTop)
    throw new UnsupportedQuery('query.pageSize', { rawTop, maxTop });
  const rawCount = url.searchParams.get('$count');
  if (rawCount !== null && rawCount !== 'true' && rawCount !== 'false')
    throw new UnsupportedQuery('query.countBoolean');
  const query: ListQuery = { top, count: rawCount === 'true' };
  const filter = url.searchParams.get('$filter');
  if (filter !== null) query.filter = parseFilter(filter);
  const select = url.searchParams.get('$select');
  if (select !== null) query.select = parseSelect(select, selectable);
  const orderBy = url.searchParams.get('$orderby');
  if (orderBy !== null && opts.orderable) query.orderBy = parseOrderBy(orderBy, opts.orderable);
  const skiptoken = url.searchParams.get('$skiptoken');
  if (skiptoken !== null) query.after = decodeSkipToken(skiptoken);
  return query;
}

/** `$orderby=property [asc|desc]`: one of `orderable`, as Graph orders users by one property. */
export function parseOrderBy(orderBy: string, orderable: readonly string[]): { property: string; desc: boolean } {
  const m = /^\s*([A-Za-z_][\w/]*)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  if (!m || !orderable.includes(m[1]!))
    throw new UnsupportedQuery('query.orderbyUnsupported', { orderBy, orderable: orderable.join(', ') });
  return { property: m[1]!, desc: m[2]?.toLowerCase() === 'desc' };
}

export function parseSelect(select: string, selectable: readonly string[]): string[] {
  const names = select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UnsupportedQuery('query.selectEmpty');
  for (const name of names) if (!selectable.includes(name)) throw new UnsupportedQuery('query.selectUnknown', { name });
  return names;
}

const encodeSkipToken = (after: string) => Buffer.from(JSON.stringify({ a: after })).toString('base64url');

function decodeSkipToken(token: string): string {
  try {
    const { a } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof a === 'string' && a.length <= 200) return a;
  } catch {
    /* fall through */
  }
  throw new UnsupportedQuery('query.skiptoken');
}

export function project<T extends object>(item: T, select?: string[]): Partial<T> {
  if (!select) return item;
  return Object.fromEntries(select.map((k) => [k, (item as Record<string, unknown>)[k] ?? null])) as Partial<T>;
}

/** One page of a small collection read whole (a tenant's domains, policies, providers): $top, $skiptoken, $count. */
export function pageInMemory<T extends { id: string }>(
  rows: T[],
  q: ListQuery,
): { items: T[]; next?: string; count?: number } {
  const start = q.after === undefined ? 0 : rows.findIndex((r) => r.id === q.after) + 1;
  const items = rows.slice(start, start + q.top);
  return {
    items,
    ...(start + q.top < rows.length && { next: items[items.length - 1]!.id }),
    ...(q.count && { count: rows.length }),
  };
}

/** The collection envelope: @odata.context, optional @odata.count, value, and @odata.nextLink as an absolute URL. */
export function collection<T extends object>(
  c: Context,
  baseUrl: string,
  entitySet: string,
  page: { items: T[]; next?: string; count?: number },
  select?: string[],
) {
  const body: Record<string, unknown> = {
    '@odata.context': `${baseUrl}/v1.0/$metadata#${entitySet}${select ? `(${select.join(',')})` : ''}`,
  };
  if (page.count !== undefined) body['@odata.count'] = page.count;
  body.value = page.items.map((item) => project(item, select));
  if (page.next !== undefined) body['@odata.nextLink'] = nextLink(c, baseUrl, page.next);
  return body;
}

/** This request's URL on the public base URL, with a $skiptoken that continues after `after`. */
export function nextLink(c: Context, baseUrl: string, after: string): string {
  const url = new URL(c.req.url);
  url.searchParams.set('$skiptoken', encodeSkipToken(after));
  return new URL(`${url.pathname}${url.search}`, `${baseUrl}/`).toString();
}

/** Parses a JSON body strictly against `schema`; `@odata.*` annotations are dropped unless the schema names them. */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  opts: { keepAnnotations?: boolean } = {},
): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new UnsupportedMediaType('body.notJson');
  // parseJsonText refuses malformed JSON, deep nesting and control characters (the edge did for bodies it read).
  const raw = parseJsonText(await c.req.text());
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new BadRequest('body.notObject');
  const body = opts.keepAnnotations
    ? raw
    : Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('@odata.')));
  return parseBody(schema, body);
}

/** A body checked against `schema`, with the API's message for what is wrong (the CLI checks its input so too). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return `Property '${issue.keys.join("', '")}' does not exist on this resource.`;
      const path = issue.path.join('.');
      return path ? `Invalid value for property '${path}': ${issue.message}.` : issue.message;
    });
    throw new InvalidRequest('body.invalid', { detail: messages.join(' ') });
  }
  return parsed.data;
}

/**
 * A type cast as a route path segment: Graph accepts both the namespace and its alias (`microsoft.graph.user` and
 * `graph.user`) wherever a URL casts, so every cast route names its type through this one pattern.
 */
export const castSegment = (type: string): string => `:cast{(?:microsoft\\.)?graph\\.${type.replace(/\./g, '\\.')}}`;

/** A route's own limit on its JSON body, below the edge's (http/body-limits.ts): more is a 400 naming it in KiB. */
export const bodyLimitKb = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new InvalidRequest('body.tooLargeKb', { size: maxSize / 1024 });
    },
  });
