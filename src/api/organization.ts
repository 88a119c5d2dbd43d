import { Hono } from 'hono';

import { READ_AUDIT, READ_ORGANIZATION, WRITE_ORGANIZATION } from '../apps/permissions.ts';
import { listAudit, type AuditEvent } from '../directory/audit.ts';
import { ORGANIZATION_PATCH, saveOrganization } from '../directory/organization.ts';
import { listDomains, requireTenant, type Tenant, type TenantDomain } from '../directory/tenants.ts';
import { ResourceNotFound, UnsupportedQuery } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { nextLink, readJson, readListQuery } from './odata.ts';

function graphOrganization(t: Tenant, domains: TenantDomain[]) {
  return {
    id: t.id,
    displayName: t.displayName,
    createdDateTime: t.createdAt,
    tenantType: 'AAD',
    verifiedDomains: domains
      .filter((d) => d.isVerified)
      .map((d) => ({
        name: d.name,
        isInitial: d.isInitial,
        isDefault: d.isInitial,
        type: 'Managed',
        capabilities: 'None',
      })),
    privacyProfile: { statementUrl: t.privacyStatementUrl, contactEmail: t.privacyContactEmail },
    branding: t.branding,
  };
}

function graphAudit(e: AuditEvent) {
  const a = e.initiatedBy;
  return {
    id: e.id,
    category: e.category,
    activityDateTime: e.activityDateTime,
    activityDisplayName: e.activityDisplayName,
    operationType: e.operationType,
    result: e.result,
    resultReason: e.resultReason ?? '',
    loggedByService: 'Core Directory',
    initiatedBy: {
      user: a.kind === 'user' ? { id: a.id, userPrincipalName: a.userPrincipalName } : null,
      app:
        a.kind === 'app'
          ? { appId: a.appId, displayName: a.displayName }
          : a.kind === 'system'
            ? { appId: null, displayName: a.displayName }
            : null,
    },
    targetResources: e.targetResources,
    additionalDetails: e.additionalDetails,
  };
}

/** Where a directoryAudits (or signIns) $skiptoken continues; a token issued by another list (or forged) is refused, not a 500. */
export function auditCursor(after: string): { time: string; id: string } {
  try {
    const { time, id } = JSON.parse(after) as { time?: unknown; id?: unknown };
    if (typeof time === 'string' && typeof id === 'string') return { time, id };
  } catch {
    /* fall through */
  }
  throw new UnsupportedQuery('query.skiptoken');
}

export function organizationRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();

  app.get('/organization', requirePermission(...READ_ORGANIZATION), async (c) => {
    const { tenantId } = c.get('principal');
    const org = graphOrganization(await requireTenant(store.db, tenantId), await listDomains(store.db, tenantId));
    return c.json({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#organization`, value: [org] });
  });

  app.get('/organization/:id', requirePermission(...READ_ORGANIZATION), async (c) => {
    const { tenantId } = c.get('principal');
    if (c.req.param('id').toLowerCase() !== tenantId)
      throw new ResourceNotFound('resource.notFoundShort', { id: c.req.param('id') });
    const org = graphOrganization(await requireTenant(store.db, tenantId), await listDomains(store.db, tenantId));
    return c.json({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#organization/$entity`, ...org });
  });

  app.patch('/organization/:id', requirePermission(...WRITE_ORGANIZATION), async (c) => {
    const { tenantId, actor } = c.get('principal');
    if (c.req.param('id').toLowerCase() !== tenantId)
      throw new ResourceNotFound('resource.notFoundShort', { id: c.req.param('id') });
    const body = await readJson(c, ORGANIZATION_PATCH);
    await store.transaction((tx) => saveOrganization(tx, clock, tenantId, body, actor));
    return c.body(null, 204);
  });

  app.get('/auditLogs/directoryAudits', requirePermission(...READ_AUDIT), async (c) => {
    const { tenantId } = c.get('principal');
    const q = readListQuery(c, [], { defaultTop: 100 });
    if (q.filter || q.select || q.count) throw new UnsupportedQuery('query.auditsOptions');
    const before = q.after === undefined ? undefined : auditCursor(q.after);
    const events = await listAudit(store.db, tenantId, { top: q.top + 1, before });
    const items = events.slice(0, q.top);
    const last = items[items.length - 1];
    const body: Record<string, unknown> = {
      '@odata.context': `${config.baseUrl}/v1.0/$metadata#auditLogs/directoryAudits`,
      value: items.map(graphAudit),
    };
    if (events.length > q.top && last)
      body['@odata.nextLink'] = nextLink(
        c,
        config.baseUrl,
        JSON.stringify({ time: last.activityDateTime, id: last.id }),
      );
    return c.json(body);
  });

  return app;
}
