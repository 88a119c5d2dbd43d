// Inbound trust (issue #20): whether MFA done elsewhere counts at this tenant. For a guest whose home tenant is a
// tenant of this deployment, the cross-tenant access settings' `inboundTrust.isMfaAccepted` for that partner (or the
// default); for a guest of a SAML or OpenID Connect provider, the provider's "trusted for MFA" flag. Whether the home
// session or the provider's answer actually carried MFA is the MFA step's to check (src/mfa/).
import type { Clock } from '../clock.ts';
import { effectivePolicy } from '../crosstenant/policy.ts';
import type { User } from '../directory/users.ts';
import { listProviders } from '../federation/providers.ts';
import { homeTenantOfIssuer, issuerFor } from '../oidc/urls.ts';
import { liveSession, sessionCookieName, type SessionMfa } from '../sessions/sessions.ts';
import type { Db } from '../store/index.ts';

/** What these functions read: the store and the deployment's base URL (`Services` fits). */
export interface TrustSeams {
  store: { db: Db };
  config: { baseUrl: string };
}

/** The home tenant on this deployment of a guest whose identity is that tenant's account; undefined otherwise. */
export function homeTenantOfUser(
  services: TrustSeams,
  user: Pick<User, 'userType' | 'identities'>,
): string | undefined {
  if (user.userType !== 'Guest') return undefined;
  for (const identity of user.identities) {
    const home = homeTenantOfIssuer(services.config.baseUrl, identity.issuer);
    if (home) return home;
  }
  return undefined;
}

/** The SAML or OIDC provider of this tenant a guest signs in with that is trusted for MFA, if any. */
export async function mfaTrustedProvider(
  services: TrustSeams,
  tenantId: string,
  user: Pick<User, 'userType' | 'identities'>,
): Promise<{ id: string; kind: 'saml' | 'wsfed' | 'oidc' } | undefined> {
  // An OIDC provider's issuer is stored without a trailing slash; its tokens' `iss` (the identity's issuer) may have one.
  const bare = (issuer: string) => issuer.replace(/\/+$/, '');
  const issuers = new Set(user.identities.map((i) => bare(i.issuer)));
  if (issuers.size === 0) return undefined;
  const providers = await listProviders(services.store.db, tenantId, ['saml', 'wsfed', 'oidc']);
  // An OIDC provider configured by its discovery document alone has the issuer that document is at (OIDC Discovery 4).
  const issuerOf = (x: (typeof providers)[number]) =>
    x.issuerUri ?? x.discoveryUrl?.replace(/\/\.well-known\/openid-configuration$/, '');
  const p = providers.find((x) => {
    const issuer = issuerOf(x);
    return x.isMfaTrusted === true && issuer !== undefined && issuers.has(bare(issuer));
  });
  return p && { id: p.id, kind: p.kind as 'saml' | 'wsfed' | 'oidc' };
}

/** Whether MFA done at the guest's home (tenant or trusted provider) satisfies this tenant's MFA requirement. */
export async function homeMfaTrusted(
  services: TrustSeams,
  tenantId: string,
  user: Pick<User, 'userType' | 'identities'>,
): Promise<boolean> {
  const home = homeTenantOfUser(services, user);
  if (home && home !== tenantId) {
    const settings = await effectivePolicy(services.store.db, tenantId, home);
    if (settings.inboundTrust.isMfaAccepted === true) return true;
  }
  return (await mfaTrustedProvider(services, tenantId, user)) !== undefined;
}

/**
 * The MFA of the Portico session a browser holds at a guest's home tenant on this deployment, when that session is
 * the guest's own account there and is live (`cookie` reads the browser's cookies: hono's at the sign-in pages,
 * koa's in oidc-provider's policy). Whether the tenant trusts it is `homeMfaTrusted`'s.
 */
export async function homeBrowserMfa(
  services: TrustSeams & { clock: Clock },
  user: Pick<User, 'tenantId' | 'userType' | 'identities'>,
  cookie: (name: string) => string | undefined,
): Promise<SessionMfa | undefined> {
  const home = homeTenantOfUser(services, user);
  if (!home || home === user.tenantId) return undefined;
  const session = await liveSession(services.store.db, services.clock, home, cookie(sessionCookieName(home)));
  const theirs = user.identities.some(
    (i) => i.issuer === issuerFor(services.config.baseUrl, home) && i.issuerAssignedId === session?.userId,
  );
  return theirs ? session?.mfa : undefined;
}
