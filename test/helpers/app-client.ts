// An app of a tenant as a relying party (openid-client: authorization code + PKCE, refresh tokens), and what a
// browser with a cookie jar reaches when it opens the app's authorization URL: the app's callback or a page.
import * as client from 'openid-client';
import { registerApp, type App } from '../../src/apps/apps.ts';
import type { TestServer } from './server.ts';
import { follow, type CookieJar } from './signin.ts';

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
  const { app, clientSecret } = await store.transaction((tx) => registerApp(tx, clock, tenantId, {
    displayName, grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [REDIRECT],
  }));
  const rp = await client.discovery(new URL(`${s.baseUrl}/${tenantId}/v2.0`), app.clientId, clientSecret!, undefined, { execute: [client.allowInsecureRequests] });
  return {
    app, rp,
    async start() {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT, scope: 'openid profile email offline_access', state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      return { url: url.toString(), tokens: (callback) => client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state }) };
    },
  };
}

/** Opens an app's authorization URL with the browser's cookies: the callback it returns to, or the page it stops at. */
export async function reach(s: TestServer, jar: CookieJar, url: string): Promise<{ callback?: string; status: number; page: string }> {
  const reached = await follow(jar, url, s.baseUrl);
  if (!reached.res) return { callback: reached.url, status: 303, page: '' };
  return { status: reached.res.status, page: await reached.res.text() };
}

/** The OAuth error a rejected openid-client call carries. */
export const oauthError = (code: string) => (e: unknown) => (e as { error?: string }).error === code;
