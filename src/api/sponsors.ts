// A user's sponsors, as Graph's sponsors navigation: GET /users/{id}/sponsors, POST .../sponsors/$ref with
// { "@odata.id": ".../users/{sponsorId}" }, DELETE .../sponsors/{sponsorId}/$ref.
import { Hono } from 'hono';
import { z } from 'zod';

import { READ_USERS, WRITE_USERS } from '../apps/permissions.ts';
import { requireUser } from '../directory/users.ts';
import { addSponsorAs, listSponsors, removeSponsorAs } from '../invitations/sponsors.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { referencedId } from './groups.ts';
import { readJson } from './odata.ts';
import { graphUser } from './users.ts';

export const sponsorRef = z.strictObject({ '@odata.id': z.string().max(2048) });

const referencedUser = (ref: string) => referencedId(ref, 'https://host/v1.0/users/{id}');

export function sponsorRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();

  app.get('/users/:id/sponsors', requirePermission(...READ_USERS), async (c) => {
    const { tenantId } = c.get('principal');
    const user = await requireUser(store.db, tenantId, c.req.param('id'));
    const sponsors = await listSponsors(store.db, tenantId, user.id);
    return c.json({
      '@odata.context': `${config.baseUrl}/v1.0/$metadata#directoryObjects`,
      value: sponsors.map((s) => ({ '@odata.type': '#microsoft.graph.user', ...graphUser(s) })),
    });
  });

  app.post('/users/:id/sponsors/$ref', requirePermission(...WRITE_USERS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, sponsorRef, { keepAnnotations: true });
    await store.transaction((tx) =>
      addSponsorAs(tx, clock, tenantId, c.req.param('id'), referencedUser(body['@odata.id']), actor),
    );
    return c.body(null, 204);
  });

  app.delete('/users/:id/sponsors/:sponsorId/$ref', requirePermission(...WRITE_USERS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) =>
      removeSponsorAs(tx, clock, tenantId, c.req.param('id'), c.req.param('sponsorId'), actor),
    );
    return c.body(null, 204);
  });

  return app;
}
