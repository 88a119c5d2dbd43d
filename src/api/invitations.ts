// POST /v1.0/invitations, field for field Graph's invitation resource.
import { Hono } from 'hono';
import { z } from 'zod';

import { INVITE_USERS, READ_USERS, WRITE_USERS } from '../apps/permissions.ts';
import { AuthorizationDenied, ResourceNotFound, UnsupportedQuery } from '../errors.ts';
import { invite } from '../invitations/invite.ts';
import { getInvitation, listInvitations, type ListedInvitation } from '../invitations/listing.ts';
import { MAX_SPONSORS, sponsorIds } from '../invitations/sponsors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { collection, readJson, readListQuery } from './odata.ts';

const recipient = z.strictObject({
  emailAddress: z.strictObject({ address: z.string().max(254), name: z.string().max(256).optional() }),
});

export const invitationBody = z.strictObject({
  invitedUserEmailAddress: z.string({ error: 'invitedUserEmailAddress is required' }).max(254),
  inviteRedirectUrl: z.string({ error: 'inviteRedirectUrl is required' }).max(2048),
  invitedUserDisplayName: z.string().max(256).optional(),
  invitedUserType: z.enum(['Guest', 'Member']).optional(),
  sendInvitationMessage: z.boolean().optional(),
  invitedUserMessageInfo: z
    .strictObject({
      customizedMessageBody: z.string().max(10_000).optional(),
      ccRecipients: z.array(recipient).optional(),
      messageLanguage: z.string().max(35).optional(),
    })
    .optional(),
  resetRedemption: z.boolean().optional(),
  invitedUser: z.strictObject({ id: z.string().max(64) }).optional(),
  invitedUserSponsors: z
    .array(z.strictObject({ id: z.string().max(64), '@odata.type': z.string().max(100).optional() }))
    .max(MAX_SPONSORS)
    .optional(),
});

/** A stored invitation as the list returns it: Graph's properties (never the redeem URL) and Portico's dates. */
const listed = (i: ListedInvitation) => ({
  id: i.id,
  invitedUserEmailAddress: i.email,
  inviteRedirectUrl: i.redirectUrl,
  inviteRedeemUrl: null,
  sendInvitationMessage: i.sendMessage,
  status: i.status,
  invitedUser: { id: i.userId },
  invitedUserMessageInfo: {
    messageLanguage: i.messageInfo.messageLanguage ?? null,
    customizedMessageBody: i.messageInfo.customizedMessageBody ?? null,
    ccRecipients: (i.messageInfo.ccRecipients ?? []).map((r) => ({ emailAddress: r })),
  },
  '@portico.createdDateTime': i.createdDateTime,
  '@portico.ticketExpirationDateTime': i.ticketExpirationDateTime,
  '@portico.expiredDateTime': i.expiredDateTime,
  '@portico.revokedDateTime': i.revokedDateTime,
  '@portico.redeemedDateTime': i.redeemedDateTime,
  '@portico.invitedBy': i.invitedBy,
});
/** Reading invitations back is Portico's: whoever may read users or invite may read them. */
const READ_INVITATIONS = [...READ_USERS, ...INVITE_USERS.filter((p) => !READ_USERS.includes(p))];

export function invitationRoutes(services: Services) {
  const app = new Hono<ApiEnv>();

  app.post('/invitations', requirePermission(...INVITE_USERS), async (c) => {
    const { tenantId, actor, permissions } = c.get('principal');
    const body = await readJson(c, invitationBody);
    if (body.invitedUserType === 'Member' && !WRITE_USERS.some((p) => permissions.has(p))) {
      throw new AuthorizationDenied('auth.inviteMember', { writeUsers: WRITE_USERS.join(', ') });
    }
    // Resetting redemption hands an existing user to whoever redeems the new link: Graph asks User.ReadWrite.All.
    if (body.resetRedemption && !WRITE_USERS.some((p) => permissions.has(p)))
      throw new AuthorizationDenied('auth.resetRedemption', { writeUsers: WRITE_USERS.join(', ') });
    const info = body.invitedUserMessageInfo;
    const result = await invite(services, tenantId, actor, {
      email: body.invitedUserEmailAddress,
      redirectUrl: body.inviteRedirectUrl,
      displayName: body.invitedUserDisplayName,
      userType: body.invitedUserType,
      sendMessage: body.sendInvitationMessage,
      resetRedemption: body.resetRedemption,
      invitedUserId: body.invitedUser?.id,
      sponsorIds: body.invitedUserSponsors?.map((s) => s.id),
      appPermissions: permissions,
      messageInfo: info && {
        customizedMessageBody: info.customizedMessageBody,
        messageLanguage: info.messageLanguage,
        ccRecipients: info.ccRecipients?.map((r) => ({ address: r.emailAddress.address, name: r.emailAddress.name })),
      },
    });
    return c.json(
      {
        '@odata.context': `${services.config.baseUrl}/v1.0/$metadata#invitations/$entity`,
        id: result.invitationId,
        inviteRedeemUrl: result.inviteRedeemUrl,
        invitedUserDisplayName: result.user.displayName,
        invitedUserType: result.user.userType,
        invitedUserEmailAddress: body.invitedUserEmailAddress,
        sendInvitationMessage: result.messageQueued,
        resetRedemption: body.resetRedemption ?? false,
        inviteRedirectUrl: body.inviteRedirectUrl,
        status: result.status,
        invitedUserMessageInfo: {
          messageLanguage: result.outcome === 'alreadyAccepted' ? null : (info?.messageLanguage ?? 'en-US'),
          customizedMessageBody: info?.customizedMessageBody ?? null,
          ccRecipients: info?.ccRecipients ?? [],
        },
        invitedUser: { id: result.user.id },
        invitedUserSponsors: (result.sponsorIds ?? (await sponsorIds(services.store.db, tenantId, result.user.id))).map(
          (id) => ({ id }),
        ),
        // Portico's additions: what happened, and the contact conflict the admin must know about.
        '@portico.outcome': result.outcome,
        ...(result.contactConflict && {
          '@portico.contactConflict': {
            contactId: result.contactConflict.contactId,
            message:
              'The address belongs to a contact in this directory, so the guest was created without mail and proxyAddresses. The guest can redeem only through the invitation link, not through a direct link.',
          },
        }),
      },
      201,
    );
  });

  // Not in Graph (which never reads an invitation back): the tenant's invitations, with $filter=status eq 'Expired'.
  app.get('/invitations', requirePermission(...READ_INVITATIONS), async (c) => {
    const q = readListQuery(c, [], { defaultTop: 100 });
    if (q.count) throw new UnsupportedQuery('query.countInvitations');
    const page = await listInvitations(services.store.db, services.clock, c.get('principal').tenantId, q);
    return c.json(collection(c, services.config.baseUrl, 'invitations', { ...page, items: page.items.map(listed) }));
  });

  app.get('/invitations/:id', requirePermission(...READ_INVITATIONS), async (c) => {
    const found = await getInvitation(
      services.store.db,
      services.clock,
      c.get('principal').tenantId,
      c.req.param('id'),
    );
    if (!found) throw new ResourceNotFound('invitation.notFound', { id: c.req.param('id') });
    return c.json({
      '@odata.context': `${services.config.baseUrl}/v1.0/$metadata#invitations/$entity`,
      ...listed(found),
    });
  });

  return app;
}
