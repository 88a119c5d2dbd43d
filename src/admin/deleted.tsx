// The admin center's deleted users at /admin/<tenant id>/deleted (Entra's "Deleted users"): who was deleted, when,
// how many days are left before the permanent delete, with Restore and Permanently delete (after a confirmation
// page). Each goes through the domain functions the API uses (deleted/items.ts), with their audit events.
import { Hono, type Context } from 'hono';

import { DELETED_RETENTION_DAYS, purgeDateOf, purgeUserAs, restoreUserAs } from '../deleted/items.ts';
import { isUuid } from '../directory/tenants.ts';
import { getDeletedUser, listDeletedUsers, type DeletedUser } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { ErrorPage } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { ConfirmPage } from './confirm.tsx';
import { actorOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { List } from './list.tsx';
import { AdminLayout } from './pages.tsx';
import { can } from './roles.ts';

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;

export function deletedRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const base = (s: Signed) => `/admin/${s.tenant.id}/deleted`;
  const daysLeft = (u: DeletedUser) =>
    Math.max(0, Math.ceil((purgeDateOf(u.deletedDateTime).getTime() - clock.now().getTime()) / DAY_MS));

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

  app.get('/admin/:tenant/deleted', guard.signedIn('view'), (c) => listPage(c, c.var.signed));

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
