// Sending a browser to an upstream identity provider, whatever its protocol: one request row (state, checks, where
// to return), one redirect URL.
import type { Services } from '../services.ts';
import { oidcSignInUrl } from './oidc.ts';
import type { IdentityProvider } from './providers.ts';
import { createRequest, newState, type Purpose, type RequestData } from './requests.ts';
import { samlSignInUrl, spUrls } from './saml.ts';
import { wsfedSignInUrl } from './wsfed.ts';

export interface StartOptions {
  purpose: Purpose;
  /** the redemption flow id or interaction uid the answer will belong to */
  binding: string;
  /** the same-site path the browser returns to, with `?state=` appended, to pick the answer up */
  returnTo: string;
  /** the address being signed in (a hint for the IdP) */
  email?: string;
}

/** Returns the URL to send the browser to. Throws FederationRefused when the provider cannot be reached. */
export async function startFederatedSignIn(
  services: Services,
  provider: IdentityProvider,
  opts: StartOptions,
): Promise<string> {
  const { store, clock, config } = services;
  const state = newState();
  const urls = spUrls(config.baseUrl, provider.tenantId);
  const data: RequestData = { returnTo: opts.returnTo, email: opts.email };
  let url: string;
  if (provider.kind === 'saml') {
    const request = await samlSignInUrl(provider, urls, state, clock);
    url = request.url;
    data.samlRequestId = request.requestId;
  } else if (provider.kind === 'wsfed') {
    url = wsfedSignInUrl(provider, urls, state);
  } else {
    const request = await oidcSignInUrl(store.db, config, provider, state, opts.email);
    url = request.url;
    data.codeVerifier = request.codeVerifier;
    data.nonce = request.nonce;
  }
  await createRequest(store.db, clock, state, {
    tenantId: provider.tenantId,
    providerId: provider.id,
    purpose: opts.purpose,
    binding: opts.binding,
    data,
  });
  return url;
}

/** Where the browser goes after the answer was verified: the starter's own path, carrying the state. */
export const returnUrl = (returnTo: string, state: string) =>
  `${returnTo}${returnTo.includes('?') ? '&' : '?'}state=${encodeURIComponent(state)}`;
