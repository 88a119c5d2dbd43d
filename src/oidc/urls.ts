// Tenant URLs, apart from the provider module so callers (CLI, API auth) need not load oidc-provider.
import { randomBytes } from 'node:crypto';

export const issuerFor = (baseUrl: string, tenantId: string) => `${baseUrl}/${tenantId}/v2.0`;

/** The tenant of this deployment an issuer names (a guest's home tenant), if it names one. */
export function homeTenantOfIssuer(baseUrl: string, issuer: string): string | undefined {
  const m = /^(.*)\/([0-9a-f-]{36})\/v2\.0$/.exec(issuer);
  return m && m[1] === baseUrl ? m[2] : undefined;
}

/** A tenant's My Apps: where guests land when nothing else is asked, and what notices link to. */
export const myAppsUrl = (baseUrl: string, tenantId: string) => `${baseUrl}/myapps?tenantid=${tenantId}`;

/** The audience of Portico's Graph-shaped API, as `https://graph.microsoft.com` is Graph's. */
export const apiAudience = (baseUrl: string) => `${baseUrl}/v1.0`;

/** The built-in public client My Apps uses at every tenant to send people through the tenant's sign-in pages. */
export const MY_APPS_CLIENT_ID = 'portico-myapps';
export const myAppsCallback = (baseUrl: string) => `${baseUrl}/myapps/signed-in`;
export const myAppsClient = (baseUrl: string) => ({
  client_id: MY_APPS_CLIENT_ID,
  client_name: 'My Apps',
  token_endpoint_auth_method: 'none' as const,
  grant_types: ['authorization_code'],
  response_types: ['code' as const],
  redirect_uris: [myAppsCallback(baseUrl)],
});

/** The built-in public client the admin center uses the same way. */
export const ADMIN_CLIENT_ID = 'portico-admin';
export const adminCallback = (baseUrl: string) => `${baseUrl}/admin/signed-in`;
export const adminClient = (baseUrl: string) => ({
  ...myAppsClient(baseUrl),
  client_id: ADMIN_CLIENT_ID,
  client_name: 'Admin center',
  redirect_uris: [adminCallback(baseUrl)],
});

/**
 * The authorization URL a built-in client sends a browser to. The code it brings back is not needed: the sign-in
 * pages leave a Portico session at the tenant, which is what the built-in pages read. `state` says where to return.
 */
export function builtInSignInUrl(
  baseUrl: string,
  tenantId: string,
  client: { client_id: string; redirect_uris: string[] },
  state: string,
): string {
  const url = new URL(`${issuerFor(baseUrl, tenantId)}/auth`);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: client.redirect_uris[0]!,
    state,
    // PKCE is required of every client; this verifier is never used, so a random challenge is enough.
    code_challenge: randomBytes(32).toString('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}
