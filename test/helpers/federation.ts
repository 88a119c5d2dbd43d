// Test helpers for federation: configure a tenant's upstream providers through the domain module, read the form
// an upstream IdP's page posts back, and sign in through a tenant's OpenID provider as a relying party.
import * as client from 'openid-client';

import { registerApp } from '../../src/apps/apps.ts';
import {
  createProvider,
  type IdentityProvider,
  type ProviderInput,
  type ProviderKind,
} from '../../src/federation/providers.ts';
import { startOidcIdp, type OidcIdp } from './oidc-idp.ts';
import { startSamlIdp, type SamlIdp } from './saml-idp.ts';
import type { TestServer } from './server.ts';
import { follow, formAction, postForm, type CookieJar } from './signin.ts';

export const addProvider = (
  s: TestServer,
  tenantId: string,
  kind: ProviderKind,
  input: ProviderInput,
): Promise<IdentityProvider> =>
  s.portico.services.store.transaction((tx) =>
    createProvider(tx, s.portico.services.clock, tenantId, kind, input, { kind: 'system', displayName: 'test' }),
  );

const unescape = (v: string) =>
  v
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The action and hidden fields of the (first) form on an IdP's page. */
export function readForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in page:\n${html.slice(0, 1000)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1];
    if (name) fields[name] = unescape(value ?? '');
  }
  return { action: unescape(action), fields };
}

/** An app of the tenant and an openid-client configuration for it (authorization code + PKCE). */
export async function relyingParty(s: TestServer, tenantId: string, redirectUri = 'http://127.0.0.1:1/callback') {
  const { app, clientSecret } = await s.portico.services.store.transaction((tx) =>
    registerApp(tx, s.portico.services.clock, tenantId, {
      displayName: 'Partner Portal',
      grantTypes: ['authorization_code'],
      redirectUris: [redirectUri],
    }),
  );
  const rp = await client.discovery(new URL(`${s.baseUrl}/${tenantId}/v2.0`), app.clientId, clientSecret!, undefined, {
    execute: [client.allowInsecureRequests],
  });
  return {
    rp,
    redirectUri,
    async authorize() {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      return {
        url: url.toString(),
        claims: async (callback: string) =>
          (
            await client.authorizationCodeGrant(rp, new URL(callback), {
              pkceCodeVerifier: verifier,
              expectedState: state,
            })
          ).claims()!,
      };
    },
  };
}

/** At the tenant's sign-in page (reached from `authorizeUrl`), types an address; returns where Portico sends the browser. */
export async function typeAddress(
  baseUrl: string,
  jar: CookieJar,
  authorizeUrl: string,
  email: string,
): Promise<{ url: string; res?: Response }> {
  const identifier = await follow(jar, authorizeUrl, baseUrl);
  const posted = await postForm(
    jar,
    new URL(formAction(await identifier.res!.text(), '/identifier'), baseUrl).toString(),
    { login: email },
  );
  if (posted.status !== 303)
    throw new Error(`the identifier step answered ${posted.status}: ${(await posted.text()).slice(0, 500)}`);
  return follow(jar, new URL(posted.headers.get('location')!, baseUrl).toString(), baseUrl);
}

/** The four kinds of upstream identity provider a tenant federates with, each a real IdP on loopback. */
export interface Partners {
  saml: SamlIdp;
  google: OidcIdp;
  corp: OidcIdp;
  close(): Promise<void>;
}

/**
 * Starts a SAML IdP (which also answers WS-Federation), a Google stand-in on `googlePort` (the server's
 * `PORTICO_GOOGLE_ISSUER`) and an OIDC IdP, and configures the tenant's providers: SAML for `partner.test`,
 * WS-Federation for `wsfedDomain`, Google, and OIDC "Corp IdP" for `corp.test`.
 */
export async function startPartners(
  s: TestServer,
  tenantId: string,
  o: { googlePort: number; wsfedDomain: string; wsfedCertificate: 'pem' | 'base64'; corpIssuerPath?: string },
): Promise<Partners> {
  const callback = `${s.baseUrl}/${tenantId}/federation/oidc/callback`;
  const saml = await startSamlIdp();
  const google = await startOidcIdp({ redirectUris: [callback], port: o.googlePort });
  const corp = await startOidcIdp({ redirectUris: [callback], issuerPath: o.corpIssuerPath });
  await addProvider(s, tenantId, 'saml', {
    displayName: 'Partner SSO',
    issuerUri: saml.issuer,
    passiveSignInUri: saml.ssoUrl,
    signingCertificates: [saml.certBase64],
    domains: ['partner.test'],
  });
  await addProvider(s, tenantId, 'wsfed', {
    displayName: 'Partner AD FS',
    issuerUri: saml.issuer,
    passiveSignInUri: saml.wsfedUrl,
    signingCertificates: [o.wsfedCertificate === 'pem' ? saml.certPem : saml.certBase64],
    domains: [o.wsfedDomain],
  });
  await addProvider(s, tenantId, 'google', { clientId: google.clientId, clientSecret: google.clientSecret });
  await addProvider(s, tenantId, 'oidc', {
    displayName: 'Corp IdP',
    issuerUri: corp.issuer,
    clientId: corp.clientId,
    clientSecret: corp.clientSecret,
    domains: ['corp.test'],
  });
  return {
    saml,
    google,
    corp,
    close: async () => {
      await saml.close();
      await google.close();
      await corp.close();
    },
  };
}
