// The admin center's list of users: search by substring (name, email, user name, domain), filters by type, invitation
// state and source, every column sorts, pages with a total, and the same selection as CSV (streamed, a batch of rows at
// a time, each cell safe to open in a spreadsheet).
import { Hono } from 'hono';

import {
  eachUser,
  searchUsers,
  USER_SORTS,
  USER_SOURCES,
  type UserSearch,
  type UserSort,
} from '../directory/user-search.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { shellOf, type AdminEnv, type AdminGuard } from './guard.tsx';
import { csvExportRoute, pick } from './list-export.ts';
import { List, listHref, pageOffset } from './list.tsx';
import { AdminLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

const PAGE_SIZE = 50;

/** The search the list's address describes; anything it does not know is left out, never refused. */
export function userSearchOf(query: (name: string) => string | undefined): UserSearch {
  return {
    q: (query('q') ?? '').slice(0, 100),
    type: pick(query('type'), ['Guest', 'Member']),
    state: pick(query('state'), ['PendingAcceptance', 'Accepted']),
    source: pick(query('source'), USER_SOURCES),
    sort: pick<UserSort>(query('sort'), USER_SORTS) || 'name',
    dir: query('dir') === 'desc' ? 'desc' : 'asc',
  };
}

/** The filters in force as the list's parameters (the order is the List's to add). */
const filtersOf = (s: UserSearch): Record<string, string> => ({
  q: s.q,
  type: s.type,
  state: s.state,
  source: s.source,
});

const stateLabel = (lang: Lang, u: User) =>
  u.externalUserState === 'PendingAcceptance'
    ? t(lang, 'admin.users.pending')
    : u.externalUserState === 'Accepted'
      ? t(lang, 'admin.users.accepted')
      : '';
const typeLabel = (lang: Lang, u: User) => t(lang, u.userType === 'Guest' ? 'admin.users.guest' : 'admin.users.member');

export function UsersPage({
  lang,
  tenant,
  user,
  csrf,
  search,
  users,
  offset,
  total,
}: Shell & {
  search: UserSearch;
  users: User[];
  offset: number;
  total: number;
}) {
  /** A filter's label and its choices, "any" first. */
  const select = (id: 'type' | 'state' | 'source', label: string, options: (readonly [string, string])[]) => (
    <>
      <label for={id}>{label}</label>
      <select id={id} name={id}>
        {[['', t(lang, 'admin.users.any')] as const, ...options].map(([value, text]) => (
          <option value={value} selected={value === search[id]}>
            {text}
          </option>
        ))}
      </select>
    </>
  );
  const base = `/admin/${tenant.id}/users`;
  const filters = filtersOf(search);
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="users" title={t(lang, 'admin.users')}>
      {can(user.roles, 'invite') && (
        <p>
          <a href={`${base}/invite`}>{t(lang, 'admin.invite')}</a> ·{' '}
          <a href={`${base}/bulk`}>{t(lang, 'admin.bulkInvite')}</a>
        </p>
      )}
      <List
        lang={lang}
        base={base}
        rows={users}
        empty={t(lang, 'admin.users.none')}
        query={filters}
        sort={{ key: search.sort, dir: search.dir }}
        range={{ offset, size: PAGE_SIZE, total }}
        exportHref={listHref(`${base}/export.csv`, filters, { sort: search.sort, dir: search.dir })}
        search={{
          apply: t(lang, 'admin.users.apply'),
          fields: (
            <>
              <label for="q">{t(lang, 'admin.users.searchAny')}</label>
              <input id="q" name="q" type="search" value={search.q} />
              {select('type', t(lang, 'admin.users.type'), [
                ['Guest', t(lang, 'admin.users.guest')],
                ['Member', t(lang, 'admin.users.member')],
              ])}
              {select('state', t(lang, 'admin.users.state'), [
                ['PendingAcceptance', t(lang, 'admin.users.pending')],
                ['Accepted', t(lang, 'admin.users.accepted')],
              ])}
              {select(
                'source',
                t(lang, 'admin.users.source'),
                USER_SOURCES.map((s) => [s, t(lang, `admin.users.source.${s}`)] as const),
              )}
            </>
          ),
        }}
        columns={[
          {
            label: t(lang, 'admin.col.name'),
            sort: 'name',
            cell: (u) => <a href={`${base}/${u.id}`}>{u.displayName}</a>,
          },
          { label: t(lang, 'admin.col.email'), sort: 'mail', cell: (u) => u.mail ?? u.userPrincipalName },
          { label: t(lang, 'admin.col.type'), sort: 'type', cell: (u) => typeLabel(lang, u) },
          { label: t(lang, 'admin.col.state'), sort: 'state', cell: (u) => stateLabel(lang, u) },
          {
            label: t(lang, 'admin.col.created'),
            sort: 'created',
            cell: (u) => <time datetime={u.createdDateTime}>{u.createdDateTime.slice(0, 10)}</time>,
          },
        ]}
      />
    </AdminLayout>
  );
}

export function usersListRoutes(services: Services, guard: AdminGuard) {
  const { store } = services;
  const app = new Hono<AdminEnv>();

  app.get('/admin/:tenant/users', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const search = userSearchOf((name) => c.req.query(name));
    const offset = pageOffset(c.req.query('page'), PAGE_SIZE);
    const { items, total } = await searchUsers(store.db, s.tenant.id, search, { offset, limit: PAGE_SIZE });
    return c.html(<UsersPage {...shellOf(s)} search={search} users={items} offset={offset} total={total} />);
  });

  // What the list selects, in its order, as CSV: the columns the list shows, with the ids and user names beside them.
  csvExportRoute(app, guard, {
    section: 'users',
    head: ['id', 'displayName', 'mail', 'userPrincipalName', 'userType', 'externalUserState', 'createdDateTime'],
    each: (c, tenantId) =>
      eachUser(
        store.db,
        tenantId,
        userSearchOf((name) => c.req.query(name)),
      ),
    cells: (u) => [
      u.id,
      u.displayName,
      u.mail,
      u.userPrincipalName,
      u.userType,
      u.externalUserState,
      u.createdDateTime,
    ],
  });

  return app;
}
