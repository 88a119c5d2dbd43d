// The one confirmation of a destructive action: a GET page naming what will happen, whose form (with the CSRF value)
// posts the action, and a Cancel link back; no JavaScript. `ConfirmLink` is the button that leads there, in place of
// a form that would post at once. `confirmRoutes` serves `<action>/confirm` for the actions that had no page of
// their own; a section with a page of its own (deleted users, inactive guests) renders `ConfirmPage` itself.
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';

import { listServicePrincipalsNamed } from '../apps/service-principals.ts';
import { getPartner } from '../crosstenant/policy.ts';
import { DELETED_RETENTION_DAYS } from '../deleted/items.ts';
import { getContact } from '../directory/contacts.ts';
import { getGroup, type Group } from '../directory/groups.ts';
import { roleDefinition, type RoleDefinition } from '../directory/role-definitions.ts';
import { getTenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Submit } from '../pages/fields.tsx';
import type { Services } from '../services.ts';
import type { Db } from '../store/index.ts';
import { shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { AdminLayout, type Shell } from './pages.tsx';
import type { AdminAction } from './roles.ts';
import type { Section } from './sections.ts';

export interface ConfirmProps extends Shell {
  section: Section;
  /** the question, the page's heading: "Delete Alex?" */
  title: string;
  /** what will happen, in a sentence or two */
  text: string;
  /** where the form posts */
  action: string;
  /** hidden fields the action reads */
  fields?: Record<string, string>;
  /** where Cancel returns */
  cancel: string;
  button: string;
  /** more detail between the text and the buttons (the list of guests a bulk action touches) */
  children?: Child;
}

export function ConfirmPage(p: ConfirmProps) {
  return (
    <AdminLayout lang={p.lang} tenant={p.tenant} user={p.user} csrf={p.csrf} section={p.section} title={p.title}>
      <p>{p.text}</p>
      {p.children}
      <form method="post" action={p.action}>
        <Csrf value={p.csrf} />
        {Object.entries(p.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <Submit label={p.button} back={{ href: p.cancel, label: t(p.lang, 'shell.confirm.cancel') }} class="danger" />
      </form>
    </AdminLayout>
  );
}

/** The button of a destructive action: a link to its confirmation page (`<action>/confirm`, with `query`). */
export const ConfirmLink = ({
  action,
  query,
  label,
  ariaLabel,
}: {
  action: string;
  query?: Record<string, string>;
  label: string;
  ariaLabel?: string;
}) => (
  <a
    class="button secondary danger"
    href={`${action}/confirm${query ? `?${new URLSearchParams(query)}` : ''}`}
    aria-label={ariaLabel}
  >
    {label}
  </a>
);

type Key =
  | 'userDelete'
  | 'userReset'
  | 'contactDelete'
  | 'groupDelete'
  | 'memberRemove'
  | 'roleRemove'
  | 'appRemove'
  | 'xtapReset'
  | 'xtapRemove'
  | 'userSponsorRemove'
  | 'userGroupRemove';

type Param = (name: string) => string;
/** The texts' values and where Cancel returns. */
type Described = { values: Record<string, string>; cancel: string };

interface Confirmable {
  /** the action's path under /admin/:tenant */
  path: string;
  right: AdminAction;
  section: Section;
  key: Key;
  /** query parameters carried to the action as hidden fields */
  fields?: readonly string[];
  /** undefined when there is nothing to act on (404) */
  describe(db: Db, s: Signed, param: Param): Promise<Described | undefined>;
}

/** One object the action names, read by a parameter; undefined when there is none. */
type Loader<T> = (db: Db, tenantId: string, param: Param) => Promise<T | undefined>;
type Loaded<L> = { [K in keyof L]: L[K] extends Loader<infer T> ? NonNullable<T> : never };

const user =
  (name: string): Loader<User> =>
  (db, tenantId, param) =>
    getUser(db, tenantId, param(name));
const group =
  (name: string): Loader<Group> =>
  (db, tenantId, param) =>
    getGroup(db, tenantId, param(name));
const role =
  (name: string): Loader<RoleDefinition> =>
  async (_db, _tenantId, param) =>
    roleDefinition(param(name));

/** A `describe` that reads `load`'s objects in order, and 404s unless all are there; `base` is /admin/<tenant>. */
function loading<L extends Record<string, Loader<unknown>>>(
  load: L,
  show: (found: Loaded<L>, base: string) => Described,
): Confirmable['describe'] {
  return async (db, s, param) => {
    const found: Record<string, unknown> = {};
    for (const [name, loader] of Object.entries(load)) {
      const x = await loader(db, s.tenant.id, param);
      if (x == null) return undefined;
      found[name] = x;
    }
    return show(found as Loaded<L>, `/admin/${s.tenant.id}`);
  };
}

const userName = (u: User) => u.displayName || u.userPrincipalName;

const CONFIRMABLE: readonly Confirmable[] = [
  {
    path: '/users/:id/delete',
    right: 'manageUsers',
    section: 'users',
    key: 'userDelete',
    describe: loading({ u: user('id') }, ({ u }, base) => ({
      values: { name: userName(u), upn: u.userPrincipalName, days: String(DELETED_RETENTION_DAYS) },
      cancel: `${base}/users/${u.id}`,
    })),
  },
  {
    path: '/users/:id/reset',
    right: 'resetRedemption',
    section: 'users',
    key: 'userReset',
    describe: loading({ u: user('id') }, ({ u }, base) => ({
      values: { name: userName(u), upn: u.userPrincipalName },
      cancel: `${base}/users/${u.id}`,
    })),
  },
  {
    path: '/users/:id/roles/revoke',
    right: 'roles',
    section: 'users',
    key: 'roleRemove',
    fields: ['role'],
    describe: loading({ u: user('id'), r: role('role') }, ({ u, r }, base) => ({
      values: { user: userName(u), role: r.displayName },
      cancel: `${base}/users/${u.id}#roles`,
    })),
  },
  {
    path: '/roles/:role/remove',
    right: 'roles',
    section: 'roles',
    key: 'roleRemove',
    fields: ['user'],
    describe: loading({ u: user('user'), r: role('role') }, ({ u, r }, base) => ({
      values: { user: userName(u), role: r.displayName },
      cancel: `${base}/roles`,
    })),
  },
  {
    path: '/contacts/:id/delete',
    right: 'manageUsers',
    section: 'contacts',
    key: 'contactDelete',
    describe: loading(
      { contact: (db, tenantId, param) => getContact(db, tenantId, param('id')) },
      ({ contact }, base) => ({ values: { name: contact.displayName }, cancel: `${base}/contacts/${contact.id}` }),
    ),
  },
  {
    path: '/groups/:id/delete',
    right: 'manageUsers',
    section: 'groups',
    key: 'groupDelete',
    describe: loading({ g: group('id') }, ({ g }, base) => ({
      values: { name: g.displayName },
      cancel: `${base}/groups/${g.id}`,
    })),
  },
  {
    path: '/groups/:id/members/:member/remove',
    right: 'manageUsers',
    section: 'groups',
    key: 'memberRemove',
    describe: loading({ g: group('id'), member: user('member') }, ({ g, member }, base) => ({
      values: { group: g.displayName, member: userName(member) },
      cancel: `${base}/groups/${g.id}`,
    })),
  },
  {
    path: '/enterprise-apps/:id/remove',
    right: 'settings',
    section: 'enterpriseApps',
    key: 'appRemove',
    describe: loading(
      {
        sp: async (db, tenantId, param) =>
          (await listServicePrincipalsNamed(db, tenantId)).find((x) => x.id === param('id')),
      },
      ({ sp }, base) => ({ values: { name: sp.displayName }, cancel: `${base}/enterprise-apps` }),
    ),
  },
  {
    path: '/cross-tenant/reset',
    right: 'settings',
    section: 'crossTenant',
    key: 'xtapReset',
    describe: loading({}, (_, base) => ({ values: {}, cancel: `${base}/cross-tenant/default` })),
  },
  // removing an organization's cross-tenant access settings
  {
    path: '/cross-tenant/partners/:partner/remove',
    right: 'settings',
    section: 'crossTenant',
    key: 'xtapRemove',
    async describe(db, s, param) {
      const partner = await getPartner(db, s.tenant.id, param('partner'));
      if (!partner) return undefined;
      const name = (await getTenant(db, partner.tenantId))?.displayName ?? partner.tenantId;
      return { values: { org: name, id: partner.tenantId }, cancel: `/admin/${s.tenant.id}/cross-tenant` };
    },
  },
  // the user page's sponsors and groups (admin/user-edit-routes.tsx)
  {
    path: '/users/:id/sponsors/:sponsor/remove',
    right: 'manageUsers',
    section: 'users',
    key: 'userSponsorRemove',
    describe: loading({ u: user('id'), sponsor: user('sponsor') }, ({ u, sponsor }, base) => ({
      values: { name: userName(u), sponsor: userName(sponsor) },
      cancel: `${base}/users/${u.id}`,
    })),
  },
  {
    path: '/users/:id/groups/:group/remove',
    right: 'manageUsers',
    section: 'users',
    key: 'userGroupRemove',
    describe: loading({ u: user('id'), g: group('group') }, ({ u, g }, base) => ({
      values: { name: userName(u), group: g.displayName },
      cancel: `${base}/users/${u.id}`,
    })),
  },
];

const text = (lang: Lang, key: Key, part: 'title' | 'text' | 'button', values: Record<string, string>) =>
  t(lang, `shell.confirm.${key}.${part}` as keyof Messages, values);

/** GET `<action>/confirm` for every action of CONFIRMABLE. */
export function confirmRoutes(services: Services, guard: AdminGuard) {
  const app = new Hono<AdminEnv>();
  for (const x of CONFIRMABLE) {
    app.get(`/admin/:tenant${x.path}/confirm`, guard.signedIn(x.right), async (c) => {
      const s = c.var.signed;
      const param = (name: string) => (x.fields?.includes(name) ? c.req.query(name) : c.req.param(name)) ?? '';
      const found = await x.describe(services.store.db, s, param);
      if (!found) return c.notFound();
      const action = c.req.path.slice(0, -'/confirm'.length);
      const fields = Object.fromEntries((x.fields ?? []).map((name) => [name, param(name)]));
      return c.html(
        <ConfirmPage
          {...shellOf(s)}
          section={x.section}
          title={text(s.lang, x.key, 'title', found.values)}
          text={text(s.lang, x.key, 'text', found.values)}
          button={text(s.lang, x.key, 'button', found.values)}
          action={action}
          fields={fields}
          cancel={found.cancel}
        />,
      );
    });
  }
  return app;
}
