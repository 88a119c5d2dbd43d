// The admin center's logs at /admin/<tenant id>/logs: the audit log and the sign-in log, newest first, each with a
// GET filter form whose filters run in the query, and a next-page link that carries the filters and a cursor.
import { Hono } from 'hono';

import { listAudit, type AuditEvent } from '../directory/audit.ts';
import type { Filter } from '../directory/filter.ts';
import { isUuid, type Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { listSignIns, type SignIn, type SignInResult } from '../signins/signins.ts';
import type { AdminEnv, AdminGuard } from './guard.tsx';
import { List } from './list.tsx';
import { AdminLayout } from './pages.tsx';

const PAGE_SIZE = 50;

export interface LogQuery {
  log: 'audit' | 'signins';
  /** audit: text the activity's name contains */
  activity: string;
  /** sign-ins: the start of the user principal name */
  user: string;
  result: '' | SignInResult;
  /** YYYY-MM-DD, UTC, inclusive; '' for open */
  from: string;
  to: string;
}

interface Cursor {
  time: string;
  id: string;
}

const day = (value: string | undefined): string => {
  const v = (value ?? '').trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : '';
};
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const cursorOf = (time: string | undefined, id: string | undefined): Cursor | undefined =>
  time && id && ISO_TIME.test(time) && isUuid(id) ? { time, id: id.toLowerCase() } : undefined;
const since = (d: string) => (d ? `${d}T00:00:00.000Z` : undefined);
const until = (d: string) => (d ? `${d}T23:59:59.999Z` : undefined);

/** The sign-ins filter the form describes, as the Filter AST listSignIns compiles. */
function signInFilter(q: LogQuery): Filter | undefined {
  const parts: Filter[] = [];
  if (q.user.trim()) parts.push({ op: 'startswith', property: 'userPrincipalName', value: q.user.trim() });
  if (q.from) parts.push({ op: 'ge', property: 'createdDateTime', value: new Date(since(q.from)!) });
  if (q.to) parts.push({ op: 'le', property: 'createdDateTime', value: new Date(until(q.to)!) });
  return parts.reduce<Filter | undefined>((all, f) => (all ? { op: 'and', left: all, right: f } : f), undefined);
}

export function logsRoutes(services: Services, guard: AdminGuard) {
  const { store } = services;
  const app = new Hono<AdminEnv>();

  app.get('/admin/:tenant/logs', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const result = c.req.query('result');
    const query: LogQuery = {
      log: c.req.query('log') === 'signins' ? 'signins' : 'audit',
      activity: (c.req.query('activity') ?? '').slice(0, 100),
      user: (c.req.query('user') ?? '').slice(0, 256),
      result: result === 'success' || result === 'failure' || result === 'interrupted' ? result : '',
      from: day(c.req.query('from')),
      to: day(c.req.query('to')),
    };
    const before = cursorOf(c.req.query('beforeTime'), c.req.query('beforeId'));
    const props = { lang: s.lang, tenant: s.tenant, user: s.admin.user, csrf: s.admin.csrf, query };
    if (query.log === 'audit') {
      const rows = await listAudit(store.db, s.tenant.id, {
        top: PAGE_SIZE + 1,
        before,
        activity: query.activity.trim() || undefined,
        since: since(query.from),
        until: until(query.to),
      });
      const items = rows.slice(0, PAGE_SIZE);
      const last = items[items.length - 1];
      const next = rows.length > PAGE_SIZE && last ? { time: last.activityDateTime, id: last.id } : undefined;
      return c.html(<LogsPage {...props} audit={items} next={next} />);
    }
    const page = await listSignIns(store.db, s.tenant.id, {
      top: PAGE_SIZE,
      before,
      filter: signInFilter(query),
      result: query.result || undefined,
    });
    return c.html(<LogsPage {...props} signIns={page.items} next={page.next} />);
  });

  return app;
}

const time = (iso: string) => <time datetime={iso}>{iso.slice(0, 19).replace('T', ' ')}</time>;
const actorName = (e: AuditEvent) =>
  e.initiatedBy.kind === 'user' ? e.initiatedBy.userPrincipalName : e.initiatedBy.displayName;
const resultLabel = (lang: Lang, result: string) =>
  result === 'success'
    ? t(lang, 'admin.logs.success')
    : result === 'failure'
      ? t(lang, 'admin.logs.failure')
      : result === 'interrupted'
        ? t(lang, 'admin.logs.interrupted')
        : result;

function LogsPage({
  lang,
  tenant,
  user,
  csrf,
  query,
  audit,
  signIns,
  next,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  query: LogQuery;
  audit?: AuditEvent[];
  signIns?: SignIn[];
  next?: Cursor;
}) {
  const base = `/admin/${tenant.id}/logs`;
  const filters: Record<string, string> =
    query.log === 'audit'
      ? { log: 'audit', activity: query.activity, from: query.from, to: query.to }
      : { log: 'signins', user: query.user, result: query.result, from: query.from, to: query.to };
  const option = (value: string, label: string, current: string) => (
    <option value={value} selected={value === current}>
      {label}
    </option>
  );
  const dates = (
    <>
      <label for="from">{t(lang, 'admin.logs.from')}</label>
      <input id="from" name="from" type="date" value={query.from} />
      <label for="to">{t(lang, 'admin.logs.to')}</label>
      <input id="to" name="to" type="date" value={query.to} />
    </>
  );
  const col = (key: Parameters<typeof t>[1]) => t(lang, key);
  const paging = {
    base,
    query: filters,
    next: next && { beforeTime: next.time, beforeId: next.id },
    nextLabel: t(lang, 'admin.logs.next'),
    empty: t(lang, 'admin.logs.none'),
  };
  const search = {
    apply: t(lang, 'admin.logs.apply'),
    fields: (
      <>
        <input type="hidden" name="log" value={query.log} />
        {query.log === 'audit' ? (
          <>
            <label for="activity">{t(lang, 'admin.logs.activity')}</label>
            <input id="activity" name="activity" type="text" value={query.activity} />
          </>
        ) : (
          <>
            <label for="user">{t(lang, 'admin.logs.user')}</label>
            <input id="user" name="user" type="text" value={query.user} />
            <label for="result">{t(lang, 'admin.logs.result')}</label>
            <select id="result" name="result">
              {option('', t(lang, 'admin.logs.any'), query.result)}
              {option('success', t(lang, 'admin.logs.success'), query.result)}
              {option('failure', t(lang, 'admin.logs.failure'), query.result)}
              {option('interrupted', t(lang, 'admin.logs.interrupted'), query.result)}
            </select>
          </>
        )}
        {dates}
      </>
    ),
  };
  return (
    <AdminLayout
      lang={lang}
      tenant={tenant}
      user={user}
      csrf={csrf}
      section="logs"
      title={t(lang, query.log === 'audit' ? 'admin.logs.audit' : 'admin.logs.signins')}
    >
      <nav class="admin" aria-label={t(lang, 'admin.logs.which')}>
        <a href={`${base}?log=audit`} aria-current={query.log === 'audit' ? 'page' : undefined}>
          {t(lang, 'admin.logs.audit')}
        </a>
        <a href={`${base}?log=signins`} aria-current={query.log === 'signins' ? 'page' : undefined}>
          {t(lang, 'admin.logs.signins')}
        </a>
      </nav>
      {audit && (
        <List
          {...paging}
          search={search}
          rows={audit}
          columns={[
            { label: col('admin.logs.col.time'), cell: (e) => time(e.activityDateTime) },
            { label: col('admin.logs.col.activity'), cell: (e) => e.activityDisplayName },
            { label: col('admin.logs.col.category'), cell: (e) => e.category },
            {
              label: col('admin.logs.col.result'),
              cell: (e) => (
                <>
                  {resultLabel(lang, e.result)}
                  {e.resultReason ? ` (${e.resultReason})` : ''}
                </>
              ),
            },
            { label: col('admin.logs.col.by'), cell: (e) => actorName(e) },
            {
              label: col('admin.logs.col.target'),
              cell: (e) => e.targetResources.map((r) => r.userPrincipalName ?? r.displayName ?? r.id).join(', '),
            },
          ]}
        />
      )}
      {signIns && (
        <List
          {...paging}
          search={search}
          rows={signIns}
          columns={[
            { label: col('admin.logs.col.time'), cell: (e) => time(e.createdDateTime) },
            { label: col('admin.logs.col.user'), cell: (e) => e.userPrincipalName },
            { label: col('admin.logs.col.app'), cell: (e) => e.appDisplayName ?? '' },
            { label: col('admin.logs.col.provider'), cell: (e) => e.identityProvider },
            { label: col('admin.logs.col.result'), cell: (e) => resultLabel(lang, e.result) },
            {
              label: col('admin.logs.col.reason'),
              cell: (e) => (e.errorCode ? `${e.errorCode}: ${e.failureReason ?? ''}` : ''),
            },
            { label: col('admin.logs.col.ip'), cell: (e) => e.ipAddress ?? '' },
          ]}
        />
      )}
    </AdminLayout>
  );
}
