// The admin center's sign-in log list: a substring of the user, app, identity provider, address or failure; by
// status, between two days; sorted by a column with a stable order (newest first, then id, by default); pages by
// offset with the total (directory/list-search.ts).
import { sql } from 'kysely';

import { containsText, listSearch, type ListSearch, type Text } from '../directory/list-search.ts';
import type { Db } from '../store/index.ts';
import { toSignIn, type SignInResult } from './signins.ts';

export const SIGNIN_SORTS = ['time', 'user', 'app', 'provider', 'result'] as const;
export type SignInSort = (typeof SIGNIN_SORTS)[number];
export type SignInSearch = ListSearch<SignInSort> & {
  result: '' | SignInResult;
  /** ISO times, inclusive; '' for open */
  since: string;
  until: string;
};

const TEXT = ['upn_normalized', 'user_display_name', 'app_display_name', 'identity_provider', 'ip_address'];

const signIns = listSearch({
  matching: (db: Db, tenantId: string, s: SignInSearch) => {
    const text = containsText(
      db,
      [...TEXT, 'failure_reason'].map((c) => sql.ref<string>(c)),
      s.q,
    );
    return db
      .selectFrom('sign_ins')
      .where('tenant_id', '=', tenantId)
      .$if(s.result !== '', (q) => q.where('result', '=', s.result as SignInResult))
      .$if(s.since !== '', (q) => q.where('created_at', '>=', s.since))
      .$if(s.until !== '', (q) => q.where('created_at', '<=', s.until))
      .$if(text !== undefined, (q) => q.where(text!));
  },
  // Ties go by time (then id).
  order: (s): Text[] => {
    const time = sql.ref<string>('created_at');
    const key = {
      time: undefined,
      user: 'upn_normalized',
      app: 'app_display_name',
      provider: 'identity_provider',
      result: 'result',
    }[s.sort];
    return key ? [sql.ref<string>(key), time] : [time];
  },
  toItem: toSignIn,
});

export const searchSignIns = signIns.search;
export const eachSignIn = signIns.each;
