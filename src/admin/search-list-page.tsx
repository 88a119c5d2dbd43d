// A directory section's list page (contacts, groups): what was just done, a New link for who may manage it, and the
// List searched by text, sorted, paged and exported (list-export.ts listProps) with the section's columns.
import type { ListSearch } from '../directory/list-search.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import type { Lang } from '../i18n/index.ts';
import { listProps } from './list-export.ts';
import { List, SearchField, type Column } from './list.tsx';
import { AdminLayout } from './pages.tsx';
import { can } from './roles.ts';
import type { Section } from './sections.ts';

export function SearchListPage<T>({
  lang,
  tenant,
  user,
  csrf,
  section,
  base,
  search,
  rows,
  total,
  columns,
  texts,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  section: Section;
  /** the list's address, /admin/<tenant>/<section> */
  base: string;
  search: ListSearch<string> & { offset: number };
  rows: T[];
  total: number;
  columns: Column<T>[];
  /** the page's words: `done` is the status line of what was just done, if anything was */
  texts: { title: string; done?: string; new: string; none: string; apply: string; search: string };
}) {
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section={section} title={texts.title}>
      {texts.done && <p role="status">{texts.done}</p>}
      {can(user.roles, 'manageUsers') && (
        <p>
          <a href={`${base}/new`}>{texts.new}</a>
        </p>
      )}
      <List
        {...listProps(lang, base, search, {}, total)}
        rows={rows}
        empty={texts.none}
        search={{ apply: texts.apply, fields: <SearchField label={texts.search} value={search.q} /> }}
        columns={columns}
      />
    </AdminLayout>
  );
}
