// The handler of a route that makes one change to the object the path's `id` names, on behalf of the caller, in one
// transaction (the change records its audit event): Graph's 204 No Content, as a DELETE answers. Its route's path
// ends in `/:id`.
import type { Context } from 'hono';

import type { ChangeAs } from '../directory/audit.ts';
import type { Services } from '../services.ts';
import type { ApiEnv } from './auth.ts';

export const changeById =
  ({ store, clock }: Services, change: ChangeAs<unknown>) =>
  async (c: Context<ApiEnv>) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) => change(tx, clock, tenantId, c.req.param('id')!, actor));
    return c.body(null, 204);
  };
