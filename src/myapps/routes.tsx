// My Apps at /myapps: with tenant context (`?tenantid=`, `/myapps/<verified domain>`) the person signs in through
// that tenant's own sign-in pages (My Apps is a built-in client of each tenant's OpenID provider), which leave a
// Portico session at the tenant; without context, the common endpoint's "Sign in to an organization".
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

import { findAppByClientId } from '../apps/apps.ts';
import { appsForUser, isAssigned } from '../apps/assignments.ts';
import { isDomainName, isUuid, resolveTenant, type Tenant } from '../directory/tenants.ts';
import { getUser } from '../directory/users.ts';
import { pickLang, t } from '../i18n/index.ts';
import { builtInSignInUrl, myAppsClient } from '../oidc/urls.ts';
import { ErrorPage, errorPage, Forward, Layout } from '../pages/layout.tsx';
import { unknownOrganization } from '../pages/org-box.tsx';
import { redirectAfterPost, showResult } from '../pages/results.ts';
import type { Services } from '../services.ts';
import { browserSessionUser, endBrowserSession } from '../sessions/cookie.ts';
import { normalize } from '../store/json.ts';
import { myAppsCollaborationRoutes } from './collaborate.tsx';
import { leaveRoutes, mayLeave } from './leave.tsx';
import { organizationsOf } from './organizations.ts';
import { launchUrl, MyAppsPage, SignInOptionsPage } from './pages.tsx';
import { securityInfoRoutes } from './security-info.tsx';

type Env = { Bindings: HttpBindings };
/** The organization last shown, so /myapps alone returns there while its session lives. */
const LAST_COOKIE = 'portico_myapps_last';

export function myAppsRoutes(services: Services) {
  const { store, config } = services;
  const app = new Hono<Env>();
  const secure = config.baseUrl.startsWith('https:');
  const langOf = (c: Context<Env>) => pickLang(c.req.header('accept-language'));

  app.use('/myapps', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use('/myapps/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  // Post/redirect/get (pages/results.ts): every page a form here answers with (an outcome, or a refusal such as a
  // wrong code at Security info) is shown once at a GET address, so a reload posts nothing again.
  app.use(
    '/myapps/*',
    redirectAfterPost(services, () => ({ base: '/myapps', back: '/myapps', everyPage: true })),
  );
  app.get('/myapps/results/:id', (c) => showResult(c, services, '/myapps'));

  /** Signs in at the tenant; `clientId` names an app whose sign-on link to return to. */
  const signInAt = (tenant: Tenant, clientId?: string) =>
    builtInSignInUrl(
      config.baseUrl,
      tenant.id,
      myAppsClient(config.baseUrl),
      clientId ? `${tenant.id}.${clientId}` : tenant.id,
    );

  async function show(c: Context<Env>, tenant: Tenant | undefined) {
    const lang = langOf(c);
    if (!tenant) return unknownOrganization(c, lang, t(lang, 'myapps.title'), '/myapps');
    const userId = await browserSessionUser(c, services, tenant.id);
    const user = userId && (await getUser(store.db, tenant.id, userId));
    if (!user) return c.redirect(signInAt(tenant), 303);
    setCookie(c, LAST_COOKIE, tenant.id, {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/myapps',
      maxAge: 30 * 86400,
    });
    const [apps, orgs] = await Promise.all([
      appsForUser(store.db, tenant.id, user.id),
      organizationsOf(store.db, config.baseUrl, tenant.id, user),
    ]);
    return c.html(
      <MyAppsPage
        lang={lang}
        tenant={tenant}
        name={user.displayName || user.mail || user.userPrincipalName}
        apps={apps}
        orgs={orgs}
        leave={mayLeave(tenant, user) ? `/myapps/leave?tenantid=${tenant.id}` : undefined}
      />,
    );
  }

  app.get('/myapps', async (c) => {
    const ref = c.req.query('tenantid');
    if (ref !== undefined) return show(c, await resolveTenant(store.db, ref));
    const last = getCookie(c, LAST_COOKIE);
    if (last && isUuid(last) && (await browserSessionUser(c, services, last)))
      return c.redirect(`/myapps?tenantid=${last}`, 303);
    return c.html(<SignInOptionsPage lang={langOf(c)} />);
  });

  // The common endpoint's "Sign in to an organization": a verified domain leads to that organization's My Apps.
  app.get('/myapps/organization', async (c) => {
    const lang = langOf(c);
    // The address box: the domain of the person's address, and no word on whether an account exists there.
    const address = c.req.query('address');
    if (address !== undefined) {
      const typed = address.trim().slice(0, 254);
      const at = normalize(typed).replace(/^.*@/, '');
      if (!typed.includes('@') || !isDomainName(at))
        return c.html(
          <SignInOptionsPage lang={lang} address={typed} addressError={t(lang, 'shell.myapps.badAddress')} />,
          400,
        );
      if (!(await resolveTenant(store.db, at)))
        return c.html(
          <SignInOptionsPage
            lang={lang}
            address={typed}
            addressError={t(lang, 'shell.myapps.noOrg', { domain: at })}
          />,
          404,
        );
      return c.redirect(`/myapps/${encodeURIComponent(at)}`, 303);
    }
    const domain = normalize(c.req.query('domain') ?? '').replace(/^.*@/, '');
    if (!isDomainName(domain))
      return c.html(<SignInOptionsPage lang={lang} domain={domain} error={t(lang, 'myapps.badDomain')} />, 400);
    const tenant = await resolveTenant(store.db, domain);
    if (!tenant)
      return c.html(
        <SignInOptionsPage lang={lang} domain={domain} error={t(lang, 'myapps.unknownDomain', { domain })} />,
        404,
      );
    return c.redirect(`/myapps/${encodeURIComponent(domain)}`, 303);
  });

  app.get('/myapps/signed-in', async (c) => {
    const [tenantId = '', clientId] = (c.req.query('state') ?? '').split('.');
    if (!isUuid(tenantId)) return c.redirect('/myapps', 303);
    if (c.req.query('error')) {
      const lang = langOf(c);
      const tenant = await resolveTenant(store.db, tenantId);
      const message = c.req.query('error_description') ?? c.req.query('error')!;
      return errorPage(c, { lang, tenant }, t(lang, 'error.title'), message, 400);
    }
    if (clientId && isUuid(clientId)) return c.redirect(`/myapps/launch/${clientId}?tenantid=${tenantId}`, 303);
    return c.redirect(`/myapps?tenantid=${tenantId}`, 303);
  });

  // An app's sign-on link (Entra's user access URL): signs the person in at the tenant if needed, checks they may
  // use the app, and opens it.
  app.get('/myapps/launch/:clientId', async (c) => {
    const lang = langOf(c);
    const tenant = await resolveTenant(store.db, c.req.query('tenantid') ?? '');
    const target = tenant && (await findAppByClientId(store.db, tenant.id, c.req.param('clientId')));
    if (!tenant || !target || !target.grantTypes.includes('authorization_code'))
      return errorPage(c, { lang, tenant }, t(lang, 'myapps.title'), t(lang, 'myapps.unknownApp'), 404);
    const userId = await browserSessionUser(c, services, tenant.id);
    if (!userId) return c.redirect(signInAt(tenant, target.clientId), 303);
    const user = await getUser(store.db, tenant.id, userId);
    if (!user || !(await isAssigned(store.db, tenant.id, target, userId))) {
      const p = {
        app: target.displayName,
        tenant: tenant.displayName,
        user: user?.mail ?? user?.userPrincipalName ?? '',
      };
      return c.html(
        <ErrorPage
          lang={lang}
          tenant={tenant}
          title={t(lang, 'app.notAssigned.title', p)}
          message={t(lang, 'app.notAssigned', p)}
          actions={<Forward links={[[`/myapps?tenantid=${tenant.id}`, t(lang, 'shell.forward.myapps')]]} />}
        />,
        403,
      );
    }
    return c.redirect(launchUrl(target), 303);
  });

  app.post('/myapps/signout', async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const tenant =
      typeof form.tenantid === 'string' && isUuid(form.tenantid)
        ? await resolveTenant(store.db, form.tenantid)
        : undefined;
    if (!tenant) return c.redirect('/myapps', 303);
    await endBrowserSession(c, services, tenant.id);
    deleteCookie(c, LAST_COOKIE, { path: '/myapps', secure });
    return c.html(
      <Layout lang={lang} title={t(lang, 'myapps.title')} tenant={tenant}>
        <h1>{t(lang, 'myapps.signOut')}</h1>
        <p>{t(lang, 'myapps.signedOut', { tenant: tenant.displayName })}</p>
        <p>
          <a href={`/myapps?tenantid=${tenant.id}`}>{t(lang, 'myapps.signIn')}</a>
        </p>
      </Layout>,
    );
  });

  app.route('/', leaveRoutes(services));
  // mfa-core: Security info (before /myapps/:domain, which would take its path).
  app.route('/', securityInfoRoutes(services));
  // policy19: "Invite someone" and "People" (before /myapps/:domain, which would take their paths).
  app.route(
    '/',
    myAppsCollaborationRoutes(services, (tenant) => signInAt(tenant)),
  );

  app.get('/myapps/:domain', async (c) => {
    const domain = normalize(c.req.param('domain'));
    // Only verified domains carry tenant context (resolveTenant looks them up; an id is not a domain here).
    return show(c, isDomainName(domain) ? await resolveTenant(store.db, domain) : undefined);
  });

  return app;
}
