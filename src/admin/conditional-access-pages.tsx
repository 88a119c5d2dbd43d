// The admin center's Conditional Access pages: the policies (with the "require MFA for administrators" template
// offered while there are none) and the authentication methods policy on one page, a policy's form (new and edit),
// and the confirmation before deleting one. Forms post without JavaScript and carry Csrf.
import { METHOD_TYPES } from '../conditional-access/methods-policy.ts';
import { GUEST_TYPES, POLICY_STATES, type Policy, type PolicyState } from '../conditional-access/policies.ts';
import { ROLE_DEFINITIONS } from '../directory/role-definitions.ts';
import type { Tenant } from '../directory/tenants.ts';
import { t } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Choice, Submit } from '../pages/fields.tsx';
import { Table } from '../pages/table.tsx';
import { PageLayout, type Shell } from './pages.tsx';

type Page = Shell & { edit: boolean };

const base = (tenant: Tenant) => `/admin/${tenant.id}/conditional-access`;

const Notice = ({ notice, error }: { notice?: string; error?: string }) => (
  <>
    {notice && <p role="status">{notice}</p>}
    <Alert text={error} />
  </>
);

export function ConditionalAccessPage(
  p: Page & { policies: Policy[]; notice?: string; error?: string; methodsError?: string },
) {
  const { lang, tenant, csrf, edit, policies } = p;
  const methods = tenant.settings.authenticationMethods;
  return (
    <PageLayout page={p} section="conditionalAccess" title={t(lang, 'admin.conditionalAccess')}>
      <p>{t(lang, 'admin.ca.intro')}</p>
      {!edit && <p class="muted">{t(lang, 'admin.ca.readOnly')}</p>}
      <Notice notice={p.notice} error={p.error} />
      <h2>{t(lang, 'admin.ca.policies')}</h2>
      {policies.length === 0 && <p>{t(lang, 'admin.ca.none')}</p>}
      {policies.length === 0 && edit && (
        <section id="template">
          <h3>{t(lang, 'admin.ca.template.title')}</h3>
          <p>{t(lang, 'admin.ca.template')}</p>
          <form method="post" action={`${base(tenant)}/template`}>
            <Csrf value={csrf} />
            <button type="submit">{t(lang, 'admin.ca.template.create')}</button>
          </form>
        </section>
      )}
      <Table
        rows={policies}
        columns={[
          { label: t(lang, 'admin.ca.col.name'), cell: (x) => <a href={`${base(tenant)}/${x.id}`}>{x.displayName}</a> },
          { label: t(lang, 'admin.ca.col.state'), cell: (x) => t(lang, `admin.ca.state.${x.state}`) },
          {
            label: t(lang, 'admin.ca.col.grant'),
            cell: (x) => x.grantControls.builtInControls.map((g) => t(lang, `admin.ca.grant.${g}`)).join(', '),
          },
          {
            label: t(lang, 'admin.ca.col.modified'),
            cell: (x) => (x.modifiedDateTime ?? x.createdDateTime).slice(0, 16).replace('T', ' '),
          },
        ]}
      />
      {edit && (
        <p>
          <a href={`${base(tenant)}/new`}>{t(lang, 'admin.ca.new')}</a>
        </p>
      )}
      <h2 id="methods">{t(lang, 'admin.ca.methods')}</h2>
      <p>{t(lang, 'admin.ca.methods.intro')}</p>
      <Notice error={p.methodsError} />
      <form method="post" action={`${base(tenant)}/methods`}>
        <Csrf value={csrf} />
        {METHOD_TYPES.map((m) => (
          <fieldset disabled={!edit}>
            <legend>{t(lang, `admin.ca.method.${m}`)}</legend>
            <Choice id={`enabled-${m}`} name={`enabled.${m}`} value="on" checked={methods[m].state === 'enabled'}>
              {t(lang, 'admin.ca.method.enabled')}
            </Choice>
            <label for={`targets-${m}`}>{t(lang, 'admin.ca.method.targets')}</label>
            <textarea id={`targets-${m}`} name={`targets.${m}`} rows={2}>
              {methods[m].includeTargets.join('\n')}
            </textarea>
          </fieldset>
        ))}
        {edit && <Submit label={t(lang, 'admin.ca.save')} />}
      </form>
    </PageLayout>
  );
}

/** What the policy form shows: a policy's values, or what was posted (shown again beside its refusal). */
export interface PolicyForm {
  displayName: string;
  state: PolicyState;
  allUsers: boolean;
  includeGuestTypes: string[];
  excludeGuestTypes: string[];
  includeRoles: string[];
  excludeRoles: string[];
  includeUsers: string;
  excludeUsers: string;
  includeGroups: string;
  excludeGroups: string;
  apps: 'All' | 'MicrosoftAdminPortals' | 'selected';
  includeApps: string;
  excludeApps: string;
  grant: 'mfa' | 'block';
}

const lines = (list: readonly string[]) => list.join('\n');

export function formOfPolicy(p: Policy | undefined, names: Map<string, string> = new Map()): PolicyForm {
  const u = p?.conditions.users;
  const a = p?.conditions.applications;
  const apps = a?.includeApplications ?? ['All'];
  const ids = (list: readonly string[]) => lines(list.map((id) => names.get(id) ?? id));
  return {
    displayName: p?.displayName ?? '',
    state: p?.state ?? 'enabledForReportingButNotEnforced',
    allUsers: u?.includeUsers.includes('All') ?? false,
    includeGuestTypes: u?.includeUsers.includes('GuestsOrExternalUsers')
      ? [...GUEST_TYPES]
      : (u?.includeGuestsOrExternalUsers?.guestOrExternalUserTypes.split(',') ?? []),
    excludeGuestTypes: u?.excludeUsers.includes('GuestsOrExternalUsers')
      ? [...GUEST_TYPES]
      : (u?.excludeGuestsOrExternalUsers?.guestOrExternalUserTypes.split(',') ?? []),
    includeRoles: u?.includeRoles ?? [],
    excludeRoles: u?.excludeRoles ?? [],
    includeUsers: ids(u?.includeUsers.filter((x) => !['All', 'None', 'GuestsOrExternalUsers'].includes(x)) ?? []),
    excludeUsers: ids(u?.excludeUsers.filter((x) => x !== 'GuestsOrExternalUsers') ?? []),
    includeGroups: lines(u?.includeGroups ?? []),
    excludeGroups: lines(u?.excludeGroups ?? []),
    apps: apps.length === 1 && (apps[0] === 'All' || apps[0] === 'MicrosoftAdminPortals') ? apps[0] : 'selected',
    includeApps: apps.length === 1 && (apps[0] === 'All' || apps[0] === 'MicrosoftAdminPortals') ? '' : lines(apps),
    excludeApps: lines(a?.excludeApplications ?? []),
    grant: p?.grantControls.builtInControls.includes('block') ? 'block' : 'mfa',
  };
}

export function PolicyPage(p: Page & { policy?: Policy; form: PolicyForm; error?: string }) {
  const { lang, tenant, csrf, edit, policy, form } = p;
  const action = policy ? `${base(tenant)}/${policy.id}` : `${base(tenant)}/new`;
  const check = (name: string, label: string, checked: boolean) => (
    <Choice id={name} value="on" checked={checked}>
      {label}
    </Choice>
  );
  const radio = (name: string, value: string, label: string, checked: boolean) => (
    <Choice id={`${name}-${value}`} name={name} type="radio" value={value} checked={checked}>
      {label}
    </Choice>
  );
  const area = (name: keyof PolicyForm, label: string) => (
    <>
      <label for={name}>{label}</label>
      <textarea id={name} name={name} rows={3}>
        {String(form[name])}
      </textarea>
    </>
  );
  const side = (which: 'include' | 'exclude') => (
    <fieldset disabled={!edit}>
      <legend>{t(lang, which === 'include' ? 'admin.ca.include' : 'admin.ca.exclude')}</legend>
      {which === 'include' && check('allUsers', t(lang, 'admin.ca.allUsers'), form.allUsers)}
      <p>{t(lang, 'admin.ca.guestTypes')}</p>
      {GUEST_TYPES.map((g) =>
        check(
          `${which}Guest.${g}`,
          t(lang, `admin.ca.guest.${g}`),
          (which === 'include' ? form.includeGuestTypes : form.excludeGuestTypes).includes(g),
        ),
      )}
      <p>{t(lang, 'admin.ca.roles')}</p>
      {ROLE_DEFINITIONS.map((r) =>
        check(
          `${which}Role.${r.id}`,
          r.displayName,
          (which === 'include' ? form.includeRoles : form.excludeRoles).includes(r.id),
        ),
      )}
      {area(which === 'include' ? 'includeUsers' : 'excludeUsers', t(lang, 'admin.ca.userIds'))}
      {area(which === 'include' ? 'includeGroups' : 'excludeGroups', t(lang, 'admin.ca.groupIds'))}
    </fieldset>
  );
  return (
    <PageLayout page={p} section="conditionalAccess" title={policy ? policy.displayName : t(lang, 'admin.ca.new')}>
      <Notice error={p.error} />
      <form method="post" action={action}>
        <Csrf value={csrf} />
        <fieldset disabled={!edit}>
          <label for="displayName">{t(lang, 'admin.ca.name')}</label>
          <input id="displayName" name="displayName" value={form.displayName} maxlength={256} required />
        </fieldset>
        <h2>{t(lang, 'admin.ca.users')}</h2>
        {side('include')}
        {side('exclude')}
        <h2>{t(lang, 'admin.ca.apps')}</h2>
        <fieldset disabled={!edit}>
          {(['All', 'MicrosoftAdminPortals', 'selected'] as const).map((v) =>
            radio('apps', v, t(lang, `admin.ca.apps.${v}`), form.apps === v),
          )}
          {area('includeApps', t(lang, 'admin.ca.appIds'))}
          {area('excludeApps', t(lang, 'admin.ca.excludeAppIds'))}
        </fieldset>
        <fieldset disabled={!edit}>
          <legend>{t(lang, 'admin.ca.grant')}</legend>
          {(['mfa', 'block'] as const).map((g) => radio('grant', g, t(lang, `admin.ca.grant.${g}`), form.grant === g))}
        </fieldset>
        <fieldset disabled={!edit}>
          <legend>{t(lang, 'admin.ca.state')}</legend>
          {POLICY_STATES.map((s) => radio('state', s, t(lang, `admin.ca.state.${s}`), form.state === s))}
        </fieldset>
        {edit && (
          <Submit label={t(lang, 'admin.ca.save')} back={{ href: base(tenant), label: t(lang, 'admin.ca.cancel') }} />
        )}
      </form>
      {edit && policy && (
        <p>
          <a href={`${base(tenant)}/${policy.id}/delete`}>{t(lang, 'admin.ca.delete')}</a>
        </p>
      )}
    </PageLayout>
  );
}

export function DeletePolicyPage(p: Page & { policy: Policy }) {
  const { lang, tenant, csrf, policy } = p;
  return (
    <PageLayout page={p} section="conditionalAccess" title={t(lang, 'admin.ca.delete')}>
      <p>{t(lang, 'admin.ca.delete.confirm', { name: policy.displayName })}</p>
      <form method="post" action={`${base(tenant)}/${policy.id}/delete`}>
        <Csrf value={csrf} />
        <Submit
          label={t(lang, 'admin.ca.delete')}
          back={{ href: `${base(tenant)}/${policy.id}`, label: t(lang, 'admin.ca.cancel') }}
          class="danger"
        />
      </form>
    </PageLayout>
  );
}
