// Tenant URLs, apart from the provider module so callers (CLI, API auth) need not load oidc-provider.

export const issuerFor = (baseUrl: string, tenantId: string) => `${baseUrl}/${tenantId}/v2.0`;

/** The audience of Portico's Graph-shaped API, as `https://graph.microsoft.com` is Graph's. */
export const apiAudience = (baseUrl: string) => `${baseUrl}/v1.0`;

/** The built-in public client My Apps uses at every tenant to send people through the tenant's sign-in pages. */
export const MY_APPS_CLIENT_ID = 'portico-myapps';
export const myAppsCallback = (baseUrl: string) => `${baseUrl}/myapps/signed-in`;
export const myAppsClient = (baseUrl: string) => ({
  client_id: MY_APPS_CLIENT_ID, client_name: 'My Apps', token_endpoint_auth_method: 'none' as const,
  grant_types: ['authorization_code'], response_types: ['code' as const], redirect_uris: [myAppsCallback(baseUrl)],
});
