// Conditional Access policies in Graph's shape at /identity/conditionalAccess/policies (list, create, get, update,
// delete), and the authentication methods policy at /policies/authenticationMethodsPolicy (get, update, and each
// method's configuration). The rules live in src/conditional-access/ (policies.ts, methods-policy.ts); evaluation at
// sign-in in decision.ts.
import { Hono } from 'hono';

import {
  READ_AUTHENTICATION_METHODS_POLICY,
  READ_CONDITIONAL_ACCESS,
  WRITE_AUTHENTICATION_METHODS_POLICY,
  WRITE_CONDITIONAL_ACCESS,
} from '../apps/permissions.ts';
import {
  configurationPatch,
  configurationResource,
  methodOfId,
  methodsPolicyPatch,
  methodsPolicyResource,
  unknownMethod,
  updateMethodsPolicy,
  type MethodType,
} from '../conditional-access/methods-policy.ts';
import {
  createPolicy,
  deletePolicy,
  listPolicies,
  newPolicySchema,
  policyPatchSchema,
  policyResource,
  requirePolicy,
  updatePolicy,
} from '../conditional-access/policies.ts';
import { requireTenant } from '../directory/tenants.ts';
import { InvalidRequest, UnsupportedQuery } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById } from './change.ts';
import { bodyLimitKb, collection, pageInMemory, readJson, readListQuery } from './odata.ts';

const BASE = '/identity/conditionalAccess/policies';
const ENTITY = 'identity/conditionalAccess/policies';
const PROPERTIES = ['id', 'displayName', 'state', 'createdDateTime', 'modifiedDateTime', 'conditions', 'grantControls'];
// Six lists of at most 200 ids each, twice (include and exclude), stay well under this.
const MAX_BODY = 256 * 1024;

export function conditionalAccessRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const entity = `${config.baseUrl}/v1.0/$metadata#${ENTITY}/$entity`;
  const read = requirePermission(...READ_CONDITIONAL_ACCESS);
  const write = requirePermission(...WRITE_CONDITIONAL_ACCESS);
  const limit = bodyLimitKb(MAX_BODY);

  app.get(BASE, read, async (c) => {
    const q = readListQuery(c, PROPERTIES);
    if (q.filter) throw new UnsupportedQuery('query.conditionalAccessFilter');
    const rows = (await listPolicies(store.db, c.get('principal').tenantId)).map(policyResource);
    const page = pageInMemory(rows, q);
    return c.json(collection(c, config.baseUrl, ENTITY, page, q.select));
  });

  app.post(BASE, write, limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const input = await readJson(c, newPolicySchema);
    const created = await store.transaction((tx) => createPolicy(tx, clock, tenantId, input, actor));
    return c.json({ '@odata.context': entity, ...policyResource(created) }, 201);
  });

  app.get(`${BASE}/:id`, read, async (c) => {
    const policy = await requirePolicy(store.db, c.get('principal').tenantId, c.req.param('id'));
    return c.json({ '@odata.context': entity, ...policyResource(policy) });
  });

  app.patch(`${BASE}/:id`, write, limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const patch = await readJson(c, policyPatchSchema);
    await store.transaction((tx) => updatePolicy(tx, clock, tenantId, c.req.param('id'), patch, actor));
    return c.body(null, 204);
  });

  app.delete(`${BASE}/:id`, write, changeById(services, deletePolicy));

  const METHODS = '/policies/authenticationMethodsPolicy';
  const readMethods = requirePermission(...READ_AUTHENTICATION_METHODS_POLICY);
  const writeMethods = requirePermission(...WRITE_AUTHENTICATION_METHODS_POLICY);
  const methodOf = (id: string): MethodType => {
    const type = methodOfId(id);
    if (!type) throw unknownMethod(id);
    return type;
  };

  app.get(METHODS, readMethods, async (c) => {
    const tenant = await requireTenant(store.db, c.get('principal').tenantId);
    return c.json({
      '@odata.context': `${config.baseUrl}/v1.0/$metadata#authenticationMethodsPolicy`,
      ...methodsPolicyResource(tenant),
    });
  });

  app.patch(METHODS, writeMethods, limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, methodsPolicyPatch);
    const changes = body.authenticationMethodConfigurations.map(({ id, ...patch }) => {
      const type = methodOfId(id);
      if (!type) throw new InvalidRequest('authMethods.unknownMethod', { id: id.slice(0, 60) });
      return { type, patch };
    });
    if (new Set(changes.map((x) => x.type)).size !== changes.length) throw new InvalidRequest('authMethods.twice');
    await store.transaction((tx) => updateMethodsPolicy(tx, clock, tenantId, changes, actor));
    return c.body(null, 204);
  });

  app.get(`${METHODS}/authenticationMethodConfigurations/:id`, readMethods, async (c) => {
    const type = methodOf(c.req.param('id'));
    const tenant = await requireTenant(store.db, c.get('principal').tenantId);
    return c.json({
      '@odata.context': `${config.baseUrl}/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity`,
      ...configurationResource(type, tenant.settings.authenticationMethods[type]),
    });
  });

  app.patch(`${METHODS}/authenticationMethodConfigurations/:id`, writeMethods, limit, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const type = methodOf(c.req.param('id'));
    const { id, ...patch } = await readJson(c, configurationPatch);
    if (id !== undefined && methodOfId(id) !== type)
      throw new InvalidRequest('authMethods.unknownMethod', { id: id.slice(0, 60) });
    await store.transaction((tx) => updateMethodsPolicy(tx, clock, tenantId, [{ type, patch }], actor));
    return c.body(null, 204);
  });

  return app;
}
