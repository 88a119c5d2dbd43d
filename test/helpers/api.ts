// Helpers for the API suites: a provisioned tenant with its management token, narrower apps, seeded users,
// Graph's error shape, and following @odata.nextLink to the end.
import assert from 'node:assert/strict';

import { registerApp } from '../../src/apps/apps.ts';
import type { AppPermission } from '../../src/apps/permissions.ts';
import type { ProvisionedTenant } from '../../src/directory/provisioning.ts';
import { createMember, type User } from '../../src/directory/users.ts';
import { apiClient, appToken, type TestServer } from './server.ts';

export type Api = ReturnType<typeof apiClient>;
export type ApiResponse = Awaited<ReturnType<Api>>;
/** A Graph object as the API returns it. */
export type GraphObject = { id: string; [property: string]: unknown };

export interface TenantApi extends ProvisionedTenant {
  tenantId: string;
  /** the tenant's initial (verified) domain */
  domain: string;
  token: string;
  api: Api;
}

/** A new tenant and an API client holding its management app's token (all permissions). */
export async function tenantWithApi(
  s: TestServer,
  name: string,
  opts?: Parameters<TestServer['provision']>[1],
): Promise<TenantApi> {
  const p = await s.provision(name, opts);
  const token = await appToken(s.baseUrl, p.tenant.id, p.managementClient.clientId, p.managementClient.clientSecret);
  return { ...p, tenantId: p.tenant.id, domain: p.tenant.initialDomain, token, api: apiClient(s.baseUrl, token) };
}

/** A token for a new client-credentials app of `tenantId` that holds only `appPermissions`. */
export async function narrowToken(s: TestServer, tenantId: string, appPermissions: AppPermission[]): Promise<string> {
  const { services } = s.portico;
  const { app, clientSecret } = await services.store.transaction((tx) =>
    registerApp(tx, services.clock, tenantId, {
      displayName: `Only ${appPermissions.join(' ')}`,
      grantTypes: ['client_credentials'],
      appPermissions,
    }),
  );
  return appToken(s.baseUrl, tenantId, app.clientId, clientSecret!);
}

/** An API client for a new app of `tenantId` that holds only `appPermissions`. */
export const narrowApi = async (s: TestServer, tenantId: string, appPermissions: AppPermission[]): Promise<Api> =>
  apiClient(s.baseUrl, await narrowToken(s, tenantId, appPermissions));

/** Status and Graph's `{ error: { code, message } }` with the stable code. */
export function assertGraphError(res: ApiResponse, status: number, code: string): void {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(res.body?.error?.code, code, JSON.stringify(res.body));
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0, 'the error has a message');
}

/** A body for POST /users. */
export function newUserBody(
  userPrincipalName: string,
  displayName = userPrincipalName.split('@')[0]!,
  extra: Record<string, unknown> = {},
) {
  return {
    accountEnabled: true,
    displayName,
    mailNickname: userPrincipalName.split('@')[0],
    userPrincipalName,
    passwordProfile: { password: 'correct-horse-battery', forceChangePasswordNextSignIn: false },
    ...extra,
  };
}

/** Members created directly in the store (no password), in one transaction: much faster than the API. */
export async function seedMembers(
  s: TestServer,
  tenantId: string,
  members: { displayName: string; userPrincipalName: string; accountEnabled?: boolean }[],
): Promise<User[]> {
  const { store, clock } = s.portico.services;
  return store.transaction(async (tx) => {
    const created: User[] = [];
    for (const m of members) created.push(await createMember(tx, clock, tenantId, { ...m, passwordHash: null }));
    return created;
  });
}

/** A pending guest, invited through the API as an inviter would (no mail sent); its id and redeem URL. */
export async function inviteGuest(
  api: Api,
  email: string,
  displayName?: string,
): Promise<{ id: string; redeemUrl: string }> {
  const res = await api('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: email,
    inviteRedirectUrl: 'https://apps.example/',
    ...(displayName && { invitedUserDisplayName: displayName }),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.invitedUser.id as string, redeemUrl: res.body.inviteRedeemUrl as string };
}

/**
 * GETs `path` and follows @odata.nextLink until the last page; every link must be an absolute URL on the
 * deployment's base URL. Returns every item and each page's body.
 */
export async function readAllPages(
  api: Api,
  baseUrl: string,
  path: string,
): Promise<{ items: GraphObject[]; pages: ApiResponse['body'][] }> {
  const items: GraphObject[] = [];
  const pages: ApiResponse['body'][] = [];
  for (let url: string | undefined = path; url !== undefined;) {
    const res = await api('GET', url);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    pages.push(res.body);
    items.push(...(res.body.value as GraphObject[]));
    url = res.body['@odata.nextLink'];
    if (url !== undefined) assert.ok(url.startsWith(`${baseUrl}/`), `nextLink ${url} is absolute on ${baseUrl}`);
    assert.ok(pages.length <= 1000, 'paging ends');
  }
  return { items, pages };
}

export const ids = (items: { id: string }[]): string[] => items.map((i) => i.id).sort();
