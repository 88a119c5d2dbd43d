// The cross-tenant access pages: the default settings with the list of organizations that have their own, one
// organization's settings (each rule inheriting the default or its own), and the confirmation before removing one.
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Choice } from '../pages/fields.tsx';
import { AdminLayout } from './pages.tsx';

export type Kind = 'users' | 'apps';
export const RULES = [
  { key: 'inbound-users', side: 'b2bCollaborationInbound', rule: 'usersAndGroups', kind: 'users' },
  { key: 'inbound-apps', side: 'b2bCollaborationInbound', rule: 'applications', kind: 'apps' },
  { key: 'outbound-users', side: 'b2bCollaborationOutbound', rule: 'usersAndGroups', kind: 'users' },
  { key: 'outbound-apps', side: 'b2bCollaborationOutbound', rule: 'applications', kind: 'apps' },
] as const;
export type RuleKey = (typeof RULES)[number]['key'];

export interface RuleForm {
  access: 'inherit' | 'allowed' | 'blocked';
  scope: 'all' | 'selected';
  ids: string;
}
export interface SettingsForm {
  rules: Record<RuleKey, RuleForm>;
  autoInbound: boolean;
  autoOutbound: boolean;
  /** mfa-policy: inboundTrust.isMfaAccepted */
  trustMfa: boolean;
}
export type Errors = Partial<Record<RuleKey | 'organization' | 'form', string>>;
export type Status = 'saved' | 'added' | 'removed' | 'reset' | undefined;

export interface PartnerRow {
  tenantId: string;
  name?: string;
  inbound: boolean;
  outbound: boolean;
  autoInbound: boolean;
  autoOutbound: boolean;
}
export interface Partner {
  tenantId: string;
  name?: string;
}

const orgName = (p: Partner) => p.name ?? p.tenantId;

/** One rule (users and groups, or applications, of one direction); `inherited` describes the default on a partner page. */
function RuleFields({
  lang,
  k,
  kind,
  form,
  error,
  inherited,
}: {
  lang: Lang;
  k: RuleKey;
  kind: Kind;
  form: RuleForm;
  error?: string;
  inherited?: string;
}) {
  const radio = (name: 'access' | 'scope', value: string, label: string, checked: boolean) => (
    <p>
      <input type="radio" id={`${k}-${name}-${value}`} name={`${k}-${name}`} value={value} checked={checked} />{' '}
      <label for={`${k}-${name}-${value}`} class="inline">
        {label}
      </label>
    </p>
  );
  const users = kind === 'users';
  return (
    <fieldset>
      <legend>{t(lang, users ? 'admin.xtap.usersAndGroups' : 'admin.xtap.applications')}</legend>
      <fieldset>
        <legend>{t(lang, 'admin.xtap.access')}</legend>
        {inherited !== undefined &&
          radio('access', 'inherit', t(lang, 'admin.xtap.inherit', { current: inherited }), form.access === 'inherit')}
        {radio('access', 'allowed', t(lang, 'admin.xtap.allow'), form.access === 'allowed')}
        {radio('access', 'blocked', t(lang, 'admin.xtap.block'), form.access === 'blocked')}
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'admin.xtap.appliesTo')}</legend>
        {radio('scope', 'all', t(lang, users ? 'admin.xtap.allUsers' : 'admin.xtap.allApps'), form.scope === 'all')}
        {radio(
          'scope',
          'selected',
          t(lang, users ? 'admin.xtap.selectedUsers' : 'admin.xtap.selectedApps'),
          form.scope === 'selected',
        )}
      </fieldset>
      <label for={`${k}-ids`}>{t(lang, users ? 'admin.xtap.userIds' : 'admin.xtap.appIds')}</label>
      <p id={`${k}-hint`} class="muted">
        {t(lang, `admin.xtap.hint.${k}`)}
      </p>
      <textarea
        id={`${k}-ids`}
        name={`${k}-ids`}
        rows={3}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${k}-hint ${k}-error` : `${k}-hint`}
      >
        {form.ids}
      </textarea>
      {error && (
        <p id={`${k}-error`} class="error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function Sides({
  lang,
  form,
  errors,
  inherited,
}: {
  lang: Lang;
  form: SettingsForm;
  errors: Errors;
  inherited?: Record<RuleKey, string>;
}) {
  const side = (dir: 'inbound' | 'outbound') => (
    <>
      <h3>{t(lang, dir === 'inbound' ? 'admin.xtap.inbound' : 'admin.xtap.outbound')}</h3>
      <p class="muted">{t(lang, dir === 'inbound' ? 'admin.xtap.inboundNote' : 'admin.xtap.outboundNote')}</p>
      {RULES.filter((r) => r.key.startsWith(dir)).map((r) => (
        <RuleFields
          lang={lang}
          k={r.key}
          kind={r.kind}
          form={form.rules[r.key]}
          error={errors[r.key]}
          inherited={inherited?.[r.key]}
        />
      ))}
    </>
  );
  return (
    <>
      {errors.form && (
        <p class="error" role="alert">
          {errors.form}
        </p>
      )}
      {side('inbound')}
      {side('outbound')}
    </>
  );
}

/** mfa-policy: Graph's inboundTrust.isMfaAccepted, on the default's and a partner's form. */
const TrustMfa = ({ lang, checked, org }: { lang: Lang; checked: boolean; org: string }) => (
  <>
    <h3>{t(lang, 'admin.ca.trust')}</h3>
    <p class="muted">{t(lang, 'admin.ca.trust.note')}</p>
    <Choice id="trustMfa" checked={checked}>
      {t(lang, 'admin.ca.trust.mfa', { org })}
    </Choice>
  </>
);

const STATUS: Record<NonNullable<Status>, keyof Messages> = {
  saved: 'admin.xtap.saved',
  added: 'admin.xtap.added',
  removed: 'admin.xtap.removed',
  reset: 'admin.xtap.resetDone',
};
const Notice = ({ lang, status }: { lang: Lang; status: Status }) =>
  status ? <p role="status">{t(lang, STATUS[status])}</p> : null;

export function CrossTenantPage({
  lang,
  tenant,
  user,
  csrf,
  form,
  serviceDefault,
  errors,
  status,
  partners,
  organization,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  form: SettingsForm;
  serviceDefault: boolean;
  errors: Errors;
  status: Status;
  partners: PartnerRow[];
  organization: string;
}) {
  const base = `/admin/${tenant.id}/cross-tenant`;
  const onOff = (v: boolean) => t(lang, v ? 'admin.xtap.on' : 'admin.xtap.off');
  const mode = (customised: boolean) => t(lang, customised ? 'admin.xtap.customised' : 'admin.xtap.inherited');
  return (
    <AdminLayout
      lang={lang}
      tenant={tenant}
      user={user}
      csrf={csrf}
      section="crossTenant"
      title={t(lang, 'admin.crossTenant')}
    >
      <Notice lang={lang} status={status} />
      <p>{t(lang, 'admin.xtap.intro')}</p>
      <h2>{t(lang, 'admin.xtap.partners')}</h2>
      {partners.length === 0 ? (
        <p>{t(lang, 'admin.xtap.noPartners')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(lang, 'admin.xtap.col.org')}</th>
              <th scope="col">{t(lang, 'admin.xtap.col.tenantId')}</th>
              <th scope="col">{t(lang, 'admin.xtap.col.inbound')}</th>
              <th scope="col">{t(lang, 'admin.xtap.col.outbound')}</th>
              <th scope="col">{t(lang, 'admin.xtap.col.auto')}</th>
            </tr>
          </thead>
          <tbody>
            {partners.map((p) => (
              <tr>
                <td>
                  <a href={`${base}/partners/${p.tenantId}`}>{p.name ?? t(lang, 'admin.xtap.unknownOrg')}</a>
                </td>
                <td>{p.tenantId}</td>
                <td>{mode(p.inbound)}</td>
                <td>{mode(p.outbound)}</td>
                <td>
                  {t(lang, 'admin.xtap.autoCell', { inbound: onOff(p.autoInbound), outbound: onOff(p.autoOutbound) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t(lang, 'admin.xtap.add')}</h3>
      <form method="post" action={`${base}/partners`}>
        <Csrf value={csrf} />
        <label for="organization">{t(lang, 'admin.xtap.organization')}</label>
        <input
          id="organization"
          name="organization"
          type="text"
          required
          value={organization}
          aria-invalid={errors.organization ? 'true' : undefined}
          aria-describedby={errors.organization ? 'organization-error' : undefined}
        />
        {errors.organization && (
          <p id="organization-error" class="error" role="alert">
            {errors.organization}
          </p>
        )}
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'admin.xtap.addSubmit')}</button>
        </div>
      </form>
      <h2>{t(lang, 'admin.xtap.default')}</h2>
      {serviceDefault && <p class="muted">{t(lang, 'admin.xtap.serviceDefault')}</p>}
      <form method="post" action={base}>
        <Csrf value={csrf} />
        <Sides lang={lang} form={form} errors={errors} />
        <h3>{t(lang, 'admin.xtap.auto')}</h3>
        <p>{t(lang, 'admin.xtap.autoDefault')}</p>
        <TrustMfa lang={lang} checked={form.trustMfa} org={t(lang, 'admin.ca.trust.anyOrg')} />
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'admin.xtap.save')}</button>
        </div>
      </form>
      {!serviceDefault && (
        <form method="post" action={`${base}/reset`}>
          <Csrf value={csrf} />
          <div class="actions">
            <span />
            <button type="submit" class="secondary">
              {t(lang, 'admin.xtap.reset')}
            </button>
          </div>
        </form>
      )}
    </AdminLayout>
  );
}

export function PartnerPage({
  lang,
  tenant,
  user,
  csrf,
  partner,
  form,
  errors,
  status,
  inherited,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  partner: Partner;
  form: SettingsForm;
  errors: Errors;
  status: Status;
  inherited: Record<RuleKey, string>;
}) {
  const base = `/admin/${tenant.id}/cross-tenant`;
  const org = orgName(partner);
  const check = (id: 'autoInbound' | 'autoOutbound', label: keyof Messages) => (
    <Choice id={id} checked={form[id]}>
      {t(lang, label, { org })}
    </Choice>
  );
  return (
    <AdminLayout
      lang={lang}
      tenant={tenant}
      user={user}
      csrf={csrf}
      section="crossTenant"
      title={t(lang, 'admin.xtap.partnerTitle', { org })}
    >
      <Notice lang={lang} status={status} />
      <p>
        <a href={base}>{t(lang, 'admin.xtap.back')}</a>
      </p>
      <p>{t(lang, 'admin.xtap.partnerIntro', { id: partner.tenantId })}</p>
      <form method="post" action={`${base}/partners/${partner.tenantId}`}>
        <Csrf value={csrf} />
        <Sides lang={lang} form={form} errors={errors} inherited={inherited} />
        <h3>{t(lang, 'admin.xtap.auto')}</h3>
        <p class="muted">{t(lang, 'admin.xtap.autoNote')}</p>
        {check('autoInbound', 'admin.xtap.autoInbound')}
        {check('autoOutbound', 'admin.xtap.autoOutbound')}
        <TrustMfa lang={lang} checked={form.trustMfa} org={org} />
        <div class="actions">
          <span />
          <button type="submit">{t(lang, 'admin.xtap.save')}</button>
        </div>
      </form>
      <form method="get" action={`${base}/partners/${partner.tenantId}/remove`}>
        <div class="actions">
          <span />
          <button type="submit" class="secondary danger">
            {t(lang, 'admin.xtap.remove')}
          </button>
        </div>
      </form>
    </AdminLayout>
  );
}

export function RemovePage({
  lang,
  tenant,
  user,
  csrf,
  partner,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  partner: Partner;
}) {
  const base = `/admin/${tenant.id}/cross-tenant`;
  const org = orgName(partner);
  return (
    <AdminLayout
      lang={lang}
      tenant={tenant}
      user={user}
      csrf={csrf}
      section="crossTenant"
      title={t(lang, 'admin.xtap.removeTitle', { org })}
    >
      <p>{t(lang, 'admin.xtap.removeConfirm', { org, id: partner.tenantId })}</p>
      <form method="post" action={`${base}/partners/${partner.tenantId}/remove`}>
        <Csrf value={csrf} />
        <div class="actions">
          <a href={`${base}/partners/${partner.tenantId}`}>{t(lang, 'admin.xtap.cancel')}</a>
          <button type="submit" class="danger">
            {t(lang, 'admin.xtap.removeSubmit')}
          </button>
        </div>
      </form>
    </AdminLayout>
  );
}
