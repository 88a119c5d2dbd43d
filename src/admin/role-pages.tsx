// The admin center's directory roles: the Roles section (each built-in role, its members, add and remove) and the
// roles block of a user's page (grant and revoke). Forms carry Csrf; they show only to a role allowed 'roles'.
import { ROLE_DEFINITIONS, type RoleDefinition } from '../directory/role-definitions.ts';
import type { User } from '../directory/users.ts';
import { t } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Submit } from '../pages/fields.tsx';
import { ConfirmLink } from './confirm.tsx';
import { AdminLayout, type AdminShell } from './pages.tsx';
import { can } from './roles.ts';

export interface RoleRow {
  role: RoleDefinition;
  members: User[];
}

export function RolesPage({
  lang,
  tenant,
  admin,
  csrf,
  rows,
  notice,
  error,
}: AdminShell & {
  rows: RoleRow[];
  notice?: string;
  /** a refused change: the role's id and the refusal's text */
  error?: { roleId: string; text: string };
}) {
  const base = `/admin/${tenant.id}/roles`;
  const edit = can(admin.roles, 'roles');
  return (
    <AdminLayout lang={lang} tenant={tenant} user={admin} csrf={csrf} section="roles" title={t(lang, 'admin.roles')}>
      <p>{t(lang, 'admin.roles.intro')}</p>
      {notice && (
        <p role="status" class="identity">
          {notice}
        </p>
      )}
      {rows.map(({ role, members }) => (
        <section id={`role-${role.id}`}>
          <h2>{role.displayName}</h2>
          <p class="muted">{role.description}</p>
          {error?.roleId === role.id && (
            <p class="error" role="alert">
              {error.text}
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th scope="col">{t(lang, 'admin.roles.members')}</th>
                <th scope="col">{t(lang, 'admin.col.email')}</th>
                {edit && (
                  <th scope="col">
                    <span class="visually-hidden">{t(lang, 'shell.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {members.length === 0 && (
                <tr>
                  <td colspan={edit ? 3 : 2}>{t(lang, 'admin.user.none')}</td>
                </tr>
              )}
              {members.map((m) => (
                <tr>
                  <td>
                    <a href={`/admin/${tenant.id}/users/${m.id}`}>{m.displayName}</a>
                  </td>
                  <td>{m.mail ?? m.userPrincipalName}</td>
                  {edit && (
                    <td>
                      <ConfirmLink
                        action={`${base}/${role.id}/remove`}
                        query={{ user: m.id }}
                        label={t(lang, 'admin.roles.remove')}
                        ariaLabel={t(lang, 'admin.roles.removeLabel', { user: m.displayName, role: role.displayName })}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {edit && (
            <form method="post" action={`${base}/${role.id}/add`}>
              <Csrf value={csrf} />
              <label for={`add-${role.id}`}>{t(lang, 'admin.roles.addLabel', { role: role.displayName })}</label>
              <input id={`add-${role.id}`} name="user" type="text" required />
              <Submit label={t(lang, 'admin.roles.add')} />
            </form>
          )}
        </section>
      ))}
    </AdminLayout>
  );
}

/** A user's roles on their page, with revoke buttons and a grant form for an admin allowed 'roles'. */
export function UserRoles({
  lang,
  tenant,
  admin,
  csrf,
  user,
}: AdminShell & {
  user: User;
}) {
  const held = ROLE_DEFINITIONS.filter((r) => user.roles.includes(r.displayName));
  const base = `/admin/${tenant.id}/users/${user.id}/roles`;
  const edit = can(admin.roles, 'roles');
  const grantable = ROLE_DEFINITIONS.filter((r) => !held.includes(r));
  return (
    <section id="roles">
      <h2>{t(lang, 'admin.user.roles')}</h2>
      {held.length === 0 && <p>{t(lang, 'admin.user.none')}</p>}
      <ul>
        {held.map((r) => (
          <li>
            {r.displayName}{' '}
            {edit && (
              <ConfirmLink
                action={`${base}/revoke`}
                query={{ role: r.id }}
                label={t(lang, 'admin.user.revoke', { role: r.displayName })}
              />
            )}
          </li>
        ))}
      </ul>
      {edit && grantable.length > 0 && (
        <form method="post" action={`${base}/grant`}>
          <Csrf value={csrf} />
          <label for="grant-role">{t(lang, 'admin.user.grantLabel')}</label>
          <select id="grant-role" name="role">
            {grantable.map((r) => (
              <option value={r.id}>{r.displayName}</option>
            ))}
          </select>
          <Submit label={t(lang, 'admin.user.grant')} />
        </form>
      )}
    </section>
  );
}
