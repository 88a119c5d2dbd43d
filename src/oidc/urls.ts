// Tenant URLs, apart from the provider module so callers (CLI, API auth) need not load oidc-provider.

export const issuerFor = (baseUrl: string, tenantId: string) => `${baseUrl}/${tenantId}/v2.0`;

/** The audience of Portico's Graph-shaped API, as `https://graph.microsoft.com` is Graph's. */
export const apiAudience = (baseUrl: string) => `${baseUrl}/v1.0`;
