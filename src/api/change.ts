// The handlers of routes that make one change to the object the path's `id` names, on behalf of the caller, in one
// transaction (the change records its audit event): Graph's 204 No Content, as a DELETE or a PATCH answers. Their
// routes' paths end in `/:id`.
import type { Context } from 'hono';
import type { z } from 'zod';

import type { Clock } from '../clock.ts';
import type { Actor, ChangeAs } from '../directory/audit.ts';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';
import type { ApiEnv } from './auth.ts';
import { readJson } from './odata.ts';

export const changeById =
  ({ store, clock }: Services, change: ChangeAs<unknown>) =>
  async (c: Context<ApiEnv>) => {
    const { tenantId, actor } = c.get('principal');
    await store.transaction((tx) => change(tx, clock, tenantId, c.req.param('id')!, actor));
    return c.body(null, 204);
  };

/** A PATCH: the body, read as `schema` says, is the patch `update` applies. */
export const patchById =
  <S extends z.ZodType>(
    { store, clock }: Services,
    schema: S,
    update: (tx: Tx, clock: Clock, tenantId: string, id: string, patch: z.infer<S>, actor: Actor) => Promise<unknown>,
  ) =>
  async (c: Context<ApiEnv>) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, schema);
    await store.transaction((tx) => update(tx, clock, tenantId, c.req.param('id')!, body, actor));
    return c.body(null, 204);
  };
