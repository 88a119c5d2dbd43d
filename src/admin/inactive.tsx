// The admin center's "Inactive guests" at /admin/<tenant id>/inactive: guests who never redeemed, and guests with no
// sign-in for N days (N in the form, 90 by default), from the sign-in log's signInActivity (directory/inactive.ts).
// Ticked guests are disabled or deleted in bulk after a confirmation page; both forms carry the CSRF value and the
// guard checks the right to manage users.
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';

import {
  DEFAULT_INACTIVE_DAYS,
  deleteGuests,
  disableGuests,
  inactiveGuests,
  MAX_INACTIVE_DAYS,
  type InactiveGuest,
} from '../directory/inactive.ts';
import { isUuid } from '../directory/tenants.ts';
import { t, type Lang } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import type { Services } from '../services.ts';
import { ConfirmPage } from './confirm.tsx';
import { actorOf, shellOf, type AdminEnv, type AdminGuard, type Posted, type Signed } from './guard.tsx';
import { AdminLayout } from './pages.tsx';

type Bulk = 'disable' | 'delete';

const daysOf = (raw: string | undefined): number => {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= MAX_INACTIVE_DAYS ? n : DEFAULT_INACTIVE_DAYS;
};
const when = (iso: string | null, lang: Lang) =>
  iso ? <time datetime={iso}>{iso.slice(0, 10)}</time> : t(lang, 'admin.inactive.never');

export function inactiveRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();

  const layout = (s: Signed, body: Child, title = t(s.lang, 'admin.inactive')) => (
    <AdminLayout {...shellOf(s)} section="inactive" title={title}>
      {body}
    </AdminLayout>
  );

  function listPage(s: Signed, days: number, guests: InactiveGuest[], notice?: string) {
    const { lang } = s;
    const base = `/admin/${s.tenant.id}/inactive`;
    return layout(
      s,
      <>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <form method="get" action={base}>
          <label for="days">{t(lang, 'admin.inactive.days')}</label>
          <input id="days" name="days" type="number" min="1" max={String(MAX_INACTIVE_DAYS)} value={String(days)} />
          <button type="submit">{t(lang, 'admin.inactive.show')}</button>
        </form>
        {guests.length === 0 ? (
          <p>{t(lang, 'admin.inactive.none', { days: String(days) })}</p>
        ) : (
          <form method="post" action={`${base}/confirm`}>
            <Csrf value={s.admin.csrf} />
            <input type="hidden" name="days" value={String(days)} />
            <table>
              <thead>
                <tr>
                  <th>
                    <span class="visually-hidden">{t(lang, 'shell.select')}</span>
                  </th>
                  <th>{t(lang, 'admin.inactive.col.name')}</th>
                  <th>{t(lang, 'admin.inactive.col.mail')}</th>
                  <th>{t(lang, 'admin.inactive.col.reason')}</th>
                  <th>{t(lang, 'admin.inactive.col.last')}</th>
                  <th>{t(lang, 'admin.inactive.col.enabled')}</th>
                </tr>
              </thead>
              <tbody>
                {guests.map((g) => (
                  <tr>
                    <td>
                      <input
                        type="checkbox"
                        name={`guest.${g.user.id}`}
                        value="1"
                        aria-label={g.user.mail ?? g.user.userPrincipalName}
                      />
                    </td>
                    <td>
                      <a href={`/admin/${s.tenant.id}/users/${g.user.id}`}>{g.user.displayName}</a>
                    </td>
                    <td>{g.user.mail ?? g.user.userPrincipalName}</td>
                    <td>
                      {g.reason === 'neverRedeemed'
                        ? t(lang, 'admin.inactive.neverRedeemed')
                        : t(lang, 'admin.inactive.idle', { days: String(days) })}
                    </td>
                    <td>{when(g.signInActivity.lastSignInDateTime, lang)}</td>
                    <td>{g.user.accountEnabled ? t(lang, 'admin.inactive.yes') : t(lang, 'admin.inactive.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div class="actions">
              <button type="submit" name="bulk" value="disable">
                {t(lang, 'admin.inactive.disable')}
              </button>
              <button type="submit" name="bulk" value="delete" class="secondary">
                {t(lang, 'admin.inactive.delete')}
              </button>
            </div>
          </form>
        )}
      </>,
    );
  }

  app.get('/admin/:tenant/inactive', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const days = daysOf(c.req.query('days'));
    return c.html(listPage(s, days, await inactiveGuests(store.db, clock, s.tenant.id, days)));
  });

  /** The guests a form names (ticked boxes `guest.<id>`, or the confirmation's `ids`) that are still inactive. */
  async function picked(s: Signed, form: Record<string, string | File>, days: number): Promise<InactiveGuest[]> {
    const named = new Set(
      typeof form.ids === 'string'
        ? form.ids.split(',')
        : Object.keys(form)
            .filter((k) => k.startsWith('guest.'))
            .map((k) => k.slice('guest.'.length)),
    );
    const ids = [...named].filter(isUuid).map((id) => id.toLowerCase());
    return (await inactiveGuests(store.db, clock, s.tenant.id, days)).filter((g) => ids.includes(g.user.id));
  }
  const bulkOf = (value: unknown): Bulk | undefined => (value === 'disable' || value === 'delete' ? value : undefined);
  /** What a form asks: the days, the bulk action and the guests it picked. */
  const choiceOf = async (s: Posted) => {
    const days = daysOf(String(s.form.days ?? ''));
    return { days, bulk: bulkOf(s.form.bulk), guests: await picked(s, s.form, days) };
  };
  /** The list again, saying there is nothing to do (a 400). */
  const nothingPage = async (s: Signed, days: number) =>
    listPage(s, days, await inactiveGuests(store.db, clock, s.tenant.id, days), t(s.lang, 'admin.inactive.nothing'));

  // Step 1: what would change, and the button that does it.
  app.post('/admin/:tenant/inactive/confirm', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const { days, bulk, guests } = await choiceOf(s);
    if (!bulk || guests.length === 0) return c.html(await nothingPage(s, days), 400);
    const { lang } = s;
    const count = String(guests.length);
    return c.html(
      <ConfirmPage
        {...shellOf(s)}
        section="inactive"
        title={t(lang, 'admin.inactive.confirmTitle')}
        text={t(lang, bulk === 'delete' ? 'admin.inactive.confirmDelete' : 'admin.inactive.confirmDisable', { count })}
        action={`/admin/${s.tenant.id}/inactive/apply`}
        fields={{ days: String(days), bulk, ids: guests.map((g) => g.user.id).join(',') }}
        cancel={`/admin/${s.tenant.id}/inactive?days=${days}`}
        button={t(lang, bulk === 'delete' ? 'admin.inactive.delete' : 'admin.inactive.disable')}
      >
        <ul>
          {guests.map((g) => (
            <li>{g.user.mail ?? g.user.userPrincipalName}</li>
          ))}
        </ul>
      </ConfirmPage>,
    );
  });

  // Step 2: the change, in one transaction, each guest with its audit event.
  app.post('/admin/:tenant/inactive/apply', guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const { days, bulk, guests } = await choiceOf(s);
    if (!bulk || guests.length === 0) return c.html(await nothingPage(s, days), 400);
    const ids = guests.map((g) => g.user.id);
    const done = await store.transaction((tx) =>
      (bulk === 'delete' ? deleteGuests : disableGuests)(tx, clock, s.tenant.id, ids, actorOf(s)),
    );
    const notice = t(s.lang, bulk === 'delete' ? 'admin.inactive.deleted' : 'admin.inactive.disabled', {
      count: String(done.length),
    });
    return c.html(listPage(s, days, await inactiveGuests(store.db, clock, s.tenant.id, days), notice));
  });

  return app;
}
