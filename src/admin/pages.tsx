// The admin center's pages: a wide branded layout with the sections' navigation, who is signed in, sign out.
import type { Child } from 'hono/jsx';

import type { AuditEvent } from '../directory/audit.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Layout } from '../pages/layout.tsx';
import { Table } from '../pages/table.tsx';
import type { OverviewCounts } from './overview.ts';
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
}: Shell & {
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

/** What every admin page is drawn with (guard.tsx's shellOf). */
export type Shell = { lang: Lang; tenant: Tenant; user: User; csrf: string };
/** The same for the pages about a user, whose `user` is that user: the administrator is `admin` (adminShellOf). */
export type AdminShell = Omit<Shell, 'user'> & { admin: User };

/** AdminLayout for a page whose props carry the shell (`page`). */
export const PageLayout = ({
  page,
  section,
  title,
  children,
}: {
  page: Shell;
  section: Section;
  title: string;
  children?: Child;
}) => (
  <AdminLayout lang={page.lang} tenant={page.tenant} user={page.user} csrf={page.csrf} section={section} title={title}>
    {children}
  </AdminLayout>
);

/** AdminLayout for a page whose shell names the administrator `admin` (AdminShell: a user's pages, an app's). */
export const AdminShellLayout = ({
  admin,
  children,
  ...p
}: AdminShell & { section: Section; title: string; children?: Child }) => (
  <AdminLayout {...p} user={admin}>
    {children}
  </AdminLayout>
);

/** The layout of the users section's pages about one user. */
export const UsersLayout = (p: AdminShell & { title: string; children?: Child }) => (
  <AdminShellLayout {...p} section="users" />
);

const actorName = (e: AuditEvent) =>
  e.initiatedBy.kind === 'user' ? e.initiatedBy.userPrincipalName : e.initiatedBy.displayName;

export function OverviewPage({
  lang,
  tenant,
  user,
  csrf,
  counts,
  recent,
}: Shell & {
  counts: OverviewCounts;
  recent: AuditEvent[];
}) {
  // Each figure leads to the list it counts (the users list's and the outbox's filters).
  const users = `/admin/${tenant.id}/users`;
  const pending = `${users}?type=Guest&state=PendingAcceptance`;
  const items: [string, number, string][] = [
    [t(lang, 'admin.count.members'), counts.members, `${users}?type=Member`],
    [t(lang, 'admin.count.guests'), counts.guests, `${users}?type=Guest`],
    [t(lang, 'admin.count.pending'), counts.pending, pending],
    [t(lang, 'admin.count.expiring'), counts.expiring, pending],
    [t(lang, 'admin.count.dead'), counts.dead, `/admin/${tenant.id}/outbox?state=dead`],
  ];
  return (
    <PageLayout page={{ lang, tenant, user, csrf }} section="overview" title={t(lang, 'admin.overview')}>
      <ul class="counts">
        {items.map(([label, n, href]) => (
          <li>
            <a href={href}>
              <strong>{n}</strong>
              {label}
            </a>
          </li>
        ))}
      </ul>
      <h2>{t(lang, 'admin.recent')}</h2>
      <Table
        rows={recent}
        empty={t(lang, 'admin.recent.none')}
        columns={[
          {
            label: t(lang, 'admin.col.time'),
            cell: (e) => <time datetime={e.activityDateTime}>{e.activityDateTime.slice(0, 16).replace('T', ' ')}</time>,
          },
          { label: t(lang, 'admin.col.activity'), cell: (e) => e.activityDisplayName },
          { label: t(lang, 'admin.col.by'), cell: actorName },
          {
            label: t(lang, 'admin.col.target'),
            cell: (e) => e.targetResources.map((r) => r.userPrincipalName ?? r.displayName ?? r.id).join(', '),
          },
        ]}
      />
    </PageLayout>
  );
}
