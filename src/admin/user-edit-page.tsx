// The user page's "Edit properties": the properties Graph's PATCH /users/{id} changes (directory/user-edit.ts), read
// and checked with the API's own schema, so the page and the API accept and refuse the same values.
import { addressError } from '../directory/address.ts';
import { userPatch, type UserEdit } from '../directory/user-edit.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Submit } from '../pages/fields.tsx';
import { fieldAria, FormField, schemaErrors, type FieldErrors } from './form-field.tsx';
import { UsersLayout, type AdminShell } from './pages.tsx';

const FIELDS = ['displayName', 'givenName', 'surname', 'mail', 'otherMails', 'userPrincipalName'] as const;
type Field = (typeof FIELDS)[number];
export type UserEditForm = Record<Field, string>;

/** What a field may hold before it is parsed (a little more than the schema allows, so its refusal says why). */
const READ_LIMIT: Record<Field, number> = {
  displayName: 257,
  givenName: 65,
  surname: 65,
  mail: 255,
  otherMails: 21 * 256,
  userPrincipalName: 114,
};

const LABEL: Record<Field, keyof Messages> = {
  displayName: 'admin.user.displayName',
  givenName: 'admin.user.givenName',
  surname: 'admin.user.surname',
  mail: 'admin.user.mail',
  otherMails: 'admin.user.otherMails',
  userPrincipalName: 'admin.user.upn',
};

export const editFormOf = (u: User): UserEditForm => ({
  displayName: u.displayName,
  givenName: u.givenName ?? '',
  surname: u.surname ?? '',
  mail: u.mail ?? '',
  otherMails: u.otherMails.join('\n'),
  userPrincipalName: u.userPrincipalName,
});

const lines = (v: string) =>
  v
    .split(/[\r\n,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The form as typed, the edit it asks for (only the properties it changes; an emptied field clears its property),
 * and the errors of the fields that don't fit. A guest's user name is its invitation's: the form never sends it.
 */
export function readUserEdit(
  lang: Lang,
  user: User,
  get: (name: string) => string,
): { form: UserEditForm; edit: UserEdit; errors: FieldErrors } {
  const form = Object.fromEntries(FIELDS.map((f) => [f, get(f).slice(0, READ_LIMIT[f])])) as UserEditForm;
  const was = editFormOf(user);
  const edit: UserEdit = {};
  const orNull = (v: string) => v.trim() || null;
  if (form.displayName.trim() !== was.displayName) edit.displayName = form.displayName;
  if (form.givenName.trim() !== was.givenName) edit.givenName = orNull(form.givenName);
  if (form.surname.trim() !== was.surname) edit.surname = orNull(form.surname);
  if (form.mail.trim() !== was.mail) edit.mail = orNull(form.mail);
  if (lines(form.otherMails).join('\n') !== was.otherMails) edit.otherMails = lines(form.otherMails);
  if (user.userType === 'Member' && form.userPrincipalName.trim() !== was.userPrincipalName)
    edit.userPrincipalName = form.userPrincipalName.trim();
  const errors: FieldErrors = {};
  const parsed = userPatch.safeParse(edit);
  if (!parsed.success) Object.assign(errors, schemaErrors(lang, parsed.error.issues));
  const mail = edit.mail && addressError(lang, edit.mail);
  if (mail) errors.mail ??= mail;
  const other = edit.otherMails?.map((m) => addressError(lang, m)).find(Boolean);
  if (other) errors.otherMails ??= other;
  const upn = edit.userPrincipalName !== undefined && addressError(lang, edit.userPrincipalName);
  if (upn) errors.userPrincipalName ??= upn;
  return { form, edit: parsed.success ? parsed.data : edit, errors };
}

export function EditUserPage({
  user,
  form,
  errors = {},
  ...shell
}: AdminShell & {
  user: User;
  form: UserEditForm;
  errors?: FieldErrors;
}) {
  const { lang, tenant, csrf } = shell;
  const base = `/admin/${tenant.id}/users/${user.id}`;
  const field = (f: Field, type: 'text' | 'email', hint?: keyof Messages) => (
    <FormField id={f} label={t(lang, LABEL[f])} hint={hint && t(lang, hint)} error={errors[f]}>
      {f === 'otherMails' ? (
        <textarea id={f} name={f} rows={3} {...fieldAria(f, errors, Boolean(hint))}>
          {form[f]}
        </textarea>
      ) : (
        <input
          id={f}
          name={f}
          type={type}
          value={form[f]}
          required={f === 'displayName'}
          {...fieldAria(f, errors, Boolean(hint))}
        />
      )}
    </FormField>
  );
  return (
    <UsersLayout {...shell} title={t(lang, 'admin.user.editTitle', { name: user.displayName })}>
      <Alert text={errors['']} />
      <form method="post" action={`${base}/edit`} novalidate>
        <Csrf value={csrf} />
        {field('displayName', 'text')}
        {field('givenName', 'text')}
        {field('surname', 'text')}
        {field('mail', 'email')}
        {field('otherMails', 'text', 'admin.user.otherMailsHint')}
        {user.userType === 'Member' && field('userPrincipalName', 'text', 'admin.user.upnHint')}
        <Submit label={t(lang, 'admin.user.save')} back={{ href: base, label: t(lang, 'admin.user.cancel') }} />
      </form>
    </UsersLayout>
  );
}
