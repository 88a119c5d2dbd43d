// The admin center's groups pages: the list with search and paging, the new-group form, and a group's page (name
// and description, its members with add by address and remove, delete).
import type { Group } from '../directory/groups.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { ConfirmLink } from './confirm.tsx';
import { fieldAria, FormField } from './form-field.tsx';
import { List, When, type Column } from './list.tsx';
import { AdminLayout } from './pages.tsx';
import { can } from './roles.ts';

export interface GroupForm {
  displayName: string;
  description: string;
}
export type GroupErrors = Partial<Record<keyof GroupForm, string>>;

type Base = { lang: Lang; tenant: Tenant; user: User; csrf: string };

/** A labelled input (or textarea) with its error, tied by aria-describedby. */
function Field({
  lang,
  id,
  label,
  value,
  error,
  multiline,
  required,
}: {
  lang: Lang;
  id: string;
  label: keyof Messages;
  value: string;
  error?: string;
  multiline?: boolean;
  required?: boolean;
}) {
  const aria = fieldAria(id, { [id]: error ?? '' });
  return (
    <FormField id={id} label={t(lang, label)} error={error}>
      {multiline ? (
        <textarea id={id} name={id} rows={3} {...aria}>
          {value}
        </textarea>
      ) : (
        <input id={id} name={id} type="text" value={value} required={required} {...aria} />
      )}
    </FormField>
  );
}

function GroupFields({ lang, form, errors }: { lang: Lang; form: GroupForm; errors: GroupErrors }) {
  return (
    <>
      <Field
        lang={lang}
        id="displayName"
        label="admin.groups.name"
        value={form.displayName}
        error={errors.displayName}
        required
      />
      <Field
        lang={lang}
        id="description"
        label="admin.groups.description"
        value={form.description}
        error={errors.description}
        multiline
      />
    </>
  );
}

/** The columns of the groups list (search-list-page.tsx); `base` is its address. */
export const groupColumns = (lang: Lang, base: string): Column<Group>[] => [
  {
    label: t(lang, 'admin.groups.name'),
    sort: 'name',
    cell: (g) => <a href={`${base}/${g.id}`}>{g.displayName}</a>,
  },
  { label: t(lang, 'admin.groups.description'), sort: 'description', cell: (g) => g.description ?? '' },
  { label: t(lang, 'admin.col.created'), sort: 'created', cell: (g) => <When iso={g.createdDateTime} /> },
];

export function NewGroupPage({
  lang,
  tenant,
  user,
  csrf,
  form,
  errors,
}: Base & { form: GroupForm; errors: GroupErrors }) {
  return (
    <AdminLayout
      lang={lang}
      tenant={tenant}
      user={user}
      csrf={csrf}
      section="groups"
      title={t(lang, 'admin.groups.new')}
    >
      <form method="post" action={`/admin/${tenant.id}/groups/new`}>
        <Csrf value={csrf} />
        <GroupFields lang={lang} form={form} errors={errors} />
        <div class="actions">
          <a href={`/admin/${tenant.id}/groups`}>{t(lang, 'admin.groups.cancel')}</a>
          <button type="submit">{t(lang, 'admin.groups.create')}</button>
        </div>
      </form>
    </AdminLayout>
  );
}

export type GroupDone = 'created' | 'saved' | 'added' | 'removed';

export function GroupPage({
  lang,
  tenant,
  user,
  csrf,
  group,
  form,
  errors,
  member,
  memberError,
  members,
  next,
  done,
}: Base & {
  group: Group;
  form: GroupForm;
  errors: GroupErrors;
  member: string;
  memberError?: string;
  members: User[];
  next?: string;
  done?: GroupDone;
}) {
  const base = `/admin/${tenant.id}/groups/${group.id}`;
  const manage = can(user.roles, 'manageUsers');
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="groups" title={group.displayName}>
      {done && <p role="status">{t(lang, `admin.groups.${done}`)}</p>}
      {manage ? (
        <form method="post" action={base}>
          <Csrf value={csrf} />
          <GroupFields lang={lang} form={form} errors={errors} />
          <div class="actions">
            <span />
            <button type="submit">{t(lang, 'admin.groups.save')}</button>
          </div>
        </form>
      ) : (
        group.description && <p>{group.description}</p>
      )}
      <h2>{t(lang, 'admin.groups.members')}</h2>
      <List
        base={base}
        rows={members}
        empty={t(lang, 'admin.groups.noMembers')}
        next={next ? { after: next } : undefined}
        nextLabel={t(lang, 'admin.groups.nextMembers')}
        columns={[
          {
            label: t(lang, 'admin.col.name'),
            cell: (m) => <a href={`/admin/${tenant.id}/users/${m.id}`}>{m.displayName}</a>,
          },
          { label: t(lang, 'admin.col.email'), cell: (m) => m.mail ?? m.userPrincipalName },
          {
            label: t(lang, 'admin.col.type'),
            cell: (m) => t(lang, m.userType === 'Guest' ? 'admin.users.guest' : 'admin.users.member'),
          },
          manage && {
            label: t(lang, 'admin.groups.actions'),
            cell: (m) => (
              <ConfirmLink
                action={`${base}/members/${m.id}/remove`}
                label={t(lang, 'admin.groups.remove')}
                ariaLabel={t(lang, 'admin.groups.removeOf', { name: m.displayName })}
              />
            ),
          },
        ]}
      />
      {manage && (
        <form method="post" action={`${base}/members`}>
          <Csrf value={csrf} />
          <Field lang={lang} id="member" label="admin.groups.addMember" value={member} error={memberError} required />
          <div class="actions">
            <span />
            <button type="submit">{t(lang, 'admin.groups.add')}</button>
          </div>
        </form>
      )}
      {manage && (
        <div class="actions">
          <span />
          <ConfirmLink action={`${base}/delete`} label={t(lang, 'admin.groups.delete')} />
        </div>
      )}
    </AdminLayout>
  );
}
