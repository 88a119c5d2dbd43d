// The admin center's contacts pages: the list with search and paging, the new-contact form, and a contact's page
// (its fields as a form, delete, and the guests its addresses conflict with). The form's reading is shared with
// the contact-conflict guide, which re-adds a deleted contact from the same fields.
import { addressError, isEmailAddress } from '../directory/address.ts';
import { proxyAddressMail, type Contact, type ContactInput } from '../directory/contacts.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Alert } from '../pages/fields.tsx';
import { Properties } from '../pages/table.tsx';
import { FormField } from './form-field.tsx';
import { DeleteRow, NewItemPage, SaveForm } from './item-pages.tsx';
import { When, type Column } from './list.tsx';
import { AdminLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

export const CONTACT_FIELDS = ['displayName', 'mail', 'proxyAddresses', 'companyName', 'givenName', 'surname'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
/** The form as typed: `proxyAddresses` is the addresses separated by spaces, commas or lines. */
export type ContactForm = Record<ContactField, string>;
export type ContactErrors = Partial<Record<ContactField, string>>;

const LIMIT: Record<ContactField, number> = {
  displayName: 256,
  mail: 254,
  proxyAddresses: 50 * 261,
  companyName: 256,
  givenName: 64,
  surname: 64,
};

export const contactFormOf = (c: Contact): ContactForm => ({
  displayName: c.displayName,
  mail: c.mail ?? '',
  proxyAddresses: c.proxyAddresses.join(' '),
  companyName: c.companyName ?? '',
  givenName: c.givenName ?? '',
  surname: c.surname ?? '',
});

/** The contact the form describes (an empty field has no value), or the errors of the fields that don't fit. */
export function readContactForm(
  lang: Lang,
  get: (name: string) => unknown,
): { form: ContactForm; input?: ContactInput; errors: ContactErrors } {
  const text = (f: ContactField) => {
    const v = get(f);
    return typeof v === 'string' ? v.trim().slice(0, LIMIT[f] + 1) : '';
  };
  const form = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, text(f)])) as ContactForm;
  const errors: ContactErrors = {};
  for (const f of CONTACT_FIELDS)
    if (form[f].length > LIMIT[f]) errors[f] = t(lang, 'admin.contacts.tooLong', { max: String(LIMIT[f]) });
  if (!form.displayName) errors.displayName = t(lang, 'admin.contacts.nameRequired');
  const mailError = form.mail ? addressError(lang, form.mail) : undefined;
  if (mailError) errors.mail = mailError;
  const proxies = form.proxyAddresses.split(/[\s,;]+/).filter(Boolean);
  const bad = proxies.find((p) => p.length > 260 || !isEmailAddress(proxyAddressMail(p)));
  if (bad !== undefined) errors.proxyAddresses = t(lang, 'admin.contacts.proxyInvalid', { value: bad });
  else if (proxies.length > 50) errors.proxyAddresses = t(lang, 'admin.contacts.proxyMany');
  if (Object.keys(errors).length) return { form, errors };
  const orNull = (v: string) => v || null;
  return {
    form,
    errors,
    input: {
      displayName: form.displayName,
      mail: orNull(form.mail),
      proxyAddresses: proxies,
      companyName: orNull(form.companyName),
      givenName: orNull(form.givenName),
      surname: orNull(form.surname),
    },
  };
}

const LABEL: Record<Exclude<ContactField, 'givenName' | 'surname'>, keyof Messages> = {
  displayName: 'admin.contacts.name',
  mail: 'admin.contacts.mail',
  proxyAddresses: 'admin.contacts.proxies',
  companyName: 'admin.contacts.company',
};

/** The labelled fields with their errors; given name and surname travel hidden (the form doesn't edit them). */
function ContactFields({ lang, form, errors }: { lang: Lang; form: ContactForm; errors: ContactErrors }) {
  const field = (id: keyof typeof LABEL, type: 'text' | 'email', hint?: keyof Messages) => {
    const described = [errors[id] && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
    // error before hint in aria-describedby, as this form always said (form-field.tsx's fieldAria says hint first)
    return (
      <FormField id={id} label={t(lang, LABEL[id])} hint={hint && t(lang, hint)} error={errors[id]}>
        <input
          id={id}
          name={id}
          type={type}
          value={form[id]}
          required={id === 'displayName'}
          aria-invalid={errors[id] ? 'true' : undefined}
          aria-describedby={described}
        />
      </FormField>
    );
  };
  return (
    <>
      {field('displayName', 'text')}
      {field('mail', 'email')}
      {field('proxyAddresses', 'text', 'admin.contacts.proxiesHint')}
      {field('companyName', 'text')}
      <input type="hidden" name="givenName" value={form.givenName} />
      <input type="hidden" name="surname" value={form.surname} />
    </>
  );
}

/** The columns of the contacts list (search-list-page.tsx); `base` is its address. */
export const contactColumns = (lang: Lang, base: string): Column<Contact>[] => [
  {
    label: t(lang, 'admin.contacts.name'),
    sort: 'name',
    cell: (c) => <a href={`${base}/${c.id}`}>{c.displayName}</a>,
  },
  { label: t(lang, 'admin.contacts.mail'), sort: 'mail', cell: (c) => c.mail ?? '' },
  { label: t(lang, 'admin.contacts.company'), sort: 'company', cell: (c) => c.companyName ?? '' },
  { label: t(lang, 'admin.col.created'), sort: 'created', cell: (c) => <When iso={c.createdDateTime} /> },
];

export function NewContactPage({
  form,
  errors,
  error,
  ...shell
}: Shell & { form: ContactForm; errors: ContactErrors; error?: string }) {
  const { lang, tenant } = shell;
  return (
    <NewItemPage
      {...shell}
      section="contacts"
      title={t(lang, 'admin.contacts.new')}
      list={`/admin/${tenant.id}/contacts`}
      cancel={t(lang, 'admin.contacts.cancel')}
      create={t(lang, 'admin.contacts.create')}
      error={error}
    >
      <ContactFields lang={lang} form={form} errors={errors} />
    </NewItemPage>
  );
}

export type ContactDone = 'created' | 'saved';

export function ContactPage({
  lang,
  tenant,
  user,
  csrf,
  contact,
  form,
  errors,
  error,
  conflicts,
  done,
}: Shell & {
  contact: Contact;
  form: ContactForm;
  errors: ContactErrors;
  error?: string;
  conflicts: User[];
  done?: ContactDone;
}) {
  const base = `/admin/${tenant.id}/contacts/${contact.id}`;
  const manage = can(user.roles, 'manageUsers');
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="contacts" title={contact.displayName}>
      {done && <p role="status">{t(lang, done === 'created' ? 'admin.contacts.created' : 'admin.contacts.saved')}</p>}
      {conflicts.length > 0 && (
        <section aria-labelledby="conflicts" class="identity">
          <h2 id="conflicts">{t(lang, 'admin.contacts.conflictTitle')}</h2>
          <ul>
            {conflicts.map((g) => (
              <li>
                {t(lang, 'admin.contacts.conflict', { guest: g.displayName, address: g.invitedEmail ?? '' })}{' '}
                <a href={`/admin/${tenant.id}/users/${g.id}`}>
                  {t(lang, 'admin.contacts.conflictOpen', { guest: g.displayName })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Alert text={error} />
      {manage ? (
        <SaveForm csrf={csrf} action={base} save={t(lang, 'admin.contacts.save')}>
          <ContactFields lang={lang} form={form} errors={errors} />
        </SaveForm>
      ) : (
        <Properties rows={(Object.keys(LABEL) as (keyof typeof LABEL)[]).map((f) => [t(lang, LABEL[f]), form[f]])} />
      )}
      {manage && <DeleteRow action={`${base}/delete`} label={t(lang, 'admin.contacts.delete')} />}
    </AdminLayout>
  );
}
