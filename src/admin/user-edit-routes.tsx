// The user page's changes: Edit properties (the same change as PATCH /users/{id}: directory/user-edit.ts), and adding
// or removing a sponsor (as POST/DELETE /users/{id}/sponsors/$ref) or a group membership (as the group's members).
// Each is one transaction with its audit event; the outcome is the user page, shown once (pages/results.ts).
import { Hono } from 'hono';

import { addMemberAs, removeMemberAs } from '../directory/groups.ts';
import { updateUserAs } from '../directory/user-edit.ts';
import { findUserByRef, getUser, type User } from '../directory/users.ts';
import { InvalidRequest, PorticoError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { addSponsorAs, removeSponsorAs } from '../invitations/sponsors.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { refusalErrors, type FieldErrors } from './form-field.tsx';
import { actorOf, adminShellOf, type AdminEnv, type AdminGuard, type Posted, type Signed } from './guard.tsx';
import { editFormOf, EditUserPage, readUserEdit, type UserEditForm } from './user-edit-page.tsx';
import { userPage } from './user-view.tsx';

const ID = '{[0-9a-fA-F-]{36}}';

/** The edit form's fields for the domain's names of them (an address refusal's `what`). */
const EDIT_FIELDS: Record<string, string> = {
  mail: 'mail',
  otherMails: 'otherMails',
  userPrincipalName: 'userPrincipalName',
};

export function userEditRoutes(services: Services, guard: AdminGuard) {
  const { store, clock } = services;
  const app = new Hono<AdminEnv>();
  const text = (s: Posted, name: string) => (typeof s.form[name] === 'string' ? (s.form[name] as string) : '');

  const editPage = (s: Signed, user: User, form: UserEditForm, errors?: FieldErrors) => (
    <EditUserPage {...adminShellOf(s)} user={user} form={form} errors={errors} />
  );

  app.get(`/admin/:tenant/users/:id${ID}/edit`, guard.signedIn('manageUsers'), async (c) => {
    const s = c.var.signed;
    const user = await getUser(store.db, s.tenant.id, c.req.param('id'));
    if (!user) return c.notFound();
    return c.html(editPage(s, user, editFormOf(user)));
  });

  app.post(`/admin/:tenant/users/:id${ID}/edit`, guard.posted('manageUsers'), async (c) => {
    const s = c.var.posted;
    const user = await getUser(store.db, s.tenant.id, c.req.param('id'));
    if (!user) return c.notFound();
    const { form, edit, errors } = readUserEdit(s.lang, user, (name) => text(s, name));
    const refuse = (found: FieldErrors) => c.html(editPage(s, user, form, found), 400);
    if (Object.keys(errors).length) return refuse(errors);
    const named = Object.keys(edit);
    if (named.length === 0) return userPage(services, c, s, user.id, t(s.lang, 'admin.user.unchanged'));
    try {
      await store.transaction((tx) => updateUserAs(tx, clock, s.tenant.id, actorOf(s), user.id, edit, named));
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return refuse(refusalErrors(s.lang, error, EDIT_FIELDS));
    }
    return userPage(services, c, s, user.id, t(s.lang, 'admin.user.done', { action: t(s.lang, 'admin.user.saved') }));
  });

  /** A change of the user's sponsors or groups: refused beside its form on the user page, else the page saying so. */
  const link = (
    path: string,
    field: string,
    done: 'admin.user.sponsorAdded' | 'admin.user.sponsorRemoved' | 'admin.user.groupAdded' | 'admin.user.groupRemoved',
    change: (tx: Tx, s: Posted, userId: string, param: (name: string) => string) => Promise<void>,
  ) =>
    app.post(`/admin/:tenant/users/:id${ID}/${path}`, guard.posted('manageUsers'), async (c) => {
      const s = c.var.posted;
      const user = await getUser(store.db, s.tenant.id, c.req.param('id'));
      if (!user) return c.notFound();
      try {
        await store.transaction((tx) => change(tx, s, user.id, (name) => c.req.param(name) ?? ''));
      } catch (error) {
        if (!(error instanceof PorticoError)) throw error;
        const found = refusalErrors(s.lang, error, { sponsor: field, group: field });
        return userPage(services, c, s, user.id, undefined, { [field]: Object.values(found)[0] ?? '' });
      }
      return userPage(services, c, s, user.id, t(s.lang, 'admin.user.done', { action: t(s.lang, done) }));
    });

  link('sponsors', 'sponsor', 'admin.user.sponsorAdded', async (tx, s, userId) => {
    const ref = text(s, 'sponsor').trim().slice(0, 320);
    const sponsor = ref ? await findUserByRef(tx, s.tenant.id, ref) : undefined;
    if (!sponsor) throw new InvalidRequest('sponsor.notUser', { raw: ref });
    await addSponsorAs(tx, clock, s.tenant.id, userId, sponsor.id, actorOf(s));
  });
  link(`sponsors/:sponsor${ID}/remove`, 'sponsor', 'admin.user.sponsorRemoved', (tx, s, userId, param) =>
    removeSponsorAs(tx, clock, s.tenant.id, userId, param('sponsor'), actorOf(s)),
  );
  link('groups', 'group', 'admin.user.groupAdded', (tx, s, userId) =>
    addMemberAs(tx, clock, s.tenant.id, text(s, 'group').slice(0, 64), userId, actorOf(s)),
  );
  link(`groups/:group${ID}/remove`, 'group', 'admin.user.groupRemoved', (tx, s, userId, param) =>
    removeMemberAs(tx, clock, s.tenant.id, param('group'), userId, actorOf(s)),
  );

  return app;
}
