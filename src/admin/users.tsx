// The admin center's user actions: invite (one address), the user page, and resend, reset redemption, block or
// allow sign-in, delete. Each goes through the same domain functions as the API, with the signed-in admin as actor.
import { homeTenantOfIssuer, myAppsUrl } from '../oidc/urls.ts';
import { Hono, type Context } from 'hono';
import type { Services } from '../services.ts';
import { appsForUser } from '../apps/assignments.ts';
import { recordAudit, type Actor } from '../directory/audit.ts';
import { groupsOfUser } from '../directory/groups.ts';
import { deleteUser, getUser, updateUser, type User } from '../directory/users.ts';
import { PorticoError } from '../errors.ts';
import { listProviders } from '../federation/providers.ts';
import { t } from '../i18n/index.ts';
import { conflictingContact } from '../invitations/guests.ts';
import { invite } from '../invitations/invite.ts';
import { Layout } from '../pages/layout.tsx';
import type { AdminEnv, AdminGuard, Signed } from './guard.tsx';
import { InvitePage, UserPage, type InviteForm, type SourceKey } from './user-pages.tsx';

const actorOf = (s: Signed): Actor => ({ kind: 'user', id: s.admin.user.id, userPrincipalName: s.admin.user.userPrincipalName });

/** The admin center's "Source": how the guest redeemed, from the issuer of the identity they redeemed with. */
async function sourceOf(services: Services, tenantId: string, user: User): Promise<SourceKey | undefined> {
  if (user.userType !== 'Guest') return undefined;
  if (user.externalUserState !== 'Accepted') return 'admin.source.pending';
  const issuer = user.identities[0]?.issuer ?? '';
  if (issuer === 'mail') return 'admin.source.otp';
  if (issuer === 'personal') return 'admin.source.personal';
  if (issuer === 'google.com') return 'admin.source.google';
  if (homeTenantOfIssuer(services.config.baseUrl, issuer)) return 'admin.source.tenant';
  const provider = (await listProviders(services.store.db, tenantId)).find((p) => p.issuerUri === issuer);
  return provider?.kind === 'oidc' ? 'admin.source.oidc' : 'admin.source.federation';
}

export function userRoutes(services: Services, guard: AdminGuard) {
  const { store, clock, config } = services;
  const app = new Hono<AdminEnv>();
  const blank: InviteForm = { email: '', displayName: '', message: '', language: 'en-US', redirect: '', send: true };

  app.get('/admin/:tenant/users/invite', async (c) => {
    const s = await guard.signedIn(c, 'invite');
    if (s instanceof Response) return s;
    return c.html(<InvitePage lang={s.lang} tenant={s.tenant} admin={s.admin.user} csrf={s.admin.csrf} form={{ ...blank, redirect: myAppsUrl(config.baseUrl, s.tenant.id) }} />);
  });

  app.post('/admin/:tenant/users/invite', async (c) => {
    const s = await guard.posted(c, 'invite');
    if (s instanceof Response) return s;
    const f = s.form;
    const text = (name: string) => (typeof f[name] === 'string' ? (f[name] as string) : '');
    const form: InviteForm = { email: text('email').trim(), displayName: text('displayName').trim(), message: text('message'), language: text('language') === 'de-DE' ? 'de-DE' : 'en-US', redirect: text('redirect').trim(), send: f.send === '1' };
    try {
      const result = await invite(services, s.tenant.id, actorOf(s), {
        email: form.email, redirectUrl: form.redirect, displayName: form.displayName || undefined, sendMessage: form.send,
        messageInfo: { customizedMessageBody: form.message.trim() || undefined, messageLanguage: form.language },
      });
      const notice = form.send ? t(s.lang, 'admin.invited', { email: form.email }) : t(s.lang, 'admin.invitedNoMail', { email: form.email, url: result.inviteRedeemUrl ?? '' });
      return userPage(c, s, result.user.id, notice);
    } catch (error) {
      if (!(error instanceof PorticoError)) throw error;
      return c.html(<InvitePage lang={s.lang} tenant={s.tenant} admin={s.admin.user} csrf={s.admin.csrf} form={form} error={error.message} />, 400);
    }
  });

  async function userPage(c: Context<AdminEnv>, s: Signed, id: string, notice?: string) {
    const user = await getUser(store.db, s.tenant.id, id);
    if (!user) return c.notFound();
    const [source, groups, apps, contact] = await Promise.all([
      sourceOf(services, s.tenant.id, user), groupsOfUser(store.db, s.tenant.id, user.id), appsForUser(store.db, s.tenant.id, user.id),
      user.contactConflict && user.invitedEmail ? conflictingContact(store.db, s.tenant.id, user.invitedEmail) : undefined,
    ]);
    return c.html(<UserPage lang={s.lang} tenant={s.tenant} admin={s.admin.user} csrf={s.admin.csrf} user={user} source={source} groups={groups} apps={apps} conflictContact={contact} notice={notice} />);
  }

  app.get('/admin/:tenant/users/:id', async (c) => {
    const s = await guard.signedIn(c, 'view');
    if (s instanceof Response) return s;
    return userPage(c, s, c.req.param('id'));
  });

  /** A user action: the role's right, the CSRF value, the change, then the user page saying it was done. */
  const act = (path: string, right: Parameters<AdminGuard['signedIn']>[1], change: (s: Signed, user: User) => Promise<string | undefined>) =>
    app.post(`/admin/:tenant/users/:id/${path}`, async (c) => {
      const s = await guard.posted(c, right);
      if (s instanceof Response) return s;
      const user = await getUser(store.db, s.tenant.id, c.req.param('id'));
      if (!user) return c.notFound();
      const label = await change(s, user);
      if (label === undefined) {
        return c.html(<Layout lang={s.lang} title={t(s.lang, 'admin.title')} tenant={s.tenant}><p role="status">{t(s.lang, 'admin.user.deleted', { name: user.displayName })}</p><p><a href={`/admin/${s.tenant.id}/users`}>{t(s.lang, 'admin.users')}</a></p></Layout>);
      }
      return userPage(c, s, user.id, t(s.lang, 'admin.user.done', { action: label }));
    });

  const reinvite = (s: Signed, user: User, reset: boolean) => invite(services, s.tenant.id, actorOf(s), {
    email: user.invitedEmail ?? user.mail ?? '', redirectUrl: myAppsUrl(config.baseUrl, s.tenant.id), sendMessage: true,
    ...(reset && { resetRedemption: true, invitedUserId: user.id }),
  });
  act('resend', 'invite', async (s, user) => { await reinvite(s, user, false); return t(s.lang, 'admin.user.resend'); });
  act('reset', 'resetRedemption', async (s, user) => { await reinvite(s, user, true); return t(s.lang, 'admin.user.reset'); });
  for (const enabled of [true, false]) {
    act(enabled ? 'enable' : 'disable', 'manageUsers', async (s, user) => {
      await store.transaction(async (tx) => {
        await updateUser(tx, clock, s.tenant.id, user.id, { accountEnabled: enabled });
        await recordAudit(tx, clock, s.tenant.id, { category: 'UserManagement', activity: enabled ? 'Enable account' : 'Disable account', operationType: 'Update', actor: actorOf(s), targets: [{ id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName }] });
      });
      return t(s.lang, enabled ? 'admin.user.enable' : 'admin.user.disable');
    });
  }
  act('delete', 'manageUsers', async (s, user) => {
    await store.transaction(async (tx) => {
      await deleteUser(tx, s.tenant.id, user.id);
      await recordAudit(tx, clock, s.tenant.id, { category: 'UserManagement', activity: 'Delete user', operationType: 'Delete', actor: actorOf(s), targets: [{ id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName }] });
    });
    return undefined;
  });

  return app;
}
