// One oidc-provider instance per tenant: issuer `<base>/<tenant id>/v2.0`. Its interaction pages are Portico's
// own routes (interactions/routes.tsx); its storage is the shared store (oidc/adapter.ts).
import type { JWK } from 'jose';
import Provider, { type Configuration, type Grant, type KoaContextWithOIDC } from 'oidc-provider';

import { userAppRoles } from '../apps/app-roles.ts';
import { accessDecision } from '../conditional-access/decision.ts';
import type { Tenant } from '../directory/tenants.ts';
import { getUser } from '../directory/users.ts';
import { keyedHmac } from '../keyed.ts';
import type { Services } from '../services.ts';
import type { Store } from '../store/index.ts';
import { adapterFor, APP_ROLES, FOREIGN_OWNER } from './adapter.ts';
import { gatedPolicy } from './app-gate.ts';
import {
  DEVICE_CODE_TTL,
  DEVICE_ROUTES,
  deviceFlowFeature,
  installDeviceFlow,
  withDeviceConfirmation,
} from './device-flow.ts';
import { entraParams, entraTokenClaims, TOKEN_VERSION, withClientInfo } from './entra.ts';
import { ACCESS_TOKEN_ALG } from './keys.ts';
import { accessTokenAmr, registerOnBehalfOf } from './on-behalf-of.ts';
import { withEntraPrompts } from './prompts.ts';
import { renderLoggedOut, renderLogout, renderProviderError } from './provider-pages.tsx';
import {
  apiResourceServer,
  apiTokenClaims,
  foreignPorticoApi,
  porticoResourceServer,
  porticoScp,
  requestedApiScopes,
} from './resources.ts';
import { adminClient, apiAudience, issuerFor, myAppsClient } from './urls.ts';

/** Token lifetimes in seconds: the defaults a tenant gets. */
export const TTL = {
  AccessToken: 3600,
  AuthorizationCode: 300,
  ClientCredentials: 3600,
  IdToken: 3600,
  Interaction: 3600,
  Grant: 14 * 24 * 3600,
  RefreshToken: 14 * 24 * 3600,
  Session: 14 * 24 * 3600,
} as const;

const shortId = (tenantId: string) => tenantId.replace(/-/g, '').slice(0, 12);

/** Whether the client is another tenant's multi-tenant app (its metadata names the owner tenant: adapter.ts). */
const isForeign = (client: unknown): boolean =>
  typeof (client as { [FOREIGN_OWNER]?: unknown } | undefined)?.[FOREIGN_OWNER] === 'string';

/** What the signing in to an app grants with no consent page: the sign-in itself and the profile. */
export const SIGN_IN_SCOPES = 'openid profile email offline_access';

/**
 * What every OpenID provider of the pool shares (a tenant's, and the personal accounts realm's, consumers.ts): keys,
 * cookies named per realm, Entra's parameters, PKCE, refresh token rotation and pairwise subjects per app.
 */
export function realmConfiguration(store: Store, realmId: string, keys: JWK[], cookieKeys: string[]): Configuration {
  const tid = shortId(realmId);
  return {
    jwks: { keys: keys as Configuration['jwks'] extends { keys: infer K } ? K : never },
    cookies: {
      keys: cookieKeys,
      // Tenants share one host: per-tenant names keep one tenant's session from overwriting another's.
      names: { session: `portico_s_${tid}`, interaction: `portico_i_${tid}`, resume: `portico_r_${tid}` },
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    extraClientMetadata: { properties: [APP_ROLES, FOREIGN_OWNER] },
    extraParams: entraParams,
    clientAuthMethods: ['client_secret_post', 'client_secret_basic', 'none'],
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Every use of a refresh token replaces it; presenting a used one again is refused (and revokes the grant).
    rotateRefreshToken: () => true,
    // Entra's `sub` is per app: an app cannot correlate users with another app by it; `oid` is the object id.
    subjectTypes: ['public', 'pairwise'],
    // The sector identifier named for clients with redirect URIs on several hosts (adapter.ts) is not fetched.
    sectorIdentifierUriValidate: () => false,
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      keyedHmac(store.db, 'pairwise-subject-key', `${realmId}:${client.clientId}:${accountId}`),
  };
}

/** The grant of this sign-in (the one it has, or a new one), with what signing in grants (SIGN_IN_SCOPES), unsaved. */
export async function signInGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const accountId = oidc.session?.accountId;
  if (!accountId || !oidc.client) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client.clientId);
  const grant =
    (grantId && (await oidc.provider.Grant.find(grantId))) ||
    new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId });
  grant.addOIDCScope(SIGN_IN_SCOPES);
  return grant;
}

export function buildProvider(services: Services, tenant: Tenant, keys: JWK[], cookieKeys: string[]): Provider {
  const { store, config } = services;
  const issuer = issuerFor(config.baseUrl, tenant.id);
  const audience = apiAudience(config.baseUrl);

  const configuration: Configuration = {
    ...realmConfiguration(store, tenant.id, keys, cookieKeys),
    adapter: adapterFor(store, tenant.id, services.clock),
    // My Apps and the admin center sign people in through each tenant's own sign-in pages.
    clients: [myAppsClient(config.baseUrl), adminClient(config.baseUrl)],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      // amr: how the person signed in (sessions/amr.ts), from the login result, never from the account's claims.
      openid: ['sub', 'ver', 'tid', 'oid', 'idp', 'acct', 'amr', 'roles'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    ttl: { ...TTL, DeviceCode: DEVICE_CODE_TTL },
    routes: DEVICE_ROUTES,
    features: {
      devInteractions: { enabled: false },
      deviceFlow: deviceFlowFeature(tenant),
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: renderLogout(tenant),
        postLogoutSuccessSource: renderLoggedOut(tenant),
      },
      resourceIndicators: {
        enabled: true,
        // Client credentials are for the API; sign-ins without a resource get a token for userinfo.
        defaultResource: (ctx) => (ctx.oidc.params?.grant_type === 'client_credentials' ? audience : undefined),
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource, client) => {
          // Apps' own APIs (oidc/resources.ts); below, Portico's. Another tenant's app gets neither (resources.ts).
          const foreign = isForeign(client);
          const ttl = TTL.AccessToken;
          const request = { db: store.db, tenantId: tenant.id, ctx, resource, clientId: client?.clientId, ttl };
          if (resource !== audience) return apiResourceServer(request, foreign);
          if (foreign) throw foreignPorticoApi(client?.clientId, tenant.id);
          // Portico's own API, with Graph's delegated scopes (apps/graph-api.ts).
          return porticoResourceServer(request, ACCESS_TOKEN_ALG);
        },
      },
    },
    interactions: {
      url: (_ctx, interaction) => `/${tenant.id}/v2.0/interaction/${interaction.uid}`,
      policy: withDeviceConfirmation(
        withEntraPrompts(
          gatedPolicy(store.db, services.clock, config.baseUrl, tenant.id, {
            services,
            tenant: async () => tenant,
          }),
        ),
      ),
    },
    // Apps registered in a tenant are the tenant's own: signing in grants what they ask for. Permissions that need
    // admin consent are the apps issue's, on top of this.
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      const grant = await signInGrant(ctx);
      if (!grant) return undefined;
      // Another tenant's app: signing in only (its users' consent names no API; resources.ts refuses them too).
      const foreign = isForeign(oidc.client);
      // An app's API, or Portico's own with Graph's delegated scopes: the scopes resources.ts let through (type User
      // by signing in, type Admin with admin consent). What a token for Portico's API may then do is also bounded by
      // the user's directory roles when it is used (api/delegated.ts).
      for (const [resource, scope] of requestedApiScopes(oidc.params, audience, foreign))
        grant.addResourceScope(resource, scope);
      await grant.save();
      return grant;
    },
    findAccount: async (ctx, sub) => {
      const user = await getUser(store.db, tenant.id, sub);
      if (!user || !user.accountEnabled) return undefined;
      const guest = user.userType === 'Guest';
      // The app roles of type User the user holds in the app signing them in (apps/app-roles.ts): the ID token's roles.
      const clientId = ctx.oidc?.client?.clientId;
      const roles = clientId ? await userAppRoles(store.db, tenant.id, clientId, user.id) : [];
      return {
        accountId: user.id,
        claims: async () => ({
          sub: user.id,
          ver: TOKEN_VERSION,
          tid: tenant.id,
          oid: user.id,
          // Entra's guest markers: `acct` 1 for guests, and `idp` the issuer the guest signed in with at home.
          acct: guest ? 1 : 0,
          idp: guest ? user.identities[0]?.issuer : undefined,
          name: user.displayName,
          given_name: user.givenName ?? undefined,
          family_name: user.surname ?? undefined,
          preferred_username: user.userPrincipalName,
          email: user.mail ?? undefined,
          email_verified: user.mail ? true : undefined,
          roles: roles.length ? roles : undefined,
        }),
      };
    },
    extraTokenClaims: async (ctx: KoaContextWithOIDC, token) => {
      const api = await apiTokenClaims(store.db, tenant.id, token, audience); // an app's API: oidc/resources.ts
      // A user's token says how its sign-in was done (amr, as Entra's v1 access tokens do): on-behalf-of reads it.
      const amr = token.kind === 'ClientCredentials' ? undefined : accessTokenAmr(ctx);
      if (api) return { ...(await entraTokenClaims(ctx, token)), tid: tenant.id, ...api, ...(amr && { amr }) };
      if (token.kind === 'ClientCredentials') {
        // The client authenticated this very request: its metadata (adapter.ts) was read from the app just now.
        const client = ctx.oidc.client as (typeof ctx.oidc.client & { [APP_ROLES]?: string[] }) | undefined;
        return {
          ...(await entraTokenClaims(ctx, token)),
          tid: tenant.id,
          roles: client?.[APP_ROLES] ?? [],
          app_displayname: client?.clientName,
          idtyp: 'app',
        };
      }
      return {
        ...(await entraTokenClaims(ctx, token)),
        tid: tenant.id,
        ...(ctx.oidc.account ? { oid: ctx.oidc.account.accountId, idtyp: 'user' } : {}),
        ...porticoScp(token, audience),
        ...(amr && { amr }),
      };
    },
    renderError: renderProviderError(tenant),
  };
  const provider = new Provider(issuer, configuration);
  registerOnBehalfOf(provider, {
    db: store.db,
    tenantId: tenant.id,
    issuer,
    keys,
    ttl: TTL.AccessToken,
    findAccount: configuration.findAccount!,
    access: (userId, clientId) => accessDecision(services, { tenant, userId, clientId }),
  });
  // Behind a TLS-terminating proxy, trust X-Forwarded-* so issued URLs use the public scheme and host.
  provider.proxy = true;
  installDeviceFlow(provider, services, tenant);
  provider.use(withClientInfo(tenant.id));
  return provider;
}
