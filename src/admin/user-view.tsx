// The user page's data, read once for every route that shows it: the page itself, and the outcome of each action on
// the user (post/redirect/get shows it once: pages/results.ts).
import type { Context } from 'hono';

import { appsForUser } from '../apps/assignments.ts';
import { groupsOfUser, listGroups } from '../directory/groups.ts';
import { getUser, type User } from '../directory/users.ts';
import { listProviders } from '../federation/providers.ts';
import { latestInvitation } from '../invitations/listing.ts';
import { listSponsors } from '../invitations/sponsors.ts';
import { homeTenantOfIssuer } from '../oidc/urls.ts';
import type { Services } from '../services.ts';
import { signInActivityOf } from '../signins/activity.ts';
import { carriedFrom, guideState, stepNotice } from './contact-conflict.tsx';
import type { FieldErrors } from './form-field.tsx';
import { adminShellOf, type AdminEnv, type Signed } from './guard.tsx';
import { UserPage, type SourceKey } from './user-pages.tsx';

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

/** The user page of `id` (404 when there is no such user), with `notice` at its top. */
export async function userPage(
  services: Services,
  c: Context<AdminEnv>,
  s: Signed,
  id: string,
  notice?: string,
  /** a refused change of its sponsors or groups, beside its form (a 400) */
  errors?: FieldErrors,
) {
  const { store, clock } = services;
  const user = await getUser(store.db, s.tenant.id, id);
  if (!user) return c.notFound();
  // The guide shows for a conflicted guest, and for the re-invited one while the guide's URL names its address.
  const carried = carriedFrom((name) => c.req.query(name));
  const address =
    user.userType === 'Guest' && (user.contactConflict || carried.address === user.invitedEmail)
      ? user.invitedEmail
      : null;
  const [source, groups, apps, state, sponsors, latest, activity, tenantGroups] = await Promise.all([
    sourceOf(services, s.tenant.id, user),
    groupsOfUser(store.db, s.tenant.id, user.id),
    appsForUser(store.db, s.tenant.id, user.id),
    address ? guideState(store.db, s.tenant, address) : undefined,
    listSponsors(store.db, s.tenant.id, user.id),
    latestInvitation(store.db, clock, s.tenant.id, user.id),
    signInActivityOf(store.db, s.tenant.id, [user.id]),
    listGroups(store.db, s.tenant.id, { top: 100 }),
  ]);
  const guide = state && { state, carried };
  const invitation = latest && { expired: latest.status === 'Expired', expiresAt: latest.ticketExpirationDateTime };
  const member = new Set(groups.map((g) => g.id));
  return c.html(
    <UserPage
      {...adminShellOf(s)}
      user={user}
      source={source}
      groups={groups}
      apps={apps}
      guide={guide}
      notice={notice ?? stepNotice(s.lang, c.req.query('done'))}
      sponsors={sponsors}
      invitation={invitation}
      lastSignIn={activity.get(user.id)?.lastSignInDateTime ?? null}
      otherGroups={tenantGroups.items
        .filter((g) => !member.has(g.id))
        .sort((a, b) => a.displayName.localeCompare(b.displayName))}
      errors={errors}
    />,
    errors ? 400 : 200,
  );
}
