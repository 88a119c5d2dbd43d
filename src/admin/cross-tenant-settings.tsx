// The default settings page and a partner's settings page of cross-tenant access: one section at a time (B2B
// collaboration inbound, outbound, trust, automatic redemption), each rule its own short form. Users, groups and
// applications are picked from a search (a GET form) of the tenant whose people or apps the rule names and shown by
// name with a Remove button; a partner not on this deployment can't be searched, so its ids are typed.
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Alert, Choice, Submit } from '../pages/fields.tsx';
import { Table } from '../pages/table.tsx';
import { ConfirmLink } from './confirm.tsx';
import type { Candidate } from './cross-tenant-targets.ts';
import { AdminLayout, type Shell } from './pages.tsx';

export const RULES = [
  { key: 'inbound-users', side: 'b2bCollaborationInbound', rule: 'usersAndGroups', kind: 'users', dir: 'inbound' },
  { key: 'inbound-apps', side: 'b2bCollaborationInbound', rule: 'applications', kind: 'apps', dir: 'inbound' },
  { key: 'outbound-users', side: 'b2bCollaborationOutbound', rule: 'usersAndGroups', kind: 'users', dir: 'outbound' },
  { key: 'outbound-apps', side: 'b2bCollaborationOutbound', rule: 'applications', kind: 'apps', dir: 'outbound' },
] as const;
export type Rule = (typeof RULES)[number];
export type RuleKey = Rule['key'];

export const SECTIONS = ['inbound', 'outbound', 'trust', 'redemption'] as const;
export type SettingsSection = (typeof SECTIONS)[number];

export type AccessChoice = 'inherit' | 'allowed' | 'blocked';

export interface Partner {
  tenantId: string;
  /** its name when it is a tenant of this deployment */
  name?: string;
}
export const orgName = (p: Partner) => p.name ?? p.tenantId;

/** One rule's form as shown: its choices, the targets it names, and a search's findings. */
export interface RuleView {
  rule: Rule;
  access: AccessChoice;
  scope: 'all' | 'selected';
  chosen: Candidate[];
  /** a partner page: what the default says, for the Inherit choice */
  inherited?: string;
  /** the organization whose users and groups (or apps) the rule names, and whether they can be searched here */
  org: string;
  searchable: boolean;
  search?: { q: string; found: Candidate[] };
  /** typed ids (a rule naming an organization not on this deployment) */
  typed: string;
  error?: string;
}

export interface TrustView {
  value: 'inherit' | 'yes' | 'no';
  inherited?: string;
  error?: string;
}

export interface SettingsProps extends Shell {
  /** absent on the default settings page */
  partner?: Partner;
  section: SettingsSection;
  rules: RuleView[];
  trust: TrustView;
  redemption: { inbound: boolean; outbound: boolean };
  serviceDefault: boolean;
  notice?: string;
}

/** The address of the default settings page or a partner's page. */
export const settingsBase = (tenantId: string, partner?: Partner) =>
  `/admin/${tenantId}/cross-tenant/${partner ? `partners/${partner.tenantId}` : 'default'}`;

const SECTION_LABEL: Record<SettingsSection, keyof Messages> = {
  inbound: 'admin.xtap.tab.inbound',
  outbound: 'admin.xtap.tab.outbound',
  trust: 'admin.xtap.tab.trust',
  redemption: 'admin.xtap.tab.redemption',
};

const typeLabel = (lang: Lang, c: Candidate) => t(lang, `admin.xtap.pick.type.${c.type}`);
const describe = (lang: Lang, c: Candidate) =>
  `${c.name}${c.detail && c.detail !== c.name ? ` (${c.detail})` : ''}, ${typeLabel(lang, c)}`;

const Save = ({ lang }: { lang: Lang }) => <Submit label={t(lang, 'admin.xtap.save')} />;

function RuleSection({ lang, csrf, base, v }: { lang: Lang; csrf: string; base: string; v: RuleView }) {
  const k = v.rule.key;
  const users = v.rule.kind === 'users';
  const radio = (name: 'access' | 'scope', value: string, label: string, checked: boolean) => (
    <Choice id={`${k}-${name}-${value}`} name={name} type="radio" value={value} checked={checked}>
      {label}
    </Choice>
  );
  const found = v.search?.found ?? [];
  const errorId = `${k}-error`;
  return (
    <section id={k} aria-labelledby={`${k}-heading`}>
      <h3 id={`${k}-heading`}>{t(lang, users ? 'admin.xtap.usersAndGroups' : 'admin.xtap.applications')}</h3>
      <Table
        rows={v.chosen}
        caption={t(lang, users ? 'admin.xtap.pick.chosenUsers' : 'admin.xtap.pick.chosenApps')}
        columns={[
          {
            label: t(lang, 'admin.xtap.pick.name'),
            cell: (c) => (
              <>
                {c.name}
                {c.detail && c.detail !== c.name && <span class="muted"> {c.detail}</span>}
              </>
            ),
          },
          { label: t(lang, 'admin.xtap.pick.type'), cell: (c) => typeLabel(lang, c) },
          {
            label: t(lang, 'admin.xtap.pick.actions'),
            cell: (c) => (
              <form method="post" action={`${base}/rules/${k}/remove`} class="inline-form">
                <Csrf value={csrf} />
                <input type="hidden" name="target" value={c.id} />
                <button
                  type="submit"
                  class="secondary"
                  aria-label={t(lang, 'admin.xtap.pick.removeOne', { name: c.name })}
                >
                  {t(lang, 'admin.xtap.pick.remove')}
                </button>
              </form>
            ),
          },
        ]}
      />
      {v.searchable && (
        <form method="get" action={`${base}/${v.rule.dir}#${k}`}>
          <input type="hidden" name="find" value={k} />
          <label for={`${k}-q`}>
            {t(lang, users ? 'admin.xtap.pick.findUsers' : 'admin.xtap.pick.findApps', { org: v.org })}
          </label>
          <input id={`${k}-q`} name="q" type="search" maxlength={100} value={v.search?.q ?? ''} />
          <Submit label={t(lang, 'admin.xtap.pick.search')} class="secondary" />
        </form>
      )}
      <form method="post" action={`${base}/rules/${k}`}>
        <Csrf value={csrf} />
        <fieldset>
          <legend>{t(lang, 'admin.xtap.access')}</legend>
          {v.inherited !== undefined &&
            radio('access', 'inherit', t(lang, 'admin.xtap.inherit', { current: v.inherited }), v.access === 'inherit')}
          {radio('access', 'allowed', t(lang, 'admin.xtap.allow'), v.access === 'allowed')}
          {radio('access', 'blocked', t(lang, 'admin.xtap.block'), v.access === 'blocked')}
        </fieldset>
        <fieldset>
          <legend>{t(lang, 'admin.xtap.appliesTo')}</legend>
          {radio('scope', 'all', t(lang, users ? 'admin.xtap.allUsers' : 'admin.xtap.allApps'), v.scope === 'all')}
          {radio(
            'scope',
            'selected',
            t(lang, users ? 'admin.xtap.selectedUsers' : 'admin.xtap.selectedApps'),
            v.scope === 'selected',
          )}
        </fieldset>
        {v.search && (
          <fieldset>
            <legend>{t(lang, 'admin.xtap.pick.found', { q: v.search.q })}</legend>
            {found.length === 0 ? (
              <p>{t(lang, 'admin.xtap.pick.nothing')}</p>
            ) : (
              found.map((c, i) => (
                <Choice id={`${k}-add-${i}`} name={`add.${c.id}`}>
                  {describe(lang, c)}
                </Choice>
              ))
            )}
          </fieldset>
        )}
        {!v.searchable && (
          <>
            <label for={`${k}-ids`}>
              {t(lang, users ? 'admin.xtap.pick.typedUsers' : 'admin.xtap.pick.typedApps', { org: v.org })}
            </label>
            <p id={`${k}-hint`} class="muted">
              {t(lang, 'admin.xtap.pick.typedHint', { org: v.org })}
            </p>
            <textarea
              id={`${k}-ids`}
              name="ids"
              rows={2}
              aria-invalid={v.error ? 'true' : undefined}
              aria-describedby={v.error ? `${k}-hint ${errorId}` : `${k}-hint`}
            >
              {v.typed}
            </textarea>
          </>
        )}
        <Alert id={errorId} text={v.error} />
        <Save lang={lang} />
      </form>
    </section>
  );
}

/** A form of the page (`base` its address) about `org`, with the view `v` of its setting. */
type OrgForm<V> = { lang: Lang; csrf: string; base: string; org: string; v: V };

function TrustForm({ lang, csrf, base, org, v }: OrgForm<TrustView>) {
  const radio = (value: TrustView['value'], label: string) => (
    <Choice id={`trust-${value}`} name="mfa" type="radio" value={value} checked={v.value === value}>
      {label}
    </Choice>
  );
  return (
    <form method="post" action={`${base}/trust`}>
      <Csrf value={csrf} />
      <p class="muted">{t(lang, 'admin.ca.trust.note')}</p>
      <fieldset>
        <legend>{t(lang, 'admin.ca.trust.mfa', { org })}</legend>
        {v.inherited !== undefined && radio('inherit', t(lang, 'admin.xtap.inherit', { current: v.inherited }))}
        {radio('yes', t(lang, 'admin.xtap.trust.yes'))}
        {radio('no', t(lang, 'admin.xtap.trust.no'))}
      </fieldset>
      <Alert text={v.error} />
      <Save lang={lang} />
    </form>
  );
}

function RedemptionForm({ lang, csrf, base, org, v }: OrgForm<SettingsProps['redemption']>) {
  return (
    <form method="post" action={`${base}/redemption`}>
      <Csrf value={csrf} />
      <p class="muted">{t(lang, 'admin.xtap.autoNote')}</p>
      <Choice id="autoInbound" checked={v.inbound}>
        {t(lang, 'admin.xtap.autoInbound', { org })}
      </Choice>
      <Choice id="autoOutbound" checked={v.outbound}>
        {t(lang, 'admin.xtap.autoOutbound', { org })}
      </Choice>
      <Save lang={lang} />
    </form>
  );
}

export function SettingsPage(p: SettingsProps) {
  const { lang, partner } = p;
  const list = `/admin/${p.tenant.id}/cross-tenant`;
  const base = settingsBase(p.tenant.id, partner);
  const org = partner ? orgName(partner) : t(lang, 'admin.ca.trust.anyOrg');
  const title = partner ? t(lang, 'admin.xtap.partnerTitle', { org }) : t(lang, 'admin.xtap.defaultTitle');
  return (
    <AdminLayout lang={lang} tenant={p.tenant} user={p.user} csrf={p.csrf} section="crossTenant" title={title}>
      {p.notice && <p role="status">{p.notice}</p>}
      <p>
        <a href={list}>{t(lang, 'admin.xtap.back')}</a>
      </p>
      <p>
        {partner
          ? t(lang, 'admin.xtap.partnerIntro', { id: partner.tenantId })
          : t(lang, p.serviceDefault ? 'admin.xtap.serviceDefault' : 'admin.xtap.defaultIntro')}
      </p>
      <nav class="forward" aria-label={t(lang, 'admin.xtap.sections')}>
        {SECTIONS.map((x) => (
          <a href={`${base}/${x}`} aria-current={x === p.section ? 'page' : undefined}>
            {t(lang, SECTION_LABEL[x])}
          </a>
        ))}
      </nav>
      <h2>{t(lang, SECTION_LABEL[p.section])}</h2>
      {(p.section === 'inbound' || p.section === 'outbound') && (
        <>
          <p class="muted">{t(lang, p.section === 'inbound' ? 'admin.xtap.inboundNote' : 'admin.xtap.outboundNote')}</p>
          {p.rules.map((v) => (
            <RuleSection lang={lang} csrf={p.csrf} base={base} v={v} />
          ))}
        </>
      )}
      {p.section === 'trust' && <TrustForm lang={lang} csrf={p.csrf} base={base} org={org} v={p.trust} />}
      {p.section === 'redemption' &&
        (partner ? (
          <RedemptionForm lang={lang} csrf={p.csrf} base={base} org={org} v={p.redemption} />
        ) : (
          <p>{t(lang, 'admin.xtap.autoDefault')}</p>
        ))}
      <div class="actions">
        <span />
        {partner ? (
          <ConfirmLink action={`${list}/partners/${partner.tenantId}/remove`} label={t(lang, 'admin.xtap.remove')} />
        ) : (
          !p.serviceDefault && <ConfirmLink action={`${list}/reset`} label={t(lang, 'admin.xtap.reset')} />
        )}
      </div>
    </AdminLayout>
  );
}
