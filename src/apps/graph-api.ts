// Portico's own Graph-shaped API (`/v1.0/...`) as a resource with delegated scopes, as Microsoft Graph is on Entra:
// one resource under three names (its URL `<base>/v1.0`, Graph's `https://graph.microsoft.com` and Graph's appId
// `00000003-0000-0000-c000-000000000000`), with Graph's delegated scopes (their Graph ids and consent types, so an
// app registration written for Entra lists the same `requiredResourceAccess`). What a user's token may then do is the
// intersection of its scopes and the user's directory roles (api/delegated.ts). An administrator grants the type
// Admin scopes an app lists (admin consent, apps/assignments.ts grantAdminConsent): graph_permission_grants, owned
// here. The API's application permissions stay the app's own `appPermissions` (apps/permissions.ts).
import type { Clock } from '../clock.ts';
import type { Db, Tx } from '../store/index.ts';
import type { ApiExposure, PermissionScope, RequiredResourceAccess } from './api-exposure.ts';
import type { AppPermission } from './permissions.ts';

/** Microsoft Graph's appId: `requiredResourceAccess[].resourceAppId` and `<appId>/.default` name Portico's API by it. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Graph's resource URI, accepted as a name of Portico's API (`https://graph.microsoft.com/User.Read`). */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

const scope = (id: string, value: string, type: 'User' | 'Admin', name: string, description: string) =>
  ({
    id,
    value,
    type,
    adminConsentDisplayName: name,
    adminConsentDescription: `Allows the app to ${description}, on behalf of the signed-in user.`,
    userConsentDisplayName: name,
    userConsentDescription: `Allows the app to ${description}, on your behalf.`,
    isEnabled: true,
  }) satisfies PermissionScope;

/**
 * The delegated scopes, with Graph's ids and consent types: User.Read (the signed-in user's own profile, `/me`) and
 * one for each application permission of Portico's that Graph also has as a delegated one.
 */
export const GRAPH_SCOPES: readonly PermissionScope[] = [
  scope(
    'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
    'User.Read',
    'User',
    'Sign in and read user profile',
    'read your profile',
  ),
  scope(
    'a154be20-db9c-4678-8ab7-66f6cc099a59',
    'User.Read.All',
    'Admin',
    "Read all users' full profiles",
    'read the full set of profile properties of all users',
  ),
  scope(
    '204e0828-b5ca-4ad8-b9f3-f32a958e7cc4',
    'User.ReadWrite.All',
    'Admin',
    "Read and write all users' full profiles",
    'read and write the full set of profile properties of all users',
  ),
  scope(
    '63dd7cd9-b489-4adf-a28c-ac38b9a0f962',
    'User.Invite.All',
    'Admin',
    'Invite guest users to the organization',
    'invite guest users to the organization',
  ),
  scope(
    '5f8c59db-677d-491f-a6b8-5f174b11ec1d',
    'Group.Read.All',
    'Admin',
    'Read all groups',
    'list groups and read their properties and memberships',
  ),
  scope(
    '4e46008b-f24c-477d-8fff-7bb4ec7aafe0',
    'Group.ReadWrite.All',
    'Admin',
    'Read and write all groups',
    'create groups, read all group properties and memberships, and update and delete groups',
  ),
  scope(
    'f81125ac-d3b7-4573-a3b2-7099cc39df9e',
    'GroupMember.ReadWrite.All',
    'Admin',
    'Read and write group memberships',
    'list groups, read basic properties, and update the membership of groups',
  ),
  scope(
    '06da0dbc-49e2-44d2-8312-53f166ab848a',
    'Directory.Read.All',
    'Admin',
    'Read directory data',
    "read data in your organization's directory",
  ),
  scope(
    'c5366453-9fb0-48a5-a156-24f0c49a4b84',
    'Directory.ReadWrite.All',
    'Admin',
    'Read and write directory data',
    "read and write data in your organization's directory",
  ),
  // The administrative ones an administrator's own tools call with their user token (each bounded by the
  // administrator's directory roles, api/delegated.ts), with Graph's ids.
  scope(
    'e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20',
    'AuditLog.Read.All',
    'Admin',
    'Read audit log data',
    'read and query your audit log activities',
  ),
  scope(
    'c79f8feb-a9db-4090-85f9-90d820caa0eb',
    'Application.Read.All',
    'Admin',
    'Read applications',
    'read applications and service principals',
  ),
  scope(
    'bdfbf15f-ee85-4955-8675-146e8e5296b5',
    'Application.ReadWrite.All',
    'Admin',
    'Read and write all applications',
    'create, read, update and delete applications and service principals',
  ),
  scope('2f9ee017-59c1-4f1d-9472-bd5529a7b311', 'Domain.Read.All', 'Admin', 'Read domains', 'read domains'),
  scope(
    '0b5d694c-a244-4bde-86e6-eb5cd07730fe',
    'Domain.ReadWrite.All',
    'Admin',
    'Read and write domains',
    'read and write domains',
  ),
  scope(
    '572fea84-0151-49b2-9301-11cb16974376',
    'Policy.Read.All',
    'Admin',
    "Read your organization's policies",
    "read your organization's policies",
  ),
  scope(
    '014b43d0-6ed4-4fc6-84dc-4b6f7bae7d85',
    'Policy.ReadWrite.CrossTenantAccess',
    'Admin',
    "Read and write your organization's cross tenant access policies",
    "read and write your organization's cross tenant access policies",
  ),
  scope(
    'edd3c878-b384-48ad-bdb8-2ed5ee0b3a1d',
    'Policy.ReadWrite.Authorization',
    'Admin',
    "Read and write your organization's authorization policy",
    "read and write your organization's authorization policy",
  ),
  scope(
    '43781733-b5a7-4d1b-98f4-e8edff23e1a9',
    'IdentityProvider.Read.All',
    'Admin',
    'Read identity providers',
    "read your organization's identity (authentication) providers",
  ),
  scope(
    'f13ce604-1677-429f-90bd-8a10b9f01325',
    'IdentityProvider.ReadWrite.All',
    'Admin',
    'Read and write identity providers',
    "read and write your organization's identity (authentication) providers",
  ),
  scope(
    'af2819c9-df71-4dd3-ade7-4d7c9dc653a7',
    'Agreement.Read.All',
    'Admin',
    'Read all terms of use agreements',
    'read terms of use agreements',
  ),
  scope(
    'ef4b5d93-3104-4664-9053-a5c49ab44218',
    'Agreement.ReadWrite.All',
    'Admin',
    'Read and write all terms of use agreements',
    'read and write terms of use agreements',
  ),
  scope(
    '741c54c3-0c1e-44a1-818b-3f97ab4e8c83',
    'RoleManagement.Read.Directory',
    'Admin',
    'Read directory RBAC settings',
    "read the role-based access control (RBAC) settings for your company's directory",
  ),
  scope(
    'd01b97e9-cbc0-49fe-810a-750afd5527a3',
    'RoleManagement.ReadWrite.Directory',
    'Admin',
    'Read and write directory RBAC settings',
    "read and manage the role-based access control (RBAC) settings for your company's directory",
  ),
  scope(
    'ad902697-1014-4ef5-81ef-2b4301988e8c',
    'Policy.ReadWrite.ConditionalAccess',
    'Admin',
    "Read and write your organization's conditional access policies",
    "read and write your organization's conditional access policies",
  ),
  scope(
    '7e823077-d88e-468f-a337-e18f1f0e6c7c',
    'Policy.ReadWrite.AuthenticationMethod',
    'Admin',
    'Read and write authentication method policies',
    'read and write the authentication method policies for your tenant',
  ),
  scope(
    'aec28ec7-4d02-4e8c-b864-50163aea77eb',
    'UserAuthenticationMethod.Read.All',
    'Admin',
    "Read all users' authentication methods",
    'read authentication methods of all users in your organization that the signed-in user has access to',
  ),
  scope(
    'b7887744-6746-4312-813d-72daeaee7e2d',
    'UserAuthenticationMethod.ReadWrite.All',
    'Admin',
    "Read and write all users' authentication methods",
    'read and write authentication methods of all users in your organization that the signed-in user has access to',
  ),
];

/** The scopes that read the signed-in user's own profile (`GET /me`): Graph's least privileged first. */
export const ME_SCOPES = [
  'User.Read',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** The application permission a delegated scope stands for (same name), or undefined (User.Read: /me only). */
export const permissionOfScope = (value: string): AppPermission | undefined =>
  value === 'User.Read' ? undefined : (GRAPH_SCOPES.find((s) => s.value === value)?.value as AppPermission | undefined);

/** A Graph scope by its value, case-insensitively as Entra reads scopes; undefined for any other value. */
export const graphScope = (value: string): PermissionScope | undefined =>
  GRAPH_SCOPES.find((s) => s.value.toLowerCase() === value.toLowerCase());

/** Whether `resource` names Portico's API: its URL, Graph's resource URI or Graph's appId. */
export const isGraphResource = (resource: string, porticoApi: string): boolean => {
  const r = resource.toLowerCase();
  return resource === porticoApi || r === GRAPH_RESOURCE || r === `${GRAPH_RESOURCE}/` || r === GRAPH_APP_ID;
};

/** Portico's API as the exposure checks see an app's (requiredResourceAccess naming GRAPH_APP_ID). */
export const graphExposure = (
  porticoApi: string = GRAPH_RESOURCE,
): ApiExposure & { id: string; clientId: string; displayName: string } => ({
  id: GRAPH_APP_ID,
  clientId: GRAPH_APP_ID,
  displayName: 'Microsoft Graph (Portico)',
  identifierUris: [porticoApi],
  oauth2PermissionScopes: [...GRAPH_SCOPES],
  appRoles: [],
  requiredResourceAccess: [],
});

/** The ids of the Graph scopes an administrator granted the client app (object id). */
export async function graphGrantsOf(db: Db, tenantId: string, clientAppId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('graph_permission_grants')
    .select('permission_id')
    .where('tenant_id', '=', tenantId)
    .where('client_app_id', '=', clientAppId)
    .execute();
  return new Set(rows.map((r) => r.permission_id));
}

/**
 * Admin consent on Portico's API: every Graph scope the app's requiredResourceAccess lists (for GRAPH_APP_ID) is
 * granted for every user; earlier grants it no longer lists go. Returns the values granted. The caller holds the app's
 * lock and records the audit event.
 */
export async function grantGraphScopes(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  clientAppId: string,
  required: RequiredResourceAccess[],
): Promise<string[]> {
  await revokeGraphGrants(tx, tenantId, clientAppId);
  const listed = required.find((r) => r.resourceAppId === GRAPH_APP_ID)?.resourceAccess ?? [];
  const granted: string[] = [];
  for (const a of listed) {
    const s = a.type === 'Scope' ? GRAPH_SCOPES.find((x) => x.id === a.id) : undefined;
    if (!s) continue;
    await tx
      .insertInto('graph_permission_grants')
      .values({
        tenant_id: tenantId,
        client_app_id: clientAppId,
        permission_id: s.id,
        created_at: clock.now().toISOString(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    granted.push(s.value);
  }
  return granted;
}

export async function revokeGraphGrants(tx: Tx, tenantId: string, clientAppId: string): Promise<void> {
  await tx
    .deleteFrom('graph_permission_grants')
    .where('tenant_id', '=', tenantId)
    .where('client_app_id', '=', clientAppId)
    .execute();
}
