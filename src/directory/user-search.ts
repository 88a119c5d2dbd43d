// The admin center's list of users: search by substring over name, mail, user principal name (and so domain),
// filters by user type, invitation state and source, sorting by a column with a stable order (by display name, then
// id, by default), pages by offset with the total. Measured at 100,000 guests in docs/performance.md (`npm run bench -- admin-list`).
import { sql, type Expression, type SqlBool } from 'kysely';

import type { Db } from '../store/index.ts';
import { likeEscape } from './filter.ts';
import { inDirectory, toUser, type User } from './users.ts';

export const USER_SORTS = ['name', 'mail', 'type', 'state', 'created'] as const;
export type UserSort = (typeof USER_SORTS)[number];
export const USER_SOURCES = ['pending', 'mail', 'personal', 'google', 'other'] as const;
export type UserSource = (typeof USER_SOURCES)[number];

export interface UserSearch {
  /** a substring of the display name, mail or user principal name (a domain matches both addresses) */
  q: string;
  type: '' | 'Guest' | 'Member';
  state: '' | 'PendingAcceptance' | 'Accepted';
  /** how a guest signs in: not yet redeemed, one-time passcode, personal account, Google, any other identity */
  source: '' | UserSource;
  sort: UserSort;
  dir: 'asc' | 'desc';
}

const SORT_COLUMN = {
  name: 'display_name',
  mail: 'mail_normalized',
  type: 'user_type',
  state: 'external_user_state',
  created: 'created_at',
} as const;

/** The issuers the sources name, as they appear in the identities' JSON. */
const ISSUER = { mail: 'mail', personal: 'personal', google: 'google.com' } as const;
const issuerLike = (issuer: string) => `%${likeEscape(`"issuer":${JSON.stringify(issuer)}`)}%`;

function matching(db: Db, tenantId: string, s: UserSearch) {
  const text = s.q.trim().toLowerCase();
  const pattern = `%${likeEscape(text)}%`;
  // ESCAPE as a parameter, as filter.ts does: SQLite has no escape character without it.
  const like = (column: Expression<string | null>) => sql<SqlBool>`${column} like ${pattern} escape ${'\\'}`;
  const identities = (issuer: string) => sql<SqlBool>`identities like ${issuerLike(issuer)} escape ${'\\'}`;
  return inDirectory(db)
    .where('tenant_id', '=', tenantId)
    .$if(text !== '', (q) =>
      q.where((eb) =>
        eb.or([
          like(eb.fn<string>('lower', [eb.ref('display_name')])),
          like(eb.ref('mail_normalized')),
          like(eb.ref('upn_normalized')),
        ]),
      ),
    )
    .$if(s.type !== '', (q) => q.where('user_type', '=', s.type as User['userType']))
    .$if(s.state !== '', (q) => q.where('external_user_state', '=', s.state))
    .$if(s.source === 'pending', (q) => q.where('external_user_state', '=', 'PendingAcceptance'))
    .$if(s.source !== '' && s.source !== 'pending', (q) =>
      q.where('user_type', '=', 'Guest').where('external_user_state', '=', 'Accepted'),
    )
    .$if(s.source === 'mail' || s.source === 'personal' || s.source === 'google', (q) =>
      q.where(identities(ISSUER[s.source as keyof typeof ISSUER])),
    )
    .$if(s.source === 'other', (q) => q.where((eb) => eb.not(eb.or(Object.values(ISSUER).map((i) => identities(i))))));
}

function ordered(db: Db, tenantId: string, s: UserSearch) {
  const column = SORT_COLUMN[s.sort];
  // Ties go by display name within a type or a state (as their indexes, migration 0037), else by id alone.
  const byName = s.sort === 'type' || s.sort === 'state';
  // Users without a mail or a state come first going up and last going down on both stores (SQLite's own order).
  const nullable = column === 'mail_normalized' || column === 'external_user_state';
  return matching(db, tenantId, s)
    .selectAll()
    .$if(!nullable, (q) => q.orderBy(column, s.dir))
    .$if(nullable, (q) =>
      q.orderBy(sql`${sql.ref(column)} ${sql.raw(s.dir === 'asc' ? 'asc nulls first' : 'desc nulls last')}`),
    )
    .$if(byName, (q) => q.orderBy('display_name', s.dir))
    .orderBy('id', s.dir);
}

export interface UserResults {
  items: User[];
  /** how many users match in all */
  total: number;
}

/** One page of the users that match, `limit` of them from `offset`, with how many match in all. */
export async function searchUsers(
  db: Db,
  tenantId: string,
  s: UserSearch,
  { offset, limit }: { offset: number; limit: number },
): Promise<UserResults> {
  const [rows, count] = await Promise.all([
    ordered(db, tenantId, s).limit(limit).offset(offset).execute(),
    matching(db, tenantId, s)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toUser), total: Number(count.n) };
}

/** Every user that matches, in the list's order, `batch` at a time (the CSV export streams them). */
export async function* eachUser(db: Db, tenantId: string, s: UserSearch, batch = 500): AsyncGenerator<User[]> {
  for (let offset = 0; ; offset += batch) {
    const rows = await ordered(db, tenantId, s).limit(batch).offset(offset).execute();
    if (rows.length > 0) yield rows.map(toUser);
    if (rows.length < batch) return;
  }
}
