// Cross-tenant access settings in Graph's shapes, under /policies/crossTenantAccessPolicy: the policy itself, its
// `default` configuration (with resetToSystemDefault) and its `partners`. The rules live in src/crosstenant/policy.ts.
import { Hono } from 'hono';
import { z } from 'zod';

import { READ_CROSS_TENANT_ACCESS, WRITE_CROSS_TENANT_ACCESS } from '../apps/permissions.ts';
import {
  createPartner,
  deletePartner,
  getDefault,
  getPartner,
  listPartners,
  policyConfigSchema,
  resetDefault,
  updateDefault,
  updatePartner,
  type PartnerPolicy,
  type PolicyConfig,
} from '../crosstenant/policy.ts';
import { isUuid } from '../directory/tenants.ts';
import { ResourceNotFound, UnsupportedQuery } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { bodyLimitKb, collection, readJson, readListQuery } from './odata.ts';

const BASE = '/policies/crossTenantAccessPolicy';
const ENTITY = 'policies/crossTenantAccessPolicy';
const PARTNER_PROPERTIES = [
  'tenantId',
  'isServiceProvider',
  'b2bCollaborationInbound',
  'b2bCollaborationOutbound',
  'automaticUserConsentSettings',
  'inboundTrust',
];
// Four rules of at most 200 targets each stay well under this.
const MAX_BODY = 256 * 1024;

export const newPartner = policyConfigSchema.extend({
  tenantId: z.string().max(100).refine(isUuid, 'must be a tenant id (a GUID)'),
});

type Collaboration = PolicyConfig['b2bCollaborationInbound'];

// A partner's unset settings read as null: they inherit the default.
const collaboration = (c: Collaboration) =>
  c ? { usersAndGroups: c.usersAndGroups ?? null, applications: c.applications ?? null } : null;

const partnerResource = (p: PartnerPolicy) => ({
  tenantId: p.tenantId,
  isServiceProvider: false,
  b2bCollaborationInbound: collaboration(p.b2bCollaborationInbound),
  b2bCollaborationOutbound: collaboration(p.b2bCollaborationOutbound),
  automaticUserConsentSettings: {
    inboundAllowed: p.automaticUserConsentSettings?.inboundAllowed ?? null,
    outboundAllowed: p.automaticUserConsentSettings?.outboundAllowed ?? null,
  },
  // Unset (null) inherits the default, as the other settings; the device claims Portico never accepts.
  inboundTrust: p.inboundTrust
    ? {
        isMfaAccepted: p.inboundTrust.isMfaAccepted ?? null,
        isCompliantDeviceAccepted: false,
        isHybridAzureADJoinedDeviceAccepted: false,
      }
    : null,
});

const notFound = (id: string) => new ResourceNotFound('crosstenant.partnerNotFound', { id: id.slice(0, 60) });

export function crossTenantRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const context = (path: string) => `${config.baseUrl}/v1.0/$metadata#${ENTITY}${path}`;
  const read = requirePermission(...READ_CROSS_TENANT_ACCESS);
  const write = requirePermission(...WRITE_CROSS_TENANT_ACCESS);
  const limit = bodyLimitKb(MAX_BODY);

  app.get(BASE, read, (c) =>
    c.json({
      '@odata.context': context('/$entity'),
      displayName: 'CrossTenantAccessPolicy',
      allowedCloudEndpoints: [],
    }),
  );

  app.get(`${BASE}/default`, read, async (c) => {
    const d = await getDefault(store.db, c.get('principal').tenantId);
    return c.json({ '@odata.context': context('/default/$entity'), ...d });
  });

  app.patch(`${BASE}/default`, write, limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const patch = await readJson(c, policyConfigSchema);
    await store.transaction((tx) => updateDefault(tx, clock, tenantId, patch, actor));
    return c.body(null, 204);
  });

  // Graph's action takes no body; one sent is ignored.
  app.post(`${BASE}/default/resetToSystemDefault`, write, async (c) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) => resetDefault(tx, clock, tenantId, actor));
    return c.body(null, 204);
  });

  app.get(`${BASE}/partners`, read, async (c) => {
    const q = readListQuery(c, PARTNER_PROPERTIES);
    if (q.filter) throw new UnsupportedQuery('query.partnersFilter');
    const rows = (await listPartners(store.db, c.get('principal').tenantId)).map(partnerResource);
    const start = q.after === undefined ? 0 : rows.findIndex((r) => r.tenantId === q.after) + 1;
    const items = rows.slice(start, start + q.top);
    const page = {
      items,
      ...(start + q.top < rows.length && { next: items[items.length - 1]!.tenantId }),
      ...(q.count && { count: rows.length }),
    };
    return c.json(collection(c, config.baseUrl, `${ENTITY}/partners`, page, q.select));
  });

  app.post(`${BASE}/partners`, write, limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const { tenantId: partner, ...settings } = await readJson(c, newPartner);
    const created = await store.transaction((tx) => createPartner(tx, clock, tenantId, partner, settings, actor));
    return c.json({ '@odata.context': context('/partners/$entity'), ...partnerResource(created) }, 201);
  });

  app.get(`${BASE}/partners/:partnerId`, read, async (c) => {
    const id = c.req.param('partnerId');
    const partner = await getPartner(store.db, c.get('principal').tenantId, id);
    if (!partner) throw notFound(id);
    return c.json({ '@odata.context': context('/partners/$entity'), ...partnerResource(partner) });
  });

  app.patch(`${BASE}/partners/:partnerId`, write, limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const patch = await readJson(c, policyConfigSchema);
    await store.transaction((tx) => updatePartner(tx, clock, tenantId, c.req.param('partnerId'), patch, actor));
    return c.body(null, 204);
  });

  app.delete(`${BASE}/partners/:partnerId`, write, async (c) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) => deletePartner(tx, clock, tenantId, c.req.param('partnerId'), actor));
    return c.body(null, 204);
  });

  return app;
}
