// The admin center's enterprise applications: the tenant's service principals (other organizations' multi-tenant
// apps consented to here, apps/service-principals.ts) with delete (as Graph's DELETE /servicePrincipals/{id}), and
// the user consent setting (Entra's "Users can consent to apps", `userConsent`, apps/user-grants.ts).
import { Hono, type Context } from 'hono';

import {
  eachEnterpriseApp,
  ENTERPRISE_APP_SORTS,
  searchEnterpriseApps,
  type EnterpriseAppSearch,
  type NamedServicePrincipal,
} from '../apps/app-search.ts';
import { removeServicePrincipal } from '../apps/service-principals.ts';
import type { TenantSettings } from '../directory/settings-schema.ts';
import { saveTenantSettings, TENANT_SETTINGS } from '../directory/settings.ts';
import type { Tenant } from '../directory/tenants.ts';
import { t } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Submit } from '../pages/fields.tsx';
import type { Services } from '../services.ts';
import { ConfirmLink } from './confirm.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import { csvExportRoute, listProps, listSearchOf, PAGE_SIZE } from './list-export.ts';
import { List, SearchField, When } from './list.tsx';
import { AdminLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

const CONSENT_VALUES = ['none', 'lowRisk', 'allowAll'] as const satisfies readonly TenantSettings['userConsent'][];

function EnterpriseAppsPage(
  p: Shell & {
    sps: NamedServicePrincipal[];
    search: EnterpriseAppSearch & { offset: number };
    total: number;
    notice?: string;
  },
) {
  const { lang, tenant } = p;
  const base = `/admin/${tenant.id}/enterprise-apps`;
  const canEdit = can(p.user.roles, 'settings');
  return (
    <AdminLayout
      lang={lang}
      tenant={tenant}
      user={p.user}
      csrf={p.csrf}
      section="enterpriseApps"
      title={t(lang, 'admin.enterpriseApps')}
    >
      {p.notice && <p role="status">{p.notice}</p>}
      <p>{t(lang, 'admin.enterpriseApps.intro', { tenant: tenant.displayName })}</p>
      <List
        {...listProps(lang, base, p.search, {}, p.total)}
        rows={p.sps}
        empty={t(lang, 'admin.enterpriseApps.none')}
        search={{
          apply: t(lang, 'admin.users.apply'),
          fields: <SearchField label={t(lang, 'lists.apps.search')} value={p.search.q} />,
        }}
        columns={[
          { label: t(lang, 'admin.enterpriseApps.name'), sort: 'name', cell: (sp) => sp.displayName },
          { label: t(lang, 'admin.enterpriseApps.appId'), sort: 'appId', cell: (sp) => <code>{sp.appId}</code> },
          { label: t(lang, 'admin.enterpriseApps.owner'), cell: (sp) => <code>{sp.appOwnerOrganizationId}</code> },
          {
            label: t(lang, 'admin.enterpriseApps.adminConsent'),
            cell: (sp) => t(lang, sp.adminConsentGranted ? 'admin.enterpriseApps.yes' : 'admin.enterpriseApps.no'),
          },
          {
            label: t(lang, 'admin.enterpriseApps.created'),
            sort: 'created',
            cell: (sp) => <When iso={sp.createdDateTime} />,
          },
          canEdit && {
            label: t(lang, 'shell.actions'),
            cell: (sp) => (
              <ConfirmLink
                action={`${base}/${sp.id}/remove`}
                label={t(lang, 'admin.enterpriseApps.delete')}
                ariaLabel={`${t(lang, 'admin.enterpriseApps.delete')} ${sp.displayName}`}
              />
            ),
          },
        ]}
      />
      <h2>{t(lang, 'admin.enterpriseApps.consentTitle')}</h2>
      <form method="post" action={`${base}/consent`}>
        <Csrf value={p.csrf} />
        <fieldset disabled={!canEdit}>
          {CONSENT_VALUES.map((value) => (
            <p>
              <input
                type="radio"
                id={`userConsent-${value}`}
                name="userConsent"
                value={value}
                checked={tenant.settings.userConsent === value}
              />{' '}
              <label for={`userConsent-${value}`} class="inline">
                {t(lang, `admin.enterpriseApps.consent.${value}`)}
              </label>
            </p>
          ))}
        </fieldset>
        {canEdit && <Submit label={t(lang, 'admin.enterpriseApps.save')} />}
      </form>
    </AdminLayout>
  );
}

export function enterpriseAppsRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const searchOf = (c: Context<AdminEnv>) => listSearchOf((name) => c.req.query(name), ENTERPRISE_APP_SORTS);
  const page = async (c: Context<AdminEnv>, s: Signed, tenant: Tenant, notice?: string, status: 200 | 400 = 200) => {
    const search = searchOf(c);
    const found = await searchEnterpriseApps(store.db, tenant.id, search, { offset: search.offset, limit: PAGE_SIZE });
    return [
      <EnterpriseAppsPage
        {...shellOf(s)}
        tenant={tenant}
        sps={found.items}
        search={search}
        total={found.total}
        notice={notice}
      />,
      status,
    ] as const;
  };

  csvExportRoute(app, guard, {
    section: 'enterprise-apps',
    head: ['id', 'displayName', 'appId', 'appOwnerOrganizationId', 'adminConsentGranted', 'createdDateTime'],
    each: (c, tenantId) => eachEnterpriseApp(store.db, tenantId, searchOf(c)),
    cells: (sp) => [
      sp.id,
      sp.displayName,
      sp.appId,
      sp.appOwnerOrganizationId,
      String(sp.adminConsentGranted),
      sp.createdDateTime,
    ],
  });

  app.get('/admin/:tenant/enterprise-apps', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const done = c.req.query('done');
    const notice =
      done === 'removed'
        ? t(s.lang, 'admin.enterpriseApps.deleted')
        : done === 'saved'
          ? t(s.lang, 'admin.enterpriseApps.saved')
          : undefined;
    return c.html(...(await page(c, s, s.tenant, notice)));
  });

  app.post('/admin/:tenant/enterprise-apps/consent', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    const parsed = TENANT_SETTINGS.pick({ userConsent: true }).safeParse({ userConsent: s.form.userConsent });
    if (!parsed.success) return c.html(...(await page(c, s, s.tenant, undefined, 400)));
    await store.transaction((tx) => saveTenantSettings(tx, clock, s.tenant.id, parsed.data, actorOf(s)));
    return c.redirect(`/admin/${s.tenant.id}/enterprise-apps?done=saved`, 303);
  });

  app.post('/admin/:tenant/enterprise-apps/:id/remove', guard.posted('settings'), async (c) => {
    const s = c.var.posted;
    await store.transaction((tx) => removeServicePrincipal(tx, clock, s.tenant.id, c.req.param('id'), actorOf(s)));
    return c.redirect(`/admin/${s.tenant.id}/enterprise-apps?done=removed`, 303);
  });

  return app;
}
