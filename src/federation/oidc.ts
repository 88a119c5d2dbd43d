// Upstream OpenID Connect providers (Google and the ones a tenant configures by domain) through openid-client:
// authorization code with PKCE, state and nonce always; openid-client checks the ID token's signature, `iss`,
// `aud`, expiry and nonce. Portico then requires a verified email in one of the provider's domains.
import { LRUCache } from 'lru-cache';
import * as client from 'openid-client';

import type { Config } from '../config.ts';
import { isEmailAddress, shownAddress } from '../directory/address.ts';
import type { Db } from '../store/index.ts';
import { isAllowedUpstreamUrl } from './metadata.ts';
import { clientSecretOf, type IdentityProvider } from './providers.ts';
import { FederationRefused } from './refusal.ts';
import type { FederatedIdentity } from './requests.ts';

/** What `identities` records as the issuer of Google identities (Entra's value). */
export const GOOGLE_ISSUER_NAME = 'google.com';

export const oidcCallbackUrl = (baseUrl: string, tenantId: string) => `${baseUrl}/${tenantId}/federation/oidc/callback`;

// Discovery documents and keys are fetched once per provider version, not on every sign-in.
const configurations = new LRUCache<string, Promise<client.Configuration>>({ max: 500, ttl: 10 * 60_000 });

/** Google's issuer, or the configured discovery document (by default `<issuer>/.well-known/openid-configuration`). */
function discoveryUrlOf(provider: IdentityProvider, config: Config): string {
  return provider.kind === 'google' ? config.googleIssuer : (provider.discoveryUrl ?? provider.issuerUri!);
}

async function configurationFor(db: Db, config: Config, provider: IdentityProvider): Promise<client.Configuration> {
  const key = `${provider.tenantId}/${provider.id}/${provider.updatedAt}`;
  let found = configurations.get(key);
  if (!found) {
    const url = discoveryUrlOf(provider, config);
    // Plain http only on loopback (isAllowedUpstreamUrl), where local and test IdPs run.
    const insecure = url.startsWith('http:') && isAllowedUpstreamUrl(url);
    found = clientSecretOf(db, provider).then(async (secret) => {
      const discovered = await client.discovery(
        new URL(url),
        provider.clientId!,
        secret,
        client.ClientSecretPost(secret),
        { execute: insecure ? [client.allowInsecureRequests] : [], timeout: 10 },
      );
      // A discovery document found at a configured URL must still name the configured issuer.
      const issuer = discovered.serverMetadata().issuer;
      if (provider.kind === 'oidc' && provider.issuerUri && issuer !== provider.issuerUri)
        throw new Error(`its discovery document names the issuer ${issuer}, not ${provider.issuerUri}`);
      return discovered;
    });
    found.catch(() => configurations.delete(key));
    configurations.set(key, found);
  }
  try {
    return await found;
  } catch (error) {
    throw new FederationRefused(
      'unavailable',
      `${provider.displayName} cannot be reached right now (${(error as Error).message.slice(0, 120)})`,
    );
  }
}

/** The authorization URL, with the PKCE verifier and nonce to keep for the callback. */
export async function oidcSignInUrl(
  db: Db,
  config: Config,
  provider: IdentityProvider,
  state: string,
  loginHint?: string,
): Promise<{ url: string; codeVerifier: string; nonce: string }> {
  const configuration = await configurationFor(db, config, provider);
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: oidcCallbackUrl(config.baseUrl, provider.tenantId),
    scope: provider.kind === 'google' ? 'openid email profile' : (provider.scope ?? 'openid email profile'),
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (loginHint) params.login_hint = loginHint;
  return { url: client.buildAuthorizationUrl(configuration, params).href, codeVerifier, nonce };
}

/** Exchanges the code and checks the ID token; returns who signed in. */
export async function verifyOidcCallback(
  db: Db,
  config: Config,
  provider: IdentityProvider,
  callbackUrl: URL,
  expected: { state: string; codeVerifier: string; nonce: string },
): Promise<FederatedIdentity> {
  const configuration = await configurationFor(db, config, provider);
  let claims: client.IDToken | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (error) {
    const e = error as Error & { code?: string; error?: string; error_description?: string };
    if (e.error)
      throw new FederationRefused(
        'upstream-error',
        `${provider.displayName} answered: ${e.error}${e.error_description ? ` (${e.error_description.slice(0, 200)})` : ''}`,
      );
    // openid-client's own message is generic ("unexpected JWT claim value"); the error it wraps names the claim.
    const detail = (e.cause instanceof Error ? e.cause.message : '') || e.message;
    throw new FederationRefused(
      refusalKind(detail),
      `${provider.displayName}'s answer was refused: ${detail.slice(0, 200)}`,
    );
  }
  if (!claims?.sub) throw new FederationRefused('subject', `${provider.displayName} sent no subject`);
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email) throw new FederationRefused('email', `${provider.displayName} did not share your email address`);
  // An upstream's address is an address entering too: one with a NUL or a bidi override is nobody's.
  if (!isEmailAddress(email))
    throw new FederationRefused(
      'email',
      `${provider.displayName} sent '${shownAddress(email)}', which is not a valid email address`,
    );
  if (claims.email_verified !== true)
    throw new FederationRefused('unverified', `${provider.displayName} has not verified that ${email} belongs to you`);
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!provider.domains.includes(domain))
    throw new FederationRefused(
      'domain',
      `${email} is not in a domain ${provider.displayName} serves here (${provider.domains.join(', ')})`,
    );
  return {
    providerId: provider.id,
    kind: provider.kind,
    issuer: provider.kind === 'google' ? GOOGLE_ISSUER_NAME : claims.iss,
    subject: claims.sub,
    email,
    displayName: typeof claims.name === 'string' ? claims.name : undefined,
    // RFC 8176: the provider says the person did multifactor authentication
    ...(Array.isArray(claims.amr) && claims.amr.includes('mfa') && { mfa: true }),
  };
}

function refusalKind(message: string): FederationRefused['kind'] {
  if (/"iss"|issuer/i.test(message)) return 'issuer';
  if (/"aud"|audience/i.test(message)) return 'audience';
  if (/nonce/i.test(message)) return 'state';
  if (/state/i.test(message)) return 'state';
  if (/exp|iat|timestamp/i.test(message)) return 'expired';
  return 'signature';
}
