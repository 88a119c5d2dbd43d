// Per-tenant providers, built on first use and kept in an LRU (as Logto does). An entry lives a minute, so key
// rotation or settings changed by another node (or the CLI) reach this one without a restart.
import { LRUCache } from 'lru-cache';
import type Provider from 'oidc-provider';

import { getTenant } from '../directory/tenants.ts';
import type { Services } from '../services.ts';
import { endSession, sessionCookieName } from '../sessions/sessions.ts';
import { deploymentSecret } from '../store/deployment.ts';
import { buildConsumerProvider, CONSUMER_TENANT_ID, consumerKeys } from './consumers.ts';
import { loadKeys } from './keys.ts';
import { buildProvider } from './provider.ts';
import { tokenGate, type TokenGate } from './token-gate.ts';

export interface ProviderEntry {
  provider: Provider;
  handler: ReturnType<Provider['callback']>;
  /** a tenant's Conditional Access at its token endpoint (token-gate.ts); none for the personal accounts realm */
  gate?: TokenGate;
}

export interface ProviderPool {
  /** The provider of a tenant (by id), or of the personal accounts realm (consumers.ts), or undefined. */
  get(tenantId: string): Promise<ProviderEntry | undefined>;
  invalidate(tenantId: string): void;
}

export function createProviderPool(services: Services, opts: { max: number; ttlMs?: number }): ProviderPool {
  const cache = new LRUCache<string, ProviderEntry>({
    max: opts.max,
    ttl: opts.ttlMs ?? 60_000,
    fetchMethod: async (tenantId) => {
      // The personal accounts realm (Entra's consumers tenant) is no tenant: its own provider (consumers.ts).
      if (tenantId === CONSUMER_TENANT_ID) {
        const provider = buildConsumerProvider(services, await consumerKeys(services), [
          await deploymentSecret(services.store.db, 'cookie-key-1'),
        ]);
        provider.on('server_error', (_ctx, error) => services.log.error({ err: error, tenantId }, 'oidc server error'));
        return { provider, handler: provider.callback() };
      }
      const tenant = await getTenant(services.store.db, tenantId);
      if (!tenant) return undefined;
      const keys = await loadKeys(services.store.db, tenant.id);
      const provider = buildProvider(services, tenant, keys, [
        await deploymentSecret(services.store.db, 'cookie-key-1'),
      ]);
      provider.on('server_error', (_ctx, error) => services.log.error({ err: error, tenantId }, 'oidc server error'));
      // Signing out of the tenant (the end-session "yes") ends the Portico session there too, or the sign-in pages
      // would sign the person straight back in.
      provider.on('end_session.success', (ctx) => {
        if (!ctx.oidc.params?.logout) return;
        const name = sessionCookieName(tenant.id);
        const secret = ctx.cookies.get(name, { signed: false });
        if (secret)
          void endSession(services.store.db, services.clock, tenant.id, secret).catch((error) =>
            services.log.warn({ err: error, tenantId }, 'could not end the Portico session'),
          );
        ctx.cookies.set(name, null, { path: '/', signed: false });
      });
      return { provider, handler: provider.callback(), gate: tokenGate(services, tenant, provider) };
    },
  });
  return {
    get: (tenantId) => cache.fetch(tenantId),
    invalidate: (tenantId) => void cache.delete(tenantId),
  };
}
