// Leaving an organization from My Apps: a guest signed in at a tenant opens /myapps/leave?tenantid=…, confirms on a
// page (a form token bound to their session there), and their guest object goes to the tenant's deleted items
// (deleted/leave.ts); the browser's session there ends with it.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';

import { assertMayLeave, leaveOrganization } from '../deleted/leave.ts';
import { isUuid, resolveTenant, type Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { formToken, formTokenMatches } from '../keyed.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Submit } from '../pages/fields.tsx';
import { ErrorPage, Layout } from '../pages/layout.tsx';
import { hashSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import { endBrowserSession } from '../sessions/cookie.ts';
import { sessionCookieName, sessionUser } from '../sessions/sessions.ts';

type Env = { Bindings: HttpBindings };
const LEAVE_KEY = 'myapps-leave-key';

/** Whether My Apps offers the guest to leave this tenant (the same rules the leave itself checks). */
export function mayLeave(tenant: Tenant, user: User): boolean {
  try {
    assertMayLeave(tenant, user);
    return true;
  } catch {
    return false;
  }
}

export function leaveRoutes(services: Services) {
  const { store, clock } = services;
  const app = new Hono<Env>();
  const langOf = (c: Context<Env>) => pickLang(c.req.header('accept-language'));

  /** The tenant, this browser's session secret there and the user it signs in, or undefined. */
  async function signedIn(c: Context<Env>, ref: unknown) {
    const tenant = typeof ref === 'string' && isUuid(ref) ? await resolveTenant(store.db, ref) : undefined;
    if (!tenant) return undefined;
    const secret = getCookie(c, sessionCookieName(tenant.id));
    const userId = await sessionUser(store.db, clock, tenant.id, secret);
    const user = userId && (await getUser(store.db, tenant.id, userId));
    return user && secret ? { tenant, secret, user } : undefined;
  }
  const tokenOf = (tenant: Tenant, secret: string) => formToken(store.db, LEAVE_KEY, tenant.id, hashSecret(secret));
  const refused = (c: Context<Env>, lang: Lang, tenant: Tenant, text: string, status: 400 | 403 = 400) =>
    c.html(<ErrorPage lang={lang} tenant={tenant} title={t(lang, 'myapps.leave.action')} message={text} />, status);

  app.get('/myapps/leave', async (c) => {
    const lang = langOf(c);
    const found = await signedIn(c, c.req.query('tenantid'));
    if (!found) return c.redirect('/myapps', 303);
    const { tenant, secret, user } = found;
    try {
      assertMayLeave(tenant, user);
    } catch (error) {
      if (error instanceof PorticoError) return refused(c, lang, tenant, error.text(lang));
      throw error;
    }
    const title = t(lang, 'myapps.leave.confirmTitle', { tenant: tenant.displayName });
    return c.html(
      <Layout lang={lang} title={title} tenant={tenant}>
        <h1>{title}</h1>
        <p>{t(lang, 'myapps.leave.confirmText', { tenant: tenant.displayName })}</p>
        <form method="post" action="/myapps/leave">
          <Csrf value={await tokenOf(tenant, secret)} />
          <input type="hidden" name="tenantid" value={tenant.id} />
          <Submit
            label={t(lang, 'myapps.leave.confirm')}
            back={{ href: `/myapps?tenantid=${tenant.id}`, label: t(lang, 'myapps.leave.cancel') }}
          />
        </form>
      </Layout>,
    );
  });

  app.post('/myapps/leave', async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const found = await signedIn(c, form.tenantid);
    if (!found) return c.redirect('/myapps', 303);
    const { tenant, secret, user } = found;
    if (!(await formTokenMatches(store.db, LEAVE_KEY, form.csrf, tenant.id, hashSecret(secret))))
      return refused(c, lang, tenant, t(lang, 'error.expired'), 403);
    try {
      await store.transaction((tx) => leaveOrganization(services, tx, tenant, user.id));
    } catch (error) {
      if (error instanceof PorticoError) return refused(c, lang, tenant, error.text(lang));
      throw error;
    }
    await endBrowserSession(c, services, tenant.id);
    return c.html(
      <Layout lang={lang} title={t(lang, 'myapps.leave.action')}>
        <h1>{t(lang, 'myapps.leave.action')}</h1>
        <p role="status">{t(lang, 'myapps.leave.done', { tenant: tenant.displayName })}</p>
        <p>
          <a href="/myapps">{t(lang, 'myapps.leave.back')}</a>
        </p>
      </Layout>,
    );
  });

  return app;
}
