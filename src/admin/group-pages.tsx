// The admin center's groups pages: the list with search and paging, the new-group form, and a group's page (name
// and description, its members with add by address and remove, delete).
import type { Group } from '../directory/groups.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { ConfirmLink } from './confirm.tsx';
import { fieldAria, FormField } from './form-field.tsx';
import { DeleteRow, NewItemPage, SaveForm } from './item-pages.tsx';
import { List, When, type Column } from './list.tsx';
import { AdminLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

export interface GroupForm {
  displayName: string;
  description: string;
}
export type GroupErrors = Partial<Record<keyof GroupForm, string>>;

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
  // the name is a required line, the description optional lines
  const field = (id: keyof GroupForm, label: keyof Messages, multiline: boolean) => (
    <Field
      lang={lang}
      id={id}
      label={label}
      value={form[id]}
      error={errors[id]}
      multiline={multiline}
      required={!multiline}
    />
  );
  return (
    <>
      {field('displayName', 'admin.groups.name', false)}
      {field('description', 'admin.groups.description', true)}
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

export function NewGroupPage({ form, errors, ...shell }: Shell & { form: GroupForm; errors: GroupErrors }) {
  const { lang, tenant } = shell;
  return (
    <NewItemPage
      {...shell}
      section="groups"
      title={t(lang, 'admin.groups.new')}
      list={`/admin/${tenant.id}/groups`}
      cancel={t(lang, 'admin.groups.cancel')}
      create={t(lang, 'admin.groups.create')}
    >
      <GroupFields lang={lang} form={form} errors={errors} />
    </NewItemPage>
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
}: Shell & {
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
        <SaveForm csrf={csrf} action={base} save={t(lang, 'admin.groups.save')}>
          <GroupFields lang={lang} form={form} errors={errors} />
        </SaveForm>
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
        <SaveForm csrf={csrf} action={`${base}/members`} save={t(lang, 'admin.groups.add')}>
          <Field lang={lang} id="member" label="admin.groups.addMember" value={member} error={memberError} required />
        </SaveForm>
      )}
      {manage && <DeleteRow action={`${base}/delete`} label={t(lang, 'admin.groups.delete')} />}
    </AdminLayout>
  );
}
