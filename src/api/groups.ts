import { Hono } from 'hono';
import { z } from 'zod';

import { READ_GROUPS, WRITE_GROUPS, WRITE_MEMBERS } from '../apps/permissions.ts';
import {
  addMemberAs,
  createGroupAs,
  deleteGroupAs,
  listGroups,
  listMembers,
  removeMemberAs,
  requireGroup,
  updateGroupAs,
} from '../directory/groups.ts';
import { InvalidRequest } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById, patchById } from './change.ts';
import { collection, readJson, readListQuery } from './odata.ts';
import { graphUser, USER_PROPERTIES } from './users.ts';

const GROUP_PROPERTIES = ['id', 'displayName', 'description', 'mailNickname', 'createdDateTime'];

export const newGroup = z.strictObject({
  displayName: z.string().trim().min(1).max(256),
  description: z.string().max(1024).nullable().optional(),
  mailNickname: z.string().max(64).nullable().optional(),
  mailEnabled: z.boolean().optional(),
  securityEnabled: z.boolean().optional(),
  groupTypes: z.array(z.string()).max(0, 'only security groups (groupTypes: []) are supported').optional(),
});

export const groupPatch = z.strictObject({
  displayName: z.string().trim().min(1).max(256).optional(),
  description: z.string().max(1024).nullable().optional(),
  mailNickname: z.string().max(64).nullable().optional(),
});

export const memberRef = z.strictObject({ '@odata.id': z.string().max(2048) });

/** The object id at the end of a directoryObjects/users reference URL (or a bare id); `example` shows the form. */
export function referencedId(ref: string, example = 'https://host/v1.0/directoryObjects/{id}'): string {
  const m = /\/(?:directoryObjects|users)\/([0-9a-fA-F-]{36})$/.exec(ref) ?? /^([0-9a-fA-F-]{36})$/.exec(ref);
  if (!m)
    throw new InvalidRequest(example.includes('/users/') ? 'body.odataIdUser' : 'body.odataIdObject', { example });
  return m[1]!.toLowerCase();
}

export function groupRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();

  app.get('/groups', requirePermission(...READ_GROUPS), async (c) => {
    const { tenantId } = c.get('principal');
    const q = readListQuery(c, GROUP_PROPERTIES);
    const page = await listGroups(store.db, tenantId, q);
    return c.json(collection(c, config.baseUrl, 'groups', page, q.select));
  });

  app.get('/groups/:id', requirePermission(...READ_GROUPS), async (c) => {
    const group = await requireGroup(store.db, c.get('principal').tenantId, c.req.param('id'));
    return c.json({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#groups/$entity`, ...group });
  });

  app.post('/groups', requirePermission(...WRITE_GROUPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, newGroup);
    const group = await store.transaction((tx) => createGroupAs(tx, clock, tenantId, body, actor));
    return c.json({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#groups/$entity`, ...group }, 201);
  });

  app.patch('/groups/:id', requirePermission(...WRITE_GROUPS), patchById(services, groupPatch, updateGroupAs));

  app.delete('/groups/:id', requirePermission(...WRITE_GROUPS), changeById(services, deleteGroupAs));

  app.get('/groups/:id/members', requirePermission(...READ_GROUPS), async (c) => {
    const q = readListQuery(c, USER_PROPERTIES, { defaultTop: 999 });
    const page = await listMembers(store.db, c.get('principal').tenantId, c.req.param('id'), q);
    const items = page.items.map((m) => ({ '@odata.type': '#microsoft.graph.user', ...graphUser(m) }));
    return c.json(collection(c, config.baseUrl, 'directoryObjects', { ...page, items }, q.select));
  });

  app.post('/groups/:id/members/$ref', requirePermission(...WRITE_MEMBERS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, memberRef, { keepAnnotations: true });
    const memberId = referencedId(body['@odata.id']);
    await store.transaction((tx) => addMemberAs(tx, clock, tenantId, c.req.param('id'), memberId, actor));
    return c.body(null, 204);
  });

  app.delete('/groups/:id/members/:memberId/$ref', requirePermission(...WRITE_MEMBERS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) =>
      removeMemberAs(tx, clock, tenantId, c.req.param('id'), c.req.param('memberId'), actor),
    );
    return c.body(null, 204);
  });

  return app;
}
