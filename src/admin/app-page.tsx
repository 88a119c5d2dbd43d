// The admin center's page of one app: how to configure it (ids, issuer, discovery), its settings, who is assigned
// to it, the permissions it asks for and the tenant-wide admin consent, and the way to delete it.
import type { GrantedPermission } from '../apps/api-exposure.ts';
import type { App } from '../apps/apps.ts';
import type { Assignment } from '../apps/assignments.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Choice, Submit } from '../pages/fields.tsx';
import { Properties, Table } from '../pages/table.tsx';
import { SIGN_IN_METHODS, type Amr } from '../sessions/amr.ts';
import {
  AppsLayout,
  Endpoints,
  FieldError,
  RequiredLine,
  SettingsFields,
  signsIn,
  type AppForm,
  type Errors,
  type PageBase,
} from './app-pages.tsx';
import { can } from './roles.ts';

const METHOD_LABEL: Record<Amr, 'admin.apps.method.pwd' | 'admin.apps.method.otp' | 'admin.apps.method.fed'> = {
  pwd: 'admin.apps.method.pwd',
  otp: 'admin.apps.method.otp',
  fed: 'admin.apps.method.fed',
};

export interface AppPageProps extends PageBase {
  app: App;
  issuer: string;
  assignments: Assignment[];
  /** what admin consent granted it on other apps' APIs */
  resourceGrants: GrantedPermission[];
  form: AppForm;
  errors: Errors;
  /** what was typed into the add-a-user and add-a-group fields, kept when refused */
  typed: { user: string; group: string };
  notice?: string;
}

const day = (iso: string | null) => iso?.slice(0, 16).replace('T', ' ') ?? '';
const principalName = (x: Assignment) => x.principalDisplayName ?? x.principalId;

export function AppPage(p: AppPageProps) {
  const { lang, tenant, admin, csrf, app, issuer, assignments, form, errors, typed, notice } = p;
  const base = `/admin/${tenant.id}/apps/${app.id}`;
  const edit = can(admin.roles, 'apps');
  const button = (path: string, label: string, danger = false, hidden?: [string, string]) => (
    <form method="post" action={`${base}/${path}`} class="inline-form">
      <Csrf value={csrf} />
      {hidden && <input type="hidden" name={hidden[0]} value={hidden[1]} />}
      <button type="submit" class={danger ? 'secondary danger' : 'secondary'}>
        {label}
      </button>
    </form>
  );
  /** The form that assigns the app to a user or a group, typed by name or address. */
  const assignForm = (kind: 'user' | 'group', label: string, submit: string) => (
    <form method="post" action={`${base}/assign-${kind}`}>
      <Csrf value={csrf} />
      <RequiredLine id={kind} label={label} value={typed[kind]} errors={errors} />
      <Submit label={submit} class="secondary" />
    </form>
  );
  const deleteLink = edit && !app.isManagement && (
    <p>
      <a href={`${base}/delete`}>{t(lang, 'admin.apps.delete')}</a>
    </p>
  );
  if (!signsIn(app)) {
    return (
      <AppsLayout {...p} title={app.displayName}>
        {notice && <p role="status">{notice}</p>}
        <FieldError errors={errors} field="form" />
        <Endpoints lang={lang} app={app} issuer={issuer} />
        <p class="muted">{t(lang, 'admin.apps.readOnly')}</p>
        <h2>{t(lang, 'admin.apps.appPermissions')}</h2>
        <p>{app.appPermissions.join(', ') || t(lang, 'admin.user.none')}</p>
        {deleteLink}
      </AppsLayout>
    );
  }
  const yes = (v: boolean) => t(lang, v ? 'admin.user.yes' : 'admin.user.no');
  return (
    <AppsLayout {...p} title={app.displayName}>
      {notice && <p role="status">{notice}</p>}
      <FieldError errors={errors} field="form" />
      <Endpoints lang={lang} app={app} issuer={issuer} />

      <h2 id="settings">{t(lang, 'admin.apps.settings')}</h2>
      {edit ? (
        <form method="post" action={base}>
          <Csrf value={csrf} />
          <SettingsFields lang={lang} form={form} errors={errors} />
          <Submit label={t(lang, 'admin.apps.save')} />
        </form>
      ) : (
        <Properties
          rows={[
            [
              t(lang, 'admin.apps.field.redirectUris'),
              app.redirectUris.map((u) => (
                <div>
                  <code>{u}</code>
                </div>
              )),
            ],
            [t(lang, 'admin.apps.col.assignment'), yes(app.assignmentRequired)],
          ]}
        />
      )}

      <h2 id="assignments">{t(lang, 'admin.apps.assignments')}</h2>
      <p class="muted">{t(lang, app.assignmentRequired ? 'admin.apps.assignmentOn' : 'admin.apps.assignmentOff')}</p>
      <Table
        rows={assignments}
        empty={t(lang, 'admin.apps.noAssignments')}
        columns={[
          { label: t(lang, 'admin.apps.col.name'), cell: principalName },
          {
            label: t(lang, 'admin.col.type'),
            cell: (x) => t(lang, x.principalType === 'User' ? 'admin.apps.type.user' : 'admin.apps.type.group'),
          },
          { label: t(lang, 'admin.apps.col.assigned'), cell: (x) => day(x.createdDateTime) },
          edit && {
            label: <span class="muted">{t(lang, 'admin.apps.col.actions')}</span>,
            cell: (x) =>
              button('unassign', t(lang, 'admin.apps.unassignOf', { name: principalName(x) }), true, [
                'principalId',
                x.principalId,
              ]),
          },
        ]}
      />
      {edit && (
        <>
          {assignForm('user', t(lang, 'admin.apps.addUser'), t(lang, 'admin.apps.assignUser'))}
          {assignForm('group', t(lang, 'admin.apps.addGroup'), t(lang, 'admin.apps.assignGroup'))}
        </>
      )}

      <h2 id="methods">{t(lang, 'admin.apps.methods')}</h2>
      <p class="muted">{t(lang, 'admin.apps.methodsNote')}</p>
      {edit ? (
        <form method="post" action={`${base}/sign-in-methods`}>
          <Csrf value={csrf} />
          <fieldset aria-describedby={errors.methods ? 'methods-error' : undefined}>
            <legend>{t(lang, 'admin.apps.methodsAccepted')}</legend>
            {SIGN_IN_METHODS.map((m) => (
              <Choice id={`method-${m}`} checked={!app.requiredSignInMethods || app.requiredSignInMethods.includes(m)}>
                {t(lang, METHOD_LABEL[m])}
              </Choice>
            ))}
          </fieldset>
          <FieldError errors={errors} field="methods" />
          <Submit label={t(lang, 'admin.apps.methodsSave')} class="secondary" />
        </form>
      ) : (
        <p>
          {app.requiredSignInMethods
            ? app.requiredSignInMethods.map((m) => t(lang, METHOD_LABEL[m])).join(', ')
            : t(lang, 'admin.apps.methodsAny')}
        </p>
      )}

      <ExposedApi app={app} lang={lang} />

      <h2 id="consent">{t(lang, 'admin.apps.permissions')}</h2>
      {app.requiredResourceAccess.length > 0 && (
        <>
          <h3>{t(lang, 'admin.apps.api.granted')}</h3>
          {p.resourceGrants.length === 0 ? (
            <p>{t(lang, 'admin.apps.api.noneGranted')}</p>
          ) : (
            <ul>
              {p.resourceGrants.map((g) => (
                <li>
                  {g.resourceDisplayName}: <code>{g.value}</code> (
                  {t(lang, g.kind === 'Role' ? 'admin.apps.api.application' : 'admin.apps.api.delegated')})
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {app.delegatedPermissions.length === 0 && app.requiredResourceAccess.length === 0 ? (
        <p>{t(lang, 'admin.apps.noPermissions')}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{t(lang, 'admin.apps.col.permission')}</th>
                <th scope="col">{t(lang, 'admin.apps.col.adminOnly')}</th>
              </tr>
            </thead>
            <tbody>
              {app.delegatedPermissions.map((perm) => (
                <tr>
                  <td>
                    <code>{perm}</code>
                  </td>
                  <td>{yes(app.adminConsentRequired.includes(perm))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {app.adminConsentGranted
              ? t(lang, 'admin.apps.consentGrantedOn', { time: day(app.adminConsentGrantedDateTime) })
              : t(lang, app.adminConsentRequired.length ? 'admin.apps.consentMissing' : 'admin.apps.consentNotGranted')}
          </p>
          {edit && (
            <div class="actions">
              {app.adminConsentGranted
                ? button('consent/revoke', t(lang, 'admin.apps.revokeConsent'), true)
                : button('consent/grant', t(lang, 'admin.apps.grantConsent'))}
            </div>
          )}
        </>
      )}
      {deleteLink}
    </AppsLayout>
  );
}

const enabled = (lang: Lang, on: boolean) => t(lang, on ? 'admin.apps.api.yes' : 'admin.apps.api.no');

/** The API the app exposes, read-only: its identifier URIs, delegated scopes and app roles (set through the API). */
function ExposedApi({ app, lang }: { app: App; lang: Lang }) {
  const scopes = app.oauth2PermissionScopes;
  if (!app.identifierUris.length && !scopes.length && !app.appRoles.length) return null;
  return (
    <>
      <h2 id="api">{t(lang, 'admin.apps.api.title')}</h2>
      <p>
        {t(lang, 'admin.apps.api.uris')}{' '}
        {app.identifierUris.map((u, i) => (
          <>
            {i > 0 && ', '}
            <code>{u}</code>
          </>
        ))}
      </p>
      <Table
        rows={scopes}
        columns={[
          {
            label: t(lang, 'admin.apps.api.scope'),
            cell: (s) => (
              <>
                <code>{s.value}</code> {s.adminConsentDisplayName}
              </>
            ),
          },
          {
            label: t(lang, 'admin.apps.api.whoConsents'),
            cell: (s) => t(lang, s.type === 'Admin' ? 'admin.apps.api.adminsOnly' : 'admin.apps.api.users'),
          },
          { label: t(lang, 'admin.apps.api.enabled'), cell: (s) => enabled(lang, s.isEnabled) },
        ]}
      />
      <Table
        rows={app.appRoles}
        columns={[
          {
            label: t(lang, 'admin.apps.api.role'),
            cell: (r) => (
              <>
                <code>{r.value}</code> {r.displayName}
              </>
            ),
          },
          { label: t(lang, 'admin.apps.api.memberTypes'), cell: (r) => r.allowedMemberTypes.join(', ') },
          { label: t(lang, 'admin.apps.api.enabled'), cell: (r) => enabled(lang, r.isEnabled) },
        ]}
      />
    </>
  );
}
