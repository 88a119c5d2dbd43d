// Directory roles in Graph's shapes: /roleManagement/directory/roleDefinitions (the built-in roles Portico enforces),
// /roleManagement/directory/roleAssignments (grant, list, read, revoke) and /directoryRoles (the activated roles and
// their members, read-only). The rules live in directory/roles.ts.
import { Hono } from 'hono';
import { z } from 'zod';

import { READ_ROLES, WRITE_ROLES } from '../apps/permissions.ts';
import type { Filter } from '../directory/filter.ts';
import { graphRoleDefinition, ROLE_DEFINITIONS } from '../directory/role-definitions.ts';
import {
  activatedRoles,
  assignRole,
  findDirectoryRole,
  getRoleAssignment,
  listRoleAssignments,
  removeRoleAssignment,
  requireRoleDefinition,
  roleMembers,
  type RoleAssignment,
} from '../directory/roles.ts';
import { InvalidRequest, ResourceNotFound, UnsupportedQuery } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById } from './change.ts';
import { collection, parseFilter, readJson } from './odata.ts';
import { graphUser } from './users.ts';

const DEFINITIONS = '/roleManagement/directory/roleDefinitions';
const ASSIGNMENTS = '/roleManagement/directory/roleAssignments';

export const newAssignment = z.strictObject({
  roleDefinitionId: z.string().max(100),
  principalId: z.string().max(100),
  directoryScopeId: z.string().max(200).optional(),
});

/** Graph's unifiedRoleAssignment. */
const graphAssignment = (a: RoleAssignment) => ({
  id: a.id,
  roleDefinitionId: a.roleDefinitionId,
  principalId: a.principalId,
  directoryScopeId: a.directoryScopeId,
  appScopeId: null,
  condition: null,
});

/** `principalId eq '…'`, `roleDefinitionId eq '…'`, or both joined by `and`: what the list accepts, as Entra's. */
function assignmentFilter(raw: string | undefined): { principalId?: string; roleDefinitionId?: string } {
  if (raw === undefined) return {};
  const out: { principalId?: string; roleDefinitionId?: string } = {};
  const walk = (f: Filter) => {
    if ('left' in f && f.op === 'and') {
      walk(f.left);
      walk(f.right);
    } else if (
      f.op === 'eq' &&
      (f.property === 'principalId' || f.property === 'roleDefinitionId') &&
      typeof f.value === 'string' &&
      out[f.property] === undefined
    ) {
      out[f.property] = f.value;
    } else throw new UnsupportedQuery('role.filter');
  };
  walk(parseFilter(raw));
  return out;
}

export function roleRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const read = requirePermission(...READ_ROLES);
  const write = requirePermission(...WRITE_ROLES);
  const entity = (set: string) => `${config.baseUrl}/v1.0/$metadata#${set}/$entity`;

  app.get(DEFINITIONS, read, (c) =>
    c.json(
      collection(c, config.baseUrl, 'roleManagement/directory/roleDefinitions', {
        items: ROLE_DEFINITIONS.map(graphRoleDefinition),
      }),
    ),
  );
  app.get(`${DEFINITIONS}/:id`, read, (c) =>
    c.json({
      '@odata.context': entity('roleManagement/directory/roleDefinitions'),
      ...graphRoleDefinition(requireRoleDefinition(c.req.param('id'))),
    }),
  );

  app.get(ASSIGNMENTS, read, async (c) => {
    const { tenantId } = c.get('principal');
    const items = await listRoleAssignments(store.db, tenantId, assignmentFilter(c.req.query('$filter')));
    return c.json(
      collection(c, config.baseUrl, 'roleManagement/directory/roleAssignments', {
        items: items.map(graphAssignment),
      }),
    );
  });

  app.post(ASSIGNMENTS, write, async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, newAssignment);
    const scope = body.directoryScopeId ?? '/';
    if (scope !== '/') throw new InvalidRequest('role.scope', { scope });
    const created = await store.transaction((tx) =>
      assignRole(
        tx,
        clock,
        tenantId,
        { roleDefinitionId: body.roleDefinitionId, principalId: body.principalId },
        actor,
      ),
    );
    return c.json(
      { '@odata.context': entity('roleManagement/directory/roleAssignments'), ...graphAssignment(created) },
      201,
    );
  });

  app.get(`${ASSIGNMENTS}/:id`, read, async (c) => {
    const { tenantId } = c.get('principal');
    const found = await getRoleAssignment(store.db, tenantId, c.req.param('id'));
    if (!found) throw new ResourceNotFound('resource.notFound', { id: c.req.param('id') });
    return c.json({ '@odata.context': entity('roleManagement/directory/roleAssignments'), ...graphAssignment(found) });
  });

  app.delete(`${ASSIGNMENTS}/:id`, write, changeById(services, removeRoleAssignment));

  const graphDirectoryRole = (r: { id: string; roleTemplateId: string; displayName: string; description: string }) => ({
    id: r.id,
    deletedDateTime: null,
    description: r.description,
    displayName: r.displayName,
    roleTemplateId: r.roleTemplateId,
  });
  const directoryRole = (tenantId: string, key: string) => {
    const found = findDirectoryRole(tenantId, key);
    if (!found) throw new ResourceNotFound('resource.notFound', { id: key });
    return found;
  };

  app.get('/directoryRoles', read, async (c) => {
    const { tenantId } = c.get('principal');
    const items = (await activatedRoles(store.db, tenantId)).map(graphDirectoryRole);
    return c.json(collection(c, config.baseUrl, 'directoryRoles', { items }));
  });
  app.get('/directoryRoles/:id', read, (c) => {
    const { dir } = directoryRole(c.get('principal').tenantId, c.req.param('id'));
    return c.json({ '@odata.context': entity('directoryRoles'), ...graphDirectoryRole(dir) });
  });
  app.get('/directoryRoles/:id/members', read, async (c) => {
    const { tenantId } = c.get('principal');
    const { role } = directoryRole(tenantId, c.req.param('id'));
    const items = (await roleMembers(store.db, tenantId, role)).map((u) => ({
      '@odata.type': '#microsoft.graph.user',
      ...graphUser(u),
    }));
    return c.json(collection(c, config.baseUrl, 'directoryObjects', { items }));
  });

  return app;
}
