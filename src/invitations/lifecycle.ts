// What happens to invitations as time passes, run by the periodic sweep (app.ts) and by tests with their clock:
//  - reminders: a tenant's invitationReminderDays (e.g. [7, 1]) mail a pending guest before the ticket expires, each
//    once (a row in invitation_reminders, inserted once however many nodes sweep), never to an address that opted
//    out, and tell the guest's sponsors in the same transaction;
//  - expiry: a ticket that ran out unredeemed is marked (expired_at) with an audit event, once;
//  - the daily summary (expirySummaryEmail): from the first sweep of a UTC day, each inviter and sponsor gets one
//    email per day listing the invitations that expired unredeemed on an earlier day (a week back at most).
import { recordAudit, type Actor } from '../directory/audit.ts';
import { tenantsWithSetting, type Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { pickLang, type Lang } from '../i18n/index.ts';
import { enqueue } from '../mail/outbox.ts';
import type { RenderedMail } from '../mail/templates/invitation.tsx';
import { myAppsUrl } from '../oidc/urls.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { parseJson } from '../store/json.ts';
import { renderExpirySummary, renderReminder, renderSponsorNotice, type ExpiredItem } from './lifecycle-mail.ts';
import { blockOf, optOutUrl } from './optout.ts';
import { listSponsors, sponsorIds } from './sponsors.ts';

const DAY = 86_400_000;
const SYSTEM: Actor = { kind: 'system', displayName: 'Portico' };
const adminUserUrl = (baseUrl: string, tenantId: string, userId: string) =>
  `${baseUrl}/admin/${tenantId}/users/${userId}`;
const langOf = (messageInfo: string): Lang =>
  pickLang(parseJson<{ messageLanguage?: string }>(messageInfo, {}).messageLanguage);

async function mail(tx: Tx, services: Services, tenantId: string, kind: string, to: string, m: RenderedMail) {
  await enqueue(tx, services.clock, tenantId, kind, {
    fromName: m.fromName,
    to: [to],
    subject: m.subject,
    text: m.text,
    html: m.html,
  });
}

async function inviterName(tx: Tx, tenant: Tenant, actorJson: string): Promise<string> {
  const actor = parseJson<Actor>(actorJson, SYSTEM);
  const user = actor.kind === 'user' ? await getUser(tx, tenant.id, actor.id) : undefined;
  return user?.displayName ?? tenant.displayName;
}

export async function sendReminders(services: Services): Promise<number> {
  const { store, clock } = services;
  const now = clock.now().getTime();
  let sent = 0;
  for (const tenant of await tenantsWithSetting(services.store.db, 'invitationReminderDays')) {
    const days = tenant.settings.invitationReminderDays;
    if (days.length === 0) continue;
    const open = await store.db
      .selectFrom('invitations')
      .select(['id', 'created_at', 'ticket_expires_at'])
      .where('tenant_id', '=', tenant.id)
      .where('ticket_hash', 'is not', null)
      .where('ticket_expires_at', '>', new Date(now).toISOString())
      .where('ticket_expires_at', '<=', new Date(now + Math.max(...days) * DAY).toISOString())
      .where('status', '=', 'PendingAcceptance')
      .where('revoked_at', 'is', null)
      .where('send_message', '=', 1)
      .execute();
    const recorded = new Set<string>();
    for (let i = 0; i < open.length; i += 500) {
      const rows = await store.db
        .selectFrom('invitation_reminders')
        .select(['invitation_id', 'days_before'])
        .where('tenant_id', '=', tenant.id)
        .where(
          'invitation_id',
          'in',
          open.slice(i, i + 500).map((o) => o.id),
        )
        .execute();
      for (const r of rows) recorded.add(`${r.invitation_id}|${r.days_before}`);
    }
    for (const inv of open) {
      const expires = Date.parse(inv.ticket_expires_at!);
      // An offset counts once its moment has come, and only if that moment is after the invitation was made (a
      // 5-day ticket gets no "7 days left" reminder the minute it is sent).
      const due = days.filter(
        (d) =>
          expires - d * DAY <= now && expires - d * DAY > Date.parse(inv.created_at) && !recorded.has(`${inv.id}|${d}`),
      );
      if (due.length > 0 && (await remind(services, tenant, inv.id, due))) sent++;
    }
  }
  return sent;
}

/** One reminder for every offset now due (recorded together, so a late sweep sends one mail, not several). */
async function remind(services: Services, tenant: Tenant, invitationId: string, due: number[]): Promise<boolean> {
  const { store, clock, config } = services;
  return store.transaction(async (tx) => {
    const inv = await tx
      .selectFrom('invitations')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('id', '=', invitationId)
      .where('ticket_hash', 'is not', null)
      .where('status', '=', 'PendingAcceptance')
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const guest = inv && (await getUser(tx, tenant.id, inv.user_id));
    if (!inv || !guest || guest.externalUserState === 'Accepted') return false;
    const blocked = await blockOf(tx, tenant.id, inv.invited_email);
    let fresh = 0;
    for (const d of due) {
      const r = await tx
        .insertInto('invitation_reminders')
        .values({
          tenant_id: tenant.id,
          invitation_id: invitationId,
          days_before: d,
          outcome: blocked ? 'blocked' : 'sent',
          created_at: clock.now().toISOString(),
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'invitation_id', 'days_before']).doNothing())
        .executeTakeFirst();
      fresh += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    if (fresh === 0 || blocked) return false;
    const lang = langOf(inv.message_info);
    await mail(
      tx,
      services,
      tenant.id,
      'invitation-reminder',
      inv.invited_email,
      await renderReminder({
        lang,
        tenantName: tenant.displayName,
        inviterName: await inviterName(tx, tenant, inv.invited_by),
        email: inv.invited_email,
        invitedAt: inv.created_at,
        expiresAt: inv.ticket_expires_at!,
        signInUrl: guest.contactConflict ? null : myAppsUrl(config.baseUrl, tenant.id),
        optOutUrl: await optOutUrl(tx, config.baseUrl, { address: inv.invited_email, tenantId: tenant.id }),
      }),
    );
    for (const sponsor of await listSponsors(tx, tenant.id, guest.id)) {
      if (!sponsor.mail) continue;
      await mail(
        tx,
        services,
        tenant.id,
        'sponsor-notice',
        sponsor.mail,
        await renderSponsorNotice({
          lang,
          tenantName: tenant.displayName,
          guestName: guest.displayName,
          email: inv.invited_email,
          expiresAt: inv.ticket_expires_at!,
          adminUrl: adminUserUrl(config.baseUrl, tenant.id, guest.id),
        }),
      );
    }
    return true;
  });
}

/** Marks every ticket that ran out unredeemed, one conditional update each, with its audit event. */
export async function markExpired(services: Services): Promise<number> {
  const { store, clock } = services;
  let marked = 0;
  for (;;) {
    const now = clock.now().toISOString();
    const batch = await store.db
      .selectFrom('invitations')
      .select(['tenant_id', 'id'])
      .where('ticket_hash', 'is not', null)
      .where('ticket_expires_at', '<=', now)
      .where('status', '=', 'PendingAcceptance')
      .where('revoked_at', 'is', null)
      .limit(200)
      .execute();
    for (const inv of batch) {
      if (await store.transaction((tx) => expire(tx, services, inv.tenant_id, inv.id, now))) marked++;
    }
    if (batch.length < 200) return marked;
  }
}

async function expire(tx: Tx, services: Services, tenantId: string, id: string, now: string): Promise<boolean> {
  // The ticket goes too: it can never redeem again, and the open-ticket index stays small.
  const row = await tx
    .updateTable('invitations')
    .set({ expired_at: now, ticket_hash: null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('ticket_hash', 'is not', null)
    .where('ticket_expires_at', '<=', now)
    .where('status', '=', 'PendingAcceptance')
    .where('revoked_at', 'is', null)
    .returning(['user_id', 'invited_email', 'ticket_expires_at'])
    .executeTakeFirst();
  if (!row) return false;
  const user = await getUser(tx, tenantId, row.user_id);
  await recordAudit(tx, services.clock, tenantId, {
    category: 'UserManagement',
    activity: 'Invitation expired',
    operationType: 'Update',
    actor: SYSTEM,
    targets: [
      { id: row.user_id, type: 'User', displayName: user?.displayName, userPrincipalName: user?.userPrincipalName },
    ],
    details: {
      invitationId: id,
      invitedUserEmailAddress: row.invited_email,
      ticketExpirationDateTime: row.ticket_expires_at ?? '',
    },
  });
  return true;
}

export async function sendExpirySummaries(services: Services): Promise<number> {
  const { store, clock } = services;
  const today = new Date(Math.floor(clock.now().getTime() / DAY) * DAY);
  let sent = 0;
  for (const tenant of await tenantsWithSetting(services.store.db, 'expirySummaryEmail')) {
    if (!tenant.settings.expirySummaryEmail) continue;
    sent += await store.transaction(async (tx) => {
      // Claimed by one conditional update: a summary lists each invitation once, whichever node sweeps.
      const claimed = await tx
        .updateTable('invitations')
        .set({ expiry_summarized_at: clock.now().toISOString() })
        .where('tenant_id', '=', tenant.id)
        .where('expired_at', 'is not', null)
        .where('expiry_summarized_at', 'is', null)
        .where('ticket_expires_at', '<', today.toISOString())
        .where('ticket_expires_at', '>=', new Date(today.getTime() - 7 * DAY).toISOString())
        .returning(['user_id', 'invited_email', 'invited_by', 'created_at', 'ticket_expires_at', 'message_info'])
        .execute();
      const groups = new Map<string, { to: User; day: string; lang: Lang; items: ExpiredItem[] }>();
      for (const inv of claimed) {
        const guest = await getUser(tx, tenant.id, inv.user_id);
        if (!guest || guest.externalUserState === 'Accepted') continue;
        const actor = parseJson<Actor>(inv.invited_by, SYSTEM);
        const recipients = new Set([
          ...(actor.kind === 'user' ? [actor.id] : []),
          ...(await sponsorIds(tx, tenant.id, guest.id)),
        ]);
        const day = inv.ticket_expires_at!.slice(0, 10);
        for (const id of recipients) {
          const to = await getUser(tx, tenant.id, id);
          if (!to?.mail) continue;
          const key = `${id}|${day}`;
          if (!groups.has(key)) groups.set(key, { to, day, lang: langOf(inv.message_info), items: [] });
          groups.get(key)!.items.push({ name: guest.displayName, email: inv.invited_email, invitedAt: inv.created_at });
        }
      }
      for (const g of groups.values()) {
        await mail(
          tx,
          services,
          tenant.id,
          'expiry-summary',
          g.to.mail!,
          await renderExpirySummary({
            lang: g.lang,
            tenantName: tenant.displayName,
            day: `${g.day}T00:00:00.000Z`,
            items: g.items,
            adminUrl: `${services.config.baseUrl}/admin/${tenant.id}/users`,
          }),
        );
      }
      return groups.size;
    });
  }
  return sent;
}

/** The lifecycle's three passes, in the order that lets a reminder go out before its ticket is marked. */
export async function runInvitationLifecycle(
  services: Services,
): Promise<{ reminders: number; expired: number; summaries: number }> {
  const reminders = await sendReminders(services);
  const expired = await markExpired(services);
  const summaries = await sendExpirySummaries(services);
  return { reminders, expired, summaries };
}
