// Security info, reached from My Apps (/myapps/security-info?tenantid=…): the person's authentication methods at the
// tenant (mfa/methods.ts types and recovery codes), with adding an authenticator app, new recovery codes, and deleting
// a method after a confirmation page. Every change is audited and mailed to the person (mfa/changes.ts), and every
// POST answers with a 303 to a page (new recovery codes travel to their one showing in a short-lived cookie, sealed
// with the deployment key). A person who already has a method proves it in this session before changing anything (as
// Entra asks): otherwise a stolen password would be enough to add a second factor of the thief's choosing.
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';

import { methodAllowed } from '../conditional-access/methods-policy.ts';
import { isUuid, resolveTenant, type Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { pickLang, t, type Lang } from '../i18n/index.ts';
import { formToken, formTokenMatches } from '../keyed.ts';
import { removeMethod, replaceRecoveryCodes } from '../mfa/changes.ts';
import { METHOD_TYPES, methodType, type MethodHost, type MethodType } from '../mfa/methods.ts';
import { RecoveryCodes } from '../mfa/pages.tsx';
import { unusedRecoveryCodes } from '../mfa/recovery.ts';
import { listMethods } from '../mfa/store.ts';
import { SOFTWARE_OATH } from '../mfa/totp.tsx';
import { FIDO2 } from '../mfa/webauthn-methods.ts';
import { passkeysAllowed } from '../mfa/webauthn-type.tsx';
import { Csrf } from '../pages/csrf.tsx';
import { Submit } from '../pages/fields.tsx';
import { Layout } from '../pages/layout.tsx';
import { Table } from '../pages/table.tsx';
import { hashSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import { liveSession, recordSessionMfa, sessionCookieName } from '../sessions/sessions.ts';
import { keysOf } from '../store/keys.ts';

type Env = { Bindings: HttpBindings };
const KEY = 'myapps-security-info-key';
const BASE = '/myapps/security-info';
const CODES_COOKIE = 'portico_recovery_codes';

interface Signed {
  tenant: Tenant;
  user: User;
  secret: string;
  /** the session did MFA (at sign-in, or here) */
  mfa: boolean;
}

export function securityInfoRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<Env>();
  const secure = config.baseUrl.startsWith('https:');
  const langOf = (c: Context<Env>): Lang => pickLang(c.req.header('accept-language'));
  const home = (tenant: Tenant, done?: string) => `${BASE}?tenantid=${tenant.id}${done ? `&done=${done}` : ''}`;

  /** The tenant of `ref`, this browser's session there and its user, or undefined (not signed in there). */
  async function signedIn(c: Context<Env>, ref: unknown): Promise<Signed | undefined> {
    const tenant = typeof ref === 'string' && isUuid(ref) ? await resolveTenant(store.db, ref) : undefined;
    if (!tenant) return undefined;
    const secret = getCookie(c, sessionCookieName(tenant.id));
    const session = await liveSession(store.db, clock, tenant.id, secret);
    const user = session && (await getUser(store.db, tenant.id, session.userId));
    return user && secret ? { tenant, user, secret, mfa: session.mfa !== undefined } : undefined;
  }
  const tokenOf = (s: Signed) => formToken(store.db, KEY, s.tenant.id, hashSecret(s.secret));
  const tokenMatches = (s: Signed, value: unknown) =>
    formTokenMatches(store.db, KEY, value, s.tenant.id, hashSecret(s.secret));
  const actorOf = (user: User) => ({ kind: 'user' as const, id: user.id, userPrincipalName: user.userPrincipalName });

  const page = (c: Context<Env>, lang: Lang, tenant: Tenant, title: string, body: Child, status = 200) =>
    c.html(
      <Layout lang={lang} title={title} tenant={tenant}>
        <h1>{title}</h1>
        {body}
        <p>
          <a href={home(tenant)}>{t(lang, 'mfa.security.back')}</a>
        </p>
      </Layout>,
      status as 200,
    );

  /** A method type's pages hosted here: its forms post below /myapps/security-info/<type>/. */
  const hostOf = (c: Context<Env>, s: Signed, type: MethodType): MethodHost => ({
    services,
    tenant: s.tenant,
    lang: langOf(c),
    user: s.user,
    csrf: () => tokenOf(s),
    action: (path) => `${BASE}/${type.type}/${path}?tenantid=${s.tenant.id}`,
    actor: actorOf(s.user),
    page: async (c2, title, body, status) => page(c2 as Context<Env>, langOf(c), s.tenant, title, body, status),
  });

  /** Whether the tenant's authentication methods policy lets this person use a method type. */
  const mayUse = async (s: Signed, type: MethodType) =>
    !(type.type === 'softwareOath' || type.type === 'fido2') ||
    (await methodAllowed(store.db, s.tenant, s.user.id, type.type));

  /** Whether changes may be made: a person without methods may add one; one with methods must have done MFA. */
  const mayChange = async (s: Signed) => s.mfa || (await listMethods(store.db, s.tenant.id, s.user.id)).length === 0;

  /** The first of the person's method types, to prove one before a change. */
  async function verifyFirst(c: Context<Env>, s: Signed): Promise<Response> {
    const [first] = await listMethods(store.db, s.tenant.id, s.user.id);
    const type = first && methodType(first.type);
    if (!type) return c.redirect(home(s.tenant), 303);
    return type.verify.show(c, hostOf(c, s, type));
  }

  app.get(BASE, async (c) => {
    const lang = langOf(c);
    const s = await signedIn(c, c.req.query('tenantid'));
    if (!s) return c.redirect('/myapps', 303);
    const { tenant, user } = s;
    const [methods, unused, mayAdd] = await Promise.all([
      listMethods(store.db, tenant.id, user.id),
      unusedRecoveryCodes(store.db, tenant.id, user.id),
      methodAllowed(store.db, tenant, user.id, SOFTWARE_OATH),
    ]);
    const when = (iso: string | null) =>
      iso
        ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso))
        : t(lang, 'mfa.security.never');
    const done = c.req.query('done');
    const csrf = await tokenOf(s);
    return c.html(
      <Layout lang={lang} title={t(lang, 'mfa.security.title')} tenant={tenant}>
        <h1>{t(lang, 'mfa.security.title')}</h1>
        {(done === 'added' || done === 'deleted') && (
          <p role="status">
            {t(lang, done === 'added' ? 'mfa.security.addedDone' : 'mfa.security.deletedDone', {
              method: t(lang, 'mfa.totp.label'),
            })}
          </p>
        )}
        <p>{t(lang, 'mfa.security.intro', { tenant: tenant.displayName })}</p>
        <Table
          rows={methods}
          empty={t(lang, 'mfa.security.none')}
          columns={[
            { label: t(lang, 'mfa.security.method'), cell: (m) => m.displayName },
            { label: t(lang, 'mfa.security.added'), cell: (m) => when(m.createdAt) },
            { label: t(lang, 'mfa.security.lastUsed'), cell: (m) => when(m.lastUsedAt) },
            {
              label: t(lang, 'mfa.security.actions'),
              cell: (m) => (
                <a href={`${BASE}/delete/${m.id}?tenantid=${tenant.id}`}>{t(lang, 'mfa.security.delete')}</a>
              ),
            },
          ]}
        />
        {mayAdd && (
          <p>
            <a href={`${BASE}/add?tenantid=${tenant.id}`}>{t(lang, 'mfa.security.add')}</a>
          </p>
        )}
        {/* mfa-passkey */}
        {(await passkeysAllowed({ services, tenant, user })) && (
          <p>
            <a href={`${BASE}/add?tenantid=${tenant.id}&type=${FIDO2}`}>{t(lang, 'passkey.add.title')}</a>
          </p>
        )}
        {methods.length > 0 && (
          <>
            <h2>{t(lang, 'mfa.recovery.label')}</h2>
            <p>{unused ? t(lang, 'mfa.recovery.unused', { count: String(unused) }) : t(lang, 'mfa.recovery.none')}</p>
            <form method="post" action={`${BASE}/recovery-codes`}>
              <Csrf value={csrf} />
              <input type="hidden" name="tenantid" value={tenant.id} />
              <p>{t(lang, 'mfa.recovery.regenerateText')}</p>
              <button type="submit" class="secondary">
                {t(lang, 'mfa.recovery.regenerate')}
              </button>
            </form>
          </>
        )}
        <p>
          <a href={`/myapps?tenantid=${tenant.id}`}>{t(lang, 'mfa.security.apps')}</a>
        </p>
      </Layout>,
    );
  });

  app.get(`${BASE}/add`, async (c) => {
    const s = await signedIn(c, c.req.query('tenantid'));
    if (!s) return c.redirect('/myapps', 303);
    // the authenticator app, or the type asked for (mfa-passkey: ?type=fido2)
    const type = methodType(c.req.query('type') ?? '') ?? methodType(SOFTWARE_OATH)!;
    if (
      (type.type === 'softwareOath' || type.type === 'fido2') &&
      !(await methodAllowed(store.db, s.tenant, s.user.id, type.type))
    )
      return c.redirect(home(s.tenant), 303);
    if (!(await mayChange(s))) return verifyFirst(c, s);
    return type.register.show(c, hostOf(c, s, type));
  });

  // Each method type's register and verify forms (verifying here records MFA on the session, then back to the list).
  for (const type of METHOD_TYPES) {
    for (const [path, handle] of Object.entries(type.register.posts))
      app.post(`${BASE}/${type.type}/register/${path}`, async (c) => {
        const form = await c.req.parseBody();
        const s = await signedIn(c, c.req.query('tenantid'));
        if (!s) return c.redirect('/myapps', 303);
        if (!(await tokenMatches(s, form.csrf))) return c.redirect(home(s.tenant), 303);
        if (
          (type.type === 'softwareOath' || type.type === 'fido2') &&
          !(await methodAllowed(store.db, s.tenant, s.user.id, type.type))
        )
          return c.redirect(home(s.tenant), 303);
        if (!(await mayChange(s))) return verifyFirst(c, s);
        const result = await handle(c, hostOf(c, s, type), form);
        if (result instanceof Response) return result;
        // Adding a method proves it: the session has done MFA now.
        await store.write((db) =>
          recordSessionMfa(db, s.tenant.id, s.secret, s.user.id, { at: clock.now().toISOString(), amr: result.amr }),
        );
        return c.redirect(home(s.tenant, 'added'), 303);
      });
    for (const [path, handle] of Object.entries(type.verify.posts))
      app.post(`${BASE}/${type.type}/verify/${path}`, async (c) => {
        const form = await c.req.parseBody();
        const s = await signedIn(c, c.req.query('tenantid'));
        if (!s) return c.redirect('/myapps', 303);
        if (!(await tokenMatches(s, form.csrf))) return c.redirect(home(s.tenant), 303);
        // A method the tenant's methods policy disabled proves nothing (as at sign-in, mfa/step.tsx): else the MFA
        // it records here would satisfy the next sign-in through this session.
        if (!(await mayUse(s, type))) return c.redirect(home(s.tenant), 303);
        const result = await handle(c, hostOf(c, s, type), form);
        if (result instanceof Response) return result;
        await store.write((db) =>
          recordSessionMfa(db, s.tenant.id, s.secret, s.user.id, { at: clock.now().toISOString(), amr: result.amr }),
        );
        return c.redirect(home(s.tenant), 303);
      });
  }

  app.get(`${BASE}/delete/:id`, async (c) => {
    const lang = langOf(c);
    const s = await signedIn(c, c.req.query('tenantid'));
    if (!s) return c.redirect('/myapps', 303);
    if (!(await mayChange(s))) return verifyFirst(c, s);
    const method = (await listMethods(store.db, s.tenant.id, s.user.id)).find((m) => m.id === c.req.param('id'));
    if (!method)
      return page(c, lang, s.tenant, t(lang, 'mfa.security.title'), <p>{t(lang, 'mfa.security.unknown')}</p>, 404);
    const p = { method: method.displayName, tenant: s.tenant.displayName };
    return page(
      c,
      lang,
      s.tenant,
      t(lang, 'mfa.security.deleteTitle', p),
      <>
        <p>{t(lang, 'mfa.security.deleteText', p)}</p>
        <form method="post" action={`${BASE}/delete`}>
          <Csrf value={await tokenOf(s)} />
          <input type="hidden" name="tenantid" value={s.tenant.id} />
          <input type="hidden" name="id" value={method.id} />
          <Submit
            label={t(lang, 'mfa.security.deleteConfirm')}
            back={{ href: home(s.tenant), label: t(lang, 'mfa.security.cancel') }}
            class="danger"
          />
        </form>
      </>,
    );
  });

  app.post(`${BASE}/delete`, async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const s = await signedIn(c, form.tenantid);
    if (!s) return c.redirect('/myapps', 303);
    if (!(await tokenMatches(s, form.csrf)) || !(await mayChange(s))) return c.redirect(home(s.tenant), 303);
    const removed = await store.transaction((tx) =>
      removeMethod(
        { tx, services, tenant: s.tenant, user: s.user, actor: actorOf(s.user), lang },
        String(form.id ?? ''),
        (m) => methodType(m.type)?.label ?? 'mfa.totp.label',
      ),
    );
    return c.redirect(home(s.tenant, removed ? 'deleted' : undefined), 303);
  });

  app.post(`${BASE}/recovery-codes`, async (c) => {
    const lang = langOf(c);
    const form = await c.req.parseBody();
    const s = await signedIn(c, form.tenantid);
    if (!s) return c.redirect('/myapps', 303);
    if (!(await tokenMatches(s, form.csrf))) return c.redirect(home(s.tenant), 303);
    if (!(await mayChange(s))) return verifyFirst(c, s);
    if ((await listMethods(store.db, s.tenant.id, s.user.id)).length === 0) return c.redirect(home(s.tenant), 303);
    const codes = await store.transaction((tx) =>
      replaceRecoveryCodes({ tx, services, tenant: s.tenant, user: s.user, actor: actorOf(s.user), lang }),
    );
    // Shown once, on the page this redirect leads to: sealed, bound to the session, for a minute.
    const sealed = keysOf(store.db).seal(
      JSON.stringify({ s: hashSecret(s.secret), codes, exp: clock.now().getTime() + 60_000 }),
    );
    setCookie(c, CODES_COOKIE, sealed, { httpOnly: true, sameSite: 'Lax', secure, path: BASE, maxAge: 60 });
    return c.redirect(`${BASE}/recovery-codes?tenantid=${s.tenant.id}`, 303);
  });

  app.get(`${BASE}/recovery-codes`, async (c) => {
    const lang = langOf(c);
    const s = await signedIn(c, c.req.query('tenantid'));
    if (!s) return c.redirect('/myapps', 303);
    const sealed = getCookie(c, CODES_COOKIE);
    deleteCookie(c, CODES_COOKIE, { path: BASE, secure });
    let codes: string[] | undefined;
    try {
      const held = JSON.parse(keysOf(store.db).open(sealed ?? '')) as { s: string; codes: string[]; exp: number };
      if (held.s === hashSecret(s.secret) && held.exp > clock.now().getTime()) codes = held.codes;
    } catch {
      codes = undefined;
    }
    if (!codes) return c.redirect(home(s.tenant), 303);
    return page(c, lang, s.tenant, t(lang, 'mfa.recovery.title'), <RecoveryCodes lang={lang} codes={codes} />);
  });

  return app;
}
