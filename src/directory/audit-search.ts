// The admin center's audit log list: a substring of the activity, its result reason or who did it; by category and
// result, between two days; sorted by a column with a stable order (newest first, then id, by default); pages by
// offset with the total (directory/list-search.ts).
import { sql } from 'kysely';

import type { Db } from '../store/index.ts';
import { toAuditEvent, type AuditInput } from './audit.ts';
import { containsText, jsonText, listSearch, type ListSearch, type Text } from './list-search.ts';

export const AUDIT_SORTS = ['time', 'activity', 'category', 'result'] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];
export const AUDIT_CATEGORIES = [
  'UserManagement',
  'GroupManagement',
  'ApplicationManagement',
  'DirectoryManagement',
  'KeyManagement',
  'Policy',
  'RoleManagement',
] as const satisfies readonly AuditInput['category'][];
export type AuditSearch = ListSearch<AuditSort> & {
  category: '' | AuditInput['category'];
  result: '' | 'success' | 'failure';
  /** ISO times, inclusive; '' for open */
  since: string;
  until: string;
};

const audit = listSearch({
  matching: (db: Db, tenantId: string, s: AuditSearch) => {
    const text = containsText(
      db,
      [
        sql.ref<string>('activity_display_name'),
        sql.ref<string>('result_reason'),
        jsonText(db, 'initiated_by', 'userPrincipalName'),
        jsonText(db, 'initiated_by', 'displayName'),
      ],
      s.q,
    );
    return db
      .selectFrom('audit_events')
      .where('tenant_id', '=', tenantId)
      .$if(s.category !== '', (q) => q.where('category', '=', s.category))
      .$if(s.result !== '', (q) => q.where('result', '=', s.result as 'success'))
      .$if(s.since !== '', (q) => q.where('activity_date_time', '>=', s.since))
      .$if(s.until !== '', (q) => q.where('activity_date_time', '<=', s.until))
      .$if(text !== undefined, (q) => q.where(text!));
  },
  // Ties go by time (then id).
  order: (s): Text[] => {
    const time = sql.ref<string>('activity_date_time');
    const key = { time: undefined, activity: 'activity_display_name', category: 'category', result: 'result' }[s.sort];
    return key ? [sql.ref<string>(key), time] : [time];
  },
  toItem: toAuditEvent,
});

export const searchAudit = audit.search;
export const eachAuditEvent = audit.each;
