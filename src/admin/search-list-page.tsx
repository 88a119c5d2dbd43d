// A directory section's list page and its routes (contacts, groups; the page's words are the section's keys): a
// deletion just done, a New link for who may manage it, and the List searched by text, sorted, paged and exported
// (list-export.ts listProps) with the section's columns.
import type { Context, Hono } from 'hono';

import type { ListResults, ListSearch } from '../directory/list-search.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Db } from '../store/index.ts';
import { shellOf, type AdminEnv, type AdminGuard } from './guard.tsx';
import { csvExportRoute, listProps, listSearchOf, PAGE_SIZE } from './list-export.ts';
import { List, SearchField, type Column } from './list.tsx';
import { AdminLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

export function SearchListPage<T>({
  section,
  search,
  rows,
  total,
  columns,
  deleted,
  ...shell
}: Shell & {
  /** the section, which names the page's words (`admin.<section>.new`, …) */
  section: 'contacts' | 'groups';
  search: ListSearch<string> & { offset: number };
  rows: T[];
  total: number;
  columns: Column<T>[];
  /** a row was just deleted: the page says so */
  deleted?: boolean;
}) {
  const { lang, tenant, user } = shell;
  const base = `/admin/${tenant.id}/${section}`;
  return (
    <AdminLayout {...shell} section={section} title={t(lang, `admin.${section}`)}>
      {deleted && <p role="status">{t(lang, `admin.${section}.deleted`)}</p>}
      {can(user.roles, 'manageUsers') && (
        <p>
          <a href={`${base}/new`}>{t(lang, `admin.${section}.new`)}</a>
        </p>
      )}
      <List
        {...listProps(lang, base, search, {}, total)}
        rows={rows}
        empty={t(lang, `admin.${section}.none`)}
        search={{
          apply: t(lang, `admin.${section}.apply`),
          fields: <SearchField label={t(lang, `lists.${section}.search`)} value={search.q} />,
        }}
        columns={columns}
      />
    </AdminLayout>
  );
}

/**
 * The section's list (GET /admin/:tenant/<section>, a SearchListPage of `columns`) and its CSV export (`export.csv`: `head`,
 * then each item's `cells`), both searched by the address's text, order and page (list-export.ts listSearchOf).
 */
export function searchListRoutes<S extends string, T>(
  app: Hono<AdminEnv>,
  guard: AdminGuard,
  db: Db,
  x: {
    section: 'contacts' | 'groups';
    sorts: readonly S[];
    /** the section's `listSearch` (directory/list-search.ts) */
    list: {
      search(
        db: Db,
        tenantId: string,
        s: ListSearch<S>,
        page: { offset: number; limit: number },
      ): Promise<ListResults<T>>;
      each(db: Db, tenantId: string, s: ListSearch<S>): AsyncGenerator<T[]>;
    };
    /** the page's columns; `base` is the list's address, /admin/<tenant>/<section> */
    columns(lang: Lang, base: string): Column<T>[];
    head: string[];
    cells(item: T): (string | number | null)[];
  },
) {
  const searchOf = (c: Context<AdminEnv>) => listSearchOf((name) => c.req.query(name), x.sorts);
  app.get(`/admin/:tenant/${x.section}`, guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const search = searchOf(c);
    const found = await x.list.search(db, s.tenant.id, search, { offset: search.offset, limit: PAGE_SIZE });
    return c.html(
      <SearchListPage
        {...shellOf(s)}
        section={x.section}
        search={search}
        rows={found.items}
        total={found.total}
        columns={x.columns(s.lang, `/admin/${s.tenant.id}/${x.section}`)}
        deleted={c.req.query('done') === 'deleted'}
      />,
    );
  });
  csvExportRoute(app, guard, {
    section: x.section,
    head: x.head,
    each: (c, tenantId) => x.list.each(db, tenantId, searchOf(c)),
    cells: x.cells,
  });
}
