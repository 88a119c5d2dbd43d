// The admin center's list of users: search by substring over name, mail, user principal name (and so domain),
// filters by user type, invitation state and source, sorting by a column with a stable order (by display name, then
// id, by default), pages by offset with the total. Measured at 100,000 guests in docs/performance.md (`npm run bench -- admin-list`).
import { sql, SqliteAdapter, type Expression, type SqlBool } from 'kysely';

import type { Db } from '../store/index.ts';
import { foldText } from '../store/json.ts';
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

/** The shortest text the trigram index (migration 0043) finds: a trigram is three characters. */
export const TRIGRAM = 3;

/**
 * How a substring search runs: through SQLite's trigram index where it can (3 characters or more), or a LIKE
 * (PostgreSQL's GIN indexes serve that).
 */
export type SearchBy = 'index' | 'like';
const isSqlite = (db: Db) => db.getExecutor().adapter instanceof SqliteAdapter;

/** The users whose name, mail or user principal name holds `text`, by the trigram index (SQLite, 3 characters or more). */
function indexed(tenantId: string, text: string) {
  // An FTS5 string: the text in double quotes, each double quote doubled; the trigram tokenizer finds it as a substring.
  const phrase = `"${text.replace(/"/g, '""')}"`;
  // `+k.tenant_id`: the keys are read by the matches' rids (their primary key), not by walking the tenant's 100,000
  // keys to test each rid; at 100,000 guests a search for one domain's 101 went from 57 to 20 ms and its count from
  // 26 to 3 ms; a text every guest holds costs 30% more (docs/performance.md).
  return sql<string>`(select k.id from users_search_keys k where +k.tenant_id = ${tenantId} and k.rid in
    (select rowid from users_search where users_search match ${phrase}))`;
}

function matching(db: Db, tenantId: string, s: UserSearch, by?: SearchBy) {
  const text = foldText(s.q.trim());
  const sqlite = isSqlite(db);
  const index = sqlite && by !== 'like' && Array.from(text).length >= TRIGRAM;
  const pattern = `%${likeEscape(text)}%`;
  // ESCAPE as a parameter, as filter.ts does: SQLite has no escape character without it.
  const like = (column: Expression<string | null>) => sql<SqlBool>`${column} like ${pattern} escape ${'\\'}`;
  // SQLite's lower() folds ASCII only: a text with other letters is compared through portico_fold (store/index.ts).
  const lower = sqlite && /\P{ASCII}/u.test(text) ? 'portico_fold' : 'lower';
  const identities = (issuer: string) => sql<SqlBool>`identities like ${issuerLike(issuer)} escape ${'\\'}`;
  return inDirectory(db)
    .where('tenant_id', '=', tenantId)
    .$if(index, (q) => q.where('id', 'in', indexed(tenantId, text)))
    .$if(text !== '' && !index, (q) =>
      q.where((eb) =>
        eb.or([
          like(eb.fn<string>(lower, [eb.ref('display_name')])),
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

function ordered(db: Db, tenantId: string, s: UserSearch, by?: SearchBy) {
  const column = SORT_COLUMN[s.sort];
  // Ties go by display name within a type or a state (as their indexes, migration 0037), else by id alone.
  const byName = s.sort === 'type' || s.sort === 'state';
  // Users without a mail or a state come first going up and last going down on both stores (SQLite's own order).
  const nullable = column === 'mail_normalized' || column === 'external_user_state';
  return matching(db, tenantId, s, by)
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

/**
 * One page of the users that match, `limit` of them from `offset`, with how many match in all. `by` forces how a
 * substring is searched (the test that the index and LIKE agree).
 */
export async function searchUsers(
  db: Db,
  tenantId: string,
  s: UserSearch,
  { offset, limit, by }: { offset: number; limit: number; by?: SearchBy },
): Promise<UserResults> {
  const [rows, count] = await Promise.all([
    ordered(db, tenantId, s, by).limit(limit).offset(offset).execute(),
    matching(db, tenantId, s, by)
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
