// The built-in directory roles Portico enforces, as Entra's: each with its template id (in Entra a built-in role's
// definition id is its template id, the same in every tenant), its description and what it allows, in Entra's
// resource actions. What a role may do in the admin center and the API is in admin/roles.ts; this module imports
// nothing, so both the directory and the admin center can read it.

export const GLOBAL_ADMINISTRATOR = 'Global Administrator';
export const USER_ADMINISTRATOR = 'User Administrator';
export const GUEST_INVITER = 'Guest Inviter';
export const HELPDESK_ADMINISTRATOR = 'Helpdesk Administrator';
export const EXTERNAL_IDP_ADMINISTRATOR = 'External Identity Provider Administrator';
export const APPLICATION_ADMINISTRATOR = 'Application Administrator';
export const SECURITY_READER = 'Security Reader';
export const REPORTS_READER = 'Reports Reader';

export interface RoleDefinition {
  /** the template id, which is also the role definition's id */
  id: string;
  displayName: string;
  description: string;
  allowedResourceActions: readonly string[];
}

const USER_READ = [
  'microsoft.directory/users/standard/read',
  'microsoft.directory/users/memberOf/read',
  'microsoft.directory/users/sponsors/read',
];
const LOGS_READ = [
  'microsoft.directory/auditLogs/allProperties/read',
  'microsoft.directory/signInReports/allProperties/read',
];

export const ROLE_DEFINITIONS: readonly RoleDefinition[] = [
  {
    id: '62e90394-69f5-4237-9190-012177145e10',
    displayName: GLOBAL_ADMINISTRATOR,
    description:
      'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
    allowedResourceActions: [
      'microsoft.directory/users/allProperties/allTasks',
      'microsoft.directory/groups/allProperties/allTasks',
      'microsoft.directory/contacts/allProperties/allTasks',
      'microsoft.directory/applications/allProperties/allTasks',
      'microsoft.directory/servicePrincipals/allProperties/allTasks',
      'microsoft.directory/domains/allProperties/allTasks',
      'microsoft.directory/organization/allProperties/allTasks',
      'microsoft.directory/identityProviders/allProperties/allTasks',
      'microsoft.directory/crossTenantAccessPolicy/allProperties/allTasks',
      'microsoft.directory/roleAssignments/allProperties/allTasks',
      'microsoft.directory/directoryRoles/allProperties/allTasks',
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/signInReports/allProperties/read',
    ],
  },
  {
    id: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
    displayName: USER_ADMINISTRATOR,
    description: 'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
    allowedResourceActions: [
      'microsoft.directory/users/create',
      'microsoft.directory/users/delete',
      'microsoft.directory/users/disable',
      'microsoft.directory/users/enable',
      'microsoft.directory/users/inviteGuest',
      'microsoft.directory/users/basic/update',
      'microsoft.directory/users/password/update',
      'microsoft.directory/users/invalidateAllRefreshTokens',
      'microsoft.directory/users/sponsors/update',
      ...USER_READ,
      'microsoft.directory/groups/create',
      'microsoft.directory/groups/delete',
      'microsoft.directory/groups/members/update',
      'microsoft.directory/contacts/standard/read',
      'microsoft.directory/auditLogs/allProperties/read',
    ],
  },
  {
    id: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
    displayName: GUEST_INVITER,
    description: 'Can invite guest users independent of the \u2018members can invite guests\u2019 setting.',
    allowedResourceActions: ['microsoft.directory/users/inviteGuest', ...USER_READ],
  },
  {
    id: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
    displayName: HELPDESK_ADMINISTRATOR,
    description: 'Can reset passwords for non-administrators and Helpdesk Administrators.',
    allowedResourceActions: [
      'microsoft.directory/users/invalidateAllRefreshTokens',
      'microsoft.directory/users/password/update',
      ...USER_READ,
      'microsoft.directory/groups/standard/read',
      'microsoft.directory/auditLogs/allProperties/read',
    ],
  },
  {
    id: 'be2f45a1-457d-42af-a067-6ec1fa63bc45',
    displayName: EXTERNAL_IDP_ADMINISTRATOR,
    description: 'Can configure identity providers for use in direct federation.',
    allowedResourceActions: [
      'microsoft.directory/domains/federation/update',
      'microsoft.directory/identityProviders/allProperties/allTasks',
    ],
  },
  {
    id: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    displayName: APPLICATION_ADMINISTRATOR,
    description: 'Can create and manage all aspects of app registrations and enterprise apps.',
    allowedResourceActions: [
      'microsoft.directory/applications/create',
      'microsoft.directory/applications/delete',
      'microsoft.directory/applications/allProperties/allTasks',
      'microsoft.directory/servicePrincipals/allProperties/allTasks',
      'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/signInReports/allProperties/read',
    ],
  },
  {
    id: '5d6b6bb7-de71-4623-b4af-96380a352509',
    displayName: SECURITY_READER,
    description: 'Can read security information and reports in Microsoft Entra ID and Office 365.',
    allowedResourceActions: [
      ...LOGS_READ,
      'microsoft.directory/identityProviders/allProperties/read',
      'microsoft.directory/crossTenantAccessPolicy/standard/read',
      'microsoft.directory/users/standard/read',
    ],
  },
  {
    id: '4a5d8f65-41da-4de4-8968-e035b65339cf',
    displayName: REPORTS_READER,
    description: 'Can read sign-in and audit reports.',
    allowedResourceActions: [...LOGS_READ],
  },
];

/** A built-in role by its template id or its display name (case-insensitive), as the CLI and the pages name them. */
export function roleDefinition(nameOrId: string): RoleDefinition | undefined {
  const key = nameOrId.trim().toLowerCase();
  return ROLE_DEFINITIONS.find((r) => r.id === key || r.displayName.toLowerCase() === key);
}

/** Graph's unifiedRoleDefinition. */
export const graphRoleDefinition = (r: RoleDefinition) => ({
  id: r.id,
  templateId: r.id,
  displayName: r.displayName,
  description: r.description,
  isBuiltIn: true,
  isEnabled: true,
  resourceScopes: ['/'],
  version: '1',
  inheritsPermissionsFrom: [],
  rolePermissions: [{ allowedResourceActions: [...r.allowedResourceActions], condition: null }],
});
