// The kinds of deleted items (users, groups, app registrations), once: what each is called in Graph, who may read and
// change it, its reads, restore and permanent delete, and the admin center's texts. The API
// (api/deleted-items.ts), the admin center's Deleted items (admin/deleted.tsx), `portico deleted` (cli/deleted.ts)
// and the sweep (deleted/sweep.ts) read this table and keep only their own presentation; a new kind is one entry.
import {
  appsDeletedBefore,
  getDeletedApp,
  listDeletedApps,
  purgeApp,
  restoreApp,
  type App,
  type DeletedApp,
} from '../apps/apps.ts';
import {
  READ_APPS,
  READ_GROUPS,
  READ_USERS,
  WRITE_APPS,
  WRITE_GROUPS,
  WRITE_USERS,
  type AppPermission,
} from '../apps/permissions.ts';
import type { Clock } from '../clock.ts';
import type { Actor } from '../directory/audit.ts';
import {
  getDeletedGroup,
  groupsDeletedBefore,
  listDeletedGroups,
  type DeletedGroup,
  type Group,
} from '../directory/groups.ts';
import {
  getDeletedUser,
  listDeletedUsers,
  usersDeletedBefore,
  type DeletedUser,
  type ListOptions,
  type Page,
  type User,
} from '../directory/users.ts';
import type { Messages } from '../i18n/index.ts';
import type { Db, Tx } from '../store/index.ts';
import { purgeGroupAs, purgeUserAs, restoreGroupAs, restoreUserAs } from './items.ts';

/** What each kind reads, restores and purges, by its Graph type. */
interface Shapes {
  user: { item: DeletedUser; restored: User; purged: User };
  group: { item: DeletedGroup; restored: Group; purged: DeletedGroup };
  application: { item: DeletedApp; restored: App; purged: DeletedApp };
}
export type DeletedType = keyof Shapes;
export type DeletedItem<K extends DeletedType = DeletedType> = Shapes[K]['item'];
export type RestoredItem<K extends DeletedType = DeletedType> = Shapes[K]['restored'];

export interface DeletedKind<K extends DeletedType = DeletedType> {
  /** Graph's type: `#microsoft.graph.<type>`, the deletedItems cast, the admin tab's `?type=`, the CLI's `--type` */
  type: K;
  /** the admin center's addresses of its restore and purge, the CLI's "no deleted <plural>" */
  plural: string;
  /** the application permissions that read and change it (those its own API asks for) */
  read: AppPermission[];
  write: AppPermission[];
  /** by object id; `orAppId` takes an application's appId too (the CLI takes either) */
  get(db: Db | Tx, tenantId: string, id: string, orAppId?: boolean): Promise<DeletedItem<K> | undefined>;
  list(db: Db, tenantId: string, opts: ListOptions): Promise<Page<DeletedItem<K>>>;
  /** those deleted before `before`, every tenant's (the sweep's) */
  due(db: Db, before: string, limit: number): Promise<{ tenantId: string; id: string }[]>;
  /** restore and permanent delete, each with its audit event, in the caller's transaction */
  restore(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<RestoredItem<K>>;
  purge(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<Shapes[K]['purged']>;
  /** the admin center's texts: its tab, the words above the list, an empty list, the purge's question and outcome */
  text: Record<'tab' | 'intro' | 'none' | 'purgeText' | 'purged', keyof Messages>;
}

export const DELETED_KINDS: { [K in DeletedType]: DeletedKind<K> } = {
  user: {
    type: 'user',
    plural: 'users',
    read: READ_USERS,
    write: WRITE_USERS,
    get: (db, tenantId, id) => getDeletedUser(db, tenantId, id),
    list: listDeletedUsers,
    due: usersDeletedBefore,
    restore: restoreUserAs,
    purge: purgeUserAs,
    text: {
      tab: 'admin.deleted.users',
      intro: 'admin.deleted.intro',
      none: 'admin.deleted.none',
      purgeText: 'admin.deleted.purgeText',
      purged: 'admin.deleted.purged',
    },
  },
  group: {
    type: 'group',
    plural: 'groups',
    read: READ_GROUPS,
    write: WRITE_GROUPS,
    get: (db, tenantId, id) => getDeletedGroup(db, tenantId, id),
    list: listDeletedGroups,
    due: groupsDeletedBefore,
    restore: restoreGroupAs,
    purge: purgeGroupAs,
    text: {
      tab: 'admin.deleted.groups',
      intro: 'admin.deleted.groupsIntro',
      none: 'admin.deleted.noGroups',
      purgeText: 'admin.deleted.groupPurgeText',
      purged: 'admin.deleted.groupPurged',
    },
  },
  application: {
    type: 'application',
    plural: 'applications',
    read: READ_APPS,
    write: WRITE_APPS,
    get: getDeletedApp,
    list: listDeletedApps,
    due: appsDeletedBefore,
    restore: restoreApp,
    purge: purgeApp,
    text: {
      tab: 'admin.deleted.apps',
      intro: 'admin.deleted.appsIntro',
      none: 'admin.deleted.noApps',
      purgeText: 'admin.deleted.appPurgeText',
      purged: 'admin.deleted.appPurged',
    },
  },
};

/** The kinds in the order they are listed (the API's casts, the admin center's tabs, `portico deleted list`). */
export const DELETED_TYPES = ['user', 'group', 'application'] as const satisfies readonly DeletedType[];

export const isDeletedType = (type: string | undefined): type is DeletedType =>
  (DELETED_TYPES as readonly string[]).includes(type ?? '');
