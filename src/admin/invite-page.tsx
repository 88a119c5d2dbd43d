// The admin center's invite form, as Entra's "Invite external user": the address and name, the user type, a CC
// recipient, the message and its language, where the guest lands after accepting, sponsors, and the groups and apps
// the new user gets (the portal's own; Graph's invitation has no such fields). Every refusal shows beside its field.
import { addressError } from '../directory/address.ts';
import { t, type Lang } from '../i18n/index.ts';
import { MAX_GRANTS } from '../invitations/invite.ts';
import { MAX_SPONSORS } from '../invitations/sponsors.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Submit } from '../pages/fields.tsx';
import { fieldAria, FormField, TextField, type FieldErrors } from './form-field.tsx';
import { UsersLayout, type AdminShell } from './pages.tsx';

export interface InviteForm {
  email: string;
  displayName: string;
  userType: 'Guest' | 'Member';
  cc: string;
  message: string;
  language: string;
  redirect: string;
  /** addresses or user names, separated by commas, spaces or lines */
  sponsors: string;
  groups: string[];
  apps: string[];
  send: boolean;
}

export interface Choice {
  id: string;
  name: string;
}

/** The form's domain names for its fields: refusals name the API's (admin/form-field.tsx refusalErrors). */
export const INVITE_FIELDS: Record<string, string> = {
  invitedUserEmailAddress: 'email',
  ccRecipients: 'cc',
  invitedUserDisplayName: 'displayName',
  inviteRedirectUrl: 'redirect',
  sponsor: 'sponsors',
  group: 'groups',
};

/** The form as typed, and the errors the page finds before the domain is asked (addresses, sizes). */
export function readInviteForm(
  lang: Lang,
  get: (name: string) => string,
  getAll: (name: string) => string[],
): { form: InviteForm; errors: FieldErrors } {
  const form: InviteForm = {
    email: get('email').trim(),
    displayName: get('displayName').trim(),
    userType: get('userType') === 'Member' ? 'Member' : 'Guest',
    cc: get('cc').trim(),
    message: get('message'),
    language: get('language') === 'de-DE' ? 'de-DE' : 'en-US',
    redirect: get('redirect').trim(),
    sponsors: get('sponsors').trim(),
    groups: getAll('groups').slice(0, MAX_GRANTS + 1),
    apps: getAll('apps').slice(0, MAX_GRANTS + 1),
    send: get('send') === '1',
  };
  const errors: FieldErrors = {};
  const email = addressError(lang, form.email);
  if (email) errors.email = email;
  const cc = form.cc && addressError(lang, form.cc);
  if (cc) errors.cc = cc;
  if (form.displayName.length > 256) errors.displayName = t(lang, 'admin.form.tooLong', { max: '256' });
  if (form.message.length > 10_000) errors.message = t(lang, 'admin.form.tooLong', { max: '10000' });
  if (sponsorRefs(form).length > MAX_SPONSORS)
    errors.sponsors = t(lang, 'admin.form.tooMany', { max: String(MAX_SPONSORS) });
  if (form.groups.length > MAX_GRANTS) errors.groups = t(lang, 'admin.form.tooMany', { max: String(MAX_GRANTS) });
  if (form.apps.length > MAX_GRANTS) errors.apps = t(lang, 'admin.form.tooMany', { max: String(MAX_GRANTS) });
  return { form, errors };
}

export const sponsorRefs = (form: Pick<InviteForm, 'sponsors'>): string[] =>
  form.sponsors
    .split(/[\s,;]+/)
    .filter(Boolean)
    .slice(0, MAX_SPONSORS + 1);

export function InvitePage({
  form,
  errors = {},
  groups,
  apps,
  ...shell
}: AdminShell & {
  form: InviteForm;
  errors?: FieldErrors;
  groups: Choice[];
  apps: Choice[];
}) {
  const { lang, tenant, csrf } = shell;
  const choices = (id: 'groups' | 'apps', label: string, items: Choice[]) =>
    items.length > 0 && (
      <FormField id={id} label={label} hint={t(lang, 'admin.inviteForm.pickHint')} error={errors[id]}>
        <select id={id} name={id} multiple size={Math.min(items.length, 5)} {...fieldAria(id, errors, true)}>
          {items.map((x) => (
            <option value={x.id} selected={form[id].includes(x.id)}>
              {x.name}
            </option>
          ))}
        </select>
      </FormField>
    );
  return (
    <UsersLayout {...shell} title={t(lang, 'admin.invite')}>
      <Alert id="invite-error" text={errors['']} />
      <form method="post" action={`/admin/${tenant.id}/users/invite`} novalidate>
        <Csrf value={csrf} />
        <TextField
          id="email"
          label={t(lang, 'admin.invite.email')}
          errors={errors}
          type="email"
          required
          autofocus
          value={form.email}
        />
        <TextField id="displayName" label={t(lang, 'admin.invite.name')} errors={errors} value={form.displayName} />
        <fieldset>
          <legend>{t(lang, 'admin.inviteForm.type')}</legend>
          {(['Guest', 'Member'] as const).map((type) => (
            <p>
              <input
                id={`userType-${type}`}
                name="userType"
                type="radio"
                value={type}
                checked={form.userType === type}
              />{' '}
              <label for={`userType-${type}`} class="inline">
                {t(lang, type === 'Guest' ? 'admin.users.guest' : 'admin.users.member')}
              </label>
            </p>
          ))}
          <Alert text={errors.userType} />
        </fieldset>
        <TextField id="cc" label={t(lang, 'admin.inviteForm.cc')} errors={errors} type="email" value={form.cc} />
        <FormField id="message" label={t(lang, 'admin.invite.message')} error={errors.message}>
          <textarea id="message" name="message" rows={4} {...fieldAria('message', errors)}>
            {form.message}
          </textarea>
        </FormField>
        <label for="language">{t(lang, 'admin.invite.language')}</label>
        <select id="language" name="language">
          <option value="en-US" selected={form.language === 'en-US'}>
            English (United States)
          </option>
          <option value="de-DE" selected={form.language === 'de-DE'}>
            Deutsch (Deutschland)
          </option>
        </select>
        <TextField
          id="redirect"
          label={t(lang, 'admin.invite.redirect')}
          hint={t(lang, 'admin.inviteForm.redirectHint')}
          errors={errors}
          value={form.redirect}
        />
        <TextField
          id="sponsors"
          label={t(lang, 'admin.inviteForm.sponsors')}
          hint={t(lang, 'admin.inviteForm.sponsorsHint', { max: String(MAX_SPONSORS) })}
          errors={errors}
          value={form.sponsors}
        />
        {choices('groups', t(lang, 'admin.inviteForm.groups'), groups)}
        {choices('apps', t(lang, 'admin.inviteForm.apps'), apps)}
        <p>
          <input id="send" name="send" type="checkbox" value="1" checked={form.send} />{' '}
          <label for="send" class="inline">
            {t(lang, 'admin.invite.send')}
          </label>
        </p>
        <Submit label={t(lang, 'admin.invite.submit')} />
      </form>
    </UsersLayout>
  );
}
