// Deleted items (Entra's recycle bin, issue #19): a deleted user, group or app registration stays restorable for 30
// days, then is deleted for good. Their owners mark and unmark (directory/users.ts deleteUser, restoreUser;
// directory/groups.ts deleteGroup, restoreGroup; apps/apps.ts deleteApp, restoreApp); this module is the permanent
// delete and the audit events of restore and permanent delete; deleted/kinds.ts names every kind once, and
// deleted/sweep.ts is the sweep's part.
//
// The permanent delete removes the user row, and every row that is the user's goes with it (foreign keys ON DELETE
// CASCADE, migration 0017). A few references cannot cascade; their owners clear them, each through the one function
// it exports for it. They are listed once, here, rather than imported by the directory: a new such reference is one
// row of USER_REFERENCES (and test/store/owned-rows.test.ts fails until it is there).
import { forgetPrincipal } from '../apps/assignments.ts';
import type { Clock } from '../clock.ts';
import { audited, userTarget, type Actor, type ChangeAs } from '../directory/audit.ts';
import { auditedGroup, eraseDeletedGroup, restoreGroup, type DeletedGroup, type Group } from '../directory/groups.ts';
import { deleteUser, eraseDeletedUser, requireDeletedUser, restoreUser, type User } from '../directory/users.ts';
import { forgetBulkRowsOf } from '../invitations/bulk-jobs.ts';
import { revokeUser } from '../sessions/revoke.ts';
import { endLockout } from '../signins/lockout.ts';
import { forgetSignInsOf } from '../signins/signins.ts';
import type { Tx } from '../store/index.ts';

/** How long a deleted user can be restored (Entra: 30 days). */
export const DELETED_RETENTION_DAYS = 30;
export const DAY_MS = 86_400_000;

type Forget = (tx: Tx, tenantId: string, userId: string) => Promise<unknown>;

/** What names a user without a foreign key, and its owner's function that clears it (0017 says why each). */
export const USER_REFERENCES: readonly { what: string; forget: Forget }[] = [
  { what: 'app_assignments.principal_id (apps)', forget: forgetPrincipal },
  // oidc-provider's sessions, grants, codes and tokens name the account inside their payload.
  { what: 'oidc_payloads.account_id (sessions/revoke)', forget: revokeUser },
  {
    what: 'attempt_counters keys (signins/lockout)',
    forget: (tx, tenantId, userId) => endLockout(tx, { kind: 'member', tenantId, userId }),
  },
  { what: 'sign_ins.user_id (signins)', forget: forgetSignInsOf },
  { what: 'bulk_job_rows.user_id (invitations)', forget: forgetBulkRowsOf },
];

/** A change to one user and its audit event (Entra's activity names), in the caller's transaction. */
const auditedUser = audited<User>('UserManagement', userTarget);

/** Moves a user to deleted items, with its audit event. */
export const deleteUserAs = async (tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<User> =>
  auditedUser(tx, clock, tenantId, actor, 'Delete user', 'Delete', await deleteUser(tx, clock, tenantId, id));

/** Brings a user back from deleted items, with its audit event. */
export const restoreUserAs = async (tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<User> =>
  auditedUser(tx, clock, tenantId, actor, 'Restore user', 'Update', await restoreUser(tx, clock, tenantId, id));

/** Deletes a user of deleted items for good, with its audit event. */
export async function purgeUserAs(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<User> {
  const user = await requireDeletedUser(tx, tenantId, id);
  for (const reference of USER_REFERENCES) await reference.forget(tx, tenantId, user.id);
  await eraseDeletedUser(tx, tenantId, user.id);
  return auditedUser(tx, clock, tenantId, actor, 'Hard delete user', 'Delete', user);
}

/** The day a deleted user is deleted for good. */
export const purgeDateOf = (deletedDateTime: string): Date =>
  new Date(new Date(deletedDateTime).getTime() + DELETED_RETENTION_DAYS * DAY_MS);

/** Brings a group back from deleted items (same id, members, app role assignments), with its audit event. */
export const restoreGroupAs: ChangeAs<Group> = async (tx, clock, tenantId, id, actor) =>
  auditedGroup(tx, clock, tenantId, actor, 'Restore group', 'Update', await restoreGroup(tx, tenantId, id));

/** Deletes a group of deleted items for good, with its audit event. */
export const purgeGroupAs: ChangeAs<DeletedGroup> = async (tx, clock, tenantId, id, actor) =>
  auditedGroup(tx, clock, tenantId, actor, 'Hard delete group', 'Delete', await eraseDeletedGroup(tx, tenantId, id));
