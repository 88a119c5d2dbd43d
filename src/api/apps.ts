// /v1.0/applications: app registrations (Graph's application, with Portico's simpler `requestedPermissions` in place
// of requiredResourceAccess), their user and group assignments (Graph's servicePrincipal appRoleAssignedTo, default
// role only) and the tenant-wide admin consent (Portico's simple form of oauth2PermissionGrants).
import { Hono } from 'hono';
import { z } from 'zod';

import { listResourceGrants } from '../apps/api-exposure.ts';
import { createApp, deleteApp, listApps, requireApp, updateApp, type App, type AppSettings } from '../apps/apps.ts';
import {
  assignPrincipal,
  findPrincipal,
  grantAdminConsent,
  listAssignments,
  revokeAdminConsent,
  unassign,
  type Assignment,
} from '../apps/assignments.ts';
import { SIGN_IN_AUDIENCES } from '../apps/audience.ts';
import { READ_APPS, WRITE_APPS } from '../apps/permissions.ts';
import { listSecrets } from '../apps/secret-store.ts';
import { addPassword, removePassword } from '../apps/secrets.ts';
import { setRequiredSignInMethods } from '../apps/sign-in-methods.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import type { Services } from '../services.ts';
import { SIGN_IN_METHODS } from '../sessions/amr.ts';
import type { Db } from '../store/index.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { changeById } from './change.ts';
import { collection, readJson, readListQuery } from './odata.ts';

export const APP_PROPERTIES = [
  'id',
  'appId',
  'displayName',
  'info',
  'web',
  'signInAudience',
  'requestedPermissions',
  'appRoleAssignmentRequired',
  'visibleInMyApps',
  'isFallbackPublicClient',
  'adminConsentGranted',
  'createdDateTime',
  'identifierUris',
  'api',
  'appRoles',
  'requiredResourceAccess',
];
/** Graph's id of the default app role: assigned without any role the app defines. */
const DEFAULT_APP_ROLE = '00000000-0000-0000-0000-000000000000';

const url = z.string().max(2048);
/** Graph has no such property: an annotation-style name marks it as Portico's own. */
const METHODS = '@portico.requiredSignInMethods';
const fields = {
  displayName: z.string().trim().min(1).max(256),
  info: z.strictObject({ logoUrl: url.nullable().optional() }).optional(),
  web: z
    .strictObject({ homePageUrl: url.nullable().optional(), redirectUris: z.array(url).max(100).optional() })
    .optional(),
  signInAudience: z
    .enum(SIGN_IN_AUDIENCES, { message: `signInAudience must be one of ${SIGN_IN_AUDIENCES.join(', ')}` })
    .optional(),
  requestedPermissions: z
    .array(z.strictObject({ value: z.string().max(200), adminConsentRequired: z.boolean().optional() }))
    .max(100)
    .optional(),
  appRoleAssignmentRequired: z.boolean().optional(),
  visibleInMyApps: z.boolean().optional(),
  /** Entra's "Allow public client flows": a public client (no secret) that may use the device code flow */
  isFallbackPublicClient: z.boolean().optional(),
  /** Portico's: the sign-in methods (amr) the app accepts, null for any (apps/sign-in-methods.ts) */
  [METHODS]: z.array(z.enum(SIGN_IN_METHODS)).max(SIGN_IN_METHODS.length).nullable().optional(),
};
const text = (max: number) => z.string().max(max);
const permissionId = text(64);
const exposureFields = {
  identifierUris: z.array(text(300)).max(20).optional(),
  api: z
    .strictObject({
      requestedAccessTokenVersion: z
        .literal(2, { message: 'Portico issues v2.0 access tokens only' })
        .nullable()
        .optional(),
      oauth2PermissionScopes: z
        .array(
          z.strictObject({
            id: permissionId,
            value: text(200),
            type: z.enum(['User', 'Admin']),
            adminConsentDisplayName: text(256),
            adminConsentDescription: text(1024).nullable().optional(),
            userConsentDisplayName: text(256).nullable().optional(),
            userConsentDescription: text(1024).nullable().optional(),
            isEnabled: z.boolean().optional(),
          }),
        )
        .max(100)
        .optional(),
    })
    .optional(),
  appRoles: z
    .array(
      z.strictObject({
        id: permissionId,
        value: text(200),
        allowedMemberTypes: z
          .array(z.enum(['User', 'Application']))
          .min(1)
          .max(2),
        displayName: text(256),
        description: text(1024).nullable().optional(),
        isEnabled: z.boolean().optional(),
      }),
    )
    .max(100)
    .optional(),
  requiredResourceAccess: z
    .array(
      z.strictObject({
        resourceAppId: text(64),
        resourceAccess: z.array(z.strictObject({ id: permissionId, type: z.enum(['Scope', 'Role']) })).max(100),
      }),
    )
    .max(100)
    .optional(),
};
export const newApplication = z.strictObject({ ...fields, ...exposureFields });
/** Graph's addPassword body: `{ passwordCredential: { displayName?, endDateTime? } }`, the rest of its fields ignored. */
export const addPasswordBody = z.object({
  passwordCredential: z.object({ displayName: text(256).nullish(), endDateTime: text(64).nullish() }).optional(),
});
export const removePasswordBody = z.object({ keyId: text(64) });

export const applicationPatch = z.strictObject({
  ...fields,
  ...exposureFields,
  displayName: fields.displayName.optional(),
});
export const newAssignment = z.strictObject({
  principalId: z.string().max(64),
  resourceId: z.string().max(64).optional(),
  appRoleId: z.string().max(64).optional(),
});

function settingsOf(body: z.infer<typeof applicationPatch>): AppSettings {
  const permissions = body.requestedPermissions;
  const scopes = body.api?.oauth2PermissionScopes;
  return {
    identifierUris: body.identifierUris,
    oauth2PermissionScopes: scopes?.map((p) => ({
      ...p,
      id: p.id.toLowerCase(),
      adminConsentDescription: p.adminConsentDescription ?? null,
      userConsentDisplayName: p.userConsentDisplayName ?? null,
      userConsentDescription: p.userConsentDescription ?? null,
      isEnabled: p.isEnabled ?? true,
    })),
    appRoles: body.appRoles?.map((r) => ({
      ...r,
      id: r.id.toLowerCase(),
      description: r.description ?? null,
      isEnabled: r.isEnabled ?? true,
    })),
    requiredResourceAccess: body.requiredResourceAccess?.map((r) => ({
      resourceAppId: r.resourceAppId.toLowerCase(),
      resourceAccess: r.resourceAccess.map((a) => ({ id: a.id.toLowerCase(), type: a.type })),
    })),
    displayName: body.displayName,
    logoUrl: body.info?.logoUrl,
    homepageUrl: body.web?.homePageUrl,
    redirectUris: body.web?.redirectUris,
    assignmentRequired: body.appRoleAssignmentRequired,
    visibleInMyApps: body.visibleInMyApps,
    signInAudience: body.signInAudience,
    isFallbackPublicClient: body.isFallbackPublicClient,
    ...(permissions && {
      delegatedPermissions: permissions.map((p) => p.value),
      adminConsentRequired: permissions.filter((p) => p.adminConsentRequired).map((p) => p.value),
    }),
  };
}

export const application = (a: App) => ({
  id: a.id,
  appId: a.clientId,
  displayName: a.displayName,
  info: { logoUrl: a.logoUrl },
  web: { homePageUrl: a.homepageUrl, redirectUris: a.redirectUris },
  signInAudience: a.signInAudience,
  requestedPermissions: a.delegatedPermissions.map((value) => ({
    value,
    adminConsentRequired: a.adminConsentRequired.includes(value),
  })),
  appRoleAssignmentRequired: a.assignmentRequired,
  visibleInMyApps: a.visibleInMyApps,
  isFallbackPublicClient: a.isFallbackPublicClient,
  adminConsentGranted: a.adminConsentGranted,
  createdDateTime: a.createdDateTime,
  [METHODS]: a.requiredSignInMethods,
  identifierUris: a.identifierUris,
  api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: a.oauth2PermissionScopes },
  appRoles: a.appRoles,
  requiredResourceAccess: a.requiredResourceAccess,
});

const assignmentResource = (app: App, x: Assignment) => ({
  // One assignment per principal and app, so the principal's id is a stable id for it (and DELETE's key).
  id: x.principalId,
  appRoleId: DEFAULT_APP_ROLE,
  principalId: x.principalId,
  principalType: x.principalType,
  principalDisplayName: x.principalDisplayName,
  resourceId: app.id,
  resourceDisplayName: app.displayName,
  createdDateTime: x.createdDateTime,
});

/** Portico's: what the consent granted on other apps' APIs (Graph spreads it over oauth2PermissionGrants and
 * appRoleAssignments of service principals). */
const RESOURCE_GRANTS = '@portico.resourceGrants';
const consentResource = async (a: App, db: Db) => ({
  clientId: a.clientId,
  consentType: 'AllPrincipals',
  scope: a.delegatedPermissions.join(' '),
  grantedDateTime: a.adminConsentGrantedDateTime,
  ...(await resourceGrants(db, a)),
});
const resourceGrants = async (db: Db, a: App) => {
  const granted = await listResourceGrants(db, a.tenantId, a.id);
  return granted.length
    ? {
        [RESOURCE_GRANTS]: granted.map((g) => ({
          resourceAppId: g.resourceAppId,
          resourceDisplayName: g.resourceDisplayName,
          type: g.kind,
          value: g.value,
        })),
      }
    : {};
};

export function appRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();
  const entity = (a: App) => ({
    '@odata.context': `${config.baseUrl}/v1.0/$metadata#applications/$entity`,
    ...application(a),
  });

  app.get('/applications', requirePermission(...READ_APPS), async (c) => {
    const q = readListQuery(c, APP_PROPERTIES);
    const page = await listApps(store.db, c.get('principal').tenantId, q);
    return c.json(
      collection(c, config.baseUrl, 'applications', { ...page, items: page.items.map(application) }, q.select),
    );
  });

  app.post('/applications', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, newApplication);
    // Apps registered here sign users in; client-credentials apps with API permissions are not made through the API.
    const { app: created, clientSecret } = await store.transaction(async (tx) => {
      const made = await createApp(
        tx,
        clock,
        tenantId,
        {
          ...settingsOf(body),
          displayName: body.displayName,
          grantTypes: ['authorization_code', 'refresh_token'],
          // An app that allows public client flows is a public client: it gets no secret (oidc/device-flow.ts).
          confidential: !body.isFallbackPublicClient,
        },
        actor,
      );
      const methods = body[METHODS];
      return methods === undefined
        ? made
        : { ...made, app: await setRequiredSignInMethods(tx, clock, tenantId, made.app.id, methods, actor) };
    });
    // Its one secret, shown only now (addPassword adds more).
    const credentials = (await listSecrets(store.db, tenantId, created.id)).map((p) => ({
      ...p,
      secretText: clientSecret,
    }));
    return c.json({ ...entity(created), passwordCredentials: credentials }, 201);
  });

  app.get('/applications/:id', requirePermission(...READ_APPS), async (c) => {
    const found = await requireApp(store.db, c.get('principal').tenantId, c.req.param('id'));
    return c.json({ ...entity(found), passwordCredentials: await listSecrets(store.db, found.tenantId, found.id) });
  });

  // Rotation as on Entra: addPassword, move the app to the new secret, removePassword of the old (apps/secrets.ts).
  app.post('/applications/:id/addPassword', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, addPasswordBody);
    const { credential } = await store.transaction((tx) =>
      addPassword(tx, clock, tenantId, c.req.param('id'), body.passwordCredential ?? {}, actor),
    );
    return c.json({
      '@odata.context': `${config.baseUrl}/v1.0/$metadata#microsoft.graph.passwordCredential`,
      ...credential,
    });
  });

  app.post('/applications/:id/removePassword', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, removePasswordBody);
    await store.transaction((tx) => removePassword(tx, clock, tenantId, c.req.param('id'), body.keyId, actor));
    return c.body(null, 204);
  });

  app.patch('/applications/:id', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, applicationPatch);
    await store.transaction(async (tx) => {
      const updated = await updateApp(tx, clock, tenantId, c.req.param('id'), settingsOf(body), actor);
      const methods = body[METHODS];
      if (methods !== undefined) await setRequiredSignInMethods(tx, clock, tenantId, updated.id, methods, actor);
    });
    return c.body(null, 204);
  });

  app.delete('/applications/:id', requirePermission(...WRITE_APPS), changeById(services, deleteApp));

  app.get('/applications/:id/appRoleAssignedTo', requirePermission(...READ_APPS), async (c) => {
    const { tenantId } = c.get('principal');
    const target = await requireApp(store.db, tenantId, c.req.param('id'));
    const items = (await listAssignments(store.db, tenantId, target.id)).map((x) => assignmentResource(target, x));
    return c.json(collection(c, config.baseUrl, `applications('${target.id}')/appRoleAssignedTo`, { items }));
  });

  app.post('/applications/:id/appRoleAssignedTo', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const target = await requireApp(store.db, tenantId, c.req.param('id'));
    const body = await readJson(c, newAssignment);
    if (body.resourceId !== undefined && body.resourceId.toLowerCase() !== target.id)
      throw new InvalidRequest('apps.resourceId', { id: target.id });
    if (body.appRoleId !== undefined && body.appRoleId !== DEFAULT_APP_ROLE)
      throw new InvalidRequest('apps.defaultRoleOnly', { defaultAppRole: DEFAULT_APP_ROLE });
    const principal = await findPrincipal(store.db, tenantId, body.principalId);
    if (!principal) throw new ResourceNotFound('resource.notFound', { id: body.principalId });
    const created = await store.transaction((tx) =>
      assignPrincipal(tx, clock, tenantId, target.id, principal.id, principal.type, actor),
    );
    return c.json(
      {
        '@odata.context': `${config.baseUrl}/v1.0/$metadata#applications('${target.id}')/appRoleAssignedTo/$entity`,
        ...assignmentResource(target, created),
      },
      201,
    );
  });

  app.delete('/applications/:id/appRoleAssignedTo/:principalId', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) =>
      unassign(tx, clock, tenantId, c.req.param('id'), c.req.param('principalId'), actor),
    );
    return c.body(null, 204);
  });

  app.post('/applications/:id/adminConsent', requirePermission(...WRITE_APPS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const granted = await store.transaction((tx) => grantAdminConsent(tx, clock, tenantId, c.req.param('id'), actor));
    return c.json(await consentResource(granted, store.db));
  });

  app.delete(
    '/applications/:id/adminConsent',
    requirePermission(...WRITE_APPS),
    changeById(services, revokeAdminConsent),
  );

  return app;
}
