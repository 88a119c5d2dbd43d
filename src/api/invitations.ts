// POST /v1.0/invitations, field for field Graph's invitation resource.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { INVITE_USERS, WRITE_USERS } from '../apps/permissions.ts';
import { AuthorizationDenied } from '../errors.ts';
import { invite } from '../invitations/invite.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { readJson } from './odata.ts';

const recipient = z.strictObject({
  emailAddress: z.strictObject({ address: z.string().max(254), name: z.string().max(256).optional() }),
});

const invitationBody = z.strictObject({
  invitedUserEmailAddress: z.string({ error: 'invitedUserEmailAddress is required' }).max(254),
  inviteRedirectUrl: z.string({ error: 'inviteRedirectUrl is required' }).max(2048),
  invitedUserDisplayName: z.string().max(256).optional(),
  invitedUserType: z.enum(['Guest', 'Member']).optional(),
  sendInvitationMessage: z.boolean().optional(),
  invitedUserMessageInfo: z.strictObject({
    customizedMessageBody: z.string().max(10_000).optional(),
    ccRecipients: z.array(recipient).optional(),
    messageLanguage: z.string().max(35).optional(),
  }).optional(),
  resetRedemption: z.boolean().optional(),
  invitedUser: z.strictObject({ id: z.string().max(64) }).optional(),
});

export function invitationRoutes(services: Services) {
  const app = new Hono<ApiEnv>();

  app.post('/invitations', requirePermission(...INVITE_USERS), async (c) => {
    const { tenantId, actor, permissions } = c.get('principal');
    const body = await readJson(c, invitationBody);
    if (body.invitedUserType === 'Member' && !WRITE_USERS.some((p) => permissions.has(p))) {
      throw new AuthorizationDenied(`Inviting a Member needs one of: ${WRITE_USERS.join(', ')}.`);
    }
    const info = body.invitedUserMessageInfo;
    const result = await invite(services, tenantId, actor, {
      email: body.invitedUserEmailAddress, redirectUrl: body.inviteRedirectUrl, displayName: body.invitedUserDisplayName,
      userType: body.invitedUserType, sendMessage: body.sendInvitationMessage, resetRedemption: body.resetRedemption,
      invitedUserId: body.invitedUser?.id,
      messageInfo: info && {
        customizedMessageBody: info.customizedMessageBody, messageLanguage: info.messageLanguage,
        ccRecipients: info.ccRecipients?.map((r) => ({ address: r.emailAddress.address, name: r.emailAddress.name })),
      },
    });
    return c.json({
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
      // Portico's additions: what happened, and the contact conflict the admin must know about.
      '@portico.outcome': result.outcome,
      ...(result.contactConflict && {
        '@portico.contactConflict': {
          contactId: result.contactConflict.contactId,
          message: "The address belongs to a contact in this directory, so the guest was created without mail and proxyAddresses. The guest can redeem only through the invitation link, not through a direct link.",
        },
      }),
    }, 201);
  });

  return app;
}
