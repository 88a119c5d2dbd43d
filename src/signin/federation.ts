// The federation hand-off, for both entry points: sending the browser to an identity provider (Google refused in
// embedded web views, with how to get out; a provider that cannot be reached said so), and picking up its answer
// when the browser comes back. federation/routes.tsx verified and recorded that answer; `binding` (the redemption
// flow's id, or the interaction's uid) makes sure only the browser that left picks it up.
import type { Tenant } from '../directory/tenants.ts';
import { userOfIdentity } from '../federation/identities.ts';
import type { IdentityProvider } from '../federation/providers.ts';
import { FederationRefused } from '../federation/refusal.ts';
import { pickUpAnswer, type FederatedIdentity } from '../federation/requests.ts';
import { startFederatedSignIn, type StartOptions } from '../federation/start.ts';
import { isEmbeddedWebView } from '../federation/webview.ts';
import { t, type Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import type { Ctx } from './step.ts';

/** How an entry point shows a refusal: its own page, in the tenant's layout. */
export type RefusalPage = (title: string, message: string, status: 403 | 502) => Response | Promise<Response>;

/** Redirects to the provider, or answers the entry point's refusal page (403 web view, 502 unreachable). */
export async function handOff(
  c: Ctx,
  services: Services,
  to: { tenant: Tenant; lang: Lang },
  provider: IdentityProvider,
  request: StartOptions,
  refuse: RefusalPage,
): Promise<Response> {
  const { lang, tenant } = to;
  if (provider.kind === 'google' && isEmbeddedWebView(c.req.header('user-agent')))
    return refuse(t(lang, 'federation.webview.title'), t(lang, 'federation.webview'), 403);
  try {
    return c.redirect(await startFederatedSignIn(services, provider, request), 303);
  } catch (error) {
    if (!(error instanceof FederationRefused)) throw error;
    return refuse(
      t(lang, 'federation.refused.title'),
      t(lang, 'federation.refused', { idp: provider.displayName, reason: error.reason, tenant: tenant.displayName }),
      502,
    );
  }
}

/** The provider's answer for this browser's `binding`, and the user of the tenant that identity already belongs to. */
export async function pickUp(
  services: Services,
  tenantId: string,
  state: string | undefined,
  binding: string,
): Promise<{ identity: FederatedIdentity; owner: string | undefined } | undefined> {
  const { store, clock } = services;
  const identity = await pickUpAnswer(store.db, clock, tenantId, state, binding);
  if (!identity) return undefined;
  return { identity, owner: await userOfIdentity(store.db, tenantId, identity.issuer, identity.subject) };
}
