// The admin center's outbox at /admin/<tenant id>/outbox: the tenant's queued, sent and undeliverable email with a
// state filter; an undeliverable message (a dead letter) can be retried or discarded by a role with 'settings'.
import { Hono } from 'hono';

import type { Actor } from '../directory/audit.ts';
import { isUuid, type Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import { discardDead, listOutbox, OUTBOX_STATES, retryDead, type OutboxEntry } from '../mail/outbox.ts';
import { Csrf } from '../pages/csrf.tsx';
import { ErrorPage } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import type { AdminEnv, AdminGuard } from './guard.tsx';
import { List } from './list.tsx';
import { AdminLayout } from './pages.tsx';
import { can } from './roles.ts';

const PAGE_SIZE = 50;

type State = (typeof OUTBOX_STATES)[number];
const DONE = ['retried', 'discarded', 'unchanged'] as const;
type Done = (typeof DONE)[number];

export function outboxRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();

  app.get('/admin/:tenant/outbox', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const stateParam = c.req.query('state');
    const state = OUTBOX_STATES.find((x) => x === stateParam) ?? '';
    const after = c.req.query('after');
    const rows = await listOutbox(store.db, s.tenant.id, {
      top: PAGE_SIZE + 1,
      state: state || undefined,
      after: after && isUuid(after) ? after.toLowerCase() : undefined,
    });
    const items = rows.slice(0, PAGE_SIZE);
    const next = rows.length > PAGE_SIZE ? items[items.length - 1]?.id : undefined;
    const doneParam = c.req.query('done');
    const done = DONE.find((x) => x === doneParam);
    return c.html(
      <OutboxPage
        lang={s.lang}
        tenant={s.tenant}
        user={s.admin.user}
        csrf={s.admin.csrf}
        state={state}
        items={items}
        next={next}
        done={done}
        canAct={can(s.admin.user.roles, 'settings')}
      />,
    );
  });

  for (const [action, run] of [
    ['retry', retryDead],
    ['discard', discardDead],
  ] as const) {
    app.post(`/admin/:tenant/outbox/:id/${action}`, guard.posted('settings'), async (c) => {
      const s = c.var.posted;
      const id = c.req.param('id');
      if (!isUuid(id))
        return c.html(
          <ErrorPage
            lang={s.lang}
            tenant={s.tenant}
            title={t(s.lang, 'admin.outbox')}
            message={t(s.lang, 'admin.outbox.unchanged')}
          />,
          404,
        );
      const actor: Actor = { kind: 'user', id: s.admin.user.id, userPrincipalName: s.admin.user.userPrincipalName };
      const changed = await store.transaction((tx) => run(tx, clock, s.tenant.id, id.toLowerCase(), actor));
      const done: Done = !changed ? 'unchanged' : action === 'retry' ? 'retried' : 'discarded';
      return c.redirect(`/admin/${s.tenant.id}/outbox?${new URLSearchParams({ state: 'dead', done })}`, 303);
    });
  }

  return app;
}

const time = (iso: string | null) => iso && <time datetime={iso}>{iso.slice(0, 19).replace('T', ' ')}</time>;

function OutboxPage({
  lang,
  tenant,
  user,
  csrf,
  state,
  items,
  next,
  done,
  canAct,
}: {
  lang: Lang;
  tenant: Tenant;
  user: User;
  csrf: string;
  state: State | '';
  items: OutboxEntry[];
  next?: string;
  done?: Done;
  canAct: boolean;
}) {
  const base = `/admin/${tenant.id}/outbox`;
  const label = (s: string) => (OUTBOX_STATES.includes(s as State) ? t(lang, `admin.outbox.${s as State}`) : s);
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
        base={base}
        rows={items}
        empty={t(lang, 'admin.outbox.none')}
        query={{ state }}
        next={next ? { after: next } : undefined}
        nextLabel={t(lang, 'admin.outbox.next')}
        search={{
          apply: t(lang, 'admin.outbox.apply'),
          fields: (
            <>
              <label for="state">{t(lang, 'admin.outbox.state')}</label>
              <select id="state" name="state">
                <option value="" selected={state === ''}>
                  {t(lang, 'admin.outbox.any')}
                </option>
                {OUTBOX_STATES.map((s) => (
                  <option value={s} selected={s === state}>
                    {label(s)}
                  </option>
                ))}
              </select>
            </>
          ),
        }}
        columns={[
          { label: t(lang, 'admin.outbox.col.to'), cell: (m) => m.to.join(', ') },
          { label: t(lang, 'admin.outbox.col.subject'), cell: (m) => m.subject },
          {
            label: t(lang, 'admin.outbox.col.state'),
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
          { label: t(lang, 'admin.outbox.col.attempts'), cell: (m) => m.attempts },
          { label: t(lang, 'admin.outbox.col.lastError'), cell: (m) => m.lastError ?? '' },
          { label: t(lang, 'admin.outbox.col.created'), cell: (m) => time(m.createdDateTime) },
          { label: t(lang, 'admin.outbox.col.next'), cell: (m) => time(m.nextAttemptDateTime) },
          { label: t(lang, 'admin.outbox.col.sent'), cell: (m) => time(m.sentDateTime) },
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
