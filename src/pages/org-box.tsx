// The box that finds an organization by its domain: a GET form whose one field is `domain` (the start page and /admin
// send it to /admin/organization), its hint and its error tied to it for screen readers. `LookupForm` is that form
// for any one field (My Apps finds an organization by a person's address with it). `unknownOrganization` is the page
// for an organization that is not here, with the way to find another.
import type { Context } from 'hono';

import { t, type Lang } from '../i18n/index.ts';
import { Alert, Submit } from './fields.tsx';
import { ErrorPage, Forward } from './layout.tsx';

/** A GET form of one required field (`name` is its id too), its hint and its error tied to it, and its button. */
export const LookupForm = ({
  action,
  name,
  label,
  hint,
  submit,
  value,
  error,
  type,
  autocomplete,
  inputmode,
}: {
  action: string;
  name: string;
  label: string;
  hint: string;
  submit: string;
  value?: string;
  error?: string;
  type: 'text' | 'email';
  autocomplete: string;
  inputmode?: 'url';
}) => (
  <form method="get" action={action}>
    <label for={name}>{label}</label>
    <p id={`${name}-hint`} class="muted">
      {hint}
    </p>
    <input
      id={name}
      name={name}
      type={type}
      autocomplete={autocomplete}
      inputmode={inputmode}
      required
      value={value ?? ''}
      aria-describedby={error ? `${name}-hint ${name}-error` : `${name}-hint`}
      aria-invalid={error ? 'true' : undefined}
    />
    <Alert id={`${name}-error`} text={error} />
    <Submit label={submit} />
  </form>
);

export const OrgBox = ({
  lang,
  action,
  domain,
  error,
  hint = t(lang, 'shell.org.hint'),
  submit = t(lang, 'shell.org.continue'),
}: {
  lang: Lang;
  action: string;
  domain?: string;
  error?: string;
  hint?: string;
  submit?: string;
}) => (
  <LookupForm
    action={action}
    name="domain"
    label={t(lang, 'shell.org.domain')}
    hint={hint}
    submit={submit}
    value={domain}
    error={error}
    type="text"
    autocomplete="off"
    inputmode="url"
  />
);

/** The 404 page for an organization that is not here: `title` is the app's name, `find` the page that finds another. */
export const unknownOrganization = (c: Pick<Context, 'html'>, lang: Lang, title: string, find: string) =>
  c.html(
    <ErrorPage
      lang={lang}
      title={title}
      message={t(lang, 'myapps.unknownTenant')}
      actions={<Forward links={[[find, t(lang, 'shell.forward.otherOrg')]]} />}
    />,
    404,
  );
