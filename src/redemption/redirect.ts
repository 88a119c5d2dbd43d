// Where a guest may be sent after redeeming: the invitation's redirect URL only when its origin is one a registered
// app of the tenant redirects to (or one the tenant allow-listed), compared as parsed origins so look-alike hosts,
// userinfo tricks and other schemes fall back to My Apps.
import { tenantRedirectUris } from '../apps/redirect-uris.ts';
import type { Tenant } from '../directory/tenants.ts';
import type { Tx } from '../store/index.ts';

export function originOf(value: string): string | undefined {
  try {
    const u = new URL(value);
    if (u.username || u.password) return undefined;
    if (
      u.protocol !== 'https:' &&
      !(u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))
    )
      return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

export async function allowedOrigins(tx: Tx, tenant: Tenant): Promise<Set<string>> {
  const fromApps = await tenantRedirectUris(tx, tenant.id);
  return new Set(
    [...fromApps, ...tenant.settings.redirectAllowList].map(originOf).filter((o): o is string => Boolean(o)),
  );
}

/** The URL to send the guest to: the redirect URL if its origin is allowed, else My Apps of the tenant. */
export async function safeRedirect(tx: Tx, tenant: Tenant, redirectUrl: string, myAppsUrl: string): Promise<string> {
  const origin = originOf(redirectUrl);
  return origin && (await allowedOrigins(tx, tenant)).has(origin) ? new URL(redirectUrl).toString() : myAppsUrl;
}
