// /v1.0/oauth2PermissionGrants: the tenant's delegated permission grants (apps/user-grants.ts), in Graph's shape:
// users' own (consentType Principal) and administrators' for everyone (AllPrincipals). `$filter=clientId eq '<id>'`
// (or principalId) narrows the list; DELETE revokes one. Whether users may consent is read in
// /v1.0/policies/authorizationPolicy (api/policies.ts: defaultUserRolePermissions.permissionGrantPoliciesAssigned).
import { Hono } from 'hono';

import { READ_APPS, WRITE_APPS } from '../apps/permissions.ts';
import { deletePermissionGrant, listPermissionGrants, parseGrantFilter } from '../apps/user-grants.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById } from './change.ts';

export function permissionGrantRoutes(services: Services) {
  const { store, config } = services;
  const app = new Hono<ApiEnv>();

  app.get('/oauth2PermissionGrants', requirePermission(...READ_APPS), async (c) => {
    const filter = parseGrantFilter(c.req.query('$filter'));
    const value = await listPermissionGrants(store.db, c.get('principal').tenantId, filter);
    return c.json({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#oauth2PermissionGrants`, value });
  });

  app.delete(
    '/oauth2PermissionGrants/:id',
    requirePermission(...WRITE_APPS),
    changeById(services, deletePermissionGrant),
  );

  return app;
}
