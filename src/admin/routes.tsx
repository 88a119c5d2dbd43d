// The admin center at /admin/<tenant id>: signed in through the tenant's own sign-in pages (a built-in client of its
// OpenID provider, as My Apps is), open to the directory roles of admin/roles.ts, every form checked for CSRF.
import { Hono } from 'hono';

import { listAudit } from '../directory/audit.ts';
import { resolveTenant } from '../directory/tenants.ts';
import { readForm } from '../http/inputs.ts';
import { pickLang, t } from '../i18n/index.ts';
import { errorResponse, Forward, Layout } from '../pages/layout.tsx';
import { redirectAfterPost, showResult } from '../pages/results.ts';
import type { Services } from '../services.ts';
import { endBrowserSession } from '../sessions/cookie.ts';
import { appsRoutes } from './apps.tsx';
import { brandingRoutes } from './branding.tsx';
import { bulkRoutes } from './bulk.tsx';
import { collaborationRoutes } from './collaboration.tsx';
import { conditionalAccessRoutes } from './conditional-access.tsx';
import { confirmRoutes } from './confirm.tsx';
import { contactsRoutes } from './contacts.tsx';
import { crossTenantRoutes } from './cross-tenant.tsx';
import { deletedRoutes } from './deleted.tsx';
import { domainsRoutes } from './domains.tsx';
import { enterpriseAppsRoutes } from './enterprise-apps.tsx';
import { groupsRoutes } from './groups.tsx';
import { ADMIN_PATH, adminGuard, shellOf, type AdminEnv, type AdminGuard } from './guard.tsx';
import { identitiesRoutes } from './identities.tsx';
import { inactiveRoutes } from './inactive.tsx';
import { logsRoutes } from './logs.tsx';
import { outboxRoutes } from './outbox.tsx';
import { overviewCounts } from './overview.ts';
import { OverviewPage } from './pages.tsx';
import { providersRoutes } from './providers.tsx';
import { rolesRoutes } from './role-routes.tsx';
import { ADMIN_SECTIONS } from './sections.ts';
import { adminOf, csrfMatches } from './session.ts';
import { startRoutes } from './start.tsx';
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
  confirmRoutes, // ux-flow
  conditionalAccessRoutes, // mfa-policy
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

  // Post/redirect/get (pages/results.ts): a form's outcome page, and a refusal beside its form (with its 4xx), is
  // shown once at a GET address; a second visit (reload, back) goes to the section's page, so nothing is posted twice.
  // Only a form the guard let through (a signed-in admin, the right CSRF value) keeps its refusal: the guard's own
  // refusals (not signed in, no right, a forged form) stay where they are, so nobody else can make Portico keep pages.
  const sectionOf = (path: string) => {
    const segment = `/${path.split('/')[3] ?? ''}`;
    return ADMIN_SECTIONS.find((s) => s.path === segment)?.path ?? '';
  };
  app.use(
    '/admin/:tenant/*',
    redirectAfterPost(services, (c) => {
      const base = `/admin/${encodeURIComponent(c.req.param('tenant') ?? '')}`;
      return { base, back: `${base}${sectionOf(c.req.path)}`, everyPage: c.get('posted' as never) !== undefined };
    }),
  );
  app.get('/admin/:tenant/results/:id', (c) =>
    showResult(c, services, `/admin/${encodeURIComponent(c.req.param('tenant'))}`),
  );

  // `/`, `/admin` and `/admin/organization` (before /admin/:tenant would take the last).
  app.route('/', startRoutes(services));

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
    return c.html(<OverviewPage {...shellOf(s)} counts={counts} recent={recent} />);
  });

  // Anyone signed in at the tenant may sign out here, administrator or not (the "Not an administrator" page offers
  // it), with the form's CSRF value.
  app.post('/admin/:tenant/signout', async (c) => {
    const lang = pickLang(c.req.header('accept-language'));
    const tenant = await resolveTenant(store.db, c.req.param('tenant'));
    const admin = tenant && (await adminOf(services, c, tenant));
    const form = await readForm(c);
    if (!tenant || !admin) return c.redirect(tenant ? `/admin/${tenant.id}` : '/admin', 303);
    if (!csrfMatches(admin, form.csrf)) return errorResponse(c, lang, tenant, t(lang, 'redeem.forbidden'), 403);
    await endBrowserSession(c, services, tenant.id);
    return c.html(
      <Layout lang={lang} title={t(lang, 'admin.title')} tenant={tenant}>
        <h1>{t(lang, 'admin.signOut')}</h1>
        <p role="status">{t(lang, 'admin.signedOut', { tenant: tenant.displayName })}</p>
        <Forward
          links={[
            [`/admin/${tenant.id}`, t(lang, 'admin.signInAgain')],
            ['/', t(lang, 'shell.forward.start')],
          ]}
        />
      </Layout>,
    );
  });

  for (const routes of SECTION_ROUTES) app.route('/', routes(services, guard));

  return app;
}
