// Re-inviting a pending guest in one action (the admin center's Re-invite, `portico invite --resend`): the guest's
// latest invitation again, with its redirect, language, message and CC, and a new ticket (the old one is revoked,
// an expired one is already dead). An address that opted out is refused as any invitation is.
import type { Actor } from '../directory/audit.ts';
import { requireTenant } from '../directory/tenants.ts';
import { requireUser, type User } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import { myAppsUrl } from '../oidc/urls.ts';
import type { Services } from '../services.ts';
import { findInvitee } from './guests.ts';
import { invite, type InviteResult } from './invite.ts';
import { latestInvitation } from './listing.ts';

export async function reinviteGuest(
  services: Services,
  tenantId: string,
  actor: Actor,
  user: User,
): Promise<InviteResult> {
  if (user.creationType !== 'Invitation' || user.externalUserState === 'Accepted') {
    throw new InvalidRequest('invitation.notPending', { userPrincipalName: user.userPrincipalName });
  }
  const email = user.invitedEmail ?? user.mail;
  if (!email) throw new InvalidRequest('invitation.noAddress', { userPrincipalName: user.userPrincipalName });
  const last = await latestInvitation(services.store.db, services.clock, tenantId, user.id);
  return invite(services, tenantId, actor, {
    email,
    redirectUrl: last?.redirectUrl ?? myAppsUrl(services.config.baseUrl, tenantId),
    sendMessage: true,
    messageInfo: last
      ? {
          customizedMessageBody: last.messageInfo.customizedMessageBody,
          messageLanguage: last.messageInfo.messageLanguage,
          ccRecipients: last.messageInfo.ccRecipients,
        }
      : undefined,
  });
}

/** The pending guest an address or id names, re-invited. */
export async function reinviteByAddress(
  services: Services,
  tenantId: string,
  actor: Actor,
  emailOrId: string,
): Promise<InviteResult> {
  const tenant = await requireTenant(services.store.db, tenantId);
  const user =
    emailOrId.includes('@') && !emailOrId.includes('#EXT#')
      ? await findInvitee(services.store.db, tenant, emailOrId)
      : await requireUser(services.store.db, tenantId, emailOrId);
  if (!user) throw new ResourceNotFound('invitation.noGuest', { displayName: tenant.displayName, emailOrId });
  return reinviteGuest(services, tenantId, actor, user);
}
