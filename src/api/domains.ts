// Graph's domain resource: /domains (list, add), /domains/{id}, its verificationDnsRecords (the TXT record to
// publish), verify and delete. The rules live in src/directory/domains.ts; here: parsing and Graph's shapes.
import { Hono, type Context } from 'hono';
import { z } from 'zod';

import { READ_DOMAINS, WRITE_DOMAINS } from '../apps/permissions.ts';
import {
  addDomain,
  dnsTxtLookup,
  recordId,
  removeDomain,
  requireDomain,
  TXT_TTL,
  verificationText,
  verifyDomain,
} from '../directory/domains.ts';
import { listDomains, type TenantDomain } from '../directory/tenants.ts';
import { UnsupportedQuery } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { collection, pageInMemory, readJson, readListQuery } from './odata.ts';

const PROPERTIES = [
  'id',
  'authenticationType',
  'availabilityStatus',
  'isAdminManaged',
  'isDefault',
  'isInitial',
  'isRoot',
  'isVerified',
  'supportedServices',
  'state',
  'passwordNotificationWindowInDays',
  'passwordValidityPeriodInDays',
];

export const newDomain = z.strictObject({ id: z.string().trim().min(1).max(253) });

const domainResource = (d: TenantDomain) => ({
  id: d.name,
  authenticationType: 'Managed',
  availabilityStatus: null,
  isAdminManaged: true,
  isDefault: d.isInitial,
  isInitial: d.isInitial,
  isRoot: true,
  isVerified: d.isVerified,
  supportedServices: [] as string[],
  state: null,
  passwordNotificationWindowInDays: null,
  passwordValidityPeriodInDays: null,
});

export function domainRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const lookup = dnsTxtLookup(config.dnsServers);
  const entity = (d: TenantDomain) => ({
    '@odata.context': `${config.baseUrl}/v1.0/$metadata#domains/$entity`,
    ...domainResource(d),
  });
  const nameOf = (c: Context<ApiEnv>) => c.req.param('name') ?? '';

  app.get('/domains', requirePermission(...READ_DOMAINS), async (c) => {
    const q = readListQuery(c, PROPERTIES);
    if (q.filter) throw new UnsupportedQuery('query.domainsFilter');
    const rows = (await listDomains(store.db, c.get('principal').tenantId)).map(domainResource);
    const page = pageInMemory(rows, q);
    return c.json(collection(c, config.baseUrl, 'domains', page, q.select));
  });

  app.post('/domains', requirePermission(...WRITE_DOMAINS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, newDomain);
    const added = await store.transaction((tx) => addDomain(tx, clock, tenantId, body.id, config.domainSuffix, actor));
    return c.json(entity(added), 201);
  });

  app.get('/domains/:name', requirePermission(...READ_DOMAINS), async (c) => {
    return c.json(entity(await requireDomain(store.db, c.get('principal').tenantId, nameOf(c))));
  });

  app.get('/domains/:name/verificationDnsRecords', requirePermission(...READ_DOMAINS), async (c) => {
    const { tenantId } = c.get('principal');
    const domain = await requireDomain(store.db, tenantId, nameOf(c));
    const record = {
      '@odata.type': '#microsoft.graph.domainDnsTxtRecord',
      id: recordId(tenantId, domain.name),
      isOptional: false,
      label: domain.name,
      recordType: 'Txt',
      supportedService: 'None',
      ttl: TXT_TTL,
      text: await verificationText(store.db, tenantId, domain.name),
    };
    return c.json(
      collection(c, config.baseUrl, `domains('${domain.name}')/verificationDnsRecords`, { items: [record] }),
    );
  });

  app.post('/domains/:name/verify', requirePermission(...WRITE_DOMAINS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    return c.json(entity(await verifyDomain(store, clock, tenantId, nameOf(c), lookup, actor)));
  });

  app.delete('/domains/:name', requirePermission(...WRITE_DOMAINS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) => removeDomain(tx, clock, tenantId, nameOf(c), actor));
    return c.body(null, 204);
  });

  return app;
}
