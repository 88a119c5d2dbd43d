// App registrations: OAuth clients of a tenant's OpenID provider. Secrets are returned once and stored hashed.
import type { Clock } from '../clock.ts';
import { InvalidRequest } from '../errors.ts';
import { hashSecret, newId, newSecret } from '../secrets.ts';
import type { Tx } from '../store/index.ts';
import { bool, parseJson, toJson } from '../store/json.ts';
import type { AppsTable } from '../store/schema.ts';
import { APP_PERMISSIONS, isAppPermission, type AppPermission } from './permissions.ts';

export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

export interface App {
  tenantId: string;
  id: string;
  clientId: string;
  displayName: string;
  confidential: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  appPermissions: AppPermission[];
  isManagement: boolean;
  createdDateTime: string;
}

export function toApp(r: AppsTable): App {
  const isManagement = r.is_management === 1;
  return {
    tenantId: r.tenant_id, id: r.id, clientId: r.client_id, displayName: r.display_name, confidential: r.secret_hash !== null,
    redirectUris: parseJson(r.redirect_uris, []), postLogoutRedirectUris: parseJson(r.post_logout_redirect_uris, []),
    grantTypes: parseJson(r.grant_types, []),
    appPermissions: isManagement ? [...APP_PERMISSIONS] : parseJson<string[]>(r.app_permissions, []).filter(isAppPermission),
    isManagement, createdDateTime: r.created_at,
  };
}

export interface NewApp {
  displayName: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  grantTypes: GrantType[];
  appPermissions?: string[];
  confidential?: boolean;
  isManagement?: boolean;
}

function validRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    if (u.hash || u.username || u.password) return false;
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

/** Registers an app; returns it with its client secret, which is never retrievable again. */
export async function registerApp(tx: Tx, clock: Clock, tenantId: string, input: NewApp): Promise<{ app: App; clientSecret: string | null }> {
  for (const uri of [...(input.redirectUris ?? []), ...(input.postLogoutRedirectUris ?? [])]) {
    if (!validRedirect(uri)) throw new InvalidRequest(`'${uri}' is not an allowed redirect URI (https, or http on localhost; no fragment or credentials).`);
  }
  const unknown = (input.appPermissions ?? []).filter((p) => !isAppPermission(p));
  if (unknown.length) throw new InvalidRequest(`Unknown application permission(s): ${unknown.join(', ')}.`);
  if (input.grantTypes.includes('authorization_code') && !(input.redirectUris ?? []).length) throw new InvalidRequest('An app that signs users in needs at least one redirect URI.');
  const confidential = input.confidential ?? true;
  if (input.grantTypes.includes('client_credentials') && !confidential) throw new InvalidRequest('Client credentials need a confidential app.');
  const clientSecret = confidential ? newSecret(32) : null;
  const id = newId();
  await tx.insertInto('apps').values({
    tenant_id: tenantId, id, client_id: newId(), display_name: input.displayName,
    secret_hash: clientSecret ? hashSecret(clientSecret) : null,
    redirect_uris: toJson(input.redirectUris ?? []), post_logout_redirect_uris: toJson(input.postLogoutRedirectUris ?? []),
    grant_types: toJson(input.grantTypes), app_permissions: toJson(input.appPermissions ?? []),
    is_management: bool(input.isManagement ?? false), created_at: clock.now().toISOString(),
  }).execute();
  const row = await tx.selectFrom('apps').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow();
  return { app: toApp(row), clientSecret };
}

export async function findAppByClientId(db: Tx, tenantId: string, clientId: string): Promise<(App & { secretHash: string | null }) | undefined> {
  const row = await db.selectFrom('apps').selectAll().where('tenant_id', '=', tenantId).where('client_id', '=', clientId).executeTakeFirst();
  return row && { ...toApp(row), secretHash: row.secret_hash };
}
