// The admin center's apps pages: the list, the registration form, the page shown once after registering (with the
// client secret), and the deletion confirmation. The app page itself is in app-page.tsx.
import type { Child } from 'hono/jsx';

import type { AppSearch } from '../apps/app-search.ts';
import type { App } from '../apps/apps.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Choice, Submit } from '../pages/fields.tsx';
import { Properties } from '../pages/table.tsx';
import { listProps } from './list-export.ts';
import { List, SearchField, When } from './list.tsx';
import { AdminShellLayout, type AdminShell } from './pages.tsx';
import { can } from './roles.ts';

/** What the registration and settings forms hold, as typed. */
export interface AppForm {
  displayName: string;
  redirectUris: string;
  confidential: boolean;
  assignmentRequired: boolean;
  userPermissions: string;
  adminPermissions: string;
}
export type FormField =
  'displayName' | 'redirectUris' | 'permissions' | 'user' | 'group' | 'methods' | 'confirm' | 'form';
export type Errors = Partial<Record<FormField, string>>;

export type PageBase = AdminShell;

/** aria wiring of a control to its error message, if it has one. */
export const invalidAttrs = (errors: Errors, field: FormField) =>
  ({
    'aria-invalid': errors[field] ? 'true' : undefined,
    'aria-describedby': errors[field] ? `${field}-error` : undefined,
  }) as const;

export const FieldError = ({ errors, field }: { errors: Errors; field: FormField }) =>
  errors[field] ? (
    <p id={`${field}-error`} class="error" role="alert">
      {errors[field]}
    </p>
  ) : null;

/** A required one-line field (`id` is its name) with its label and its error. */
export const RequiredLine = ({
  id,
  label,
  value,
  errors,
}: {
  id: 'displayName' | 'user' | 'group';
  label: string;
  value: string;
  errors: Errors;
}) => (
  <>
    <label for={id}>{label}</label>
    <input id={id} name={id} type="text" required value={value} {...invalidAttrs(errors, id)} />
    <FieldError errors={errors} field={id} />
  </>
);

/** Built-in and API-only apps are shown but not changed here: they don't sign people in through redirect URIs. */
export const signsIn = (app: App) => app.grantTypes.includes('authorization_code') && !app.isManagement;

export const kindKey = (app: App): keyof Messages =>
  app.isManagement
    ? 'admin.apps.kind.management'
    : !signsIn(app)
      ? 'admin.apps.kind.api'
      : app.confidential
        ? 'admin.apps.kind.web'
        : 'admin.apps.kind.public';

export const consentKey = (app: App): keyof Messages =>
  !app.delegatedPermissions.length
    ? 'admin.apps.consent.none'
    : app.adminConsentGranted
      ? 'admin.apps.consent.granted'
      : app.adminConsentRequired.length
        ? 'admin.apps.consent.needed'
        : 'admin.apps.consent.users';

const yesNo = (lang: Lang, value: boolean) => t(lang, value ? 'admin.user.yes' : 'admin.user.no');

export const AppsLayout = (p: PageBase & { title: string; children?: Child }) => (
  <AdminShellLayout {...p} section="apps" />
);

export function AppsListPage(
  p: PageBase & { search: AppSearch & { offset: number }; apps: App[]; total: number; deleted: boolean },
) {
  const { lang, tenant, admin, apps, search, total, deleted } = p;
  const base = `/admin/${tenant.id}/apps`;
  return (
    <AppsLayout {...p} title={t(lang, 'admin.apps')}>
      {deleted && <p role="status">{t(lang, 'admin.apps.deleted')}</p>}
      {can(admin.roles, 'apps') && (
        <p>
          <a href={`${base}/new`}>{t(lang, 'admin.apps.register')}</a>
        </p>
      )}
      <List
        {...listProps(lang, base, search, {}, total)}
        rows={apps}
        empty={t(lang, 'admin.apps.none')}
        search={{
          apply: t(lang, 'admin.users.apply'),
          fields: <SearchField label={t(lang, 'lists.apps.search')} value={search.q} />,
        }}
        columns={[
          {
            label: t(lang, 'admin.apps.col.name'),
            sort: 'name',
            cell: (a) => <a href={`${base}/${a.id}`}>{a.displayName}</a>,
          },
          { label: t(lang, 'admin.apps.col.clientId'), sort: 'clientId', cell: (a) => <code>{a.clientId}</code> },
          { label: t(lang, 'admin.apps.col.kind'), cell: (a) => t(lang, kindKey(a)) },
          { label: t(lang, 'admin.apps.col.audience'), cell: () => t(lang, 'admin.apps.audience') },
          {
            label: t(lang, 'admin.apps.col.assignment'),
            cell: (a) => (signsIn(a) ? yesNo(lang, a.assignmentRequired) : ''),
          },
          { label: t(lang, 'admin.apps.col.consent'), cell: (a) => t(lang, consentKey(a)) },
          { label: t(lang, 'admin.col.created'), sort: 'created', cell: (a) => <When iso={a.createdDateTime} /> },
        ]}
      />
    </AppsLayout>
  );
}

/** The settings both forms share: name, redirect URIs, assignment required and the delegated permissions. */
export function SettingsFields({ lang, form, errors }: { lang: Lang; form: AppForm; errors: Errors }) {
  return (
    <>
      <RequiredLine
        id="displayName"
        label={t(lang, 'admin.apps.field.name')}
        value={form.displayName}
        errors={errors}
      />
      <label for="redirectUris">{t(lang, 'admin.apps.field.redirectUris')}</label>
      <textarea id="redirectUris" name="redirectUris" rows={3} {...invalidAttrs(errors, 'redirectUris')}>
        {form.redirectUris}
      </textarea>
      <FieldError errors={errors} field="redirectUris" />
      <p class="muted">{t(lang, 'admin.apps.field.redirectUrisHint')}</p>
      <Choice id="assignmentRequired" checked={form.assignmentRequired}>
        {t(lang, 'admin.apps.field.assignmentRequired')}
      </Choice>
      <fieldset>
        <legend>{t(lang, 'admin.apps.field.permissions')}</legend>
        <p class="muted">{t(lang, 'admin.apps.field.permissionsHint')}</p>
        <label for="userPermissions">{t(lang, 'admin.apps.field.userPermissions')}</label>
        <textarea id="userPermissions" name="userPermissions" rows={2} {...invalidAttrs(errors, 'permissions')}>
          {form.userPermissions}
        </textarea>
        <label for="adminPermissions">{t(lang, 'admin.apps.field.adminPermissions')}</label>
        <textarea id="adminPermissions" name="adminPermissions" rows={2} {...invalidAttrs(errors, 'permissions')}>
          {form.adminPermissions}
        </textarea>
        <FieldError errors={errors} field="permissions" />
      </fieldset>
    </>
  );
}

export function RegisterPage(p: PageBase & { form: AppForm; errors: Errors }) {
  const { lang, tenant, csrf, form, errors } = p;
  return (
    <AppsLayout {...p} title={t(lang, 'admin.apps.register')}>
      <form method="post" action={`/admin/${tenant.id}/apps/new`}>
        <Csrf value={csrf} />
        <FieldError errors={errors} field="form" />
        <SettingsFields lang={lang} form={form} errors={errors} />
        <Choice id="confidential" checked={form.confidential}>
          {t(lang, 'admin.apps.field.confidential')}
        </Choice>
        <Submit label={t(lang, 'admin.apps.registerSubmit')} />
      </form>
    </AppsLayout>
  );
}

/** What an administrator configures their app with: its ids, the issuer and the discovery document. */
export function Endpoints({ lang, app, issuer }: { lang: Lang; app: App; issuer: string }) {
  return (
    <Properties
      rows={[
        [t(lang, 'admin.apps.col.clientId'), <code>{app.clientId}</code>],
        [t(lang, 'admin.apps.objectId'), <code>{app.id}</code>],
        [t(lang, 'admin.apps.col.kind'), t(lang, kindKey(app))],
        [t(lang, 'admin.apps.col.audience'), t(lang, 'admin.apps.audience')],
        [t(lang, 'admin.apps.issuer'), <code>{issuer}</code>],
        [t(lang, 'admin.apps.discovery'), <code>{`${issuer}/.well-known/openid-configuration`}</code>],
      ]}
    />
  );
}

export function CreatedPage(p: PageBase & { app: App; clientSecret: string | null; issuer: string }) {
  const { lang, tenant, app, clientSecret, issuer } = p;
  return (
    <AppsLayout {...p} title={t(lang, 'admin.apps.created', { name: app.displayName })}>
      <p role="status">{t(lang, 'admin.apps.createdNote')}</p>
      <Endpoints lang={lang} app={app} issuer={issuer} />
      {clientSecret && (
        <section aria-labelledby="secret" class="identity">
          <h2 id="secret">{t(lang, 'admin.apps.secret')}</h2>
          <p>
            <code id="client-secret">{clientSecret}</code>
          </p>
          <p role="alert">{t(lang, 'admin.apps.secretOnce')}</p>
        </section>
      )}
      <p>
        <a href={`/admin/${tenant.id}/apps/${app.id}`}>{t(lang, 'admin.apps.open', { name: app.displayName })}</a>
      </p>
    </AppsLayout>
  );
}

export function DeletePage(p: PageBase & { app: App; assignments: number; errors: Errors }) {
  const { lang, tenant, csrf, app, assignments, errors } = p;
  const base = `/admin/${tenant.id}/apps/${app.id}`;
  return (
    <AppsLayout {...p} title={t(lang, 'admin.apps.deleteTitle', { name: app.displayName })}>
      <p>{t(lang, 'admin.apps.deleteWarning', { name: app.displayName, count: String(assignments) })}</p>
      <form method="post" action={`${base}/delete`}>
        <Csrf value={csrf} />
        <Choice id="confirm" required attrs={invalidAttrs(errors, 'confirm')}>
          {t(lang, 'admin.apps.deleteConfirm', { name: app.displayName })}
        </Choice>
        <FieldError errors={errors} field="confirm" />
        <Submit
          label={t(lang, 'admin.apps.delete')}
          back={{ href: base, label: t(lang, 'admin.apps.cancel') }}
          class="danger"
        />
      </form>
    </AppsLayout>
  );
}
