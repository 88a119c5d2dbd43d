// The gate every admin-center page passes: the tenant in the path, a signed-in user there (else off to the
// tenant's sign-in page), an administrator role, and the role's right to the action; plus the CSRF check of forms.
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { Services } from '../services.ts';
import { resolveTenant, type Tenant } from '../directory/tenants.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { adminClient, builtInSignInUrl } from '../oidc/urls.ts';
import { ErrorPage } from '../pages/layout.tsx';
import { readForm } from '../http/inputs.ts';
import { can, type AdminAction } from './roles.ts';
import { adminOf, csrfMatches, type Admin } from './session.ts';

export type AdminEnv = { Bindings: HttpBindings };

/** A page of the admin center (segments may hold dots, as domain names do, never only dots): where a sign-in may
 * return to (nothing else, so the state cannot redirect away). */
export const ADMIN_PATH = /^\/admin\/[0-9a-f-]{36}(?:\/(?!\.+(?:\/|$))[\w.-]+)*$/;
export type Signed = { lang: Lang; tenant: Tenant; admin: Admin };

export interface AdminGuard {
  /** The signed-in administrator allowed `action` at the path's tenant, or the response that says why not. */
  signedIn(c: Context<AdminEnv>, action: AdminAction): Promise<Signed | Response>;
  /** For a POST: `signedIn`, then the form's CSRF value; gives the parsed form too. */
  posted(c: Context<AdminEnv>, action: AdminAction): Promise<(Signed & { form: Record<string, string | File> }) | Response>;
}

export function adminGuard(services: Services): AdminGuard {
  const { store, config } = services;
  async function signedIn(c: Context<AdminEnv>, action: AdminAction): Promise<Signed | Response> {
    const lang = pickLang(c.req.header('accept-language'));
    const tenant = await resolveTenant(store.db, c.req.param('tenant') ?? '');
    if (!tenant) return c.html(<ErrorPage lang={lang} title={t(lang, 'admin.title')} message={t(lang, 'myapps.unknownTenant')} />, 404);
    const admin = await adminOf(services, c, tenant);
    // The page asked for travels as the state, so a deep link lands where it pointed once signed in.
    const back = c.req.method === 'GET' && ADMIN_PATH.test(c.req.path) ? c.req.path : `/admin/${tenant.id}`;
    if (!admin) return c.redirect(builtInSignInUrl(config.baseUrl, tenant.id, adminClient(config.baseUrl), back), 303);
    if (!can(admin.user.roles, 'view')) {
      return c.html(<ErrorPage lang={lang} tenant={tenant} title={t(lang, 'admin.title')} message={t(lang, 'admin.notAdmin', { user: admin.user.userPrincipalName, tenant: tenant.displayName })} />, 403);
    }
    if (!can(admin.user.roles, action)) return c.html(<ErrorPage lang={lang} tenant={tenant} title={t(lang, 'admin.title')} message={t(lang, 'admin.forbidden', { tenant: tenant.displayName })} />, 403);
    return { lang, tenant, admin };
  }
  async function posted(c: Context<AdminEnv>, action: AdminAction) {
    const s = await signedIn(c, action);
    if (s instanceof Response) return s;
    // readForm: upload routes reach here with a body the edge only size-checked (http/body-limits.ts).
    const form = await readForm(c);
    if (!csrfMatches(s.admin, form.csrf)) return c.html(<ErrorPage lang={s.lang} tenant={s.tenant} title={t(s.lang, 'error.title')} message={t(s.lang, 'redeem.forbidden')} />, 403);
    return { ...s, form };
  }
  return { signedIn, posted };
}
