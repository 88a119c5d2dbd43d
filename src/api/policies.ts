// GET/PATCH /v1.0/policies/authorizationPolicy (Graph's shape: who may invite, what guests may read) and Portico's
// GET/PATCH /v1.0/policies/b2bCollaborationRestrictions (Graph v1.0 has none: `{ mode, domains }`).
import { Hono } from 'hono';

import { READ_AUTHORIZATION_POLICY, WRITE_AUTHORIZATION_POLICY } from '../apps/permissions.ts';
import {
  AUTHORIZATION_POLICY_PATCH,
  authorizationPatchOf,
  authorizationPolicyOf,
  COLLABORATION_RESTRICTIONS_PATCH,
  collaborationRestrictionsOf,
  restrictionsPatchOf,
} from '../directory/policies.ts';
import type { TenantSettings } from '../directory/settings-schema.ts';
import { saveTenantSettings } from '../directory/settings.ts';
import { requireTenant } from '../directory/tenants.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { readJson } from './odata.ts';

export function policyRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();

  /** GET of a policy that is a view of the tenant's settings: Graph's entity at `/policies/<name>`. */
  const settingsView = (name: string, view: (settings: TenantSettings) => object) =>
    app.get(`/policies/${name}`, requirePermission(...READ_AUTHORIZATION_POLICY), async (c) => {
      const tenant = await requireTenant(store.db, c.get('principal').tenantId);
      return c.json({
        '@odata.context': `${config.baseUrl}/v1.0/$metadata#policies/${name}/$entity`,
        ...view(tenant.settings),
      });
    });

  settingsView('authorizationPolicy', authorizationPolicyOf);

  app.patch('/policies/authorizationPolicy', requirePermission(...WRITE_AUTHORIZATION_POLICY), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const patch = authorizationPatchOf(await readJson(c, AUTHORIZATION_POLICY_PATCH));
    await store.transaction((tx) => saveTenantSettings(tx, clock, tenantId, patch, actor));
    return c.body(null, 204);
  });

  settingsView('b2bCollaborationRestrictions', collaborationRestrictionsOf);

  app.patch('/policies/b2bCollaborationRestrictions', requirePermission(...WRITE_AUTHORIZATION_POLICY), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, COLLABORATION_RESTRICTIONS_PATCH);
    await store.transaction(async (tx) => {
      const current = await requireTenant(tx, tenantId);
      await saveTenantSettings(tx, clock, tenantId, restrictionsPatchOf(current.settings, body), actor);
    });
    return c.body(null, 204);
  });

  return app;
}
