// The admin center's invite form and user page: the guest properties the seed names ("Invitation accepted",
// state, source), identities, groups and apps, the actions a role allows, and the contact-conflict guide.
import type { Group } from '../directory/groups.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Properties } from '../pages/table.tsx';
import { ConfirmLink } from './confirm.tsx';
import { ConflictGuide, type Carried, type GuideState } from './contact-conflict.tsx';
import type { FieldErrors } from './form-field.tsx';
import { UsersLayout, type AdminShell } from './pages.tsx';
import { UserRoles } from './role-pages.tsx';
import { can } from './roles.ts';
import { UserLinks } from './user-links.tsx';

/** A time as the page shows it (UTC, to the minute), machine-readable in its datetime. */
const when = (iso: string | null) =>
  iso ? <time datetime={iso}>{`${iso.slice(0, 16).replace('T', ' ')} UTC`}</time> : '';

/** externalUserState as the users list words it, never Graph's raw value. */
const stateLabel = (lang: Lang, state: string | null) =>
  state === 'PendingAcceptance'
    ? t(lang, 'admin.users.pending')
    : state === 'Accepted'
      ? t(lang, 'admin.users.accepted')
      : '';

export type SourceKey = Extract<keyof Messages, `admin.source.${string}`>;

export function UserPage({
  user,
  source,
  groups,
  apps,
  guide,
  notice,
  sponsors,
  invitation,
  lastSignIn = null,
  otherGroups = [],
  errors = {},
  ...shell
}: AdminShell & {
  user: User;
  source?: SourceKey;
  groups: Group[];
  /** the apps the user may use (assigned directly or through a group, or open to everyone: apps/assignments.ts) */
  apps: { displayName: string }[];
  guide?: { state: GuideState; carried: Carried };
  notice?: string;
  /** the user's sponsors, and their latest invitation's link expiry (invitations/sponsors.ts, listing.ts) */
  sponsors?: User[];
  invitation?: { expired: boolean; expiresAt: string | null };
  /** signInActivity's lastSignInDateTime (signins/activity.ts) */
  lastSignIn?: string | null;
  /** the tenant's groups the user is not in, to add the user to */
  otherGroups?: Group[];
  /** a refused change of the sponsors or groups, by its form's field */
  errors?: FieldErrors;
}) {
  const { lang, tenant, admin, csrf } = shell;
  const base = `/admin/${tenant.id}/users/${user.id}`;
  const guest = user.userType === 'Guest';
  // A destructive action (danger) asks first: its button leads to its confirmation page (admin/confirm.tsx).
  const action = (path: string, label: string, allowed: boolean, danger = false) =>
    allowed &&
    (danger ? (
      <ConfirmLink action={`${base}/${path}`} label={label} />
    ) : (
      <form method="post" action={`${base}/${path}`} class="inline-form">
        <Csrf value={csrf} />
        <button type="submit" class={danger ? 'secondary danger' : 'secondary'}>
          {label}
        </button>
      </form>
    ));
  return (
    <UsersLayout {...shell} title={user.displayName}>
      {notice && (
        <p role="status" class="identity">
          {notice}
        </p>
      )}
      {can(admin.roles, 'manageUsers') && (
        <p>
          <a class="button secondary" href={`${base}/edit`}>
            {t(lang, 'admin.user.edit')}
          </a>
        </p>
      )}
      <Properties
        class="properties"
        rows={[
          [t(lang, 'admin.user.objectId'), user.id],
          [t(lang, 'admin.user.upn'), user.userPrincipalName],
          [t(lang, 'admin.col.email'), user.mail ?? ''],
          [t(lang, 'admin.col.type'), t(lang, guest ? 'admin.users.guest' : 'admin.users.member')],
          [t(lang, 'admin.user.created'), when(user.createdDateTime)],
          guest && [
            t(lang, 'admin.user.accepted'),
            t(lang, user.externalUserState === 'Accepted' ? 'admin.user.yes' : 'admin.user.no'),
          ],
          guest && [t(lang, 'admin.user.state'), stateLabel(lang, user.externalUserState)],
          guest && [t(lang, 'admin.user.changed'), when(user.externalUserStateChangeDateTime)],
          guest && !!source && [t(lang, 'admin.user.source'), t(lang, source)],
          [t(lang, 'admin.user.enabled'), t(lang, user.accountEnabled ? 'admin.user.yes' : 'admin.user.no')],
          [t(lang, 'admin.user.lastSignIn'), lastSignIn ? when(lastSignIn) : t(lang, 'admin.user.never')],
          [
            t(lang, 'admin.user.identities'),
            user.identities.map((i) => `${i.issuer} (${i.issuerAssignedId})`).join(', '),
          ],
          [t(lang, 'admin.user.apps'), apps.map((a) => a.displayName).join(', ') || t(lang, 'admin.user.none')],
          guest &&
            user.externalUserState !== 'Accepted' &&
            !!invitation?.expiresAt && [
              t(lang, 'admin.user.invitation'),
              t(lang, invitation.expired ? 'admin.user.invitation.expired' : 'admin.user.invitation.expires', {
                date: invitation.expiresAt.slice(0, 16).replace('T', ' '),
              }),
            ],
        ]}
      />
      <UserLinks
        lang={lang}
        csrf={csrf}
        base={base}
        manage={can(admin.roles, 'manageUsers')}
        sponsors={sponsors ?? []}
        groups={groups}
        otherGroups={otherGroups}
        errors={errors}
      />
      <UserRoles lang={lang} tenant={tenant} admin={admin} csrf={csrf} user={user} />
      {guide && (
        <ConflictGuide
          lang={lang}
          tenant={tenant}
          admin={admin}
          csrf={csrf}
          state={guide.state}
          carried={guide.carried}
        />
      )}
      <div class="actions">
        {action(
          'resend',
          t(lang, 'admin.user.resend'),
          guest && user.externalUserState !== 'Accepted' && !invitation?.expired && can(admin.roles, 'invite'),
        )}
        {action(
          'reinvite',
          t(lang, 'admin.user.reinvite'),
          guest && user.externalUserState !== 'Accepted' && Boolean(invitation?.expired) && can(admin.roles, 'invite'),
        )}
        {action(
          'reset',
          t(lang, 'admin.user.reset'),
          guest && user.externalUserState === 'Accepted' && can(admin.roles, 'resetRedemption'),
          true,
        )}
        {action(
          user.accountEnabled ? 'disable' : 'enable',
          t(lang, user.accountEnabled ? 'admin.user.disable' : 'admin.user.enable'),
          can(admin.roles, 'manageUsers') && user.id !== admin.id,
        )}
        {action('delete', t(lang, 'admin.user.delete'), can(admin.roles, 'manageUsers') && user.id !== admin.id, true)}
      </div>
    </UsersLayout>
  );
}
