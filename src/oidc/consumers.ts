// The personal accounts realm's OpenID provider: Entra's consumers tenant (Microsoft accounts), for the deployment's
// personal accounts (src/personal/). It is one more entry of the provider pool (pool.ts), keyed by Entra's consumers
// tenant id, over the same adapter (adapter.ts, its own table) with its own signing keys (consumer_keys, created on
// first use): issuer `<base>/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`, as Entra's.
//  - Its clients are the apps of every tenant whose signInAudience admits personal accounts
//    (AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount), seen as another tenant's app (signing in only:
//    apps/service-principals.ts foreignApp); their secrets and redirect URIs stay the owner tenant's.
//  - Its accounts are personal accounts with a verified address; the token's `tid` is the consumers tenant id, `oid`
//    the personal account's id, `preferred_username` its address (Entra's MSA tokens carry no `idp` either).
//  - A personal account consents for itself: the realm grants only signing in and the profile (openid, profile,
//    email, offline_access), which need no consent page; it has no API and no resource indicators.
//  - Its sign-in page is oidc/consumer-pages.tsx (the address and the personal account's password).
import type { JWK } from 'jose';
import Provider, { interactionPolicy, type Configuration } from 'oidc-provider';

import { allowsPersonal } from '../apps/audience.ts';
import { findRegistration, foreignApp, type TenantApp } from '../apps/service-principals.ts';
import { getPersonalAccount } from '../personal/accounts.ts';
import type { Services } from '../services.ts';
import type { Db } from '../store/index.ts';
import { adapterFor } from './adapter.ts';
import { TOKEN_VERSION, withClientInfo } from './entra.ts';
import { createKeys, loadKeys } from './keys.ts';
import { withEntraPrompts } from './prompts.ts';
import { renderProviderError } from './provider-pages.tsx';
import { realmConfiguration, SIGN_IN_SCOPES, signInGrant, TTL } from './provider.ts';
import { issuerFor } from './urls.ts';

/** Entra's consumers tenant: the `tid` of every personal account's token. */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export const consumerIssuer = (baseUrl: string) => issuerFor(baseUrl, CONSUMER_TENANT_ID);

/** An app personal accounts may sign in to, by client id: any tenant's, if its audience admits them. */
export async function consumerClientApp(db: Db, clientId: string): Promise<TenantApp | undefined> {
  const app = await findRegistration(db, clientId);
  if (!app || app.isManagement || !allowsPersonal(app.signInAudience)) return undefined;
  return foreignApp(app);
}

/** The realm's private keys, made on first use (a second node making them at once only adds a key). */
export async function consumerKeys(services: Services): Promise<JWK[]> {
  const { store, clock } = services;
  const keys = await loadKeys(store.db, CONSUMER_TENANT_ID, 'consumer_keys');
  if (keys.length) return keys;
  await store.transaction((tx) => createKeys(tx, clock, CONSUMER_TENANT_ID, 'consumer_keys'));
  return loadKeys(store.db, CONSUMER_TENANT_ID, 'consumer_keys');
}

export function buildConsumerProvider(services: Services, keys: JWK[], cookieKeys: string[]): Provider {
  const { store, config } = services;
  const configuration: Configuration = {
    ...realmConfiguration(store, CONSUMER_TENANT_ID, keys, cookieKeys),
    adapter: adapterFor(store, CONSUMER_TENANT_ID, services.clock, {
      payloads: 'consumer_oidc_payloads',
      clientApp: consumerClientApp,
    }),
    scopes: SIGN_IN_SCOPES.split(' '),
    claims: {
      openid: ['sub', 'ver', 'tid', 'oid', 'amr'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    ttl: { ...TTL },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
    },
    interactions: {
      url: (_ctx, interaction) => `/${CONSUMER_TENANT_ID}/v2.0/interaction/${interaction.uid}`,
      policy: withEntraPrompts(interactionPolicy.base()),
    },
    // The person consents for themselves by signing in: to their sign-in and profile only (the realm has no API).
    loadExistingGrant: async (ctx) => {
      const grant = await signInGrant(ctx);
      await grant?.save();
      return grant;
    },
    findAccount: async (_ctx, sub) => {
      const account = await getPersonalAccount(store.db, sub);
      // Only a verified address is a home identity (personal/accounts.ts).
      if (!account || !account.emailVerified) return undefined;
      return {
        accountId: account.id,
        claims: async () => ({
          sub: account.id,
          ver: TOKEN_VERSION,
          tid: CONSUMER_TENANT_ID,
          oid: account.id,
          name: account.displayName,
          preferred_username: account.email,
          email: account.email,
          email_verified: true,
        }),
      };
    },
    renderError: renderProviderError(),
  };
  const provider = new Provider(consumerIssuer(config.baseUrl), configuration);
  provider.proxy = true;
  provider.use(withClientInfo(CONSUMER_TENANT_ID));
  return provider;
}
