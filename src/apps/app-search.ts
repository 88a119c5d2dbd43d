// The admin center's lists of apps: app registrations (a substring of the name or client id) and enterprise
// applications, the tenant's service principals (a substring of their app's name or client id); each sorted by a
// column with a stable order (name, then id, by default), paged by offset with the total (directory/list-search.ts).
import { sql } from 'kysely';

import { containsText, listSearch, thenName, type ListSearch } from '../directory/list-search.ts';
import type { Db } from '../store/index.ts';
import { liveApps, toApp } from './apps.ts';
import { ofLiveApps, toServicePrincipal, type ServicePrincipal } from './service-principals.ts';

export const APP_SORTS = ['name', 'clientId', 'created'] as const;
export type AppSort = (typeof APP_SORTS)[number];
export type AppSearch = ListSearch<AppSort>;

const apps = listSearch({
  matching: (db: Db, tenantId: string, s: AppSearch) => {
    const text = containsText(db, [sql.ref<string>('display_name'), sql.ref<string>('client_id')], s.q);
    return liveApps(db)
      .where('tenant_id', '=', tenantId)
      .$if(text !== undefined, (q) => q.where(text!));
  },
  order: thenName({ name: 'display_name', clientId: 'client_id', created: 'created_at' }, 'display_name'),
  toItem: toApp,
});

export const searchApps = apps.search;
export const eachApp = apps.each;

export const ENTERPRISE_APP_SORTS = ['name', 'appId', 'created'] as const;
export type EnterpriseAppSort = (typeof ENTERPRISE_APP_SORTS)[number];
export type EnterpriseAppSearch = ListSearch<EnterpriseAppSort>;
export type NamedServicePrincipal = ServicePrincipal & { displayName: string };

/** A service principal's name: its app's (registered in another tenant, or this one). */
const spName = sql.ref<string>('apps.display_name');

const enterpriseApps = listSearch({
  matching: (db: Db, tenantId: string, s: EnterpriseAppSearch) => {
    const text = containsText(db, [spName, sql.ref<string>('service_principals.app_id')], s.q);
    return db
      .selectFrom('service_principals')
      .innerJoin('apps', (j) => j.onRef('apps.client_id', '=', 'service_principals.app_id'))
      .where('apps.deleted_at', 'is', null)
      .where('service_principals.tenant_id', '=', tenantId)
      .where(ofLiveApps(db))
      .$if(text !== undefined, (q) => q.where(text!));
  },
  order: thenName(
    { name: 'apps.display_name', appId: 'service_principals.app_id', created: 'service_principals.created_at' },
    'apps.display_name',
  ),
  select: (q) => q.selectAll('service_principals').select('apps.display_name as app_display_name'),
  id: sql.ref('service_principals.id'),
  toItem: (r: Parameters<typeof toServicePrincipal>[0] & { app_display_name: string }): NamedServicePrincipal => ({
    ...toServicePrincipal(r),
    displayName: r.app_display_name,
  }),
});

export const searchEnterpriseApps = enterpriseApps.search;
export const eachEnterpriseApp = enterpriseApps.each;
