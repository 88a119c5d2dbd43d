// The admin center's deleted items at /admin/<tenant id>/deleted (Entra's "Deleted items"), one tab per kind (users,
// groups, applications: `?type=`): what was deleted, when, how many days are left before the permanent delete, with
// Restore and Permanently delete (after a confirmation page). Each goes through the domain functions the API uses
// (deleted/items.ts), with their audit events. The groups' and applications' forms post, then redirect (303) to the
// tab, which says what was done.
import { Hono, type Context } from 'hono';

import { getApp, getDeletedApp, listDeletedApps, purgeApp, restoreApp } from '../apps/apps.ts';
import {
  DELETED_RETENTION_DAYS,
  purgeDateOf,
  purgeGroupAs,
  purgeUserAs,
  restoreGroupAs,
  restoreUserAs,
} from '../deleted/items.ts';
import type { Actor } from '../directory/audit.ts';
import { getDeletedGroup, getGroup, listDeletedGroups } from '../directory/groups.ts';
import { isUuid, type Tenant } from '../directory/tenants.ts';
import { getDeletedUser, listDeletedUsers, type ListOptions, type Page } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { ErrorPage } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { ConfirmPage } from './confirm.tsx';
import { actorOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { List } from './list.tsx';
import { AdminLayout } from './pages.tsx';
import { can, type AdminAction } from './roles.ts';

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;

/** A deleted group or application as its tab lists it. */
interface Row {
  id: string;
  displayName: string;
  /** a group's description, an application's appId */
  detail: string | null;
  deletedDateTime: string;
}

/** The groups' and applications' tabs: their reads and changes, the right they need, and their texts. */
interface Kind {
  type: 'group' | 'application';
  path: 'groups' | 'applications';
  right: AdminAction;
  tab: keyof Messages;
  intro: keyof Messages;
  none: keyof Messages;
  detail: keyof Messages;
  purgeText: keyof Messages;
  purged: keyof Messages;
  list(db: Services['store']['db'], tenantId: string, opts: ListOptions): Promise<Page<Row>>;
  get(db: Services['store']['db'], tenantId: string, id: string): Promise<Row | undefined>;
  /** the name of the item back in the directory, for the outcome after a restore */
  restoredName(db: Services['store']['db'], tenantId: string, id: string): Promise<string | undefined>;
  restore(tx: Tx, services: Services, tenantId: string, id: string, actor: Actor): Promise<unknown>;
  purge(tx: Tx, services: Services, tenantId: string, id: string, actor: Actor): Promise<unknown>;
}

const groupRow = (g: { id: string; displayName: string; description: string | null; deletedDateTime: string }) => ({
  id: g.id,
  displayName: g.displayName,
  detail: g.description,
  deletedDateTime: g.deletedDateTime,
});
const appRow = (a: { id: string; displayName: string; clientId: string; deletedDateTime: string }) => ({
  id: a.id,
  displayName: a.displayName,
  detail: a.clientId,
  deletedDateTime: a.deletedDateTime,
});

const KINDS: Kind[] = [
  {
    type: 'group',
    path: 'groups',
    right: 'manageUsers',
    tab: 'admin.deleted.groups',
    intro: 'admin.deleted.groupsIntro',
    none: 'admin.deleted.noGroups',
    detail: 'admin.deleted.description',
    purgeText: 'admin.deleted.groupPurgeText',
    purged: 'admin.deleted.groupPurged',
    list: async (db, tenantId, opts) => {
      const page = await listDeletedGroups(db, tenantId, opts);
      return { ...page, items: page.items.map(groupRow) };
    },
    get: async (db, tenantId, id) => {
      const group = await getDeletedGroup(db, tenantId, id);
      return group && groupRow(group);
    },
    restoredName: async (db, tenantId, id) => (await getGroup(db, tenantId, id))?.displayName,
    restore: (tx, { clock }, tenantId, id, actor) => restoreGroupAs(tx, clock, tenantId, id, actor),
    purge: (tx, { clock }, tenantId, id, actor) => purgeGroupAs(tx, clock, tenantId, id, actor),
  },
  {
    type: 'application',
    path: 'applications',
    right: 'apps',
    tab: 'admin.deleted.apps',
    intro: 'admin.deleted.appsIntro',
    none: 'admin.deleted.noApps',
    detail: 'admin.deleted.appId',
    purgeText: 'admin.deleted.appPurgeText',
    purged: 'admin.deleted.appPurged',
    list: async (db, tenantId, opts) => {
      const page = await listDeletedApps(db, tenantId, opts);
      return { ...page, items: page.items.map(appRow) };
    },
    get: async (db, tenantId, id) => {
      const app = await getDeletedApp(db, tenantId, id);
      return app && appRow(app);
    },
    restoredName: async (db, tenantId, id) => (await getApp(db, tenantId, id))?.displayName,
    restore: (tx, { clock }, tenantId, id, actor) => restoreApp(tx, clock, tenantId, id, actor),
    purge: (tx, { clock }, tenantId, id, actor) => purgeApp(tx, clock, tenantId, id, actor),
  },
];

/** The tabs of the page, one per kind; the current one marked for assistive technology. */
function Tabs({ lang, tenant, current }: { lang: Lang; tenant: Tenant; current: 'user' | Kind['type'] }) {
  const tabs = [
    { type: 'user' as const, label: t(lang, 'admin.deleted.users') },
    ...KINDS.map((k) => ({ type: k.type, label: t(lang, k.tab) })),
  ];
  return (
    <nav class="admin" aria-label={t(lang, 'admin.deleted.tabs')}>
      {tabs.map((tab) => (
        <a
          href={`/admin/${tenant.id}/deleted?type=${tab.type}`}
          aria-current={tab.type === current ? 'page' : undefined}
        >
          {tab.label}
        </a>
      ))}
    </nav>
  );
}

export function deletedRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const base = (s: Signed) => `/admin/${s.tenant.id}/deleted`;
  const daysLeft = (u: { deletedDateTime: string }) =>
    Math.max(0, Math.ceil((purgeDateOf(u.deletedDateTime).getTime() - clock.now().getTime()) / DAY_MS));
  const cursor = (c: Context<AdminEnv>) => {
    const after = c.req.query('after');
    return after && isUuid(after) ? after.toLowerCase() : undefined;
  };

  /** The tab of a group or application kind, with the outcome of the change that redirected here. */
  const kindPage = async (c: Context<AdminEnv>, s: Signed, kind: Kind) => {
    const page = await kind.list(store.db, s.tenant.id, { top: PAGE_SIZE, after: cursor(c) });
    const restored = c.req.query('restored');
    const restoredName = restored && (await kind.restoredName(store.db, s.tenant.id, restored));
    const notice = restoredName
      ? t(s.lang, 'admin.deleted.restored', { name: restoredName })
      : c.req.query('purged') === '1'
        ? t(s.lang, kind.purged)
        : undefined;
    const manage = can(s.admin.user.roles, kind.right);
    const at = `${base(s)}/${kind.path}`;
    return c.html(
      <AdminLayout
        lang={s.lang}
        tenant={s.tenant}
        user={s.admin.user}
        csrf={s.admin.csrf}
        section="deleted"
        title={t(s.lang, 'admin.deleted')}
      >
        <Tabs lang={s.lang} tenant={s.tenant} current={kind.type} />
        {notice && <p role="status">{notice}</p>}
        <p>{t(s.lang, kind.intro, { days: String(DELETED_RETENTION_DAYS) })}</p>
        <List
          base={base(s)}
          query={{ type: kind.type }}
          rows={page.items}
          empty={t(s.lang, kind.none)}
          next={page.next ? { after: page.next } : undefined}
          nextLabel={t(s.lang, 'admin.deleted.next')}
          columns={[
            { label: t(s.lang, 'admin.deleted.name'), cell: (r) => r.displayName },
            { label: t(s.lang, kind.detail), cell: (r) => r.detail ?? '' },
            { label: t(s.lang, 'admin.deleted.deletedOn'), cell: (r) => r.deletedDateTime.slice(0, 10) },
            { label: t(s.lang, 'admin.deleted.daysLeft'), cell: (r) => String(daysLeft(r)) },
            manage && {
              label: t(s.lang, 'admin.deleted.actions'),
              cell: (r) => (
                <form method="post" action={`${at}/${r.id}/restore`}>
                  <Csrf value={s.admin.csrf} />
                  <button type="submit" aria-label={`${t(s.lang, 'admin.deleted.restore')}: ${r.displayName}`}>
                    {t(s.lang, 'admin.deleted.restore')}
                  </button>{' '}
                  <a href={`${at}/${r.id}/purge`}>{t(s.lang, 'admin.deleted.purge')}</a>
                </form>
              ),
            },
          ]}
        />
      </AdminLayout>,
    );
  };

  const listPage = async (c: Context<AdminEnv>, s: Signed, notice?: string) => {
    const after = c.req.query('after');
    const page = await listDeletedUsers(store.db, s.tenant.id, {
      top: PAGE_SIZE,
      after: after && isUuid(after) ? after.toLowerCase() : undefined,
    });
    const manage = can(s.admin.user.roles, 'manageUsers');
    return c.html(
      <AdminLayout
        lang={s.lang}
        tenant={s.tenant}
        user={s.admin.user}
        csrf={s.admin.csrf}
        section="deleted"
        title={t(s.lang, 'admin.deleted')}
      >
        <Tabs lang={s.lang} tenant={s.tenant} current="user" />
        {notice && <p role="status">{notice}</p>}
        <p>{t(s.lang, 'admin.deleted.intro', { days: String(DELETED_RETENTION_DAYS) })}</p>
        <List
          base={base(s)}
          rows={page.items}
          empty={t(s.lang, 'admin.deleted.none')}
          next={page.next ? { after: page.next } : undefined}
          nextLabel={t(s.lang, 'admin.deleted.next')}
          columns={[
            { label: t(s.lang, 'admin.deleted.name'), cell: (u) => u.displayName },
            { label: t(s.lang, 'admin.deleted.upn'), cell: (u) => u.userPrincipalName },
            { label: t(s.lang, 'admin.deleted.type'), cell: (u) => u.userType },
            { label: t(s.lang, 'admin.deleted.deletedOn'), cell: (u) => u.deletedDateTime.slice(0, 10) },
            { label: t(s.lang, 'admin.deleted.daysLeft'), cell: (u) => String(daysLeft(u)) },
            manage && {
              label: t(s.lang, 'admin.deleted.actions'),
              cell: (u) => (
                <form method="post" action={`${base(s)}/${u.id}/restore`}>
                  <Csrf value={s.admin.csrf} />
                  <button type="submit" aria-label={`${t(s.lang, 'admin.deleted.restore')}: ${u.displayName}`}>
                    {t(s.lang, 'admin.deleted.restore')}
                  </button>{' '}
                  <a href={`${base(s)}/${u.id}/purge`}>{t(s.lang, 'admin.deleted.purge')}</a>
                </form>
              ),
            },
          ]}
        />
      </AdminLayout>,
    );
  };

  /** A refusal (a restore that meets a new owner of the address) as a page in the admin's language. */
  const refused = (c: Context<AdminEnv>, s: Signed, error: unknown) => {
    if (!(error instanceof PorticoError)) throw error;
    return c.html(
      <ErrorPage
        lang={s.lang}
        tenant={s.tenant}
        title={t(s.lang, 'admin.deleted.refused')}
        message={error.text(s.lang)}
      />,
      error.status,
    );
  };

  app.get('/admin/:tenant/deleted', guard.signedIn('view'), (c) => {
    const kind = KINDS.find((k) => k.type === c.req.query('type'));
    return kind ? kindPage(c, c.var.signed, kind) : listPage(c, c.var.signed);
  });

  // Groups and applications: restore and purge post, then redirect to their tab (post/redirect/get).
  for (const kind of KINDS) {
    const tab = (s: Signed, outcome: Record<string, string>) =>
      `${base(s)}?${new URLSearchParams({ type: kind.type, ...outcome })}`;

    app.post(`/admin/:tenant/deleted/${kind.path}/:id/restore`, guard.posted(kind.right), async (c) => {
      const s = c.var.posted;
      const id = c.req.param('id');
      try {
        await store.transaction((tx) => kind.restore(tx, services, s.tenant.id, id, actorOf(s)));
      } catch (error) {
        return refused(c, s, error);
      }
      return c.redirect(tab(s, { restored: id.toLowerCase() }), 303);
    });

    app.get(`/admin/:tenant/deleted/${kind.path}/:id/purge`, guard.signedIn(kind.right), async (c) => {
      const s = c.var.signed;
      const item = await kind.get(store.db, s.tenant.id, c.req.param('id'));
      if (!item) return c.notFound();
      return c.html(
        <ConfirmPage
          lang={s.lang}
          tenant={s.tenant}
          user={s.admin.user}
          csrf={s.admin.csrf}
          section="deleted"
          title={t(s.lang, 'admin.deleted.purgeTitle', { name: item.displayName })}
          text={t(s.lang, kind.purgeText, { name: item.displayName, appId: item.detail ?? '' })}
          action={`${base(s)}/${kind.path}/${item.id}/purge`}
          cancel={tab(s, {})}
          button={t(s.lang, 'admin.deleted.purgeConfirm')}
        />,
      );
    });

    app.post(`/admin/:tenant/deleted/${kind.path}/:id/purge`, guard.posted(kind.right), async (c) => {
      const s = c.var.posted;
      try {
        await store.transaction((tx) => kind.purge(tx, services, s.tenant.id, c.req.param('id'), actorOf(s)));
      } catch (error) {
        return refused(c, s, error);
      }
      return c.redirect(tab(s, { purged: '1' }), 303);
    });
  }

  app.post('/admin/:tenant/deleted/:id/restore', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    try {
      const user = await store.transaction((tx) =>
        restoreUserAs(tx, clock, s.tenant.id, c.req.param('id'), actorOf(s)),
      );
      return listPage(c, s, t(s.lang, 'admin.deleted.restored', { name: user.displayName }));
    } catch (error) {
      return refused(c, s, error);
    }
  });

  app.get('/admin/:tenant/deleted/:id/purge', guard.signedIn('manageUsers'), async (c) => {
    const s = c.var.signed;
    const user = await getDeletedUser(store.db, s.tenant.id, c.req.param('id'));
    if (!user) return c.notFound();
    return c.html(
      <ConfirmPage
        lang={s.lang}
        tenant={s.tenant}
        user={s.admin.user}
        csrf={s.admin.csrf}
        section="deleted"
        title={t(s.lang, 'admin.deleted.purgeTitle', { name: user.displayName })}
        text={t(s.lang, 'admin.deleted.purgeText', { name: user.displayName, upn: user.userPrincipalName })}
        action={`${base(s)}/${user.id}/purge`}
        cancel={base(s)}
        button={t(s.lang, 'admin.deleted.purgeConfirm')}
      />,
    );
  });

  app.post('/admin/:tenant/deleted/:id/purge', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    try {
      const user = await store.transaction((tx) => purgeUserAs(tx, clock, s.tenant.id, c.req.param('id'), actorOf(s)));
      return listPage(c, s, t(s.lang, 'admin.deleted.purged', { name: user.displayName }));
    } catch (error) {
      return refused(c, s, error);
    }
  });

  return app;
}
