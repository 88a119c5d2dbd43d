// The Graph-shaped API at /v1.0 (tenant from the token, as Graph) and at /<tenant>/v1.0 (the token must be that
// tenant's).
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import { READ_OUTBOX } from '../apps/permissions.ts';
import { listOutbox } from '../mail/outbox.ts';
import { bearerAuth, requirePermission, type ApiEnv } from './auth.ts';
import { contactRoutes } from './contacts.ts';
import { groupRoutes } from './groups.ts';
import { organizationRoutes } from './organization.ts';
import { userRoutes } from './users.ts';
import { readListQuery } from './odata.ts';

export function apiRoutes(services: Services) {
  const api = new Hono<ApiEnv>();
  api.use('*', bearerAuth(services));
  api.route('/', userRoutes(services));
  api.route('/', groupRoutes(services));
  api.route('/', contactRoutes(services));
  api.route('/', organizationRoutes(services));
  api.get('/portico/outbox', requirePermission(...READ_OUTBOX), async (c) => {
    const q = readListQuery(c, [], { defaultTop: 100 });
    const state = c.req.query('state');
    const value = await listOutbox(services.store.db, c.get('principal').tenantId, { top: q.top, state, after: q.after });
    return c.json({ value });
  });

  const root = new Hono<ApiEnv>();
  root.route('/v1.0', api);
  root.route('/:tenant/v1.0', api);
  return root;
}
