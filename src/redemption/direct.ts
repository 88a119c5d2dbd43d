// Arriving without the invitation email (a direct link, an app's sign-in, My Apps): a guest who types their address
// at the tenant's sign-in page goes through the same discovery step table as the invitation link. A pending guest
// then consents and redeems; a guest who already accepted only signs in, with the identity they redeemed with.
// Contact-conflicted guests cannot take this path (the seed's rule): only their invitation email can be used.
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import type { Lang } from '../i18n/index.ts';
import { redeemableInvitationOf } from '../invitations/tickets.ts';
import type { Services } from '../services.ts';
import { mailFlowCode } from './codes.ts';
import { discoveryContext, type Seams } from './context.ts';
import { discover } from './discovery.ts';
import { createFlow, flowCookie } from './flow.ts';

export type DirectStart = { cookie: string } | { refused: 'contact-conflict' | 'no-invitation' };

/** Opens a redemption flow for a guest who typed their address; the caller sets the cookie and sends them to /redeem/go. */
export async function openDirectFlow(
  services: Services,
  seams: Seams,
  tenant: Tenant,
  guest: User,
  opts: { lang: Lang; returnTo: string; ip: string; clientId?: string },
): Promise<DirectStart> {
  if (guest.contactConflict) return { refused: 'contact-conflict' };
  const invitationId = await redeemableInvitationOf(services.store.db, tenant.id, guest.id);
  const email = guest.invitedEmail ?? guest.mail;
  if (!invitationId || !email) return { refused: 'no-invitation' };
  const { store, clock } = services;
  const discovery = await discover(discoveryContext(store.db, tenant, email, seams));
  return store.transaction(async (tx) => {
    const created = await createFlow(tx, clock, {
      tenantId: tenant.id,
      invitationId,
      userId: guest.id,
      email,
      lang: opts.lang,
      discovery,
      direct: { returnTo: opts.returnTo, signInOnly: guest.externalUserState === 'Accepted' },
      ...(opts.clientId !== undefined && { clientId: opts.clientId }),
    });
    if (discovery.kind === 'passcode')
      await mailFlowCode(tx, clock, tenant, created.id, 'redeem-passcode', email, opts.lang, opts.ip, {
        newFlow: true,
      });
    return { cookie: flowCookie(tenant.id, created.secret) };
  });
}
