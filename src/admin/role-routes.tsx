// The admin center's Roles section at /admin/<tenant id>/roles and the grant/revoke forms of a user's page: read
// with 'view', changed with 'roles' (Global Administrators) through the functions the API's roleAssignments use,
// so each change is audited with the signed-in admin as actor and the last Global Administrator stays.
import { Hono, type Context } from 'hono';

import { ROLE_DEFINITIONS, roleDefinition, type RoleDefinition } from '../directory/role-definitions.ts';
import { assignRole, removeRoleAssignment, roleAssignmentId, roleMembers } from '../directory/roles.ts';
import { findUserByRef, getUser, type User } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { ErrorPage } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { actorOf, adminShellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { RolesPage } from './role-pages.tsx';

const text = (form: Record<string, string | File>, name: string) =>
  typeof form[name] === 'string' ? (form[name] as string) : '';

export function rolesRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();

  const grant = (s: Signed, role: RoleDefinition, user: User) =>
    store.transaction((tx) =>
      assignRole(tx, clock, s.tenant.id, { roleDefinitionId: role.id, principalId: user.id }, actorOf(s)),
    );
  const revoke = (s: Signed, role: RoleDefinition, user: User) =>
    store.transaction((tx) =>
      removeRoleAssignment(tx, clock, s.tenant.id, roleAssignmentId(role.id, user.id), actorOf(s)),
    );

  async function rolesPage(
    c: Context<AdminEnv>,
    s: Signed,
    extra: { notice?: string; error?: { roleId: string; text: string } } = {},
  ) {
    const rows = [];
    for (const role of ROLE_DEFINITIONS) rows.push({ role, members: await roleMembers(store.db, s.tenant.id, role) });
    return c.html(<RolesPage {...adminShellOf(s)} rows={rows} {...extra} />, extra.error ? 400 : 200);
  }

  app.get('/admin/:tenant/roles', guard.signedIn('view'), (c) => rolesPage(c, c.var.signed));

  for (const verb of ['add', 'remove'] as const) {
    app.post(`/admin/:tenant/roles/:role/${verb}`, guard.posted('roles'), async (c) => {
      const s = c.var.posted;
      const role = roleDefinition(c.req.param('role'));
      if (!role) return c.notFound();
      const ref = text(s.form, 'user').trim();
      const user = ref ? await findUserByRef(store.db, s.tenant.id, ref) : undefined;
      if (!user) return rolesPage(c, s, { error: { roleId: role.id, text: t(s.lang, 'admin.roles.noUser', { ref }) } });
      try {
        await (verb === 'add' ? grant(s, role, user) : revoke(s, role, user));
      } catch (error) {
        if (!(error instanceof PorticoError)) throw error;
        return rolesPage(c, s, { error: { roleId: role.id, text: error.text(s.lang) } });
      }
      const key = verb === 'add' ? 'admin.roles.added' : 'admin.roles.removed';
      return rolesPage(c, s, { notice: t(s.lang, key, { user: user.displayName, role: role.displayName }) });
    });
  }

  for (const verb of ['grant', 'revoke'] as const) {
    app.post(`/admin/:tenant/users/:id/roles/${verb}`, guard.posted('roles'), async (c) => {
      const s = c.var.posted;
      const user = await getUser(store.db, s.tenant.id, c.req.param('id'));
      const role = roleDefinition(text(s.form, 'role'));
      if (!user || !role) return c.notFound();
      try {
        await (verb === 'grant' ? grant(s, role, user) : revoke(s, role, user));
      } catch (error) {
        if (!(error instanceof PorticoError)) throw error;
        return c.html(
          <ErrorPage lang={s.lang} tenant={s.tenant} title={t(s.lang, 'admin.title')} message={error.text(s.lang)} />,
          400,
        );
      }
      return c.redirect(`/admin/${s.tenant.id}/users/${user.id}#roles`, 303);
    });
  }

  return app;
}
