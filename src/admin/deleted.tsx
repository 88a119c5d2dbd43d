// The admin center's deleted items at /admin/<tenant id>/deleted (Entra's "Deleted items"), one tab per kind (users,
// groups, applications: `?type=`): what was deleted, when, how many days are left before the permanent delete, with
// Restore and Permanently delete (after a confirmation page). The kinds and their functions are deleted/kinds.ts's, as
// the API's and the CLI's, with their audit events; this module keeps their columns and addresses. The groups' and applications' forms post, then redirect (303) to the
// tab, which says what was done.
import { Hono, type Context } from 'hono';

import { getApp } from '../apps/apps.ts';
import { DAY_MS, DELETED_RETENTION_DAYS, purgeDateOf } from '../deleted/items.ts';
import {
  DELETED_KINDS,
  DELETED_TYPES,
  isDeletedType,
  type DeletedItem,
  type DeletedKind,
  type DeletedType,
} from '../deleted/kinds.ts';
import type { Actor } from '../directory/audit.ts';
import { getGroup } from '../directory/groups.ts';
import { isUuid, type Tenant } from '../directory/tenants.ts';
import type { ListOptions, Page } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { errorPage } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import type { Db, Tx } from '../store/index.ts';
import { ConfirmPage } from './confirm.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { List } from './list.tsx';
import { AdminLayout } from './pages.tsx';
import { can, type AdminAction } from './roles.ts';

const PAGE_SIZE = 50;

/** What a tab shows of a kind (deleted/kinds.ts) beside its name and dates, and the right that changes it. */
interface View<K extends DeletedType> {
  right: AdminAction;
  /** its own columns, between the name and the day it was deleted */
  columns: [label: keyof Messages, cell: (item: DeletedItem<K>) => string][];
  /** the values its purge question names besides the name */
  question: (item: DeletedItem<K>) => Record<string, string>;
  /**
   * The name of the item back in the directory, for the outcome after a restore: groups and applications redirect to
   * their tab, which says it. Users (the page's first tab, from before the others) show their outcome at the POST.
   */
  restoredName?: (db: Db, tenantId: string, id: string) => Promise<string | undefined>;
}

const VIEWS: { [K in DeletedType]: View<K> } = {
  user: {
    right: 'manageUsers',
    columns: [
      ['admin.deleted.upn', (u) => u.userPrincipalName],
      ['admin.deleted.type', (u) => u.userType],
    ],
    question: (u) => ({ upn: u.userPrincipalName }),
  },
  group: {
    right: 'manageUsers',
    columns: [['admin.deleted.description', (g) => g.description ?? '']],
    question: () => ({}),
    restoredName: async (db, tenantId, id) => (await getGroup(db, tenantId, id))?.displayName,
  },
  application: {
    right: 'apps',
    columns: [['admin.deleted.appId', (a) => a.clientId]],
    question: (a) => ({ appId: a.clientId }),
    restoredName: async (db, tenantId, id) => (await getApp(db, tenantId, id))?.displayName,
  },
};

/** A deleted item as its tab lists it. */
interface Row {
  id: string;
  displayName: string;
  cells: string[];
  deletedDateTime: string;
  question: Record<string, string>;
}

/** One tab: the kind, its view, and its reads and changes with rows for items. */
interface Tab extends Omit<View<DeletedType>, 'columns' | 'question'> {
  kind: Pick<DeletedKind, 'type' | 'plural' | 'text'>;
  columns: (keyof Messages)[];
  list(db: Db, tenantId: string, opts: ListOptions): Promise<Page<Row>>;
  get(db: Db, tenantId: string, id: string): Promise<Row | undefined>;
  /** each returns the name of what it restored or deleted */
  restore(tx: Tx, services: Services, tenantId: string, id: string, actor: Actor): Promise<string>;
  purge(tx: Tx, services: Services, tenantId: string, id: string, actor: Actor): Promise<string>;
}

function tabOf<K extends DeletedType>(type: K): Tab {
  const kind = DELETED_KINDS[type];
  const view: View<K> = VIEWS[type];
  const row = (item: DeletedItem<K>): Row => ({
    id: item.id,
    displayName: item.displayName,
    cells: view.columns.map(([, cell]) => cell(item)),
    deletedDateTime: item.deletedDateTime,
    question: view.question(item),
  });
  return {
    kind,
    right: view.right,
    restoredName: view.restoredName,
    columns: view.columns.map(([label]) => label),
    list: async (db, tenantId, opts) => {
      const page = await kind.list(db, tenantId, opts);
      return { ...page, items: page.items.map(row) };
    },
    get: async (db, tenantId, id) => {
      const item = await kind.get(db, tenantId, id);
      return item && row(item);
    },
    restore: async (tx, { clock }, tenantId, id, actor) =>
      (await kind.restore(tx, clock, tenantId, id, actor)).displayName,
    purge: async (tx, { clock }, tenantId, id, actor) => (await kind.purge(tx, clock, tenantId, id, actor)).displayName,
  };
}

const TABS: Tab[] = DELETED_TYPES.map(tabOf);

/** The tabs of the page, one per kind; the current one marked for assistive technology. */
function Tabs({ lang, tenant, current }: { lang: Lang; tenant: Tenant; current: DeletedType }) {
  return (
    <nav class="admin" aria-label={t(lang, 'admin.deleted.tabs')}>
      {TABS.map(({ kind }) => (
        <a
          href={`/admin/${tenant.id}/deleted?type=${kind.type}`}
          aria-current={kind.type === current ? 'page' : undefined}
        >
          {t(lang, kind.text.tab)}
        </a>
      ))}
    </nav>
  );
}

export function deletedRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const base = (s: Signed) => `/admin/${s.tenant.id}/deleted`;
  /** Where a tab's restore and purge are: the users' at the page's own address, the others' below their plural. */
  const at = (s: Signed, tab: Tab) => (tab.restoredName ? `${base(s)}/${tab.kind.plural}` : base(s));
  /** The tab's address, with the outcome of the change that redirects there (the users' tab is the page's own). */
  const tabHref = (s: Signed, tab: Tab, outcome: Record<string, string>) =>
    tab.restoredName ? `${base(s)}?${new URLSearchParams({ type: tab.kind.type, ...outcome })}` : base(s);
  const daysLeft = (u: { deletedDateTime: string }) =>
    Math.max(0, Math.ceil((purgeDateOf(u.deletedDateTime).getTime() - clock.now().getTime()) / DAY_MS));
  const cursor = (c: Context<AdminEnv>) => {
    const after = c.req.query('after');
    return after && isUuid(after) ? after.toLowerCase() : undefined;
  };

  /** The tab of a kind, with the outcome of the change that shows or redirects to it. */
  const tabPage = async (c: Context<AdminEnv>, s: Signed, tab: Tab, notice?: string) => {
    const page = await tab.list(store.db, s.tenant.id, { top: PAGE_SIZE, after: cursor(c) });
    const manage = can(s.admin.user.roles, tab.right);
    const { type, text } = tab.kind;
    return c.html(
      <AdminLayout {...shellOf(s)} section="deleted" title={t(s.lang, 'admin.deleted')}>
        <Tabs lang={s.lang} tenant={s.tenant} current={type} />
        {notice && <p role="status">{notice}</p>}
        <p>{t(s.lang, text.intro, { days: String(DELETED_RETENTION_DAYS) })}</p>
        <List
          base={base(s)}
          query={tab.restoredName ? { type } : undefined}
          rows={page.items}
          empty={t(s.lang, text.none)}
          next={page.next ? { after: page.next } : undefined}
          nextLabel={t(s.lang, 'admin.deleted.next')}
          columns={[
            { label: t(s.lang, 'admin.deleted.name'), cell: (r) => r.displayName },
            ...tab.columns.map((label, i) => ({ label: t(s.lang, label), cell: (r: Row) => r.cells[i] ?? '' })),
            { label: t(s.lang, 'admin.deleted.deletedOn'), cell: (r) => r.deletedDateTime.slice(0, 10) },
            { label: t(s.lang, 'admin.deleted.daysLeft'), cell: (r) => String(daysLeft(r)) },
            manage && {
              label: t(s.lang, 'admin.deleted.actions'),
              cell: (r) => (
                <form method="post" action={`${at(s, tab)}/${r.id}/restore`}>
                  <Csrf value={s.admin.csrf} />
                  <button type="submit" aria-label={`${t(s.lang, 'admin.deleted.restore')}: ${r.displayName}`}>
                    {t(s.lang, 'admin.deleted.restore')}
                  </button>{' '}
                  <a href={`${at(s, tab)}/${r.id}/purge`}>{t(s.lang, 'admin.deleted.purge')}</a>
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
    return errorPage(c, s, t(s.lang, 'admin.deleted.refused'), error.text(s.lang), error.status);
  };

  app.get('/admin/:tenant/deleted', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const type = c.req.query('type');
    const tab = TABS.find((k) => k.kind.type === (isDeletedType(type) ? type : 'user'))!;
    if (!tab.restoredName) return tabPage(c, s, tab);
    // The outcome of the restore or purge that redirected here.
    const restored = c.req.query('restored');
    const restoredName = restored && (await tab.restoredName(store.db, s.tenant.id, restored));
    const notice = restoredName
      ? t(s.lang, 'admin.deleted.restored', { name: restoredName })
      : c.req.query('purged') === '1'
        ? t(s.lang, tab.kind.text.purged)
        : undefined;
    return tabPage(c, s, tab, notice);
  });

  for (const tab of TABS) {
    const path = `/admin/:tenant/deleted${tab.restoredName ? `/${tab.kind.plural}` : ''}/:id`;
    // The path is built, so Hono cannot type its parameter; every route below has it.
    const idOf = (c: Context<AdminEnv>) => c.req.param('id')!;

    app.post(`${path}/restore`, guard.posted(tab.right), async (c) => {
      const s = c.var.posted;
      const id = idOf(c);
      let name: string;
      try {
        name = await store.transaction((tx) => tab.restore(tx, services, s.tenant.id, id, actorOf(s)));
      } catch (error) {
        return refused(c, s, error);
      }
      return tab.restoredName
        ? c.redirect(tabHref(s, tab, { restored: id.toLowerCase() }), 303)
        : tabPage(c, s, tab, t(s.lang, 'admin.deleted.restored', { name }));
    });

    app.get(`${path}/purge`, guard.signedIn(tab.right), async (c) => {
      const s = c.var.signed;
      const item = await tab.get(store.db, s.tenant.id, idOf(c));
      if (!item) return c.notFound();
      return c.html(
        <ConfirmPage
          {...shellOf(s)}
          section="deleted"
          title={t(s.lang, 'admin.deleted.purgeTitle', { name: item.displayName })}
          text={t(s.lang, tab.kind.text.purgeText, { name: item.displayName, ...item.question })}
          action={`${at(s, tab)}/${item.id}/purge`}
          cancel={tabHref(s, tab, {})}
          button={t(s.lang, 'admin.deleted.purgeConfirm')}
        />,
      );
    });

    app.post(`${path}/purge`, guard.posted(tab.right), async (c) => {
      const s = c.var.posted;
      let name: string;
      try {
        name = await store.transaction((tx) => tab.purge(tx, services, s.tenant.id, idOf(c), actorOf(s)));
      } catch (error) {
        return refused(c, s, error);
      }
      return tab.restoredName
        ? c.redirect(tabHref(s, tab, { purged: '1' }), 303)
        : tabPage(c, s, tab, t(s.lang, tab.kind.text.purged, { name }));
    });
  }

  return app;
}
