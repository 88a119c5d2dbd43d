// Inactive guests (issue #19): guests who never redeemed their invitation, and guests who redeemed but have not
// signed in for N days (Graph's signInActivity, kept by the sign-in log: signins/activity.ts). The admin center's
// "Inactive guests" view and `portico user list --inactive-days N` list them through inactiveGuests; the view's bulk
// actions disable or delete them through the same domain functions as a single user's page, each with its audit event.
import type { Clock } from '../clock.ts';
import { NO_ACTIVITY, signInActivityOf, usersBySignInTime, type SignInActivity } from '../signins/activity.ts';
import type { Db, Tx } from '../store/index.ts';
import { recordAudit, type Actor } from './audit.ts';
import { assertActorMayManageUser } from './roles.ts';
import { deleteUser, requireUser, toUser, updateUser, type User } from './users.ts';

export const DEFAULT_INACTIVE_DAYS = 90;
/** The most the view and the CLI accept: Entra keeps sign-in activity for far less, so more would mean "ever". */
export const MAX_INACTIVE_DAYS = 3650;

export interface InactiveGuest {
  user: User;
  /** 'neverRedeemed': the invitation is still pending; 'idle': no sign-in since the cut-off */
  reason: 'neverRedeemed' | 'idle';
  signInActivity: SignInActivity;
}

/**
 * The tenant's guests who never redeemed, and the redeemed ones with no sign-in in the `days` days before now (a
 * guest who redeemed within them counts as active, even without a sign-in recorded since). At most `limit`,
 * oldest first.
 */
export async function inactiveGuests(
  db: Db,
  clock: Clock,
  tenantId: string,
  days: number,
  limit = 1000,
): Promise<InactiveGuest[]> {
  const cutoff = new Date(clock.now().getTime() - days * 86_400_000).toISOString();
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    // a guest in deleted items is not in the directory (directory/users.ts inDirectory)
    .where('deleted_at', 'is', null)
    .where('user_type', '=', 'Guest')
    .where((eb) =>
      eb.or([
        eb('external_user_state', '=', 'PendingAcceptance'),
        eb.and([
          eb('id', 'not in', usersBySignInTime(db, tenantId, '>=', cutoff)),
          eb.or([eb('external_user_state_changed_at', 'is', null), eb('external_user_state_changed_at', '<', cutoff)]),
        ]),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const users = rows.map(toUser);
  const activity = await signInActivityOf(
    db,
    tenantId,
    users.map((u) => u.id),
  );
  return users.map((user) => ({
    user,
    reason: user.externalUserState === 'PendingAcceptance' ? 'neverRedeemed' : 'idle',
    signInActivity: activity.get(user.id) ?? NO_ACTIVITY,
  }));
}

const target = (u: User) => ({
  id: u.id,
  type: 'User' as const,
  displayName: u.displayName,
  userPrincipalName: u.userPrincipalName,
});

/**
 * Applies one change to each guest of `userIds` (members among them are left alone), with its audit event: the
 * bulk actions of the inactive guests' view. A guest holding a role beyond the limited admins' is a Global
 * Administrator's to change (directory/roles.ts).
 */
async function eachGuest(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userIds: readonly string[],
  actor: Actor,
  audit: { activity: string; operationType: 'Update' | 'Delete' },
  change: (id: string) => Promise<User>,
): Promise<User[]> {
  const done: User[] = [];
  for (const id of userIds) {
    if ((await requireUser(tx, tenantId, id)).userType !== 'Guest') continue;
    await assertActorMayManageUser(tx, tenantId, actor, id);
    const user = await change(id);
    await recordAudit(tx, clock, tenantId, { category: 'UserManagement', ...audit, actor, targets: [target(user)] });
    done.push(user);
  }
  return done;
}

/** Blocks sign-in for each guest of `userIds`, each with Entra's "Disable account" audit event. */
export const disableGuests = (tx: Tx, clock: Clock, tenantId: string, userIds: readonly string[], actor: Actor) =>
  eachGuest(tx, clock, tenantId, userIds, actor, { activity: 'Disable account', operationType: 'Update' }, (id) =>
    updateUser(tx, clock, tenantId, id, { accountEnabled: false }),
  );

/** Deletes each guest of `userIds` as a single delete does (deleted/items.ts deleteUserAs): to deleted items. */
export const deleteGuests = (tx: Tx, clock: Clock, tenantId: string, userIds: readonly string[], actor: Actor) =>
  eachGuest(tx, clock, tenantId, userIds, actor, { activity: 'Delete user', operationType: 'Delete' }, (id) =>
    deleteUser(tx, clock, tenantId, id),
  );
