// /v1.0/directory/deletedItems: Entra's deleted items. A deleted user, group or app registration stays here for 30
// days (deleted/items.ts), listed by type cast (`microsoft.graph.user` or its `graph.user` alias, through
// `castSegment`), read by id, restored (same object id and what hung on it) or deleted for good. Each kind asks for
// the permissions its own API asks for.
import { Hono, type Context } from 'hono';

import { getDeletedApp, listDeletedApps, purgeApp, restoreApp, type DeletedApp } from '../apps/apps.ts';
import {
  READ_APPS,
  READ_GROUPS,
  READ_USERS,
  WRITE_APPS,
  WRITE_GROUPS,
  WRITE_USERS,
  type AppPermission,
} from '../apps/permissions.ts';
import { purgeGroupAs, purgeUserAs, restoreGroupAs, restoreUserAs } from '../deleted/items.ts';
import type { Actor } from '../directory/audit.ts';
import { getDeletedGroup, listDeletedGroups } from '../directory/groups.ts';
import { isUuid } from '../directory/tenants.ts';
import { getDeletedUser, listDeletedUsers, type ListOptions, type Page } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import type { Services } from '../services.ts';
import type { Db, Tx } from '../store/index.ts';
import { APP_PROPERTIES, application } from './apps.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { castSegment, collection, readListQuery } from './odata.ts';
import { graphUser, USER_PROPERTIES } from './users.ts';

type Graph = object;
type Item = { id: string; deletedDateTime: string };

/** One kind of deleted items: its Graph type, permissions, reads and changes, and its Graph shape. */
interface Kind {
  type: 'user' | 'group' | 'application';
  read: AppPermission[];
  write: AppPermission[];
  properties: string[];
  get: (db: Db, tenantId: string, id: string) => Promise<Item | undefined>;
  list: (db: Db, tenantId: string, opts: ListOptions) => Promise<Page<Item>>;
  restore: (tx: Tx, services: Services, tenantId: string, id: string, actor: Actor) => Promise<Graph>;
  purge: (tx: Tx, services: Services, tenantId: string, id: string, actor: Actor) => Promise<unknown>;
}

const deletedApplication = (a: DeletedApp) => ({ ...application(a), deletedDateTime: a.deletedDateTime });

const KINDS: Kind[] = [
  {
    type: 'user',
    read: READ_USERS,
    write: WRITE_USERS,
    properties: USER_PROPERTIES,
    get: async (db, tenantId, id) => {
      const u = await getDeletedUser(db, tenantId, id);
      return u && { ...graphUser(u), deletedDateTime: u.deletedDateTime };
    },
    list: async (db, tenantId, opts) => {
      const page = await listDeletedUsers(db, tenantId, opts);
      return { ...page, items: page.items.map((u) => ({ ...graphUser(u), deletedDateTime: u.deletedDateTime })) };
    },
    restore: async (tx, { clock }, tenantId, id, actor) =>
      graphUser(await restoreUserAs(tx, clock, tenantId, id, actor)),
    purge: (tx, { clock }, tenantId, id, actor) => purgeUserAs(tx, clock, tenantId, id, actor),
  },
  {
    type: 'group',
    read: READ_GROUPS,
    write: WRITE_GROUPS,
    properties: ['id', 'displayName', 'description', 'mailNickname', 'createdDateTime'],
    get: (db, tenantId, id) => getDeletedGroup(db, tenantId, id),
    list: listDeletedGroups,
    restore: async (tx, { clock }, tenantId, id, actor) => ({
      ...(await restoreGroupAs(tx, clock, tenantId, id, actor)),
    }),
    purge: (tx, { clock }, tenantId, id, actor) => purgeGroupAs(tx, clock, tenantId, id, actor),
  },
  {
    type: 'application',
    read: READ_APPS,
    write: WRITE_APPS,
    properties: APP_PROPERTIES,
    get: async (db, tenantId, id) => {
      const a = await getDeletedApp(db, tenantId, id);
      return a && deletedApplication(a);
    },
    list: async (db, tenantId, opts) => {
      const page = await listDeletedApps(db, tenantId, opts);
      return { ...page, items: page.items.map(deletedApplication) };
    },
    restore: async (tx, { clock }, tenantId, id, actor) =>
      application(await restoreApp(tx, clock, tenantId, id, actor)),
    purge: (tx, { clock }, tenantId, id, actor) => purgeApp(tx, clock, tenantId, id, actor),
  },
];

/** Refuses a caller without one of `anyOf`, as the route middleware does, once the kind of the item is known. */
const permit = (c: Context<ApiEnv>, anyOf: AppPermission[]) => requirePermission(...anyOf)(c, async () => {});

/** The deleted item `id` of the tenant and its kind; a 404 when no kind has it. */
async function findItem(db: Db, tenantId: string, id: string) {
  for (const kind of KINDS) {
    const item = await kind.get(db, tenantId, id);
    if (item) return { kind, item };
  }
  throw new ResourceNotFound('resource.notFound', { id });
}

export function deletedItemRoutes(services: Services) {
  const { store, config } = services;
  const app = new Hono<ApiEnv>();
  const entity = (kind: Kind, item: Graph) => ({
    '@odata.context': `${config.baseUrl}/v1.0/$metadata#directoryObjects/$entity`,
    '@odata.type': `#microsoft.graph.${kind.type}`,
    ...item,
  });

  // The list of one kind, by its type cast.
  for (const kind of KINDS) {
    app.get(`/directory/deletedItems/${castSegment(kind.type)}`, requirePermission(...kind.read), async (c) => {
      const { tenantId } = c.get('principal');
      const set = `directory/deletedItems/microsoft.graph.${kind.type}`;
      const q = readListQuery(c, [...kind.properties, 'deletedDateTime']);
      const page = await kind.list(store.db, tenantId, {
        filter: q.filter,
        top: q.top,
        after: q.after,
        count: q.count,
      });
      const items = page.items.map((item) => ({ '@odata.type': `#microsoft.graph.${kind.type}`, ...item }));
      return c.json(collection(c, config.baseUrl, set, { ...page, items }, q.select));
    });
  }

  // One segment that is no known cast: an object id, or a type deleted items do not keep.
  app.get('/directory/deletedItems/:item', async (c) => {
    const { tenantId } = c.get('principal');
    const id = c.req.param('item');
    if (!isUuid(id)) throw new InvalidRequest('deleted.unknownType', { type: id });
    const { kind, item } = await findItem(store.db, tenantId, id);
    await permit(c, kind.read);
    return c.json(entity(kind, item));
  });

  app.post('/directory/deletedItems/:id/restore', async (c) => {
    const { tenantId, actor } = c.get('principal');
    const { kind, item } = await findItem(store.db, tenantId, c.req.param('id'));
    await permit(c, kind.write);
    const restored = await store.transaction((tx) => kind.restore(tx, services, tenantId, item.id, actor));
    return c.json(entity(kind, restored));
  });

  app.delete('/directory/deletedItems/:id', async (c) => {
    const { tenantId, actor } = c.get('principal');
    const { kind, item } = await findItem(store.db, tenantId, c.req.param('id'));
    await permit(c, kind.write);
    await store.transaction((tx) => kind.purge(tx, services, tenantId, item.id, actor));
    return c.body(null, 204);
  });

  return app;
}
