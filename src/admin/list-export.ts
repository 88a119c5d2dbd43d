// What every admin list shares around its List (list.tsx): the search its address describes (text, sort, direction,
// page; anything unknown left out, never refused), the props that page, sort and export it, and its CSV export: the
// rows the search selects, in its order, streamed a batch at a time, each cell safe to open in a spreadsheet.
import type { Context, Hono } from 'hono';

import type { ListSearch, SortDir } from '../directory/list-search.ts';
import type { Lang } from '../i18n/index.ts';
import { csvCell } from '../invitations/bulk.ts';
import type { AdminEnv, AdminGuard } from './guard.tsx';
import { listHref, pageOffset } from './list.tsx';

export const PAGE_SIZE = 50;

/** `value` when it is one of `allowed`, else '' (a filter not in force). */
export const pick = <T extends string>(value: string | undefined, allowed: readonly T[]): T | '' =>
  allowed.includes(value as T) ? (value as T) : '';

/** The text, order and page the list's address asks for; the order is `sorts[0]` in `dir` unless it asks another. */
export function listSearchOf<S extends string>(
  query: (name: string) => string | undefined,
  sorts: readonly S[],
  dir: SortDir = 'asc',
): ListSearch<S> & { offset: number } {
  const sort = pick(query('sort'), sorts) || sorts[0]!;
  const asked = query('dir');
  return {
    q: (query('q') ?? '').slice(0, 100),
    sort,
    dir: asked === 'asc' || asked === 'desc' ? asked : dir,
    offset: pageOffset(query('page'), PAGE_SIZE),
  };
}

/** The List props that page, sort and export a list: `filters` are the search's own parameters (with `q`). */
export function listProps(
  lang: Lang,
  base: string,
  search: ListSearch<string> & { offset: number },
  filters: Record<string, string>,
  total: number,
) {
  const query = { q: search.q, ...filters };
  return {
    lang,
    base,
    query,
    sort: { key: search.sort, dir: search.dir },
    range: { offset: search.offset, size: PAGE_SIZE, total },
    exportHref: listHref(`${base}/export.csv`, query, { sort: search.sort, dir: search.dir }),
  };
}

/** The CSV of `batches` (a list's `each`): `head` first, then each item's `cells`, as an attachment `filename`. */
export function csvResponse<T>(
  c: Context,
  filename: string,
  head: string[],
  batches: AsyncGenerator<T[]>,
  cells: (item: T) => (string | number | null)[],
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${head.join(',')}\r\n`));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) return controller.close();
      const lines = next.value.map((item) =>
        cells(item)
          .map((v) => csvCell(v ?? ''))
          .join(','),
      );
      controller.enqueue(encoder.encode(`${lines.join('\r\n')}\r\n`));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
  });
}

/**
 * GET /admin/:tenant/<section>/export.csv, `<section>.csv`: `head`, then each item's `cells`, the items `each` reads of
 * the tenant (the rows the list's address selects).
 */
export function csvExportRoute<T>(
  app: Hono<AdminEnv>,
  guard: AdminGuard,
  x: {
    section: string;
    head: string[];
    each(c: Context<AdminEnv>, tenantId: string): AsyncGenerator<T[]>;
    cells(item: T): (string | number | null)[];
  },
) {
  app.get(`/admin/:tenant/${x.section}/export.csv`, guard.signedIn('view'), (c) =>
    csvResponse(c, `${x.section}.csv`, x.head, x.each(c, c.var.signed.tenant.id), x.cells),
  );
}
