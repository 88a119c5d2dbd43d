// My Apps' collaboration pages for the signed-in person: "Invite someone" (as the tenant's guest invite settings
// allow; the invitation goes through invite(), so the collaboration restrictions, the audit event naming the person
// and the email naming them are the same as on every path) and "People" (a lookup that follows what the person may
// read of the directory: directory/guest-access.ts).
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';

import type { Actor } from '../directory/audit.ts';
import { directoryReachOf, lookUpPeople } from '../directory/guest-access.ts';
import { resolveTenant, type Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { InvalidRequest, PorticoError } from '../errors.ts';
import { readForm } from '../http/inputs.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { invite } from '../invitations/invite.ts';
import { asInviter, requireMayInvite } from '../invitations/policy.ts';
import { formToken } from '../keyed.ts';
import { myAppsUrl } from '../oidc/urls.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Submit } from '../pages/fields.tsx';
import { errorPage, Layout } from '../pages/layout.tsx';
import { allowedOrigins } from '../redemption/redirect.ts';
import { hashSecret, sameSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import { sessionCookieName, sessionUser } from '../sessions/sessions.ts';

type Env = { Bindings: HttpBindings };
const CSRF_KEY = 'myapps-csrf-key';

interface Person {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
}

function InvitePage({
  p,
  redirects,
  form,
  error,
  sent,
}: {
  p: Person;
  redirects: string[];
  form: { email: string; message: string; redirect: string };
  error?: string;
  sent?: string;
}) {
  const { lang, tenant } = p;
  return (
    <Layout lang={lang} title={t(lang, 'myapps.invite')} tenant={tenant}>
      <h1>{t(lang, 'myapps.invite')}</h1>
      <p>{t(lang, 'myapps.invite.intro', { tenant: tenant.displayName })}</p>
      {sent && <p role="status">{t(lang, 'myapps.invite.sent', { email: sent })}</p>}
      <Alert id="invite-error" text={error} />
      <form method="post" action={`/myapps/invite?tenantid=${tenant.id}`}>
        <Csrf value={p.csrf} />
        <label for="email">{t(lang, 'myapps.invite.email')}</label>
        <input id="email" name="email" type="email" required value={form.email} autocomplete="off" />
        <label for="message">{t(lang, 'myapps.invite.message')}</label>
        <textarea id="message" name="message" rows={4}>
          {form.message}
        </textarea>
        <label for="redirect">{t(lang, 'myapps.invite.redirect')}</label>
        <select id="redirect" name="redirect">
          {redirects.map((r) => (
            <option value={r} selected={r === form.redirect}>
              {r === redirects[0] ? `${t(lang, 'myapps.title')} (${r})` : r}
            </option>
          ))}
        </select>
        <Submit
          label={t(lang, 'myapps.invite.send')}
          back={{ href: `/myapps?tenantid=${tenant.id}`, label: t(lang, 'myapps.title') }}
        />
      </form>
    </Layout>
  );
}

function PeoplePage({ p, query, found, note }: { p: Person; query: string; found?: User[]; note?: string }) {
  const { lang, tenant, user } = p;
  const reach = directoryReachOf(tenant, user);
  const row = (u: User) => (
    <li>
      {u.displayName} {u.mail && <span class="muted">{u.mail}</span>}
    </li>
  );
  return (
    <Layout lang={lang} title={t(lang, 'myapps.people')} tenant={tenant}>
      <h1>{t(lang, 'myapps.people')}</h1>
      <h2>{t(lang, 'myapps.people.me')}</h2>
      <ul>{row(user)}</ul>
      {reach === 'self' ? (
        <p>
          {t(lang, user.userType === 'Guest' ? 'myapps.people.restricted' : 'myapps.people.notAllowed', {
            tenant: tenant.displayName,
          })}
        </p>
      ) : (
        <form method="get" action="/myapps/people">
          <input type="hidden" name="tenantid" value={tenant.id} />
          <p>{t(lang, 'myapps.people.intro', { tenant: tenant.displayName })}</p>
          {reach === 'exact' && <p class="muted">{t(lang, 'myapps.people.exactOnly')}</p>}
          <label for="q">{t(lang, 'myapps.people.query')}</label>
          <input id="q" name="q" type="search" value={query} autocomplete="off" />
          <Submit
            label={t(lang, 'myapps.people.search')}
            back={{ href: `/myapps?tenantid=${tenant.id}`, label: t(lang, 'myapps.title') }}
          />
        </form>
      )}
      <Alert text={note} />
      {found && (found.length === 0 ? <p>{t(lang, 'myapps.people.none')}</p> : <ul id="people">{found.map(row)}</ul>)}
    </Layout>
  );
}

/** The routes; `signInAt` is My Apps' way to the tenant's sign-in (back to My Apps afterwards). */
export function myAppsCollaborationRoutes(services: Services, signInAt: (tenant: Tenant) => string) {
  const { store, config } = services;
  const app = new Hono<Env>();

  /** The signed-in person at `?tenantid=`, or the response to give instead (unknown tenant, or off to sign in). */
  async function personOf(c: Context<Env>): Promise<Person | Response> {
    const lang = pickLang(c.req.header('accept-language'));
    const tenant = await resolveTenant(store.db, c.req.query('tenantid') ?? '');
    if (!tenant) return errorPage(c, { lang }, t(lang, 'myapps.title'), t(lang, 'myapps.unknownTenant'), 404);
    const secret = getCookie(c, sessionCookieName(tenant.id));
    const userId = await sessionUser(store.db, services.clock, tenant.id, secret);
    const user = userId && (await getUser(store.db, tenant.id, userId));
    if (!user || !secret) return c.redirect(signInAt(tenant), 303);
    const csrf = await formToken(store.db, CSRF_KEY, tenant.id, hashSecret(secret));
    return { lang, tenant, user, csrf };
  }

  /** My Apps first, then each origin the tenant's apps redirect to (what a redemption may send the guest to). */
  const redirectsOf = async (tenant: Tenant) => [
    myAppsUrl(config.baseUrl, tenant.id),
    ...[...(await allowedOrigins(store.db, tenant))].sort().map((o) => `${o}/`),
  ];

  /** The policy's refusal as a page, or undefined when the person may invite. */
  async function refusal(c: Context<Env>, p: Person): Promise<Response | undefined> {
    try {
      requireMayInvite(p.tenant, await asInviter(actorOf(p.user), p.user));
      return undefined;
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return errorPage(c, p, t(p.lang, 'myapps.invite.refused.title'), error.text(p.lang), 403);
    }
  }

  app.get('/myapps/invite', async (c) => {
    const p = await personOf(c);
    if (p instanceof Response) return p;
    const refused = await refusal(c, p);
    if (refused) return refused;
    const redirects = await redirectsOf(p.tenant);
    return c.html(
      <InvitePage
        p={p}
        redirects={redirects}
        form={{ email: '', message: '', redirect: redirects[0]! }}
        sent={c.req.query('sent')}
      />,
    );
  });

  app.post('/myapps/invite', async (c) => {
    const p = await personOf(c);
    if (p instanceof Response) return p;
    const body = await readForm(c);
    if (!sameSecret(body.csrf, p.csrf))
      return errorPage(c, p, t(p.lang, 'error.title'), t(p.lang, 'redeem.forbidden'), 403);
    const refused = await refusal(c, p);
    if (refused) return refused;
    const text = (name: string, max: number) => (typeof body[name] === 'string' ? body[name].slice(0, max) : '');
    const form = {
      email: text('email', 254).trim(),
      message: text('message', 10_000),
      redirect: text('redirect', 2048),
    };
    const redirects = await redirectsOf(p.tenant);
    try {
      if (!redirects.includes(form.redirect))
        throw new InvalidRequest('myapps.redirectNotRegistered', { url: form.redirect });
      await invite(services, p.tenant.id, actorOf(p.user), {
        email: form.email,
        redirectUrl: form.redirect,
        sendMessage: true,
        messageInfo: { customizedMessageBody: form.message.trim() || undefined, messageLanguage: p.lang },
      });
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return c.html(<InvitePage p={p} redirects={redirects} form={form} error={error.text(p.lang)} />, error.status);
    }
    return c.redirect(`/myapps/invite?tenantid=${p.tenant.id}&sent=${encodeURIComponent(form.email)}`, 303);
  });

  app.get('/myapps/people', async (c) => {
    const p = await personOf(c);
    if (p instanceof Response) return p;
    const query = (c.req.query('q') ?? '').slice(0, 256);
    if (!query) return c.html(<PeoplePage p={p} query="" />);
    if (directoryReachOf(p.tenant, p.user) === 'self')
      return c.html(
        <PeoplePage
          p={p}
          query={query}
          note={t(p.lang, p.user.userType === 'Guest' ? 'myapps.people.restricted' : 'myapps.people.notAllowed', {
            tenant: p.tenant.displayName,
          })}
        />,
        403,
      );
    const found = await lookUpPeople(store.db, p.tenant, p.user, query);
    return c.html(<PeoplePage p={p} query={query} found={found} />);
  });

  return app;
}

const actorOf = (user: User): Actor => ({ kind: 'user', id: user.id, userPrincipalName: user.userPrincipalName });
