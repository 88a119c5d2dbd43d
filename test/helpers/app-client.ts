// An app of a tenant as a relying party (openid-client: authorization code + PKCE, refresh tokens), and what a
// browser with a cookie jar reaches when it opens the app's authorization URL: the app's callback or a page.
import * as client from 'openid-client';

import { registerApp, type App } from '../../src/apps/apps.ts';
import { grantAdminConsent } from '../../src/apps/assignments.ts';
import { GRAPH_APP_ID, GRAPH_SCOPES } from '../../src/apps/graph-api.ts';
import type { TestServer } from './server.ts';
import { follow, signIn, type CookieJar } from './signin.ts';

export const REDIRECT = 'http://127.0.0.1:1/callback';

export interface Attempt {
  url: string;
  /** Redeems the code in a callback URL for tokens. */
  tokens(callback: string): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers>;
}

export interface AppClient {
  app: App;
  rp: client.Configuration;
  start(): Promise<Attempt>;
}

/** A new app of the tenant that signs users in and gets refresh tokens. */
export async function appClient(s: TestServer, tenantId: string, displayName = 'Expenses'): Promise<AppClient> {
  const { store, clock } = s.portico.services;
  const { app, clientSecret } = await store.transaction((tx) =>
    registerApp(tx, clock, tenantId, {
      displayName,
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
    }),
  );
  const rp = await client.discovery(new URL(`${s.baseUrl}/${tenantId}/v2.0`), app.clientId, clientSecret!, undefined, {
    execute: [client.allowInsecureRequests],
  });
  return {
    app,
    rp,
    async start() {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT,
        scope: 'openid profile email offline_access',
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      return {
        url: url.toString(),
        tokens: (callback) =>
          client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state }),
      };
    },
  };
}

/** Opens an app's authorization URL with the browser's cookies: the callback it returns to, or the page it stops at. */
export async function reach(
  s: TestServer,
  jar: CookieJar,
  url: string,
): Promise<{ callback?: string; status: number; page: string }> {
  const reached = await follow(jar, url, s.baseUrl);
  if (!reached.res) return { callback: reached.url, status: 303, page: '' };
  return { status: reached.res.status, page: await reached.res.text() };
}

/** The OAuth error a rejected openid-client call carries. */
export const oauthError = (code: string) => (e: unknown) => (e as { error?: string }).error === code;

/**
 * A user's access token for the API, through an app's authorization code flow: the user signs in with their password
 * at the tenant's pages. The app lists every delegated Graph scope of Portico's API in its requiredResourceAccess and
 * has an administrator's consent (as `portico app consent` gives it), and asks for `<base>/v1.0/.default`; what the
 * token may do is then bounded by the user's directory roles (src/api/delegated.ts).
 */
export async function userToken(s: TestServer, tenantId: string, email: string, password: string): Promise<string> {
  const { store, clock } = s.portico.services;
  const { app, clientSecret } = await store.transaction((tx) =>
    registerApp(tx, clock, tenantId, {
      displayName: 'Directory tool',
      grantTypes: ['authorization_code'],
      redirectUris: [REDIRECT],
      requiredResourceAccess: [
        {
          resourceAppId: GRAPH_APP_ID,
          resourceAccess: GRAPH_SCOPES.map((x) => ({ id: x.id, type: 'Scope' as const })),
        },
      ],
    }),
  );
  await store.transaction((tx) =>
    grantAdminConsent(tx, clock, tenantId, app.id, { kind: 'system', displayName: 'test' }),
  );
  const rp = await client.discovery(new URL(`${s.baseUrl}/${tenantId}/v2.0`), app.clientId, clientSecret!, undefined, {
    execute: [client.allowInsecureRequests],
  });
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT,
    scope: `openid ${s.baseUrl}/v1.0/.default`,
    state: 'st',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const { callback } = await signIn(url.toString(), s.baseUrl, email, password);
  const tokens = await client.authorizationCodeGrant(rp, new URL(callback), {
    pkceCodeVerifier: verifier,
    expectedState: 'st',
  });
  return tokens.access_token;
}
