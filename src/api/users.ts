import { Hono } from 'hono';
import { z } from 'zod';

import { ME_SCOPES } from '../apps/graph-api.ts';
import { READ_AUDIT, READ_USERS, WRITE_USERS } from '../apps/permissions.ts';
import { deleteUserAs } from '../deleted/items.ts';
import { recordAudit, type Actor } from '../directory/audit.ts';
import { filterProperties } from '../directory/filter.ts';
import { assertActorMayManageUser } from '../directory/roles.ts';
import { passwordProfile, updateUserAs, userPatch } from '../directory/user-edit.ts';
import { createMember, listUsers, requireUser, updateUser, userOrderBy, type User } from '../directory/users.ts';
import { AuthorizationDenied, BadRequest } from '../errors.ts';
import { hashPassword } from '../secrets.ts';
import type { Services } from '../services.ts';
import { NO_ACTIVITY, SIGN_IN_TIMES, signInActivityOf, type SignInTime } from '../signins/activity.ts';
import { requirePermission, type ApiEnv } from './auth.ts';
import { collection, parseBody, parseSelect, project, readJson, readListQuery } from './odata.ts';

/** A user as Graph returns it. */
export function graphUser(u: User) {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    givenName: u.givenName,
    surname: u.surname,
    mail: u.mail,
    otherMails: u.otherMails,
    proxyAddresses: u.proxyAddresses,
    userType: u.userType,
    accountEnabled: u.accountEnabled,
    createdDateTime: u.createdDateTime,
    creationType: u.creationType,
    externalUserState: u.externalUserState,
    externalUserStateChangeDateTime: u.externalUserStateChangeDateTime,
    identities: u.identities,
    /** Portico: invited at a contact's address, so created without mail (the seed's contact conflict) */
    contactConflict: u.contactConflict,
  };
}

export const USER_PROPERTIES = Object.keys(
  graphUser({ otherMails: [], proxyAddresses: [], identities: [] } as unknown as User),
);

/** As in Graph, signInActivity is returned only when $select names it (the sign-in log's table, signins/activity.ts). */
const SELECTABLE = [...USER_PROPERTIES, 'signInActivity'];

/** $orderby on users: Graph's signInActivity times. */
const SIGN_IN_TIME_NAMES = Object.keys(SIGN_IN_TIMES);

/** Graph's users with their signInActivity when `select` names it. */
async function withActivity(
  services: Services,
  principal: { tenantId: string; permissions: ReadonlySet<string> },
  users: User[],
  select: string[] | undefined,
): Promise<Record<string, unknown>[]> {
  if (!select?.includes('signInActivity')) return users.map(graphUser);
  // As Graph: signInActivity is sign-in log data, read with AuditLog.Read.All besides the user permission.
  if (!READ_AUDIT.some((p) => principal.permissions.has(p)))
    throw new AuthorizationDenied('auth.insufficientPrivileges', { anyOf: READ_AUDIT.join(', ') });
  const { tenantId } = principal;
  const activity = await signInActivityOf(
    services.store.db,
    tenantId,
    users.map((u) => u.id),
  );
  return users.map((u) => ({ ...graphUser(u), signInActivity: activity.get(u.id) ?? NO_ACTIVITY }));
}

export const newUser = z.strictObject({
  accountEnabled: z.boolean().optional(),
  displayName: z.string().trim().min(1).max(256),
  mailNickname: z.string().max(64).optional(),
  userPrincipalName: z.string().max(113),
  passwordProfile,
  givenName: z.string().max(64).nullable().optional(),
  surname: z.string().max(64).nullable().optional(),
  mail: z.string().max(254).nullable().optional(),
});

/** A PATCH /users/{id} body checked as the API checks it (the CLI's `portico user update` uses it locally). */
export const parseUserPatch = (body: unknown) => parseBody(userPatch, body);

export function userRoutes(services: Services) {
  const { store, clock, config } = services;
  const app = new Hono<ApiEnv>();

  app.get('/users', requirePermission(...READ_USERS), async (c) => {
    const { tenantId, permissions } = c.get('principal');
    const q = readListQuery(c, SELECTABLE, { orderable: SIGN_IN_TIME_NAMES });
    // As Graph: filtering or ordering by signInActivity reads the sign-in log, with AuditLog.Read.All.
    const named = [...(q.filter ? filterProperties(q.filter) : []), ...(q.orderBy ? [q.orderBy.property] : [])];
    if (named.some((p) => p.startsWith('signInActivity/')) && !READ_AUDIT.some((p) => permissions.has(p)))
      throw new AuthorizationDenied('auth.insufficientPrivileges', { anyOf: READ_AUDIT.join(', ') });
    const order = q.orderBy && userOrderBy(store.db, tenantId, q.orderBy.property as SignInTime, q.orderBy.desc);
    const page = await listUsers(store.db, tenantId, {
      filter: q.filter,
      bySignIn: true,
      order,
      top: q.top,
      after: q.after,
      count: q.count,
    });
    const items = await withActivity(services, c.get('principal'), page.items, q.select);
    return c.json(collection(c, config.baseUrl, 'users', { ...page, items }, q.select));
  });

  // The signed-in user's own profile: a user's delegated token with User.Read (or a scope that reads every user).
  app.get('/me', async (c) => {
    const { tenantId, actor, me } = c.get('principal');
    if (actor.kind !== 'user') throw new BadRequest('me.delegatedOnly');
    if (!me) throw new AuthorizationDenied('auth.insufficientPrivileges', { anyOf: ME_SCOPES.join(', ') });
    const select = c.req.query('$select');
    const user = graphUser(await requireUser(store.db, tenantId, actor.id));
    const fields = select === undefined ? undefined : parseSelect(select, USER_PROPERTIES);
    return c.json({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#users/$entity`, ...project(user, fields) });
  });

  app.get('/users/:id', requirePermission(...READ_USERS), async (c) => {
    const { tenantId } = c.get('principal');
    const select = c.req.query('$select');
    const fields = select === undefined ? undefined : parseSelect(select, SELECTABLE);
    const [user] = await withActivity(
      services,
      c.get('principal'),
      [await requireUser(store.db, tenantId, c.req.param('id'))],
      fields,
    );
    return c.json({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#users/$entity`, ...project(user!, fields) });
  });

  app.post('/users', requirePermission(...WRITE_USERS), async (c) => {
    const { tenantId, actor } = c.get('principal');
    const body = await readJson(c, newUser);
    const passwordHash = await hashPassword(body.passwordProfile.password, config.passwordCost);
    const user = await store.transaction(async (tx) => {
      const created = await createMember(tx, clock, tenantId, {
        displayName: body.displayName,
        userPrincipalName: body.userPrincipalName,
        mail: body.mail,
        givenName: body.givenName,
        surname: body.surname,
        accountEnabled: body.accountEnabled,
        passwordHash,
      });
      // Graph's forceChangePasswordNextSignIn: a new password at the first sign-in (signin/change-password.tsx).
      if (body.passwordProfile.forceChangePasswordNextSignIn)
        await updateUser(tx, clock, tenantId, created.id, { mustChangePassword: true });
      await recordAudit(tx, clock, tenantId, {
        category: 'UserManagement',
        activity: 'Add user',
        operationType: 'Add',
        actor,
        targets: [
          {
            id: created.id,
            type: 'User',
            displayName: created.displayName,
            userPrincipalName: created.userPrincipalName,
          },
        ],
      });
      return created;
    });
    return c.json({ '@odata.context': `${config.baseUrl}/v1.0/$metadata#users/$entity`, ...graphUser(user) }, 201);
  });

  app.patch('/users/:id', requirePermission(...WRITE_USERS), async (c) => {
    const { tenantId, actor, permissions } = c.get('principal');
    const body = await readJson(c, userPatch);
    await patchUserAs(services, { tenantId, actor, permissions }, c.req.param('id'), body);
    return c.body(null, 204);
  });

  // Deleting moves the user to deleted items (/v1.0/directory/deletedItems, api/deleted-items.ts) for 30 days.
  app.delete('/users/:id', requirePermission(...WRITE_USERS), async (c) => {
    const { tenantId, actor, permissions } = c.get('principal');
    await store.transaction(async (tx) => {
      await assertActorMayManageUser(tx, tenantId, actor, c.req.param('id'), permissions);
      await deleteUserAs(tx, clock, tenantId, c.req.param('id'), actor);
    });
    return c.body(null, 204);
  });

  return app;
}

/**
 * PATCH /users/{id}'s change (the CLI's `portico user update` too): the new password hashed, then the change with its
 * audit event in one transaction (directory/user-edit.ts, which the admin center's edit form shares).
 */
export async function patchUserAs(
  services: Services,
  by: { tenantId: string; actor: Actor; permissions?: ReadonlySet<string> },
  id: string,
  body: z.infer<typeof userPatch>,
): Promise<User> {
  const { passwordProfile: pp, ...rest } = body;
  const hash = pp ? await hashPassword(pp.password, services.config.passwordCost) : undefined;
  return services.store.transaction((tx) =>
    updateUserAs(
      tx,
      services.clock,
      by.tenantId,
      by.actor,
      id,
      { ...rest, ...(hash && { password: { hash, mustChange: pp?.forceChangePasswordNextSignIn === true } }) },
      Object.keys(body),
      by.permissions,
    ),
  );
}
