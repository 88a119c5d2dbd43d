// Automatic redemption (both tenants' cross-tenant access settings allow it): the invitation is redeemed when it is
// made, with the guest's home-tenant identity, so no consent prompt is ever shown; instead of the invitation email
// the guest gets a notice that asks for nothing, with a link to the organization's My Apps. Terms of use, when
// configured, are still asked at the first sign-in (the sign-in pages check them every time).
import type { Crossing } from '../crosstenant/b2b.ts';
import { recordAudit, type Actor } from '../directory/audit.ts';
import type { Tenant } from '../directory/tenants.ts';
import { markRedeemed, type User } from '../directory/users.ts';
import { linkIdentity } from '../federation/identities.ts';
import { t, type Lang } from '../i18n/index.ts';
import { enqueue } from '../mail/outbox.ts';
import { issuerFor, myAppsUrl } from '../oidc/urls.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import { optOutUrl } from './optout.ts';

export async function redeemAutomatically(
  tx: Tx,
  services: Services,
  tenant: Tenant,
  m: { invitationId: string; user: User; home: Crossing; actor: Actor; email: string; lang: Lang; notify: boolean },
): Promise<void> {
  const { clock, config } = services;
  const now = clock.now().toISOString();
  const issuer = issuerFor(config.baseUrl, m.home.homeTenantId);
  await tx
    .updateTable('invitations')
    .set({ status: 'Completed', redeemed_at: now, ticket_hash: null })
    .where('tenant_id', '=', tenant.id)
    .where('id', '=', m.invitationId)
    .execute();
  await markRedeemed(tx, clock, tenant.id, m.user.id, [
    { signInType: 'federated', issuer, issuerAssignedId: m.home.homeUser.id },
  ]);
  await linkIdentity(tx, clock, tenant.id, m.user.id, issuer, m.home.homeUser.id);
  await recordAudit(tx, clock, tenant.id, {
    category: 'UserManagement',
    activity: 'Redeem external user invite',
    operationType: 'Update',
    actor: m.actor,
    targets: [
      { id: m.user.id, type: 'User', displayName: m.user.displayName, userPrincipalName: m.user.userPrincipalName },
    ],
    details: { source: 'External tenant', issuer, invitationId: m.invitationId, via: 'automatic redemption' },
  });
  if (!m.notify) return;
  const p = { tenant: tenant.displayName, link: myAppsUrl(config.baseUrl, tenant.id) };
  // The notice stands in for the invitation email, so it carries the same way to stop invitations.
  const optOut = await optOutUrl(tx, config.baseUrl, { address: m.email, tenantId: tenant.id });
  const text = `${t(m.lang, 'autoredeem.body', p)}\n\n${t(m.lang, 'mail.optOut.lead', p)} ${t(m.lang, 'mail.optOut.link')}: ${optOut}\n`;
  await enqueue(tx, clock, tenant.id, 'notification', {
    fromName: t(m.lang, 'invite.fromName', p),
    to: [m.email],
    subject: t(m.lang, 'autoredeem.subject', p),
    text,
  });
}
