// The admin center's outbox at /admin/<tenant id>/outbox: the tenant's queued, sent and undeliverable email with a
// state filter; an undeliverable message (a dead letter) can be retried or discarded by a role with 'settings'.
import { Hono, type Context } from 'hono';

import { isUuid } from '../directory/tenants.ts';
import { t } from '../i18n/index.ts';
import { eachOutboxEntry, OUTBOX_SORTS, searchOutbox, type OutboxSearch } from '../mail/outbox-search.ts';
import { discardDead, OUTBOX_STATES, retryDead, type OutboxEntry } from '../mail/outbox.ts';
import { Csrf } from '../pages/csrf.tsx';
import { errorPage } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { actorOf, shellOf, type AdminEnv, type AdminGuard } from './guard.tsx';
import { csvExportRoute, listProps, listSearchOf, PAGE_SIZE, pick } from './list-export.ts';
import { FilterSelect, List, SearchField, When } from './list.tsx';
import { AdminLayout, type Shell } from './pages.tsx';
import { can } from './roles.ts';

type OutboxState = (typeof OUTBOX_STATES)[number];
const DONE = ['retried', 'discarded', 'unchanged'] as const;
type Done = (typeof DONE)[number];

export function outboxRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();

  const searchOf = (c: Context<AdminEnv>): OutboxSearch & { offset: number } => ({
    ...listSearchOf((name) => c.req.query(name), OUTBOX_SORTS, 'desc'),
    state: pick(c.req.query('state'), OUTBOX_STATES),
  });

  app.get('/admin/:tenant/outbox', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const search = searchOf(c);
    const found = await searchOutbox(store.db, s.tenant.id, search, { offset: search.offset, limit: PAGE_SIZE });
    const doneParam = c.req.query('done');
    const done = DONE.find((x) => x === doneParam);
    return c.html(
      <OutboxPage
        {...shellOf(s)}
        search={search}
        items={found.items}
        total={found.total}
        done={done}
        canAct={can(s.admin.user.roles, 'settings')}
      />,
    );
  });

  csvExportRoute(app, guard, {
    section: 'outbox',
    head: ['id', 'to', 'subject', 'state', 'attempts', 'lastError', 'createdDateTime', 'sentDateTime'],
    each: (c, tenantId) => eachOutboxEntry(store.db, tenantId, searchOf(c)),
    cells: (m) => [
      m.id,
      m.to.join(', '),
      m.subject,
      m.state,
      m.attempts,
      m.lastError,
      m.createdDateTime,
      m.sentDateTime,
    ],
  });

  for (const [action, run] of [
    ['retry', retryDead],
    ['discard', discardDead],
  ] as const) {
    app.post(`/admin/:tenant/outbox/:id/${action}`, guard.posted('settings'), async (c) => {
      const s = c.var.posted;
      const id = c.req.param('id');
      if (!isUuid(id)) return errorPage(c, s, t(s.lang, 'admin.outbox'), t(s.lang, 'admin.outbox.unchanged'), 404);
      const actor = actorOf(s);
      const changed = await store.transaction((tx) => run(tx, clock, s.tenant.id, id.toLowerCase(), actor));
      const done: Done = !changed ? 'unchanged' : action === 'retry' ? 'retried' : 'discarded';
      return c.redirect(`/admin/${s.tenant.id}/outbox?${new URLSearchParams({ state: 'dead', done })}`, 303);
    });
  }

  return app;
}

const time = (iso: string | null) => <When iso={iso} seconds />;

function OutboxPage({
  lang,
  tenant,
  user,
  csrf,
  search,
  items,
  total,
  done,
  canAct,
}: Shell & {
  search: OutboxSearch & { offset: number };
  items: OutboxEntry[];
  total: number;
  done?: Done;
  canAct: boolean;
}) {
  const base = `/admin/${tenant.id}/outbox`;
  const label = (s: string) =>
    OUTBOX_STATES.includes(s as OutboxState) ? t(lang, `admin.outbox.${s as OutboxState}`) : s;
  const act = (m: OutboxEntry, action: 'retry' | 'discard') => (
    <form method="post" action={`${base}/${m.id}/${action}`}>
      <Csrf value={csrf} />
      <button
        type="submit"
        class={action === 'discard' ? 'secondary' : undefined}
        aria-label={t(lang, action === 'retry' ? 'admin.outbox.retryOf' : 'admin.outbox.discardOf', {
          subject: m.subject,
          to: m.to.join(', '),
        })}
      >
        {t(lang, action === 'retry' ? 'admin.outbox.retry' : 'admin.outbox.discard')}
      </button>
    </form>
  );
  return (
    <AdminLayout lang={lang} tenant={tenant} user={user} csrf={csrf} section="outbox" title={t(lang, 'admin.outbox')}>
      {done && <p role="status">{t(lang, `admin.outbox.${done}`)}</p>}
      <List
        rows={items}
        empty={t(lang, 'admin.outbox.none')}
        {...listProps(lang, base, search, { state: search.state }, total)}
        search={{
          apply: t(lang, 'admin.outbox.apply'),
          fields: (
            <>
              <SearchField label={t(lang, 'lists.outbox.search')} value={search.q} />
              <FilterSelect
                id="state"
                label={t(lang, 'admin.outbox.state')}
                any={t(lang, 'admin.outbox.any')}
                options={OUTBOX_STATES.map((x) => [x, label(x)] as const)}
                current={search.state}
              />
            </>
          ),
        }}
        columns={[
          { label: t(lang, 'admin.outbox.col.to'), sort: 'to', cell: (m) => m.to.join(', ') },
          { label: t(lang, 'admin.outbox.col.subject'), sort: 'subject', cell: (m) => m.subject },
          {
            label: t(lang, 'admin.outbox.col.state'),
            sort: 'state',
            cell: (m) => (
              <>
                {label(m.state)}
                {m.resentAfterUnknownOutcome && (
                  <>
                    <br />
                    <small>{t(lang, 'admin.outbox.resentUnknown')}</small>
                  </>
                )}
              </>
            ),
          },
          { label: t(lang, 'admin.outbox.col.attempts'), sort: 'attempts', cell: (m) => m.attempts },
          { label: t(lang, 'admin.outbox.col.lastError'), cell: (m) => m.lastError ?? '' },
          { label: t(lang, 'admin.outbox.col.created'), sort: 'created', cell: (m) => time(m.createdDateTime) },
          { label: t(lang, 'admin.outbox.col.next'), cell: (m) => time(m.nextAttemptDateTime) },
          { label: t(lang, 'admin.outbox.col.sent'), sort: 'sent', cell: (m) => time(m.sentDateTime) },
          canAct && {
            label: t(lang, 'admin.outbox.col.actions'),
            cell: (m) =>
              m.state === 'dead' && (
                <>
                  {act(m, 'retry')}
                  {act(m, 'discard')}
                </>
              ),
          },
        ]}
      />
    </AdminLayout>
  );
}
