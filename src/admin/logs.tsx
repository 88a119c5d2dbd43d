// The admin center's logs at /admin/<tenant id>/logs: the audit log and the sign-in log on the one list component,
// newest first (then id), each with a substring search and filters (category, result, days) that run in the query,
// sortable columns, previous and next pages with the count, and the CSV of what the search selects.
import { Hono } from 'hono';

import {
  AUDIT_CATEGORIES,
  AUDIT_SORTS,
  eachAuditEvent,
  searchAudit,
  type AuditSearch,
  type AuditSort,
} from '../directory/audit-search.ts';
import type { AuditEvent } from '../directory/audit.ts';
import type { ListSearch } from '../directory/list-search.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { eachSignIn, searchSignIns, SIGNIN_SORTS, type SignInSort } from '../signins/signin-search.ts';
import type { SignIn, SignInResult } from '../signins/signins.ts';
import { shellOf, type AdminEnv, type AdminGuard } from './guard.tsx';
import { csvResponse, listProps, listSearchOf, PAGE_SIZE, pick } from './list-export.ts';
import { FilterSelect, List, SearchField, When } from './list.tsx';
import { PageLayout, type Shell } from './pages.tsx';

export interface LogQuery {
  log: 'audit' | 'signins';
  category: AuditSearch['category'];
  result: '' | SignInResult;
  /** YYYY-MM-DD, UTC, inclusive; '' for open */
  from: string;
  to: string;
}

const day = (value: string | undefined): string => {
  const v = (value ?? '').trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : '';
};
const since = (d: string) => (d ? `${d}T00:00:00.000Z` : '');
const until = (d: string) => (d ? `${d}T23:59:59.999Z` : '');
const RESULTS = ['success', 'failure', 'interrupted'] as const;

/** The log, filters and search the address asks for. */
function logQueryOf(query: (name: string) => string | undefined) {
  const log: LogQuery['log'] = query('log') === 'signins' ? 'signins' : 'audit';
  const filters: LogQuery = {
    log,
    category: pick(query('category'), AUDIT_CATEGORIES),
    result: pick(query('result'), log === 'audit' ? RESULTS.slice(0, 2) : RESULTS),
    from: day(query('from')),
    to: day(query('to')),
  };
  const list = listSearchOf(query, log === 'audit' ? AUDIT_SORTS : SIGNIN_SORTS, 'desc');
  const times = { since: since(filters.from), until: until(filters.to) };
  return {
    filters,
    audit: {
      ...list,
      ...times,
      sort: list.sort as AuditSort,
      category: filters.category,
      result: filters.result as AuditSearch['result'],
    },
    signIns: { ...list, ...times, sort: list.sort as SignInSort, result: filters.result },
  };
}

export function logsRoutes(services: Services, guard: AdminGuard) {
  const { store } = services;
  const app = new Hono<AdminEnv>();

  app.get('/admin/:tenant/logs', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const { filters, audit, signIns } = logQueryOf((name) => c.req.query(name));
    const props = { ...shellOf(s), query: filters };
    const page = { offset: audit.offset, limit: PAGE_SIZE };
    if (filters.log === 'audit') {
      const found = await searchAudit(store.db, s.tenant.id, audit, page);
      return c.html(<LogsPage {...props} search={audit} audit={found.items} total={found.total} />);
    }
    const found = await searchSignIns(store.db, s.tenant.id, signIns, page);
    return c.html(<LogsPage {...props} search={signIns} signIns={found.items} total={found.total} />);
  });

  app.get('/admin/:tenant/logs/export.csv', guard.signedIn('view'), (c) => {
    const s = c.var.signed;
    const { filters, audit, signIns } = logQueryOf((name) => c.req.query(name));
    if (filters.log === 'audit')
      return csvResponse(
        c,
        'audit-log.csv',
        [
          'id',
          'activityDateTime',
          'activityDisplayName',
          'category',
          'result',
          'resultReason',
          'initiatedBy',
          'targets',
        ],
        eachAuditEvent(store.db, s.tenant.id, audit),
        (e) => [
          e.id,
          e.activityDateTime,
          e.activityDisplayName,
          e.category,
          e.result,
          e.resultReason,
          actorName(e),
          targets(e),
        ],
      );
    return csvResponse(
      c,
      'sign-in-log.csv',
      [
        'id',
        'createdDateTime',
        'userPrincipalName',
        'appDisplayName',
        'identityProvider',
        'result',
        'errorCode',
        'failureReason',
        'ipAddress',
      ],
      eachSignIn(store.db, s.tenant.id, signIns),
      (e) => [
        e.id,
        e.createdDateTime,
        e.userPrincipalName,
        e.appDisplayName,
        e.identityProvider,
        e.result,
        e.errorCode,
        e.failureReason,
        e.ipAddress,
      ],
    );
  });

  return app;
}

const time = (iso: string) => <When iso={iso} seconds />;
const targets = (e: AuditEvent) =>
  e.targetResources.map((r) => r.userPrincipalName ?? r.displayName ?? r.id).join(', ');
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
  search,
  audit,
  signIns,
  total,
}: Shell & {
  query: LogQuery;
  search: ListSearch<string> & { offset: number };
  audit?: AuditEvent[];
  signIns?: SignIn[];
  total: number;
}) {
  const base = `/admin/${tenant.id}/logs`;
  const filters: Record<string, string> =
    query.log === 'audit'
      ? { log: 'audit', category: query.category, result: query.result, from: query.from, to: query.to }
      : { log: 'signins', result: query.result, from: query.from, to: query.to };
  const results = query.log === 'audit' ? RESULTS.slice(0, 2) : RESULTS;
  const dates = (
    <>
      <label for="from">{t(lang, 'admin.logs.from')}</label>
      <input id="from" name="from" type="date" value={query.from} />
      <label for="to">{t(lang, 'admin.logs.to')}</label>
      <input id="to" name="to" type="date" value={query.to} />
    </>
  );
  const col = (key: Parameters<typeof t>[1]) => t(lang, key);
  const paging = { ...listProps(lang, base, search, filters, total), empty: t(lang, 'admin.logs.none') };
  const search_ = {
    apply: t(lang, 'admin.logs.apply'),
    fields: (
      <>
        <input type="hidden" name="log" value={query.log} />
        <SearchField
          label={t(lang, query.log === 'audit' ? 'lists.audit.search' : 'lists.signins.search')}
          value={search.q}
        />
        {query.log === 'audit' && (
          <FilterSelect
            id="category"
            label={t(lang, 'lists.category')}
            any={t(lang, 'admin.logs.any')}
            options={AUDIT_CATEGORIES.map((c) => [c, c] as const)}
            current={query.category}
          />
        )}
        <FilterSelect
          id="result"
          label={t(lang, 'admin.logs.result')}
          any={t(lang, 'admin.logs.any')}
          options={results.map((r) => [r, resultLabel(lang, r)] as const)}
          current={query.result}
        />
        {dates}
      </>
    ),
  };
  return (
    <PageLayout
      page={{ lang, tenant, user, csrf }}
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
          search={search_}
          rows={audit}
          columns={[
            { label: col('admin.logs.col.time'), sort: 'time', cell: (e) => time(e.activityDateTime) },
            { label: col('admin.logs.col.activity'), sort: 'activity', cell: (e) => e.activityDisplayName },
            { label: col('admin.logs.col.category'), sort: 'category', cell: (e) => e.category },
            {
              label: col('admin.logs.col.result'),
              sort: 'result',
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
              cell: targets,
            },
          ]}
        />
      )}
      {signIns && (
        <List
          {...paging}
          search={search_}
          rows={signIns}
          columns={[
            { label: col('admin.logs.col.time'), sort: 'time', cell: (e) => time(e.createdDateTime) },
            { label: col('admin.logs.col.user'), sort: 'user', cell: (e) => e.userPrincipalName },
            { label: col('admin.logs.col.app'), sort: 'app', cell: (e) => e.appDisplayName ?? '' },
            { label: col('admin.logs.col.provider'), sort: 'provider', cell: (e) => e.identityProvider },
            { label: col('admin.logs.col.result'), sort: 'result', cell: (e) => resultLabel(lang, e.result) },
            {
              label: col('admin.logs.col.reason'),
              cell: (e) => (e.errorCode ? `${e.errorCode}: ${e.failureReason ?? ''}` : ''),
            },
            { label: col('admin.logs.col.ip'), cell: (e) => e.ipAddress ?? '' },
          ]}
        />
      )}
    </PageLayout>
  );
}
