// Whether a browser's Portico session may stand for a finished sign-in to one of Portico's built-in clients (the admin
// center). The tenant's sign-in pages start that session as soon as the password (or another first factor) is right,
// before the shared steps of signin/table.ts (a Conditional Access block, a password to change, MFA) are done, so a
// page that reads the session directly asks the same steps whether any would still stop this person at that client:
// when one would, the page sends the browser through the sign-in again instead.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

import { homeBrowserMfa } from '../conditional-access/inbound-trust.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import type { Lang } from '../i18n/index.ts';
import { seededMemo } from '../mfa/step.tsx';
import type { Services } from '../services.ts';
import type { SessionMfa } from '../sessions/sessions.ts';
import { currentStep, type SignIn } from './step.ts';
import { signInSteps } from './table.ts';

/** The MFA of this browser's session at a guest's home tenant on this deployment, when that session is the guest's. */
export const homeSessionMfa = (c: Context, services: Services, user: User): Promise<SessionMfa | undefined> =>
  homeBrowserMfa(services, user, (name) => getCookie(c, name));

/**
 * Whether a shared sign-in step is still pending for `user`, whose session did `mfa`, at the client `clientId` (none:
 * the tenant's policies for all apps; the account switch and picker ask so, sessions/switch.ts).
 */
export async function sessionStepsPending(
  c: Context,
  services: Services,
  p: { tenant: Tenant; lang: Lang; user: User; mfa: SessionMfa | undefined; clientId?: string },
): Promise<boolean> {
  const memo = seededMemo(p.mfa);
  const unused = (): never => {
    throw new Error('a session check only asks whether steps are pending');
  };
  const signIn: SignIn = {
    tenant: p.tenant,
    lang: p.lang,
    userId: p.user.id,
    ...(p.clientId !== undefined && { clientId: p.clientId }),
    homeMfa: () => homeSessionMfa(c, services, p.user),
    formToken: unused,
    action: unused,
    memo: (step) => memo[step],
    remember: async () => undefined,
    render: unused,
    decline: unused,
  };
  // The terms of use are not asked again here: an administrator publishing terms would be sent away at once.
  const steps = signInSteps(services).filter((step) => step.name !== 'terms');
  return (await currentStep(steps, signIn)) !== undefined;
}
