// People's authentication methods in Graph's shape (issue #20): GET /users/{id}/authentication/methods lists every
// method as an `authenticationMethod` (the password of a member who has one, and each registered method of
// mfa/methods.ts: softwareOathAuthenticationMethod, ...); GET /users/{id}/authentication/{collection} lists one
// type, GET and DELETE .../{collection}/{methodId} read and remove one. An administrator removing a method is how
// Portico "requires re-registration": the person's next sign-in that needs MFA asks them to register again (with no
// method left, their recovery codes go too), and the removed method stops working at once. The same under
// /me/authentication for a user's delegated token, on the signed-in user's own methods (reading; removing needs the
// write permission there too).
// Permissions as Graph's: UserAuthenticationMethod.Read.All / ReadWrite.All (an app's, or a delegated token carrying
// the scope of an administrator whose role grants it: Global, User and Helpdesk Administrators, admin/roles.ts). A
// signed-in administrator removes only the methods of users their role manages (directory/roles.ts, Entra's limited
// admins: a Helpdesk Administrator never a User Administrator's, nobody but a Global Administrator a Global's).
import { Hono, type Context, type MiddlewareHandler } from 'hono';

import { ME_SCOPES } from '../apps/graph-api.ts';
import { READ_AUTH_METHODS, WRITE_AUTH_METHODS } from '../apps/permissions.ts';
import { assertActorMayManageUser } from '../directory/roles.ts';
import { requireTenant } from '../directory/tenants.ts';
import { requireUser, type User } from '../directory/users.ts';
import { AuthorizationDenied, BadRequest, ResourceNotFound } from '../errors.ts';
import { removeMethod } from '../mfa/changes.ts';
import { methodType, methodTypeOfCollection, type MethodType } from '../mfa/methods.ts';
import { getMethod, listMethods, type StoredMethod } from '../mfa/store.ts';
import type { Services } from '../services.ts';
import { requirePermission, type ApiEnv } from './auth.ts';

/** Graph's fixed id of a user's password method. */
export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

const PASSWORD = 'passwordMethods';

export function authenticationMethodRoutes(services: Services) {
  const { store, config } = services;
  const app = new Hono<ApiEnv>();

  const shapeOf = (type: MethodType, m: StoredMethod) => ({
    '@odata.type': type.odataType,
    id: m.id,
    ...type.graph(m),
  });
  const passwordOf = (user: User) =>
    user.hasPassword
      ? [
          {
            '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
            id: PASSWORD_METHOD_ID,
            password: null,
            createdDateTime: null,
          },
        ]
      : [];

  /** The user a route is about: `/users/{id}` (with the permission), or the signed-in user at `/me`. */
  async function subjectOf(c: Context<ApiEnv>, me: boolean): Promise<User> {
    const { tenantId, actor, me: mayMe } = c.get('principal');
    if (!me) return requireUser(store.db, tenantId, c.req.param('id')!);
    if (actor.kind !== 'user') throw new BadRequest('me.delegatedOnly');
    if (!mayMe) throw new AuthorizationDenied('auth.insufficientPrivileges', { anyOf: ME_SCOPES.join(', ') });
    return requireUser(store.db, tenantId, actor.id);
  }

  const param = (c: Context<ApiEnv>, name: string): string => c.req.param(name) ?? '';

  const collectionOf = (name: string): MethodType => {
    const type = methodTypeOfCollection(name);
    if (!type) throw new ResourceNotFound('resource.notFound', { id: name });
    return type;
  };

  for (const [prefix, me] of [
    ['/users/:id', false],
    ['/me', true],
  ] as const) {
    // /me: the signed-in user's own methods (subjectOf checks the token); /users/{id}: Graph's permissions. Removing
    // a method needs the write permission at /me too: a delegated token proves only the first factor, and a password
    // alone must never remove a second factor (then the MFA step would let the holder register their own). People
    // remove their own methods in Security info (myapps/security-info.tsx), which asks for a method first.
    const read: MiddlewareHandler<ApiEnv> = me ? (_c, next) => next() : requirePermission(...READ_AUTH_METHODS);
    const write: MiddlewareHandler<ApiEnv> = requirePermission(...WRITE_AUTH_METHODS);

    app.get(`${prefix}/authentication/methods`, read, async (c) => {
      const user = await subjectOf(c, me);
      const methods = await listMethods(store.db, user.tenantId, user.id);
      return c.json({
        '@odata.context': `${config.baseUrl}/v1.0/$metadata#users('${user.id}')/authentication/methods`,
        value: [
          ...passwordOf(user),
          ...methods.flatMap((m) => {
            const type = methodType(m.type);
            return type ? [shapeOf(type, m)] : [];
          }),
        ],
      });
    });

    app.get(`${prefix}/authentication/${PASSWORD}`, read, async (c) => {
      const user = await subjectOf(c, me);
      return c.json({
        '@odata.context': `${config.baseUrl}/v1.0/$metadata#users('${user.id}')/authentication/${PASSWORD}`,
        value: passwordOf(user).map(({ '@odata.type': _type, ...rest }) => rest),
      });
    });

    app.get(`${prefix}/authentication/:collection`, read, async (c) => {
      const type = collectionOf(param(c, 'collection'));
      const user = await subjectOf(c, me);
      const methods = await listMethods(store.db, user.tenantId, user.id, type.type);
      return c.json({
        '@odata.context': `${config.baseUrl}/v1.0/$metadata#users('${user.id}')/authentication/${type.collection}`,
        value: methods.map((m) => ({ id: m.id, ...type.graph(m) })),
      });
    });

    app.get(`${prefix}/authentication/:collection/:methodId`, read, async (c) => {
      const type = collectionOf(param(c, 'collection'));
      const user = await subjectOf(c, me);
      const m = await getMethod(store.db, user.tenantId, user.id, param(c, 'methodId'));
      if (!m || m.type !== type.type) throw new ResourceNotFound('resource.notFound', { id: param(c, 'methodId') });
      return c.json({
        '@odata.context': `${config.baseUrl}/v1.0/$metadata#users('${user.id}')/authentication/${type.collection}/$entity`,
        id: m.id,
        ...type.graph(m),
      });
    });

    app.delete(`${prefix}/authentication/:collection/:methodId`, write, async (c) => {
      const type = collectionOf(param(c, 'collection'));
      const user = await subjectOf(c, me);
      const { actor } = c.get('principal');
      const id = param(c, 'methodId');
      const tenant = await requireTenant(store.db, user.tenantId);
      const removed = await store.transaction(async (tx) => {
        if (!me && actor.kind === 'user') await assertActorMayManageUser(tx, user.tenantId, actor, user.id);
        const m = await getMethod(tx, user.tenantId, user.id, id);
        if (!m || m.type !== type.type) return undefined;
        return removeMethod(
          { tx, services, tenant, user, actor, lang: 'en-US' },
          id,
          (x) => methodType(x.type)?.label ?? type.label,
        );
      });
      if (!removed) throw new ResourceNotFound('resource.notFound', { id });
      return c.body(null, 204);
    });
  }

  return app;
}
