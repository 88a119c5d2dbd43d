// /v1.0/directory/deletedItems: Entra's deleted items. A deleted user, group or app registration stays here for 30
// days (deleted/items.ts), listed by type cast (`microsoft.graph.user` or its `graph.user` alias, through
// `castSegment`), read by id, restored (same object id and what hung on it) or deleted for good. Each kind asks for
// the permissions its own API asks for (deleted/kinds.ts, the one table of kinds); this module keeps Graph's shapes.
import { Hono, type Context } from 'hono';

import type { AppPermission } from '../apps/permissions.ts';
import {
  DELETED_KINDS,
  DELETED_TYPES,
  type DeletedItem,
  type DeletedType,
  type RestoredItem,
} from '../deleted/kinds.ts';
import type { Actor } from '../directory/audit.ts';
import { isUuid } from '../directory/tenants.ts';
import type { ListOptions, Page } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import type { Services } from '../services.ts';
import type { Db, Tx } from '../store/index.ts';
import { APP_PROPERTIES, application } from './apps.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { castSegment, collection, readListQuery } from './odata.ts';
import { graphUser, USER_PROPERTIES } from './users.ts';

type Graph = object;
type Item = Graph & { id: string; deletedDateTime: string };

/** Each kind's Graph shape: the properties `$select` and `$filter` name, and the object as its own API shows it. */
const GRAPH: {
  [K in DeletedType]: { properties: string[]; graph: (item: DeletedItem<K> | RestoredItem<K>) => Graph };
} = {
  user: { properties: USER_PROPERTIES, graph: graphUser },
  group: {
    properties: ['id', 'displayName', 'description', 'mailNickname', 'createdDateTime'],
    graph: (group) => ({ ...group }),
  },
  application: { properties: APP_PROPERTIES, graph: application },
};

/** One kind of deleted items (deleted/kinds.ts) in Graph's shapes. */
interface Kind {
  type: DeletedType;
  read: AppPermission[];
  write: AppPermission[];
  properties: string[];
  get: (db: Db, tenantId: string, id: string) => Promise<Item | undefined>;
  list: (db: Db, tenantId: string, opts: ListOptions) => Promise<Page<Item>>;
  restore: (tx: Tx, services: Services, tenantId: string, id: string, actor: Actor) => Promise<Graph>;
  purge: (tx: Tx, services: Services, tenantId: string, id: string, actor: Actor) => Promise<unknown>;
}

function graphKind<K extends DeletedType>(type: K): Kind {
  const kind = DELETED_KINDS[type];
  const { properties, graph } = GRAPH[type];
  const deleted = (item: DeletedItem<K>): Item => ({
    ...graph(item),
    id: item.id,
    deletedDateTime: item.deletedDateTime,
  });
  return {
    type,
    read: kind.read,
    write: kind.write,
    properties,
    get: async (db, tenantId, id) => {
      const item = await kind.get(db, tenantId, id);
      return item && deleted(item);
    },
    list: async (db, tenantId, opts) => {
      const page = await kind.list(db, tenantId, opts);
      return { ...page, items: page.items.map(deleted) };
    },
    restore: async (tx, { clock }, tenantId, id, actor) => graph(await kind.restore(tx, clock, tenantId, id, actor)),
    purge: (tx, { clock }, tenantId, id, actor) => kind.purge(tx, clock, tenantId, id, actor),
  };
}

const KINDS: Kind[] = DELETED_TYPES.map(graphKind);

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
