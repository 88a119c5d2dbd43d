// The Graph-shaped API at /v1.0 (tenant from the token, as Graph) and at /<tenant>/v1.0 (the token must be that
// tenant's); its OpenAPI description at /v1.0/openapi.json (api/openapi/).
import { Hono } from 'hono';

import { READ_OUTBOX } from '../apps/permissions.ts';
import { UnsupportedQuery } from '../errors.ts';
import { listOutbox } from '../mail/outbox.ts';
import type { Services } from '../services.ts';
import { appRoleAssignmentRoutes } from './app-role-assignments.ts';
import { appRoutes } from './apps.ts';
import { bearerAuth, requirePermission, type ApiEnv } from './auth.ts';
import { authenticationMethodRoutes } from './authentication-methods.ts';
import { conditionalAccessRoutes } from './conditional-access.ts';
import { contactRoutes } from './contacts.ts';
import { crossTenantRoutes } from './cross-tenant.ts';
import { deletedItemRoutes } from './deleted-items.ts';
import { domainRoutes } from './domains.ts';
import { federationRoutes } from './federation.ts';
import { groupRoutes } from './groups.ts';
import { invitationRoutes } from './invitations.ts';
import { collection, readListQuery } from './odata.ts';
import { describedRoutes } from './openapi/routes.ts';
import { organizationRoutes } from './organization.ts';
import { permissionGrantRoutes } from './permission-grants.ts';
import { policyRoutes } from './policies.ts';
import { roleRoutes } from './roles.ts';
import { servicePrincipalRoutes } from './service-principals.ts';
import { signInRoutes } from './signins.ts';
import { sponsorRoutes } from './sponsors.ts';
import { termsRoutes } from './terms.ts';
import { userRoutes } from './users.ts';

export function apiRoutes(services: Services) {
  const api = new Hono<ApiEnv>();
  api.use('*', bearerAuth(services));
  api.route('/', userRoutes(services));
  api.route('/', sponsorRoutes(services));
  api.route('/', groupRoutes(services));
  api.route('/', contactRoutes(services));
  api.route('/', organizationRoutes(services));
  api.route('/', invitationRoutes(services));
  api.route('/', termsRoutes(services));
  api.route('/', appRoutes(services));
  api.route('/', servicePrincipalRoutes(services));
  api.route('/', permissionGrantRoutes(services));
  api.route('/', appRoleAssignmentRoutes(services));
  api.route('/', federationRoutes(services));
  api.route('/', signInRoutes(services));
  api.route('/', crossTenantRoutes(services));
  api.route('/', domainRoutes(services));
  api.route('/', deletedItemRoutes(services));
  api.route('/', roleRoutes(services));
  api.route('/', policyRoutes(services));
  api.route('/', conditionalAccessRoutes(services));
  api.route('/', authenticationMethodRoutes(services));
  api.get('/portico/outbox', requirePermission(...READ_OUTBOX), async (c) => {
    const q = readListQuery(c, [], { defaultTop: 100 });
    // `state` is this list's only filter: $filter and $count would be silently ignored, so they are refused.
    if (q.filter || q.count) throw new UnsupportedQuery('query.outboxFilter');
    const state = c.req.query('state');
    const rows = await listOutbox(services.store.db, c.get('principal').tenantId, {
      top: q.top + 1,
      state,
      after: q.after,
    });
    const items = rows.slice(0, q.top);
    const page = rows.length > q.top ? { items, next: items[items.length - 1]!.id } : { items };
    return c.json(collection(c, services.config.baseUrl, 'portico/outbox', page));
  });

  const root = new Hono<ApiEnv>();
  // The description (openapi.json, $metadata) needs no token: mounted before the API's bearer authentication.
  const underV1 = () =>
    root.routes.flatMap((r) => (r.path.startsWith('/v1.0/') ? [{ ...r, path: r.path.slice('/v1.0'.length) }] : []));
  root.route('/v1.0', describedRoutes(services, underV1));
  root.route('/v1.0', api);
  root.route('/:tenant/v1.0', api);
  return root;
}
