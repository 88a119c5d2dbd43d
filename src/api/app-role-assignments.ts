// /v1.0/users/{id}/appRoleAssignments and /v1.0/groups/{id}/appRoleAssignments: app roles for users and groups
// (apps/app-roles.ts), in Graph's appRoleAssignment shape: POST {principalId, resourceId, appRoleId}, list, DELETE.
// resourceId is the app's object id (Portico's own apps are their own service principals).
import { Hono } from 'hono';
import { z } from 'zod';

import { assignmentId, assignmentsOf, removeAssignment } from '../apps/app-roles.ts';
import { requireApp } from '../apps/apps.ts';
import { assignPrincipal, DEFAULT_ACCESS_ROLE, findPrincipal, notFound } from '../apps/assignments.ts';
import { READ_APPS, WRITE_APPS } from '../apps/permissions.ts';
import { InvalidRequest } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { readJson } from './odata.ts';

export const newAssignment = z.strictObject({
  principalId: z.string().max(64),
  resourceId: z.string().max(64),
  appRoleId: z.string().max(64).optional(),
});

export function appRoleAssignmentRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();

  for (const kind of ['users', 'groups'] as const) {
    const type = kind === 'users' ? 'User' : 'Group';
    const principalOf = async (tenantId: string, id: string) => {
      const principal = await findPrincipal(store.db, tenantId, id, type);
      if (!principal) throw notFound(id.slice(0, 100));
      return principal;
    };
    const shape = (
      principal: { id: string; displayName: string },
      a: { appId: string; principalId: string; appRoleId: string; createdDateTime: string },
      resourceDisplayName: string,
    ) => ({
      id: assignmentId(a),
      appRoleId: a.appRoleId,
      createdDateTime: a.createdDateTime,
      principalDisplayName: principal.displayName,
      principalId: principal.id,
      principalType: type,
      resourceDisplayName,
      resourceId: a.appId,
    });
    const context = (id: string) => `${config.baseUrl}/v1.0/$metadata#${kind}('${id}')/appRoleAssignments`;

    app.get(`/${kind}/:id/appRoleAssignments`, requirePermission(...READ_APPS), async (c) => {
      const { tenantId } = c.get('principal');
      const principal = await principalOf(tenantId, c.req.param('id'));
      const items = await assignmentsOf(store.db, tenantId, principal.id);
      return c.json({
        '@odata.context': context(principal.id),
        value: items.map((a) => shape(principal, a, a.resourceDisplayName)),
      });
    });

    app.post(`/${kind}/:id/appRoleAssignments`, requirePermission(...WRITE_APPS), async (c) => {
      const { tenantId, actor } = c.get('principal');
      const principal = await principalOf(tenantId, c.req.param('id'));
      const body = await readJson(c, newAssignment);
      if (body.principalId.toLowerCase() !== principal.id)
        throw new InvalidRequest('appRoles.principalId', { id: principal.id });
      const created = await store.transaction(async (tx) => {
        const resource = await requireApp(tx, tenantId, body.resourceId);
        const made = await assignPrincipal(
          tx,
          clock,
          tenantId,
          resource.id,
          principal.id,
          type,
          actor,
          body.appRoleId ?? DEFAULT_ACCESS_ROLE,
        );
        return { made, name: resource.displayName };
      });
      return c.json(
        { '@odata.context': `${context(principal.id)}/$entity`, ...shape(principal, created.made, created.name) },
        201,
      );
    });

    app.delete(`/${kind}/:id/appRoleAssignments/:assignment`, requirePermission(...WRITE_APPS), async (c) => {
      const { tenantId, actor } = c.get('principal');
      const principal = await principalOf(tenantId, c.req.param('id'));
      await store.transaction((tx) =>
        removeAssignment(tx, clock, tenantId, principal.id, c.req.param('assignment'), actor),
      );
      return c.body(null, 204);
    });
  }
  return app;
}
