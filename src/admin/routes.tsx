// The admin center at /admin/<tenant id>: signed in through the tenant's own sign-in pages (a built-in client of its
// OpenID provider, as My Apps is), open to the directory roles of admin/roles.ts, every form checked for CSRF.
import { Hono } from 'hono';

import { listAudit } from '../directory/audit.ts';
import { t } from '../i18n/index.ts';
import { Layout } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { endBrowserSession } from '../sessions/cookie.ts';
import { appsRoutes } from './apps.tsx';
import { brandingRoutes } from './branding.tsx';
import { bulkRoutes } from './bulk.tsx';
import { collaborationRoutes } from './collaboration.tsx';
import { contactsRoutes } from './contacts.tsx';
import { crossTenantRoutes } from './cross-tenant.tsx';
import { deletedRoutes } from './deleted.tsx';
import { domainsRoutes } from './domains.tsx';
import { enterpriseAppsRoutes } from './enterprise-apps.tsx';
import { groupsRoutes } from './groups.tsx';
import { ADMIN_PATH, adminGuard, type AdminEnv, type AdminGuard } from './guard.tsx';
import { identitiesRoutes } from './identities.tsx';
import { inactiveRoutes } from './inactive.tsx';
import { logsRoutes } from './logs.tsx';
import { outboxRoutes } from './outbox.tsx';
import { overviewCounts } from './overview.ts';
import { OverviewPage } from './pages.tsx';
import { providersRoutes } from './providers.tsx';
import { rolesRoutes } from './role-routes.tsx';
import { termsRoutes } from './terms.tsx';
import { usersListRoutes } from './users-list.tsx';
import { userRoutes } from './users.tsx';

type Env = AdminEnv;

/** Each section's routes (sections.ts lists them for the navigation); mounted in this order. */
const SECTION_ROUTES = [
  userRoutes,
  logsRoutes,
  outboxRoutes,
  identitiesRoutes,
  brandingRoutes,
  bulkRoutes,
  contactsRoutes,
  groupsRoutes,
  appsRoutes,
  providersRoutes,
  crossTenantRoutes,
  termsRoutes,
  domainsRoutes,
  enterpriseAppsRoutes,
  deletedRoutes,
  rolesRoutes,
  inactiveRoutes,
  collaborationRoutes, // policy19
  usersListRoutes, // ux-lists
] satisfies ((services: Services, guard: AdminGuard) => Hono<AdminEnv>)[];

export function adminRoutes(services: Services) {
  const { store, clock } = services;
  const app = new Hono<Env>();

  app.use('/admin/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
  });

  const guard = adminGuard(services);

  app.get('/admin/signed-in', (c) => {
    const back = c.req.query('state') ?? '';
    return c.redirect(ADMIN_PATH.test(back) ? back : '/myapps', 303);
  });

  app.get('/admin/:tenant', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const [counts, recent] = await Promise.all([
      overviewCounts(store.db, clock, s.tenant.id),
      listAudit(store.db, s.tenant.id, { top: 10 }),
    ]);
    return c.html(
      <OverviewPage
        lang={s.lang}
        tenant={s.tenant}
        user={s.admin.user}
        csrf={s.admin.csrf}
        counts={counts}
        recent={recent}
      />,
    );
  });

  app.post('/admin/:tenant/signout', guard.posted('view'), async (c) => {
    const s = c.var.posted;
    await endBrowserSession(c, services, s.tenant.id);
    return c.html(
      <Layout lang={s.lang} title={t(s.lang, 'admin.title')} tenant={s.tenant}>
        <h1>{t(s.lang, 'admin.signOut')}</h1>
        <p>{t(s.lang, 'admin.signedOut', { tenant: s.tenant.displayName })}</p>
        <p>
          <a href={`/admin/${s.tenant.id}`}>{t(s.lang, 'admin.signInAgain')}</a>
        </p>
      </Layout>,
    );
  });

  for (const routes of SECTION_ROUTES) app.route('/', routes(services, guard));

  return app;
}
