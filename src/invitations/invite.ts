// Inviting, as Graph's POST /invitations does it, in one transaction: find or create the guest (or reset it),
// issue one new ticket (revoking older ones), queue the invitation email, and record the audit event.
import type { Insertable } from 'kysely';

import { assignmentsOf } from '../apps/app-roles.ts';
import { assignPrincipal, DEFAULT_ACCESS_ROLE } from '../apps/assignments.ts';
import type { Clock } from '../clock.ts';
import { automaticRedemption, collaborationVerdict, crossingFor } from '../crosstenant/b2b.ts';
import { requireEmailAddress } from '../directory/address.ts';
import { recordAudit, type Actor, type AuditInput } from '../directory/audit.ts';
import { conflictingContact } from '../directory/contacts.ts';
import { addMemberAs, groupsOfUser } from '../directory/groups.ts';
import { assertActorMayManageUser } from '../directory/roles.ts';
import { requireTenant, type Tenant } from '../directory/tenants.ts';
import { getUser, lockUser, requireUser, type User } from '../directory/users.ts';
import { AuthorizationDenied, InvalidRequest } from '../errors.ts';
import { pickLang } from '../i18n/index.ts';
import { enqueue, type OutgoingMail } from '../mail/outbox.ts';
import { renderInvitation } from '../mail/templates/invitation.tsx';
import { myAppsUrl } from '../oidc/urls.ts';
import { newId } from '../secrets.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { normalize, toJson } from '../store/json.ts';
import type { InvitationsTable } from '../store/schema.ts';
import { redeemAutomatically } from './automatic.ts';
import { createGuest, findInvitee, resetGuest } from './guests.ts';
import { optOutUrl, refuseIfOptedOut } from './optout.ts';
import { asInviter, requireDomainAllowed, requireMayInvite } from './policy.ts';
import { sponsorInvitee } from './sponsors.ts';
import { newTicket, redeemUrl, revokeTickets } from './tickets.ts';

export interface MessageInfo {
  customizedMessageBody?: string;
  ccRecipients?: { address: string; name?: string }[];
  messageLanguage?: string;
}

export interface InviteInput {
  email: string;
  redirectUrl: string;
  displayName?: string;
  userType?: 'Guest' | 'Member';
  sendMessage?: boolean;
  messageInfo?: MessageInfo;
  resetRedemption?: boolean;
  invitedUserId?: string;
  /** invitedUserSponsors: user ids; when absent, the inviting user sponsors a guest that has no sponsor yet */
  sponsorIds?: string[];
  /** an app's permissions (client credentials): a privileged user's reset needs more (directory/roles.ts) */
  appPermissions?: ReadonlySet<string>;
  /** the admin center's (as Entra's portal; Graph's invitation has no such field): groups the user is added to */
  groupIds?: string[];
  /** the admin center's: apps (object ids) the user is assigned to, with the default access role */
  appIds?: string[];
}

export type InvitationStatus = 'PendingAcceptance' | 'Completed';

export interface InviteResult {
  invitationId: string;
  user: User;
  status: InvitationStatus;
  /** null when the guest had already redeemed and nothing was reset: no new ticket */
  inviteRedeemUrl: string | null;
  contactConflict: { contactId: string } | null;
  /** what happened to the user object */
  outcome: 'created' | 'reinvited' | 'reset' | 'alreadyAccepted';
  messageQueued: boolean;
  /** the user's sponsors when the invitation knows them without reading (a user it made: the ones it added) */
  sponsorIds?: string[];
}

/** At most this many groups, and this many apps, per invitation. */
export const MAX_GRANTS = 20;

export function validRedirectUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The checks of an invitation's input alone, before any read (a refusal is an InvalidRequest). */
export function validateInvite(input: InviteInput): void {
  requireEmailAddress(input.email, 'invitedUserEmailAddress');
  if (!validRedirectUrl(input.redirectUrl)) throw new InvalidRequest('invitation.redirectUrl');
  for (const cc of input.messageInfo?.ccRecipients ?? []) {
    requireEmailAddress(cc.address, 'ccRecipients');
    if (cc.name && /[\r\n]/.test(cc.name)) throw new InvalidRequest('invitation.ccLineBreak');
  }
  if ((input.messageInfo?.ccRecipients?.length ?? 0) > 1) throw new InvalidRequest('invitation.ccOne');
  if ((input.groupIds?.length ?? 0) > MAX_GRANTS || (input.appIds?.length ?? 0) > MAX_GRANTS)
    throw new InvalidRequest('invitation.tooManyGrants', { max: MAX_GRANTS });
  if (input.resetRedemption && !input.invitedUserId) throw new InvalidRequest('invitation.resetNeedsUser');
  if (input.displayName && /[\r\n]/.test(input.displayName)) throw new InvalidRequest('invitation.nameLineBreak');
}

/**
 * `within`, if given, runs in the invitation's transaction once it is done (a bulk job records the row's result
 * there, so a row is invited exactly when its result is stored); an error it throws undoes the invitation.
 */
export async function invite(
  services: Services,
  tenantId: string,
  actor: Actor,
  input: InviteInput,
  within?: (tx: Tx, result: InviteResult) => Promise<void>,
): Promise<InviteResult> {
  validateInvite(input);
  await refuseIfOptedOut(services, tenantId, actor, input.email.trim());
  const { store, clock, config } = services;
  const result = await store.transaction(async (tx) => {
    const done = async (result: InviteResult) => {
      await within?.(tx, result);
      return result;
    };
    const tenant = await requireTenant(tx, tenantId);
    const email = input.email.trim();
    // The tenant's guest invite settings and collaboration restrictions (policy.ts), before anything is written.
    requireMayInvite(
      tenant,
      await asInviter(actor, actor.kind === 'user' ? await getUser(tx, tenant.id, actor.id) : undefined),
    );
    requireDomainAllowed(tenant, email);
    const contactId = await conflictingContact(tx, tenant.id, email);
    let user: User;
    let outcome: InviteResult['outcome'];

    if (input.resetRedemption) {
      const target = await requireUser(tx, tenant.id, input.invitedUserId!);
      // Only a Global Administrator hands a privileged user to a new address (directory/roles.ts).
      await assertActorMayManageUser(tx, tenant.id, actor, target.id, input.appPermissions);
      user = await resetGuest(tx, clock, tenant, target, email, contactId !== undefined);
      outcome = 'reset';
    } else {
      const existing = await findInvitee(tx, tenant, email);
      if (existing && existing.creationType !== 'Invitation') {
        throw new InvalidRequest('invitation.member', { email, userPrincipalName: existing.userPrincipalName });
      }
      if (existing?.externalUserState === 'Accepted') {
        return done({
          invitationId: newId(),
          user: existing,
          status: 'Completed',
          inviteRedeemUrl: null,
          contactConflict: null,
          outcome: 'alreadyAccepted',
          messageQueued: false,
        });
      }
      if (existing) {
        user = existing;
        outcome = 'reinvited';
      } else {
        const made = await createGuest(tx, clock, tenant, {
          email,
          displayName: input.displayName,
          userType: input.userType ?? 'Guest',
          contactConflict: contactId !== undefined,
        });
        user = made.user;
        outcome = made.created ? 'created' : 'reinvited';
      }
    }

    // Cross-tenant access: a member of another tenant here may be invited only if both tenants' settings allow it;
    // when both agreed to automatic redemption, the invitation is redeemed now and a notice replaces the email.
    const crossing = await crossingFor(tx, tenant.id, email);
    if (crossing) {
      const verdict = await collaborationVerdict(tx, tenant.id, crossing.homeTenantId, crossing.homeUser.id);
      if (!verdict.allowed)
        throw new AuthorizationDenied(
          verdict.side === 'outbound' ? 'crosstenant.outboundBlocked' : 'crosstenant.inboundBlocked',
          { email },
        );
    }

    // Invites of one user take turns from here (a row lock on PostgreSQL; SQLite has one writer), so exactly one
    // ticket stays open whatever the number of concurrent invites. A user this transaction made is locked by its
    // insert (a concurrent invite's insert of the same address waits for this commit) and has no ticket, sponsor,
    // group or app yet: nothing to lock, revoke or read.
    const created = outcome === 'created';
    if (!created) await lockUser(tx, store.kind, tenant.id, user.id);
    const sponsors = await sponsorInvitee(tx, clock, tenant.id, user, actor, input.sponsorIds, { created });
    await grantAccess(tx, clock, tenant.id, user.id, actor, input, created);
    if (!created) await revokeTickets(tx, clock, tenant.id, user.id);
    const { ticket, hash, expiresAt } = newTicket(clock, tenant.settings.invitationTicketLifetimeDays);
    const invitationId = newId();
    const lang = pickLang(input.messageInfo?.messageLanguage);
    const messageInfo = { ...input.messageInfo, messageLanguage: lang };
    await tx
      .insertInto('invitations')
      .values(
        invitationRow(clock, tenant.id, actor, {
          invitationId,
          userId: user.id,
          email,
          input,
          hash,
          expiresAt,
          messageInfo,
        }),
      )
      .execute();

    const automatic = crossing !== undefined && (await automaticRedemption(tx, tenant.id, crossing.homeTenantId));
    const url = automatic ? myAppsUrl(config.baseUrl, tenant.id) : redeemUrl(config.baseUrl, ticket);
    if (automatic)
      await redeemAutomatically(tx, services, tenant, {
        invitationId,
        user,
        home: crossing,
        actor,
        email,
        lang,
        notify: Boolean(input.sendMessage),
      });
    else if (input.sendMessage)
      await queueInvitationEmail(tx, services, tenant, actor, {
        email,
        url,
        redirectUrl: input.redirectUrl,
        messageInfo,
        lang,
      });

    await recordAudit(
      tx,
      clock,
      tenant.id,
      inviteAudit(actor, user, { email, outcome, invitationId, input, automatic, sponsors, contactId }),
    );
    // Only automatic redemption changed the user since it was read or made above.
    return done({
      invitationId,
      user: automatic ? (await getUser(tx, tenant.id, user.id))! : user,
      status: automatic ? 'Completed' : 'PendingAcceptance',
      inviteRedeemUrl: url,
      contactConflict: contactId ? { contactId } : null,
      outcome,
      messageQueued: Boolean(input.sendMessage),
      // As sponsorIds() orders them: by when they were added (all at once here), then by id.
      ...(created && { sponsorIds: [...sponsors].sort() }),
    });
  });
  // Counted once committed (a bulk job's row counts as it is made).
  services.metrics?.invitations.inc({ outcome: result.outcome });
  return result;
}

/** The invitations row of one invitation (invite() and a bulk chunk's new guests write the same). */
export function invitationRow(
  clock: Clock,
  tenantId: string,
  actor: Actor,
  i: {
    invitationId: string;
    userId: string;
    email: string;
    input: Pick<InviteInput, 'redirectUrl' | 'sendMessage'>;
    hash: string;
    expiresAt: string;
    messageInfo: MessageInfo;
  },
): Insertable<InvitationsTable> {
  return {
    tenant_id: tenantId,
    id: i.invitationId,
    user_id: i.userId,
    invited_email: normalize(i.email),
    redirect_url: i.input.redirectUrl,
    ticket_hash: i.hash,
    ticket_expires_at: i.expiresAt,
    status: 'PendingAcceptance',
    send_message: i.input.sendMessage ? 1 : 0,
    message_info: toJson(i.messageInfo),
    invited_by: toJson(actor),
    created_at: clock.now().toISOString(),
    revoked_at: null,
    redeemed_at: null,
  };
}

/** The audit event of one invitation. */
export function inviteAudit(
  actor: Actor,
  user: User,
  e: {
    email: string;
    outcome: InviteResult['outcome'];
    invitationId: string;
    input: Pick<InviteInput, 'sendMessage'>;
    automatic: boolean;
    sponsors: string[];
    contactId: string | undefined;
  },
): AuditInput {
  return {
    category: 'UserManagement',
    activity: e.outcome === 'reset' ? 'Reset redemption status of external user' : 'Invite external user',
    operationType: e.outcome === 'created' ? 'Add' : 'Update',
    actor,
    targets: [{ id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName }],
    details: {
      invitedUserEmailAddress: e.email,
      outcome: e.outcome,
      invitationId: e.invitationId,
      messageQueued: String(Boolean(e.input.sendMessage)),
      automaticRedemption: String(e.automatic),
      ...(e.sponsors.length > 0 && { sponsorsAdded: e.sponsors.join(',') }),
      ...(e.contactId && {
        contactConflict: `address belongs to contact ${e.contactId}: guest created without mail and proxyAddresses`,
      }),
    },
  };
}

/**
 * The groups and apps an invitation names: memberships and assignments the user lacks, each with its audit event.
 * The user's own are read only when the invitation names some, and not for a user just made (it has none).
 */
async function grantAccess(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  actor: Actor,
  input: InviteInput,
  created: boolean,
) {
  const groupIds = new Set((input.groupIds ?? []).map((g) => g.toLowerCase()));
  if (groupIds.size > 0) {
    const groups = new Set(created ? [] : (await groupsOfUser(tx, tenantId, userId)).map((g) => g.id));
    for (const id of groupIds) if (!groups.has(id)) await addMemberAs(tx, clock, tenantId, id, userId, actor);
  }
  const appIds = new Set((input.appIds ?? []).map((a) => a.toLowerCase()));
  if (appIds.size > 0) {
    const apps = new Set(
      created
        ? []
        : (await assignmentsOf(tx, tenantId, userId))
            .filter((a) => a.appRoleId === DEFAULT_ACCESS_ROLE)
            .map((a) => a.appId),
    );
    for (const id of appIds) if (!apps.has(id)) await assignPrincipal(tx, clock, tenantId, id, userId, 'User', actor);
  }
}

/** Who the invitation email says invited: the inviting user, or the organization. */
export async function inviterOf(tx: Tx, tenant: Tenant, actor: Actor): Promise<Inviter> {
  if (actor.kind === 'user') {
    const user = await getUser(tx, tenant.id, actor.id);
    if (user) return { name: user.displayName, email: user.mail };
  }
  return { name: tenant.displayName, email: null };
}

type Inviter = { name: string; email: string | null };

export interface InvitationMessage {
  email: string;
  url: string;
  redirectUrl: string;
  messageInfo: MessageInfo;
  lang: ReturnType<typeof pickLang>;
}

async function queueInvitationEmail(tx: Tx, services: Services, tenant: Tenant, actor: Actor, m: InvitationMessage) {
  const inviter = await inviterOf(tx, tenant, actor);
  await enqueue(tx, services.clock, tenant.id, 'invitation', await invitationMail(tx, services, tenant, inviter, m));
}

/** The invitation email as the outbox queues it. */
export async function invitationMail(
  tx: Tx,
  services: Services,
  tenant: Tenant,
  inviter: Inviter,
  m: InvitationMessage,
): Promise<OutgoingMail> {
  const mail = await renderInvitation({
    lang: m.lang,
    tenantName: tenant.displayName,
    logoUrl: tenant.branding.logoUrl,
    inviter,
    redeemUrl: m.url,
    redirectHost: new URL(m.redirectUrl).host,
    customizedMessage: m.messageInfo.customizedMessageBody?.trim() || undefined,
    privacyStatementUrl: tenant.privacyStatementUrl,
    optOutUrl: await optOutUrl(tx, services.config.baseUrl, { address: m.email, tenantId: tenant.id }),
  });
  return {
    fromName: mail.fromName,
    to: [m.email],
    cc: (m.messageInfo.ccRecipients ?? []).map((c) => c.address),
    ...(inviter.email && { replyTo: inviter.email }),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
  };
}
