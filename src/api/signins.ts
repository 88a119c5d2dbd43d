// /v1.0/auditLogs/signIns: Graph's signIn resource (v1.0, with beta's userType, homeTenantId, resourceTenantId and
// crossTenantAccessType; one entry per attempt, signins/attempt.ts), plus two Portico properties Graph has no place for: identityProvider (an issuer, or
// 'mail', 'personal', 'google.com') and signInMethod ('password', 'passcode', 'federated', 'session').
import { Hono } from 'hono';

import { READ_AUDIT } from '../apps/permissions.ts';
import { ResourceNotFound, UnsupportedQuery } from '../errors.ts';
import type { Services } from '../services.ts';
import { getSignIn, listSignIns, type SignIn } from '../signins/signins.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { collection, parseSelect, project, readListQuery } from './odata.ts';
import { auditCursor } from './organization.ts';

function graphSignIn(s: SignIn) {
  return {
    id: s.id,
    createdDateTime: s.createdDateTime,
    userDisplayName: s.userDisplayName,
    userPrincipalName: s.userPrincipalName,
    userId: s.userId,
    // Graph's signInUserType is lower-case.
    userType: s.userType === null ? null : s.userType === 'Guest' ? 'guest' : 'member',
    appId: s.appId,
    appDisplayName: s.appDisplayName,
    ipAddress: s.ipAddress,
    clientAppUsed: s.clientAppUsed,
    correlationId: s.correlationId,
    resourceTenantId: s.resourceTenantId,
    // A member of another Portico tenant: their home tenant (Entra's homeTenantId); else the tenant signed in to.
    homeTenantId: s.homeTenantId ?? s.resourceTenantId,
    crossTenantAccessType: s.crossTenantAccessType,
    isInteractive: s.isInteractive,
    // Graph's: whether the sign-in met a multifactor requirement; its second factor is a second authenticationDetails
    authenticationRequirement: s.secondFactor ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    authenticationDetails: [
      {
        authenticationStepDateTime: s.createdDateTime,
        authenticationMethod: s.authenticationMethod,
        succeeded: s.result === 'success',
      },
      ...(s.secondFactor
        ? [
            {
              authenticationStepDateTime: s.secondFactor.at,
              authenticationMethod: s.secondFactor.method,
              authenticationStepResultDetail: s.secondFactor.detail,
              succeeded: true,
            },
          ]
        : []),
    ],
    status: {
      errorCode: s.errorCode,
      failureReason: s.failureReason,
      // Graph has no result property: an interruption is otherwise only known by its code.
      additionalDetails:
        s.result === 'interrupted' ? 'Interrupted: the sign-in goes on once the user completes the step shown.' : null,
    },
    identityProvider: s.identityProvider,
    signInMethod: s.signInMethod,
    // Graph's: notApplied when no policy applied (and in entries from before Conditional Access)
    conditionalAccessStatus: s.conditionalAccess?.status ?? 'notApplied',
    appliedConditionalAccessPolicies: (s.conditionalAccess?.applied ?? []).map((p) => ({
      id: p.id,
      displayName: p.displayName,
      result: p.result,
      enforcedGrantControls: p.enforcedGrantControls,
      enforcedSessionControls: [],
    })),
  };
}

type GraphSignIn = ReturnType<typeof graphSignIn>;
const SIGNIN_PROPERTIES = [
  'id',
  'createdDateTime',
  'userDisplayName',
  'userPrincipalName',
  'userId',
  'userType',
  'appId',
  'appDisplayName',
  'ipAddress',
  'clientAppUsed',
  'correlationId',
  'resourceTenantId',
  'homeTenantId',
  'crossTenantAccessType',
  'isInteractive',
  'authenticationRequirement',
  'authenticationDetails',
  'status',
  'identityProvider',
  'signInMethod',
  'conditionalAccessStatus',
  'appliedConditionalAccessPolicies',
] as const satisfies readonly (keyof GraphSignIn)[];

export function signInRoutes(services: Services) {
  const { store, config } = services;
  const app = new Hono<ApiEnv>();

  app.get('/auditLogs/signIns', requirePermission(...READ_AUDIT), async (c) => {
    const { tenantId } = c.get('principal');
    const q = readListQuery(c, SIGNIN_PROPERTIES, { defaultTop: 100 });
    if (q.count) throw new UnsupportedQuery('query.countSignIns');
    const before = q.after === undefined ? undefined : auditCursor(q.after);
    const page = await listSignIns(store.db, tenantId, { top: q.top, before, filter: q.filter });
    const items = page.items.map((s) => graphSignIn(s));
    return c.json(
      collection(
        c,
        config.baseUrl,
        'auditLogs/signIns',
        { items, next: page.next && JSON.stringify(page.next) },
        q.select,
      ),
    );
  });

  app.get('/auditLogs/signIns/:id', requirePermission(...READ_AUDIT), async (c) => {
    const { tenantId } = c.get('principal');
    const id = c.req.param('id');
    const select = c.req.query('$select');
    const fields = select === undefined ? undefined : parseSelect(select, SIGNIN_PROPERTIES);
    const signIn = await getSignIn(store.db, tenantId, id);
    if (!signIn) throw new ResourceNotFound('resource.notFound', { id });
    return c.json({
      '@odata.context': `${config.baseUrl}/v1.0/$metadata#auditLogs/signIns/$entity`,
      ...project(graphSignIn(signIn), fields),
    });
  });

  return app;
}
