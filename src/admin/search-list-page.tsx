// A directory section's list page (contacts, groups; its words are the section's keys): a deletion just done, a New
// link for who may manage it, and the List searched by text, sorted, paged and exported (list-export.ts listProps) with the section's columns.
import type { ListSearch } from '../directory/list-search.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import { listProps } from './list-export.ts';
import { List, SearchField, type Column } from './list.tsx';
import { AdminLayout } from './pages.tsx';
import { can } from './roles.ts';

export function SearchListPage<T>({
  lang,
  tenant,
  user,
  csrf,
  section,
  search,
  rows,
  total,
  columns,
  deleted,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  /** the section, which names the page's words (`admin.<section>.new`, …) */
  section: 'contacts' | 'groups';
  search: ListSearch<string> & { offset: number };
  rows: T[];
  total: number;
  columns: Column<T>[];
  /** a row was just deleted: the page says so */
  deleted?: boolean;
}) {
  const base = `/admin/${tenant.id}/${section}`;
  return (
    <AdminLayout
      lang={lang}
      tenant={tenant}
      user={user}
      csrf={csrf}
      section={section}
      title={t(lang, `admin.${section}`)}
    >
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
