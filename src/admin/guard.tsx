// The gate every admin-center page passes, as hono middleware on each route with the right it needs: the tenant in
// the path, a signed-in user there (else off to the tenant's sign-in page), an administrator role, and the role's
// right to the action; for a form, its CSRF value too. A handler behind it reads `c.var.signed` (or `c.var.posted`).
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';

import type { Actor } from '../directory/audit.ts';
import { resolveTenant, type Tenant } from '../directory/tenants.ts';
import { readForm } from '../http/inputs.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { adminClient, builtInSignInUrl } from '../oidc/urls.ts';
import { Csrf } from '../pages/csrf.tsx';
import { ErrorPage, errorResponse, Forward } from '../pages/layout.tsx';
import { unknownOrganization } from '../pages/org-box.tsx';
import type { Services } from '../services.ts';
import { sessionStepsPending } from '../signin/session-steps.ts';
import { can, type AdminAction } from './roles.ts';
import { adminOf, csrfMatches, type Admin } from './session.ts';

export type Signed = { lang: Lang; tenant: Tenant; admin: Admin };
/** A POST that passed the guard: the signed-in administrator and the parsed form whose CSRF value matched. */
export type Posted = Signed & { form: Record<string, string | File> };

/** The signed-in administrator as the actor of the change a page makes (audit events, created-by). */
export const actorOf = (s: Signed): Actor => ({
  kind: 'user',
  id: s.admin.user.id,
  userPrincipalName: s.admin.user.userPrincipalName,
});

/** What every admin page is given of the signed-in administrator: `<Page {...shellOf(s)} … />`. */
export const shellOf = (s: Signed) => ({ lang: s.lang, tenant: s.tenant, user: s.admin.user, csrf: s.admin.csrf });
/** The same for the pages about a user, whose `user` is that user: the administrator is `admin`. */
export const adminShellOf = (s: Signed) => ({
  lang: s.lang,
  tenant: s.tenant,
  admin: s.admin.user,
  csrf: s.admin.csrf,
});

/** What the guard leaves on the context: `signed` behind `guard.signedIn`, `posted` behind `guard.posted`. */
export type AdminEnv = { Bindings: HttpBindings; Variables: { signed: Signed; posted: Posted } };

/** A page of the admin center (segments may hold dots, as domain names do, never only dots): where a sign-in may
 * return to (nothing else, so the state cannot redirect away). */
export const ADMIN_PATH = /^\/admin\/[0-9a-f-]{36}(?:\/(?!\.+(?:\/|$))[\w.-]+)*$/;

export interface AdminGuard {
  /** Middleware: lets through a signed-in administrator allowed `action` at the path's tenant (`c.var.signed`). */
  signedIn(action: AdminAction): MiddlewareHandler<AdminEnv>;
  /** Middleware for a POST: `signedIn`, then the form's CSRF value; the parsed form is on `c.var.posted`. */
  posted(action: AdminAction): MiddlewareHandler<AdminEnv>;
  /** The check itself, for the one place that is no route (a body limit's refusal page): the admin or the refusal. */
  check(c: Context<AdminEnv>, action: AdminAction): Promise<Signed | Response>;
}

/** Below a refusal: links onwards, and the sign-out form (admin/routes.tsx signs out anyone signed in there). */
const RefusalActions = ({
  lang,
  tenant,
  admin,
  links,
}: {
  lang: Lang;
  tenant: Tenant;
  admin: Admin;
  links: readonly (readonly [string, string])[];
}) => (
  <>
    <Forward links={links} />
    <form method="post" action={`/admin/${tenant.id}/signout`}>
      <Csrf value={admin.csrf} />
      <button type="submit" class="secondary">
        {t(lang, 'shell.forward.signOut')}
      </button>
    </form>
  </>
);

export function adminGuard(services: Services): AdminGuard {
  const { store, config } = services;
  async function check(c: Context<AdminEnv>, action: AdminAction): Promise<Signed | Response> {
    const lang = pickLang(c.req.header('accept-language'));
    const tenant = await resolveTenant(store.db, c.req.param('tenant') ?? '');
    if (!tenant) return unknownOrganization(c, lang, t(lang, 'admin.title'), '/admin');
    const admin = await adminOf(services, c, tenant);
    // The page asked for travels as the state, so a deep link lands where it pointed once signed in.
    const back = c.req.method === 'GET' && ADMIN_PATH.test(c.req.path) ? c.req.path : `/admin/${tenant.id}`;
    if (!admin) return c.redirect(builtInSignInUrl(config.baseUrl, tenant.id, adminClient(config.baseUrl), back), 303);
    // The session starts at the first factor, before the sign-in's steps: one still pending for the admin center (a
    // Conditional Access block or MFA for MicrosoftAdminPortals, a password to change) means signing in again.
    const client = adminClient(config.baseUrl);
    if (
      await sessionStepsPending(c, services, {
        tenant,
        lang,
        user: admin.user,
        mfa: admin.mfa,
        clientId: client.client_id,
      })
    )
      return c.redirect(`${builtInSignInUrl(config.baseUrl, tenant.id, client, back)}&prompt=login`, 303);
    // Refusals offer sign-out (to try another account) and a way forward.
    if (!can(admin.user.roles, 'view')) {
      return c.html(
        <ErrorPage
          lang={lang}
          tenant={tenant}
          title={t(lang, 'admin.title')}
          message={t(lang, 'admin.notAdmin', { user: admin.user.userPrincipalName, tenant: tenant.displayName })}
          actions={
            <RefusalActions
              lang={lang}
              tenant={tenant}
              admin={admin}
              links={[
                [`/myapps?tenantid=${tenant.id}`, t(lang, 'shell.forward.myapps')],
                ['/admin', t(lang, 'shell.forward.otherOrg')],
              ]}
            />
          }
        />,
        403,
      );
    }
    if (!can(admin.user.roles, action))
      return c.html(
        <ErrorPage
          lang={lang}
          tenant={tenant}
          title={t(lang, 'admin.title')}
          message={t(lang, 'admin.forbidden', { tenant: tenant.displayName })}
          actions={
            <RefusalActions
              lang={lang}
              tenant={tenant}
              admin={admin}
              links={[[`/admin/${tenant.id}`, t(lang, 'admin.overview')]]}
            />
          }
        />,
        403,
      );
    return { lang, tenant, admin };
  }
  const signedIn =
    (action: AdminAction): MiddlewareHandler<AdminEnv> =>
    async (c, next) => {
      const s = await check(c, action);
      if (s instanceof Response) return s;
      c.set('signed', s);
      await next();
    };
  const posted =
    (action: AdminAction): MiddlewareHandler<AdminEnv> =>
    async (c, next) => {
      const s = await check(c, action);
      if (s instanceof Response) return s;
      // readForm: upload routes reach here with a body the edge only size-checked (http/body-limits.ts).
      const form = await readForm(c);
      if (!csrfMatches(s.admin, form.csrf))
        return errorResponse(c, s.lang, s.tenant, t(s.lang, 'redeem.forbidden'), 403);
      c.set('signed', s);
      c.set('posted', { ...s, form });
      await next();
    };
  return { signedIn, posted, check };
}
