// Editing a user's properties, as Graph's PATCH /users/{id} does it and the admin center's "Edit properties" form:
// one schema of what may change (its limits), and one change with its audit event, so the page and the API accept
// and refuse the same values.
import { z } from 'zod';

import type { Clock } from '../clock.ts';
import type { Tx } from '../store/index.ts';
import { recordAudit, type Actor } from './audit.ts';
import { assertActorMayManageUser } from './roles.ts';
import { updateUser, type User, type UserPatch } from './users.ts';

export const passwordProfile = z.strictObject({
  password: z.string().min(8, 'the password must have at least 8 characters').max(256),
  forceChangePasswordNextSignIn: z.boolean().optional(),
});

/** The properties a user's edit may name, with Graph's limits; `mail` and the rest are checked by `updateUser`. */
export const userPatch = z.strictObject({
  accountEnabled: z.boolean().optional(),
  displayName: z.string().trim().min(1).max(256).optional(),
  givenName: z.string().max(64).nullable().optional(),
  surname: z.string().max(64).nullable().optional(),
  mail: z.string().max(254).nullable().optional(),
  otherMails: z.array(z.string().max(254)).max(20).optional(),
  userPrincipalName: z.string().max(113).optional(),
  passwordProfile: passwordProfile.optional(),
});

export type UserEdit = Omit<UserPatch, 'passwordHash' | 'mustChangePassword'>;

/**
 * Changes a user's properties as `actor`, with its audit event ("Update user", or "Reset user password" when
 * `password` is set), in the caller's transaction. `named` lists the properties the request named (the audit
 * event's modifiedProperties).
 */
export async function updateUserAs(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  actor: Actor,
  id: string,
  edit: UserEdit & { password?: { hash: string; mustChange: boolean } },
  named: string[],
  appPermissions?: ReadonlySet<string>,
): Promise<User> {
  await assertActorMayManageUser(tx, tenantId, actor, id, appPermissions);
  const { password, ...rest } = edit;
  const user = await updateUser(tx, clock, tenantId, id, {
    ...rest,
    // A new password set by someone else; it must be changed at the next sign-in when Graph's flag says so.
    ...(password && { passwordHash: password.hash, mustChangePassword: password.mustChange }),
  });
  await recordAudit(tx, clock, tenantId, {
    category: 'UserManagement',
    activity: password ? 'Reset user password' : 'Update user',
    operationType: 'Update',
    actor,
    targets: [{ id: user.id, type: 'User', displayName: user.displayName, userPrincipalName: user.userPrincipalName }],
    details: { modifiedProperties: named.join(',') },
  });
  return user;
}
