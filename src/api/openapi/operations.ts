// One Operation per API route (api/openapi/operation.ts): its words, the very zod schema its handler parses the body
// with, the query options it reads, its success status and the refusals beyond those of its shape. Methods, paths
// and permission guards come from the mounted router; test/api/openapi.test.ts fails when the two disagree.
import { z } from 'zod';

import { READ_APPS, READ_GROUPS, READ_USERS, WRITE_APPS, WRITE_GROUPS, WRITE_USERS } from '../../apps/permissions.ts';
import { configurationPatch, methodsPolicyPatch } from '../../conditional-access/methods-policy.ts';
import { newPolicySchema, policyPatchSchema } from '../../conditional-access/policies.ts';
import { AgreementVersionChanged, TermsFileTooLarge } from '../../consent/terms.ts';
import { policyConfigSchema } from '../../crosstenant/policy.ts';
import { ORGANIZATION_PATCH } from '../../directory/organization.ts';
import { AUTHORIZATION_POLICY_PATCH, COLLABORATION_RESTRICTIONS_PATCH } from '../../directory/policies.ts';
import { userPatch } from '../../directory/user-edit.ts';
import {
  AuthorizationDenied,
  BadRequest,
  DomainVerificationFailed,
  InvalidRequest,
  InviteeOptedOut,
  ObjectConflict,
  ServiceUnavailable,
} from '../../errors.ts';
import { externalDomain, oidcBody, samlBody, socialBody } from '../../federation/inputs.ts';
import { newAssignment as appRoleAssignment } from '../app-role-assignments.ts';
import {
  addPasswordBody,
  applicationPatch,
  newAssignment as appRoleAssignedTo,
  newApplication,
  removePasswordBody,
} from '../apps.ts';
import { contactPatch, newContact } from '../contacts.ts';
import { newPartner } from '../cross-tenant.ts';
import { newDomain } from '../domains.ts';
import { groupPatch, memberRef, newGroup } from '../groups.ts';
import { invitationBody } from '../invitations.ts';
import { newAssignment as roleAssignment } from '../roles.ts';
import { newServicePrincipal } from '../service-principals.ts';
import { sponsorRef } from '../sponsors.ts';
import { agreementPatch, newAgreement, newVersion } from '../terms.ts';
import { newUser } from '../users.ts';
import { LIST, type Operation } from './operation.ts';

const LIST_OPS = { query: LIST, collection: true } as const;
const SAML = '/directory/federationConfigurations/microsoft.graph.samlOrWsFedExternalDomainFederation';
const CA = '/identity/conditionalAccess/policies';
const METHODS_POLICY = '/policies/authenticationMethodsPolicy';
const XTA = '/policies/crossTenantAccessPolicy';
const AGREEMENTS = '/identityGovernance/termsOfUse/agreements';
const DEFS = '/roleManagement/directory/roleDefinitions';
const ASSIGNS = '/roleManagement/directory/roleAssignments';
const IDPS = '/identity/identityProviders';
const ON_ITEM_KIND = 'Needs the permission of the item: users, groups or applications.';

/** A user's (or the signed-in user's, `/me`) authentication methods. */
const authenticationMethods = (prefix: string, who: string): Record<string, Operation> => {
  const access = prefix === '/me' ? ({ access: { me: true } } as const) : {};
  return {
    [`GET ${prefix}/authentication/methods`]: {
      summary: `List ${who} authentication methods`,
      collection: true,
      ...access,
    },
    [`GET ${prefix}/authentication/passwordMethods`]: {
      summary: `List ${who} password method`,
      collection: true,
      ...access,
    },
    [`GET ${prefix}/authentication/{collection}`]: {
      summary: `List ${who} methods of one type`,
      description: 'The collection names the type: softwareOathMethods, fido2Methods, emailMethods, ...',
      collection: true,
      ...access,
    },
    [`GET ${prefix}/authentication/{collection}/{methodId}`]: { summary: `Read one of ${who} methods`, ...access },
    [`DELETE ${prefix}/authentication/{collection}/{methodId}`]: {
      summary: `Remove one of ${who} methods`,
      description: 'The next sign-in that needs MFA asks to register again.',
      ...(prefix === '/me' && { errors: [BadRequest] }),
    },
  };
};

/** An app role assignment collection of users or groups (api/app-role-assignments.ts). */
const appRoleAssignments = (kind: 'users' | 'groups'): Record<string, Operation> => ({
  [`GET /${kind}/{id}/appRoleAssignments`]: {
    summary: `List the app role assignments of one of the ${kind}`,
    collection: true,
  },
  [`POST /${kind}/{id}/appRoleAssignments`]: {
    summary: `Assign one of the ${kind} to an app`,
    body: appRoleAssignment,
  },
  [`DELETE /${kind}/{id}/appRoleAssignments/{assignment}`]: { summary: 'Remove an app role assignment' },
});

/** A kind of deleted item, listed by its type cast. */
const deletedItems = (type: 'user' | 'group' | 'application'): Record<string, Operation> => ({
  [`GET /directory/deletedItems/microsoft.graph.${type}`]: { summary: `List deleted ${type}s`, ...LIST_OPS },
});

export const OPERATIONS: Record<string, Operation> = {
  // This description itself (api/openapi/routes.ts).
  'GET /openapi.json': {
    summary: 'This OpenAPI document',
    access: { public: true },
    rootOnly: true,
  },
  'GET /$metadata': {
    summary: 'Where the API is described',
    description: 'Portico has no OData CSDL: this names the OpenAPI document. `@odata.context` URLs point here.',
    access: { public: true },
    rootOnly: true,
  },

  // users (api/users.ts, api/sponsors.ts)
  'GET /users': {
    summary: 'List users',
    query: [...LIST, '$orderby'],
    collection: true,
    description: '`signInActivity` in $select needs AuditLog.Read.All too.',
    errors: [AuthorizationDenied],
  },
  'GET /me': {
    summary: 'Read the signed-in user',
    query: ['$select'],
    access: { me: true },
    errors: [BadRequest],
  },
  'GET /users/{id}': { summary: 'Read a user', query: ['$select'] },
  'POST /users': { summary: 'Create a member', body: newUser, errors: [ObjectConflict] },
  'PATCH /users/{id}': { summary: 'Update a user', body: userPatch, errors: [ObjectConflict] },
  'DELETE /users/{id}': { summary: 'Delete a user (to deleted items)' },
  'GET /users/{id}/sponsors': { summary: "List a user's sponsors", collection: true },
  'POST /users/{id}/sponsors/$ref': {
    summary: 'Add a sponsor',
    body: sponsorRef,
    annotations: 'kept',
    status: 204,
    errors: [ObjectConflict],
  },
  'DELETE /users/{id}/sponsors/{sponsorId}/$ref': { summary: 'Remove a sponsor' },
  ...authenticationMethods('/users/{id}', "a user's"),
  ...authenticationMethods('/me', "the signed-in user's"),
  ...appRoleAssignments('users'),

  // groups (api/groups.ts)
  'GET /groups': { summary: 'List groups', ...LIST_OPS },
  'GET /groups/{id}': { summary: 'Read a group' },
  'POST /groups': { summary: 'Create a security group', body: newGroup },
  'PATCH /groups/{id}': { summary: 'Update a group', body: groupPatch },
  'DELETE /groups/{id}': { summary: 'Delete a group (to deleted items)' },
  'GET /groups/{id}/members': { summary: "List a group's members", ...LIST_OPS },
  'POST /groups/{id}/members/$ref': { summary: 'Add a member', body: memberRef, annotations: 'kept', status: 204 },
  'DELETE /groups/{id}/members/{memberId}/$ref': { summary: 'Remove a member' },
  ...appRoleAssignments('groups'),

  // contacts (api/contacts.ts)
  'GET /contacts': { summary: 'List organizational contacts', ...LIST_OPS },
  'GET /contacts/{id}': { summary: 'Read a contact' },
  'POST /contacts': { summary: 'Create a contact', body: newContact },
  'PATCH /contacts/{id}': { summary: 'Update a contact', body: contactPatch },
  'DELETE /contacts/{id}': { summary: 'Delete a contact' },

  // organization and the audit log (api/organization.ts, api/signins.ts)
  'GET /organization': { summary: 'Read the organization', collection: true },
  'GET /organization/{id}': { summary: 'Read the organization by id' },
  'PATCH /organization/{id}': { summary: 'Update the organization', body: ORGANIZATION_PATCH },
  'GET /auditLogs/directoryAudits': { summary: 'List directory audit events', ...LIST_OPS },
  'GET /auditLogs/signIns': { summary: 'List sign-ins', ...LIST_OPS },
  'GET /auditLogs/signIns/{id}': { summary: 'Read a sign-in', query: ['$select'] },

  // invitations (api/invitations.ts)
  'POST /invitations': {
    summary: 'Invite a guest (or a member)',
    description:
      'Inviting a Member (`invitedUserType: Member`) or `resetRedemption` also needs User.ReadWrite.All or Directory.ReadWrite.All.',
    body: invitationBody,
    errors: [AuthorizationDenied, InviteeOptedOut, ObjectConflict],
  },
  'GET /invitations': { summary: "List the tenant's invitations (Portico's)", ...LIST_OPS },
  'GET /invitations/{id}': { summary: 'Read an invitation (Portico’s)' },

  // terms of use (api/terms.ts)
  [`GET ${AGREEMENTS}`]: { summary: 'List terms of use', ...LIST_OPS },
  [`POST ${AGREEMENTS}`]: { summary: 'Create terms of use', body: newAgreement, errors: [TermsFileTooLarge] },
  [`GET ${AGREEMENTS}/{id}`]: { summary: 'Read terms of use' },
  [`PATCH ${AGREEMENTS}/{id}`]: { summary: 'Update terms of use', body: agreementPatch },
  [`DELETE ${AGREEMENTS}/{id}`]: { summary: 'Delete terms of use' },
  [`POST ${AGREEMENTS}/{id}/versions`]: {
    summary: 'Publish a new version of terms of use',
    body: newVersion,
    errors: [TermsFileTooLarge, AgreementVersionChanged],
  },
  [`GET ${AGREEMENTS}/{id}/file`]: { summary: 'Read the current file of terms of use' },
  [`GET ${AGREEMENTS}/{id}/acceptances`]: { summary: 'List acceptances of terms of use', ...LIST_OPS },

  // applications, service principals, grants (api/apps.ts, api/service-principals.ts, api/permission-grants.ts)
  'GET /applications': { summary: 'List app registrations', ...LIST_OPS },
  'POST /applications': { summary: 'Register an app', body: newApplication, errors: [ObjectConflict] },
  'GET /applications/{id}': { summary: 'Read an app registration' },
  'PATCH /applications/{id}': {
    summary: 'Update an app registration',
    body: applicationPatch,
    errors: [ObjectConflict],
  },
  'DELETE /applications/{id}': { summary: 'Delete an app registration (to deleted items)' },
  'GET /applications/{id}/appRoleAssignedTo': { summary: 'List who is assigned to an app', collection: true },
  'POST /applications/{id}/appRoleAssignedTo': { summary: 'Assign a user or group to an app', body: appRoleAssignedTo },
  'DELETE /applications/{id}/appRoleAssignedTo/{principalId}': { summary: 'Remove an assignment to an app' },
  'POST /applications/{id}/addPassword': {
    summary: 'Add a client secret to an app (rotation); the answer holds the secret once',
    body: addPasswordBody,
    status: 200,
    errors: [InvalidRequest],
  },
  'POST /applications/{id}/removePassword': {
    summary: "Remove an app's client secret by its keyId: refused on every node within a second",
    body: removePasswordBody,
  },
  'POST /applications/{id}/adminConsent': { summary: "Grant admin consent to an app's permissions", status: 200 },
  'DELETE /applications/{id}/adminConsent': { summary: "Revoke admin consent to an app's permissions" },
  'GET /servicePrincipals': {
    summary: 'List service principals',
    description: "$filter takes only `appId eq '<id>'`.",
    query: ['$filter'],
    collection: true,
  },
  'POST /servicePrincipals': {
    summary: "Add another tenant's multi-tenant app",
    body: newServicePrincipal,
    errors: [ObjectConflict],
  },
  'GET /servicePrincipals/{id}': { summary: 'Read a service principal' },
  'DELETE /servicePrincipals/{id}': { summary: 'Remove a service principal' },
  'POST /servicePrincipals/{id}/adminConsent': { summary: 'Grant admin consent to a service principal', status: 200 },
  'GET /oauth2PermissionGrants': { summary: 'List delegated permission grants', query: ['$filter'], collection: true },
  'DELETE /oauth2PermissionGrants/{id}': { summary: 'Revoke a delegated permission grant' },

  // federation (api/federation.ts)
  [`GET ${SAML}`]: { summary: 'List SAML/WS-Fed identity providers', ...LIST_OPS },
  [`POST ${SAML}`]: { summary: 'Add a SAML/WS-Fed identity provider', body: samlBody, errors: [ObjectConflict] },
  'GET /directory/federationConfigurations/{id}': { summary: 'Read a SAML/WS-Fed identity provider' },
  'PATCH /directory/federationConfigurations/{id}': {
    summary: 'Update a SAML/WS-Fed identity provider',
    body: samlBody,
  },
  'DELETE /directory/federationConfigurations/{id}': { summary: 'Remove a SAML/WS-Fed identity provider' },
  [`GET ${SAML}/{id}/domains`]: { summary: "List a SAML/WS-Fed provider's domains", collection: true },
  [`POST ${SAML}/{id}/domains`]: {
    summary: 'Add a domain to a SAML/WS-Fed provider',
    body: externalDomain,
    annotations: 'kept',
    errors: [ObjectConflict],
  },
  [`DELETE ${SAML}/{id}/domains/{domain}`]: { summary: 'Remove a domain from a SAML/WS-Fed provider' },
  [`GET ${IDPS}`]: { summary: 'List social and OpenID Connect identity providers', ...LIST_OPS },
  [`POST ${IDPS}`]: {
    summary: 'Add a social or OpenID Connect identity provider',
    description:
      '`@odata.type` names the kind: #microsoft.graph.socialIdentityProvider or #microsoft.graph.openIdConnectIdentityProvider.',
    body: [socialBody, oidcBody],
    errors: [ObjectConflict],
  },
  [`GET ${IDPS}/{id}`]: { summary: 'Read an identity provider' },
  [`PATCH ${IDPS}/{id}`]: { summary: 'Update an identity provider', body: [socialBody, oidcBody] },
  [`DELETE ${IDPS}/{id}`]: { summary: 'Remove an identity provider' },

  // cross-tenant access (api/cross-tenant.ts)
  [`GET ${XTA}`]: { summary: 'Read the cross-tenant access policy' },
  [`GET ${XTA}/default`]: { summary: 'Read the default cross-tenant settings' },
  [`PATCH ${XTA}/default`]: { summary: 'Update the default cross-tenant settings', body: policyConfigSchema },
  [`POST ${XTA}/default/resetToSystemDefault`]: { summary: 'Reset the default cross-tenant settings', status: 204 },
  [`GET ${XTA}/partners`]: { summary: 'List partner organizations', ...LIST_OPS },
  [`POST ${XTA}/partners`]: { summary: 'Add a partner organization', body: newPartner, errors: [ObjectConflict] },
  [`GET ${XTA}/partners/{partnerId}`]: { summary: "Read a partner's settings" },
  [`PATCH ${XTA}/partners/{partnerId}`]: { summary: "Update a partner's settings", body: policyConfigSchema },
  [`DELETE ${XTA}/partners/{partnerId}`]: { summary: 'Remove a partner organization' },

  // domains (api/domains.ts)
  'GET /domains': { summary: 'List domains', ...LIST_OPS },
  'POST /domains': { summary: 'Add a domain', body: newDomain, errors: [ObjectConflict] },
  'GET /domains/{name}': { summary: 'Read a domain' },
  'GET /domains/{name}/verificationDnsRecords': {
    summary: "List a domain's verification DNS records",
    collection: true,
  },
  'POST /domains/{name}/verify': {
    summary: 'Verify a domain by its TXT record',
    status: 200,
    errors: [DomainVerificationFailed, ServiceUnavailable],
  },
  'DELETE /domains/{name}': { summary: 'Remove a domain' },

  // deleted items (api/deleted-items.ts)
  ...deletedItems('user'),
  ...deletedItems('group'),
  ...deletedItems('application'),
  'GET /directory/deletedItems/{item}': {
    summary: 'Read a deleted item',
    description: `${ON_ITEM_KIND} A segment that is no id names a type deleted items do not keep (400).`,
    access: { anyOf: [...new Set([...READ_USERS, ...READ_GROUPS, ...READ_APPS])] },
    errors: [InvalidRequest],
  },
  'POST /directory/deletedItems/{id}/restore': {
    summary: 'Restore a deleted item',
    description: ON_ITEM_KIND,
    status: 200,
    access: { anyOf: [...new Set([...WRITE_USERS, ...WRITE_GROUPS, ...WRITE_APPS])] },
    errors: [ObjectConflict],
  },
  'DELETE /directory/deletedItems/{id}': {
    summary: 'Delete a deleted item permanently',
    description: ON_ITEM_KIND,
    access: { anyOf: [...new Set([...WRITE_USERS, ...WRITE_GROUPS, ...WRITE_APPS])] },
  },

  // directory roles (api/roles.ts)
  [`GET ${DEFS}`]: { summary: 'List role definitions', collection: true },
  [`GET ${DEFS}/{id}`]: { summary: 'Read a role definition' },
  [`GET ${ASSIGNS}`]: {
    summary: 'List role assignments',
    description: '$filter takes `principalId eq` and `roleDefinitionId eq`.',
    query: ['$filter'],
    collection: true,
  },
  [`POST ${ASSIGNS}`]: { summary: 'Assign a directory role', body: roleAssignment, errors: [ObjectConflict] },
  [`GET ${ASSIGNS}/{id}`]: { summary: 'Read a role assignment' },
  [`DELETE ${ASSIGNS}/{id}`]: { summary: 'Remove a role assignment' },
  'GET /directoryRoles': { summary: 'List activated directory roles', collection: true },
  'GET /directoryRoles/{id}': { summary: 'Read a directory role' },
  'GET /directoryRoles/{id}/members': { summary: "List a directory role's members", collection: true },

  // policies (api/policies.ts, api/conditional-access.ts)
  'GET /policies/authorizationPolicy': { summary: 'Read the authorization policy' },
  'PATCH /policies/authorizationPolicy': {
    summary: 'Update the authorization policy',
    body: AUTHORIZATION_POLICY_PATCH,
  },
  'GET /policies/b2bCollaborationRestrictions': { summary: "Read the collaboration restrictions (Portico's)" },
  'PATCH /policies/b2bCollaborationRestrictions': {
    summary: "Update the collaboration restrictions (Portico's)",
    body: COLLABORATION_RESTRICTIONS_PATCH,
  },
  [`GET ${CA}`]: { summary: 'List Conditional Access policies', ...LIST_OPS },
  [`POST ${CA}`]: { summary: 'Create a Conditional Access policy', body: newPolicySchema },
  [`GET ${CA}/{id}`]: { summary: 'Read a Conditional Access policy' },
  [`PATCH ${CA}/{id}`]: { summary: 'Update a Conditional Access policy', body: policyPatchSchema },
  [`DELETE ${CA}/{id}`]: { summary: 'Delete a Conditional Access policy' },
  [`GET ${METHODS_POLICY}`]: { summary: 'Read the authentication methods policy' },
  [`PATCH ${METHODS_POLICY}`]: { summary: 'Update the authentication methods policy', body: methodsPolicyPatch },
  [`GET ${METHODS_POLICY}/authenticationMethodConfigurations/{id}`]: { summary: "Read one method's configuration" },
  [`PATCH ${METHODS_POLICY}/authenticationMethodConfigurations/{id}`]: {
    summary: "Update one method's configuration",
    body: configurationPatch,
  },

  // Portico's own
  'GET /portico/outbox': {
    summary: "List the tenant's outgoing mail (Portico's)",
    description: 'Only `state` filters; $filter and $count are refused.',
    query: ['$top', '$skiptoken'],
    params: z.object({ state: z.string().optional() }),
    collection: true,
  },
};
