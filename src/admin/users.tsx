// The admin center's user actions: invite (one address), the user page, and resend, reset redemption, block or
// allow sign-in, delete; and the steps of the contact-conflict guide. Each goes through the same domain functions as
// the API, with the signed-in admin as actor.
import { Hono } from 'hono';

import { listApps } from '../apps/apps.ts';
import { deleteUserAs } from '../deleted/items.ts';
import { recordAudit } from '../directory/audit.ts';
import { contactAddresses, createContactAs, deleteContactAs, getContact } from '../directory/contacts.ts';
import { listGroups } from '../directory/groups.ts';
import { assertMayManageUser } from '../directory/roles.ts';
import { findUserByRef, getUser, updateUser, type User } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { invite } from '../invitations/invite.ts';
import { reinviteGuest } from '../invitations/reinvite.ts';
import { myAppsUrl } from '../oidc/urls.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import {
  carriedFrom,
  carriedParams,
  doneSteps,
  GuidePage,
  guideState,
  stepNotice,
  STEPS,
  type Carried,
  type Step,
} from './contact-conflict.tsx';
import { contactFormOf, readContactForm } from './contact-pages.tsx';
import { refusalErrors, type FieldErrors } from './form-field.tsx';
import { actorOf, adminShellOf, shellOf, type AdminEnv, type AdminGuard, type Signed } from './guard.tsx';
import {
  INVITE_FIELDS,
  InvitePage,
  readInviteForm,
  sponsorRefs,
  type Choice,
  type InviteForm,
} from './invite-page.tsx';
import { AdminLayout } from './pages.tsx';
import { can, type AdminAction } from './roles.ts';
import { userEditRoutes } from './user-edit-routes.tsx';
import { userPage } from './user-view.tsx';

/** A guide step that cannot run (the directory changed under it): its text is already in the admin's language. */
class StepRefused extends Error {}

export function userRoutes(services: Services, guard: AdminGuard) {
  const { store, clock, config } = services;
  const app = new Hono<AdminEnv>();
  // The user goes to deleted items (admin/deleted.tsx restores or deletes it for good); its invitation links open
  // nothing while it is there (redemption/ticket.ts).
  const removeUser = async (tx: Tx, s: Signed, user: User) => {
    assertMayManageUser(s.admin.user.roles, user);
    await deleteUserAs(tx, clock, s.tenant.id, user.id, actorOf(s));
  };
  const blank: InviteForm = {
    email: '',
    displayName: '',
    userType: 'Guest',
    cc: '',
    message: '',
    language: 'en-US',
    redirect: '',
    sponsors: '',
    groups: [],
    apps: [],
    send: true,
  };
  /** The invite form, with the tenant's groups and apps to choose from (the first 100 of each). */
  const invitePage = async (s: Signed, form: InviteForm, errors?: FieldErrors) => {
    const [groups, apps] = await Promise.all([
      listGroups(store.db, s.tenant.id, { top: 100 }),
      listApps(store.db, s.tenant.id, { top: 100 }),
    ]);
    const byName = (a: Choice, b: Choice) => a.name.localeCompare(b.name);
    return (
      <InvitePage
        {...adminShellOf(s)}
        form={form}
        errors={errors}
        groups={groups.items.map((g) => ({ id: g.id, name: g.displayName })).sort(byName)}
        apps={apps.items.map((a) => ({ id: a.id, name: a.displayName })).sort(byName)}
      />
    );
  };

  // Edit properties, sponsors and groups (before /users/:id/<action> below, which would not match them anyway).
  app.route('/', userEditRoutes(services, guard));

  app.get('/admin/:tenant/users/invite', guard.signedIn('invite'), async (c) => {
    const s = c.var.signed;
    return c.html(await invitePage(s, { ...blank, redirect: myAppsUrl(config.baseUrl, s.tenant.id) }));
  });

  app.post('/admin/:tenant/users/invite', guard.posted('invite'), async (c) => {
    const s = c.var.posted;
    const all = await c.req.formData();
    const text = (name: string) => (typeof s.form[name] === 'string' ? (s.form[name] as string) : '');
    const { form, errors } = readInviteForm(s.lang, text, (name) =>
      all.getAll(name).filter((v): v is string => typeof v === 'string'),
    );
    // A member is a user of the directory: as the API asks User.ReadWrite.All, the page asks the right to manage users.
    if (form.userType === 'Member' && !can(s.admin.user.roles, 'manageUsers'))
      errors.userType = t(s.lang, 'admin.inviteForm.memberRight');
    const sponsorIds: string[] = [];
    for (const ref of sponsorRefs(form)) {
      const sponsor = await findUserByRef(store.db, s.tenant.id, ref);
      if (sponsor) sponsorIds.push(sponsor.id);
      else errors.sponsors ??= t(s.lang, 'admin.form.noSuchUser', { raw: ref });
    }
    if (Object.keys(errors).length) return c.html(await invitePage(s, form, errors), 400);
    try {
      const result = await invite(services, s.tenant.id, actorOf(s), {
        email: form.email,
        redirectUrl: form.redirect,
        displayName: form.displayName || undefined,
        userType: form.userType,
        sendMessage: form.send,
        messageInfo: {
          customizedMessageBody: form.message.trim() || undefined,
          messageLanguage: form.language,
          ...(form.cc && { ccRecipients: [{ address: form.cc }] }),
        },
        ...(sponsorIds.length > 0 && { sponsorIds }),
        groupIds: form.groups,
        appIds: form.apps,
      });
      const notice = form.send
        ? t(s.lang, 'admin.invited', { email: form.email })
        : t(s.lang, 'admin.invitedNoMail', { email: form.email, url: result.inviteRedeemUrl ?? '' });
      return userPage(services, c, s, result.user.id, notice);
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return c.html(await invitePage(s, form, refusalErrors(s.lang, error, INVITE_FIELDS)), 400);
    }
  });

  // The guide's steps come before /users/:id, whose id would otherwise match "conflict".
  /** The guide's own page, for the address the guide carries. */
  const guidePage = async (s: Signed, carried: Carried, said: { notice?: string; error?: string }) => (
    <GuidePage
      {...adminShellOf(s)}
      state={await guideState(store.db, s.tenant, carried.address)}
      carried={carried}
      {...said}
    />
  );

  app.get('/admin/:tenant/users/conflict', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    const carried = carriedFrom((name) => c.req.query(name));
    if (!carried.address) return c.notFound();
    return c.html(await guidePage(s, carried, { notice: stepNotice(s.lang, c.req.query('done')) }));
  });

  /**
   * A step of the guide: the role's right, the CSRF value, the step only when it is the current one (else the
   * page says what comes first), then the guide where it continues: the guest's page, or the guide's own.
   */
  const step = (
    name: Step,
    right: AdminAction,
    run: (s: Signed, carried: Carried, form: Record<string, string | File>) => Promise<Carried>,
  ) =>
    app.post(`/admin/:tenant/users/conflict/${name}`, guard.posted(right), async (c) => {
      const s = c.var.posted;
      const carried = carriedFrom((n) => s.form[n]);
      if (!carried.address) return c.notFound();
      const refuse = async (error: string) => c.html(await guidePage(s, carried, { error }), 400);
      const done = doneSteps(await guideState(store.db, s.tenant, carried.address));
      const index = STEPS.indexOf(name);
      if (!done[index]) {
        const first = done.indexOf(false);
        if (first < index) return refuse(t(s.lang, 'admin.unblock.notYet', { step: String(first + 1) }));
        try {
          Object.assign(carried, await run(s, carried, s.form));
        } catch (error) {
          if (error instanceof StepRefused) return refuse(error.message);
          if (!(error instanceof PorticoError)) throw error;
          return refuse(error.text(s.lang));
        }
      }
      const now = await guideState(store.db, s.tenant, carried.address);
      const params = new URLSearchParams({ ...carriedParams(carried), done: name });
      return c.redirect(
        now.guest
          ? `/admin/${s.tenant.id}/users/${now.guest.id}?${params}`
          : `/admin/${s.tenant.id}/users/conflict?${params}`,
        303,
      );
    });

  const asString = (v: unknown) => (typeof v === 'string' ? v : '');
  // The contact and the guest deleted are the ones the page showed, and still what the step is about.
  step('delete-contact', 'manageUsers', (s, carried, form) =>
    store.transaction(async (tx) => {
      const contact = await getContact(tx, s.tenant.id, asString(form.contactId));
      if (!contact || !contactAddresses(contact).includes(carried.address))
        throw new StepRefused(t(s.lang, 'admin.unblock.changed'));
      await deleteContactAs(tx, clock, s.tenant.id, contact.id, actorOf(s));
      return { ...carried, contact: contactFormOf(contact) };
    }),
  );
  step('delete-guest', 'manageUsers', (s, carried, form) =>
    store.transaction(async (tx) => {
      const user = await getUser(tx, s.tenant.id, asString(form.guestId));
      if (!user || !user.contactConflict || user.invitedEmail !== carried.address)
        throw new StepRefused(t(s.lang, 'admin.unblock.changed'));
      if (user.externalUserState === 'Accepted') throw new StepRefused(t(s.lang, 'admin.unblock.acceptedNote'));
      await removeUser(tx, s, user);
      return { ...carried, guestName: user.displayName };
    }),
  );
  step('reinvite', 'invite', async (s, carried) => {
    await invite(services, s.tenant.id, actorOf(s), {
      email: carried.address,
      displayName: carried.guestName || undefined,
      redirectUrl: myAppsUrl(config.baseUrl, s.tenant.id),
      sendMessage: true,
    });
    return carried;
  });
  step('readd-contact', 'manageUsers', async (s, carried) => {
    if (!carried.contact) throw new StepRefused(t(s.lang, 'admin.unblock.readdByHand'));
    const { input, errors } = readContactForm(
      s.lang,
      (name) => carried.contact?.[name as keyof typeof carried.contact],
    );
    if (!input) throw new StepRefused(Object.values(errors)[0] ?? t(s.lang, 'admin.unblock.changed'));
    await store.transaction((tx) => createContactAs(tx, clock, s.tenant.id, input, actorOf(s)));
    return carried;
  });

  // A user id only: the users/<name> pages of other modules (bulk, ...) are mounted after this one.
  app.get('/admin/:tenant/users/:id{[0-9a-fA-F-]{36}}', guard.signedIn('view'), async (c) => {
    const s = c.var.signed;
    return userPage(services, c, s, c.req.param('id'));
  });

  /** A user action: the role's right, the CSRF value, the change, then the user page saying it was done. */
  const act = (path: string, right: AdminAction, change: (s: Signed, user: User) => Promise<string | undefined>) =>
    app.post(`/admin/:tenant/users/:id/${path}`, guard.posted(right), async (c) => {
      const s = c.var.posted;
      const user = await getUser(store.db, s.tenant.id, c.req.param('id'));
      if (!user) return c.notFound();
      const label = await change(s, user);
      if (label === undefined) {
        // The outcome page has the navigation and a heading (post/redirect/get shows it once: pages/results.ts).
        return c.html(
          <AdminLayout {...shellOf(s)} section="users" title={t(s.lang, 'admin.users')}>
            <p role="status">{t(s.lang, 'admin.user.deleted', { name: user.displayName })}</p>
            <p>
              <a href={`/admin/${s.tenant.id}/users`}>{t(s.lang, 'admin.users')}</a>
            </p>
          </AdminLayout>,
        );
      }
      return userPage(services, c, s, user.id, t(s.lang, 'admin.user.done', { action: label }));
    });

  const reinvite = (s: Signed, user: User, reset: boolean) =>
    invite(services, s.tenant.id, actorOf(s), {
      email: user.invitedEmail ?? user.mail ?? '',
      redirectUrl: myAppsUrl(config.baseUrl, s.tenant.id),
      sendMessage: true,
      ...(reset && { resetRedemption: true, invitedUserId: user.id }),
    });
  act('resend', 'invite', async (s, user) => {
    await reinvite(s, user, false);
    return t(s.lang, 'admin.user.resend');
  });
  act('reinvite', 'invite', async (s, user) => {
    await reinviteGuest(services, s.tenant.id, actorOf(s), user);
    return t(s.lang, 'admin.user.reinvite');
  });
  act('reset', 'resetRedemption', async (s, user) => {
    await reinvite(s, user, true);
    return t(s.lang, 'admin.user.reset');
  });
  for (const enabled of [true, false]) {
    act(enabled ? 'enable' : 'disable', 'manageUsers', async (s, user) => {
      await store.transaction(async (tx) => {
        assertMayManageUser(s.admin.user.roles, user);
        await updateUser(tx, clock, s.tenant.id, user.id, { accountEnabled: enabled });
        await recordAudit(tx, clock, s.tenant.id, {
          category: 'UserManagement',
          activity: enabled ? 'Enable account' : 'Disable account',
          operationType: 'Update',
          actor: actorOf(s),
          targets: [
            { id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName },
          ],
        });
      });
      return t(s.lang, enabled ? 'admin.user.enable' : 'admin.user.disable');
    });
  }
  act('delete', 'manageUsers', async (s, user) => {
    await store.transaction((tx) => removeUser(tx, s, user));
    return undefined;
  });

  return app;
}
