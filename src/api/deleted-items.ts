// /v1.0/directory/deletedItems: Entra's deleted items. A deleted user stays here for 30 days (deleted/items.ts),
// listed by type cast (`microsoft.graph.user` or its `graph.user` alias), read by id, restored (same object id,
// memberships, assignments, identities, invitation state) or deleted for good.
import { Hono } from 'hono';

import { READ_USERS, WRITE_USERS } from '../apps/permissions.ts';
import { purgeUserAs, restoreUserAs } from '../deleted/items.ts';
import { isUuid } from '../directory/tenants.ts';
import { listDeletedUsers, requireDeletedUser, type DeletedUser } from '../directory/users.ts';
import { InvalidRequest } from '../errors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { collection, readListQuery } from './odata.ts';
import { graphUser, USER_PROPERTIES } from './users.ts';

/** The types deleted items are listed by, with both spellings Graph accepts for a cast. */
const TYPES = ['user', 'group', 'application'] as const;
const castType = (segment: string): (typeof TYPES)[number] | undefined =>
  TYPES.find((t) => segment === `microsoft.graph.${t}` || segment === `graph.${t}`);

const deletedUser = (u: DeletedUser) => ({
  '@odata.type': '#microsoft.graph.user',
  ...graphUser(u),
  deletedDateTime: u.deletedDateTime,
});

export function deletedItemRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const entity = (u: DeletedUser) => ({
    '@odata.context': `${config.baseUrl}/v1.0/$metadata#directoryObjects/$entity`,
    ...deletedUser(u),
  });

  // One segment: an object id (the item) or a type cast (the list of that type).
  app.get('/directory/deletedItems/:item', requirePermission(...READ_USERS), async (c) => {
    const { tenantId } = c.get('principal');
    const item = c.req.param('item');
    if (isUuid(item)) return c.json(entity(await requireDeletedUser(store.db, tenantId, item)));
    const type = castType(item);
    if (!type) throw new InvalidRequest('deleted.unknownType', { type: item });
    const set = `directory/deletedItems/microsoft.graph.${type}`;
    const q = readListQuery(c, [...USER_PROPERTIES, 'deletedDateTime']);
    // Only users are kept in deleted items today; a deleted group or app is deleted for good at once.
    if (type !== 'user') return c.json(collection(c, config.baseUrl, set, { items: [] }, q.select));
    const page = await listDeletedUsers(store.db, tenantId, {
      filter: q.filter,
      top: q.top,
      after: q.after,
      count: q.count,
    });
    return c.json(collection(c, config.baseUrl, set, { ...page, items: page.items.map(deletedUser) }, q.select));
  });

  app.post('/directory/deletedItems/:id/restore', requirePermission(...WRITE_USERS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const user = await store.transaction((tx) => restoreUserAs(tx, clock, tenantId, c.req.param('id'), actor));
    return c.json({
      '@odata.context': `${config.baseUrl}/v1.0/$metadata#directoryObjects/$entity`,
      '@odata.type': '#microsoft.graph.user',
      ...graphUser(user),
    });
  });

  app.delete('/directory/deletedItems/:id', requirePermission(...WRITE_USERS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) => purgeUserAs(tx, clock, tenantId, c.req.param('id'), actor));
    return c.body(null, 204);
  });

  return app;
}
