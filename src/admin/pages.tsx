// The admin center's pages: a wide branded layout with the sections' navigation, who is signed in, sign out.
import type { Child } from 'hono/jsx';

import type { AuditEvent } from '../directory/audit.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Layout } from '../pages/layout.tsx';
import { List } from './list.tsx';
import type { OverviewCounts } from './overview.ts';
import { can } from './roles.ts';
import { ADMIN_SECTIONS, type Section } from './sections.ts';

export function AdminLayout({
  lang,
  tenant,
  user,
  csrf,
  section,
  title,
  refresh,
  children,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  section: Section;
  title: string;
  refresh?: number;
  children?: Child;
}) {
  const base = `/admin/${tenant.id}`;
  return (
    <Layout lang={lang} title={`${title} · ${t(lang, 'admin.title')}`} tenant={tenant} wide refresh={refresh}>
      {/* A side navigation on wide screens; on narrow ones a Menu button (a checkbox and its label: no JavaScript)
          opens it above the page (pages/styles.ts). */}
      <div class="admin-shell">
        <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-controls="admin-nav" />
        <label for="nav-toggle" class="nav-label">
          {t(lang, 'shell.menu')}
        </label>
        <nav class="admin" id="admin-nav" aria-label={t(lang, 'admin.nav')}>
          {ADMIN_SECTIONS.map((s) => (
            <a href={`${base}${s.path}`} aria-current={s.id === section ? 'page' : undefined}>
              {t(lang, s.label)}
            </a>
          ))}
        </nav>
        <div class="admin-main">
          <h1>{title}</h1>
          {children}
          <form method="post" action={`${base}/signout`}>
            <Csrf value={csrf} />
            <div class="actions">
              <span class="muted">{t(lang, 'admin.signedInAs', { name: user.userPrincipalName })}</span>
              <button type="submit" class="secondary">
                {t(lang, 'admin.signOut')}
              </button>
            </div>
          </form>
        </div>
      </div>
    </Layout>
  );
}

const actorName = (e: AuditEvent) =>
  e.initiatedBy.kind === 'user' ? e.initiatedBy.userPrincipalName : e.initiatedBy.displayName;

export function OverviewPage({
  lang,
  tenant,
  user,
  csrf,
  counts,
  recent,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  counts: OverviewCounts;
  recent: AuditEvent[];
}) {
  const items: [string, number][] = [
    [t(lang, 'admin.count.members'), counts.members],
    [t(lang, 'admin.count.guests'), counts.guests],
    [t(lang, 'admin.count.pending'), counts.pending],
    [t(lang, 'admin.count.expiring'), counts.expiring],
    [t(lang, 'admin.count.dead'), counts.dead],
  ];
  return (
    <AdminLayout
      lang={lang}
      tenant={tenant}
      user={user}
      csrf={csrf}
      section="overview"
      title={t(lang, 'admin.overview')}
    >
      <ul class="counts">
        {items.map(([label, n]) => (
          <li>
            <strong>{n}</strong>
            {label}
          </li>
        ))}
      </ul>
      <h2>{t(lang, 'admin.recent')}</h2>
      {recent.length === 0 ? (
        <p>{t(lang, 'admin.recent.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(lang, 'admin.col.time')}</th>
              <th scope="col">{t(lang, 'admin.col.activity')}</th>
              <th scope="col">{t(lang, 'admin.col.by')}</th>
              <th scope="col">{t(lang, 'admin.col.target')}</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((e) => (
              <tr>
                <td>
                  <time datetime={e.activityDateTime}>{e.activityDateTime.slice(0, 16).replace('T', ' ')}</time>
                </td>
                <td>{e.activityDisplayName}</td>
                <td>{actorName(e)}</td>
                <td>{e.targetResources.map((r) => r.userPrincipalName ?? r.displayName ?? r.id).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

export interface UserQuery {
  q: string;
  type: '' | 'Guest' | 'Member';
  state: '' | 'PendingAcceptance' | 'Accepted';
}

export function UsersPage({
  lang,
  tenant,
  user,
  csrf,
  query,
  users,
  next,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  query: UserQuery;
  users: User[];
  next?: string;
}) {
  const option = (value: string, label: string, current: string) => (
    <option value={value} selected={value === current}>
      {label}
    </option>
  );
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="users" title={t(lang, 'admin.users')}>
      {can(user.roles, 'invite') && (
        <p>
          <a href={`/admin/${tenant.id}/users/invite`}>{t(lang, 'admin.invite')}</a> ·{' '}
          <a href={`/admin/${tenant.id}/users/bulk`}>{t(lang, 'admin.bulkInvite')}</a>
        </p>
      )}
      <List
        base={`/admin/${tenant.id}/users`}
        rows={users}
        empty={t(lang, 'admin.users.none')}
        query={{ q: query.q, type: query.type, state: query.state }}
        next={next ? { after: next } : undefined}
        nextLabel={t(lang, 'admin.users.next')}
        search={{
          apply: t(lang, 'admin.users.apply'),
          fields: (
            <>
              <label for="q">{t(lang, 'admin.users.search')}</label>
              <input id="q" name="q" type="text" value={query.q} />
              <label for="type">{t(lang, 'admin.users.type')}</label>
              <select id="type" name="type">
                {option('', t(lang, 'admin.users.any'), query.type)}
                {option('Guest', t(lang, 'admin.users.guest'), query.type)}
                {option('Member', t(lang, 'admin.users.member'), query.type)}
              </select>
              <label for="state">{t(lang, 'admin.users.state')}</label>
              <select id="state" name="state">
                {option('', t(lang, 'admin.users.any'), query.state)}
                {option('PendingAcceptance', t(lang, 'admin.users.pending'), query.state)}
                {option('Accepted', t(lang, 'admin.users.accepted'), query.state)}
              </select>
            </>
          ),
        }}
        columns={[
          {
            label: t(lang, 'admin.col.name'),
            cell: (u) => <a href={`/admin/${tenant.id}/users/${u.id}`}>{u.displayName}</a>,
          },
          { label: t(lang, 'admin.col.email'), cell: (u) => u.mail ?? u.userPrincipalName },
          {
            label: t(lang, 'admin.col.type'),
            cell: (u) => t(lang, u.userType === 'Guest' ? 'admin.users.guest' : 'admin.users.member'),
          },
          {
            label: t(lang, 'admin.col.state'),
            cell: (u) =>
              u.externalUserState === 'PendingAcceptance'
                ? t(lang, 'admin.users.pending')
                : u.externalUserState === 'Accepted'
                  ? t(lang, 'admin.users.accepted')
                  : '',
          },
        ]}
      />
    </AdminLayout>
  );
}
