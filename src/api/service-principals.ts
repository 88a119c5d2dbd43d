// /v1.0/servicePrincipals: the multi-tenant apps of other tenants that this tenant uses (apps/service-principals.ts),
// in Graph's servicePrincipal shape (appId the client id, appOwnerOrganizationId the tenant that registered it). A
// tenant's own apps are its /applications. An administrator adds one (POST with appId) and consents for everyone
// (POST .../adminConsent, Portico's simple form of an AllPrincipals oauth2PermissionGrant, as for /applications).
import { Hono } from 'hono';
import { z } from 'zod';

import { READ_APPS, WRITE_APPS } from '../apps/permissions.ts';
import {
  addServicePrincipal,
  findRegistration,
  grantServicePrincipalConsent,
  listServicePrincipals,
  removeServicePrincipal,
  requireServicePrincipal,
  type ServicePrincipal,
} from '../apps/service-principals.ts';
import { InvalidRequest } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById } from './change.ts';
import { readJson } from './odata.ts';

export const newServicePrincipal = z.strictObject({ appId: z.string().max(64) });
const APP_ID_FILTER = /^appId eq '([0-9a-fA-F-]{36})'$/;

export function servicePrincipalRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const context = `${config.baseUrl}/v1.0/$metadata#servicePrincipals`;

  const resource = async (sp: ServicePrincipal) => {
    const registration = await findRegistration(store.db, sp.appId);
    return {
      id: sp.id,
      appId: sp.appId,
      displayName: registration?.displayName ?? null,
      appOwnerOrganizationId: sp.appOwnerOrganizationId,
      signInAudience: registration?.signInAudience ?? null,
      servicePrincipalType: 'Application',
      accountEnabled: true,
      appRoleAssignmentRequired: false,
      createdDateTime: sp.createdDateTime,
      '@portico.adminConsentGranted': sp.adminConsentGranted,
    };
  };

  app.get('/servicePrincipals', requirePermission(...READ_APPS), async (c) => {
    const filter = c.req.query('$filter');
    const appId = filter === undefined ? undefined : APP_ID_FILTER.exec(filter.trim())?.[1];
    if (filter !== undefined && !appId) throw new InvalidRequest('servicePrincipals.filter');
    const items = await listServicePrincipals(store.db, c.get('principal').tenantId, appId);
    return c.json({ '@odata.context': context, value: await Promise.all(items.map(resource)) });
  });

  app.post('/servicePrincipals', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, newServicePrincipal);
    const sp = await store.transaction((tx) => addServicePrincipal(tx, clock, tenantId, body.appId, actor));
    return c.json({ '@odata.context': `${context}/$entity`, ...(await resource(sp)) }, 201);
  });

  app.get('/servicePrincipals/:id', requirePermission(...READ_APPS), async (c) => {
    const sp = await requireServicePrincipal(store.db, c.get('principal').tenantId, c.req.param('id'));
    return c.json({ '@odata.context': `${context}/$entity`, ...(await resource(sp)) });
  });

  // Removing another tenant's app from this tenant: consents, admin consent and its grants here go with it.
  app.delete('/servicePrincipals/:id', requirePermission(...WRITE_APPS), changeById(services, removeServicePrincipal));

  app.post('/servicePrincipals/:id/adminConsent', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const sp = await store.transaction((tx) =>
      grantServicePrincipalConsent(tx, clock, tenantId, c.req.param('id'), actor),
    );
    return c.json({
      clientId: sp.appId,
      consentType: 'AllPrincipals',
      grantedDateTime: sp.adminConsentGrantedDateTime,
    });
  });

  return app;
}
