// Application permissions (Graph's app roles) that API clients can hold. The management client a tenant gets at
// creation holds all of them, including ones added in later versions: it is marked, not given a frozen list.

export const APP_PERMISSIONS = [
  'User.Read.All',
  'User.ReadWrite.All',
  'User.Invite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'OrgContact.Read.All',
  'OrgContact.ReadWrite.All',
  'Organization.Read.All',
  'Organization.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'AuditLog.Read.All',
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Domain.Read.All',
  'Domain.ReadWrite.All',
  'Policy.Read.All',
  'Policy.ReadWrite.CrossTenantAccess',
  'Policy.ReadWrite.Authorization',
  'IdentityProvider.Read.All',
  'IdentityProvider.ReadWrite.All',
  'Agreement.Read.All',
  'Agreement.ReadWrite.All',
  'Mail.Outbox.Read.All',
  'RoleManagement.Read.Directory',
  'RoleManagement.ReadWrite.Directory',
  'Policy.ReadWrite.ConditionalAccess',
  'Policy.ReadWrite.AuthenticationMethod',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
] as const;

export type AppPermission = (typeof APP_PERMISSIONS)[number];

export const isAppPermission = (value: string): value is AppPermission =>
  (APP_PERMISSIONS as readonly string[]).includes(value);

// What a route needs: any one of these permissions suffices (Graph's "least to most privileged" lists). Where Graph
// lets the directory-wide permissions suffice too, they come last: orDirectoryRead adds Directory.Read.All and
// Directory.ReadWrite.All, orDirectoryWrite adds Directory.ReadWrite.All.
const orDirectoryRead = (...least: AppPermission[]): AppPermission[] => [
  ...least,
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const orDirectoryWrite = (...least: AppPermission[]): AppPermission[] => [...least, 'Directory.ReadWrite.All'];

export const READ_USERS = orDirectoryRead('User.Read.All', 'User.ReadWrite.All');
export const WRITE_USERS = orDirectoryWrite('User.ReadWrite.All');
/** Inviting guests; inviting Members also needs WRITE_USERS (Graph: User.Invite.All covers guests). */
export const INVITE_USERS = orDirectoryWrite('User.Invite.All', 'User.ReadWrite.All');
export const READ_GROUPS = orDirectoryRead('Group.Read.All', 'Group.ReadWrite.All');
export const WRITE_GROUPS = orDirectoryWrite('Group.ReadWrite.All');
export const WRITE_MEMBERS = orDirectoryWrite('GroupMember.ReadWrite.All', 'Group.ReadWrite.All');
export const READ_CONTACTS = orDirectoryRead('OrgContact.Read.All', 'OrgContact.ReadWrite.All');
export const WRITE_CONTACTS = orDirectoryWrite('OrgContact.ReadWrite.All');
export const READ_ORGANIZATION = orDirectoryRead('Organization.Read.All', 'Organization.ReadWrite.All');
export const WRITE_ORGANIZATION = orDirectoryWrite('Organization.ReadWrite.All');
export const READ_AUDIT: AppPermission[] = ['AuditLog.Read.All'];
export const READ_OUTBOX: AppPermission[] = ['Mail.Outbox.Read.All'];
export const READ_APPS = orDirectoryRead('Application.Read.All', 'Application.ReadWrite.All');
export const WRITE_APPS: AppPermission[] = ['Application.ReadWrite.All'];
export const READ_AGREEMENTS: AppPermission[] = ['Agreement.Read.All', 'Agreement.ReadWrite.All'];
export const WRITE_AGREEMENTS: AppPermission[] = ['Agreement.ReadWrite.All'];
export const READ_IDPS: AppPermission[] = ['IdentityProvider.Read.All', 'IdentityProvider.ReadWrite.All'];
export const WRITE_IDPS: AppPermission[] = ['IdentityProvider.ReadWrite.All'];
export const READ_DOMAINS = orDirectoryRead('Domain.Read.All', 'Domain.ReadWrite.All');
/** Graph: adding, verifying and deleting domains need Domain.ReadWrite.All itself. */
export const WRITE_DOMAINS: AppPermission[] = ['Domain.ReadWrite.All'];
export const READ_CROSS_TENANT_ACCESS: AppPermission[] = ['Policy.Read.All', 'Policy.ReadWrite.CrossTenantAccess'];
export const WRITE_CROSS_TENANT_ACCESS: AppPermission[] = ['Policy.ReadWrite.CrossTenantAccess'];
/** Reading role definitions, assignments and directoryRoles; assigning roles needs RoleManagement.ReadWrite.Directory. */
export const READ_ROLES = orDirectoryRead('RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory');
export const WRITE_ROLES: AppPermission[] = ['RoleManagement.ReadWrite.Directory'];
/** Graph: the authorization policy (and Portico's collaboration restrictions beside it). */
export const READ_AUTHORIZATION_POLICY: AppPermission[] = ['Policy.Read.All', 'Policy.ReadWrite.Authorization'];
export const WRITE_AUTHORIZATION_POLICY: AppPermission[] = ['Policy.ReadWrite.Authorization'];
/** Conditional Access policies (Graph: Policy.Read.All to read, Policy.ReadWrite.ConditionalAccess to write). */
export const READ_CONDITIONAL_ACCESS: AppPermission[] = ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'];
export const WRITE_CONDITIONAL_ACCESS: AppPermission[] = ['Policy.ReadWrite.ConditionalAccess'];
/** The authentication methods policy (Graph: Policy.ReadWrite.AuthenticationMethod to write). */
export const READ_AUTHENTICATION_METHODS_POLICY: AppPermission[] = [
  'Policy.Read.All',
  'Policy.ReadWrite.AuthenticationMethod',
];
export const WRITE_AUTHENTICATION_METHODS_POLICY: AppPermission[] = ['Policy.ReadWrite.AuthenticationMethod'];
/** People's authentication methods (Graph: UserAuthenticationMethod.Read.All / ReadWrite.All; api/authentication-methods.ts). */
export const READ_AUTH_METHODS: AppPermission[] = [
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
];
export const WRITE_AUTH_METHODS: AppPermission[] = ['UserAuthenticationMethod.ReadWrite.All'];
