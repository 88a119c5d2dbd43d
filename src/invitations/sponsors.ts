// A guest's sponsors (Graph's user.sponsors): users of the same tenant who answer for the guest. An invitation
// records them (invitedUserSponsors, else the inviting user); they get the guest's reminder and expiry notices.
// Sponsors are read through a join on users, so a deleted sponsor simply stops being one.
import type { Clock } from '../clock.ts';
import { recordAudit, type Actor, type AuditTarget } from '../directory/audit.ts';
import { getUser, requireUser, userSummaries, type User } from '../directory/users.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import type { Db, Tx } from '../store/index.ts';

/** Entra's limit on a user's sponsors. */
export const MAX_SPONSORS = 5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const target = (u: User): AuditTarget => ({
  id: u.id,
  type: 'User',
  displayName: u.displayName,
  userPrincipalName: u.userPrincipalName,
});

export async function sponsorIds(db: Db | Tx, tenantId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_sponsors')
    .select('sponsor_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('sponsor_id')
    .execute();
  const existing = await userSummaries(
    db,
    tenantId,
    rows.map((r) => r.sponsor_id),
  );
  return rows.map((r) => r.sponsor_id).filter((id) => existing.has(id));
}

export async function listSponsors(db: Db | Tx, tenantId: string, userId: string): Promise<User[]> {
  const users = await Promise.all((await sponsorIds(db, tenantId, userId)).map((id) => getUser(db, tenantId, id)));
  return users.filter((u): u is User => u !== undefined);
}

/** Adds sponsors (users of the tenant, not the user itself); ones already there are kept, the total is capped. */
export async function addSponsors(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  ids: string[],
  /** the user's sponsors when the caller knows them (a user made in this transaction has none) */
  known?: string[],
): Promise<User[]> {
  const existing = known ?? (await sponsorIds(tx, tenantId, userId));
  const added: User[] = [];
  for (const raw of new Set(ids.map((id) => id.toLowerCase()))) {
    if (existing.includes(raw)) continue;
    const sponsor = UUID.test(raw) ? await getUser(tx, tenantId, raw) : undefined;
    if (!sponsor) throw new InvalidRequest('sponsor.notUser', { raw });
    if (sponsor.id === userId) throw new InvalidRequest('sponsor.self');
    added.push(sponsor);
  }
  if (existing.length + added.length > MAX_SPONSORS)
    throw new InvalidRequest('sponsor.tooMany', { maxSponsors: MAX_SPONSORS });
  const now = clock.now().toISOString();
  for (const s of added) {
    await tx
      .insertInto('user_sponsors')
      .values({ tenant_id: tenantId, user_id: userId, sponsor_id: s.id, created_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id', 'sponsor_id']).doNothing())
      .execute();
  }
  return added;
}

/**
 * The sponsors an invitation records: those it names, else the inviting user when the guest has none yet (an app
 * or the CLI names nobody). Returns the ids added.
 */
export async function sponsorInvitee(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  user: User,
  actor: Actor,
  named: string[] | undefined,
  { created = false }: { created?: boolean } = {},
): Promise<string[]> {
  // A user made in this transaction has no sponsor yet: nothing to read.
  const known = created ? [] : undefined;
  if (named) return (await addSponsors(tx, clock, tenantId, user.id, named, known)).map((s) => s.id);
  if (actor.kind !== 'user' || actor.id === user.id) return [];
  if ((known ?? (await sponsorIds(tx, tenantId, user.id))).length > 0) return [];
  return (await addSponsors(tx, clock, tenantId, user.id, [actor.id], known)).map((s) => s.id);
}

/** Adds one sponsor to `user`, refused when it is one already: the sponsor's audit target. */
async function addOneSponsor(tx: Tx, clock: Clock, tenantId: string, user: User, sponsorId: string) {
  if ((await sponsorIds(tx, tenantId, user.id)).includes(sponsorId.toLowerCase())) {
    throw new InvalidRequest('sponsor.exists');
  }
  const [sponsor] = await addSponsors(tx, clock, tenantId, user.id, [sponsorId]);
  return target(sponsor!);
}

/** Removes one sponsor of `user` (`userId` as asked), 404 when it is none: its audit target, by id when it is gone. */
async function removeOneSponsor(
  tx: Tx,
  _clock: Clock,
  tenantId: string,
  user: User,
  sponsorId: string,
  userId: string,
) {
  const result = await tx
    .deleteFrom('user_sponsors')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', user.id)
    .where('sponsor_id', '=', sponsorId.toLowerCase())
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new ResourceNotFound('sponsor.notSponsor', { sponsorId, userId });
  const sponsor = await getUser(tx, tenantId, sponsorId.toLowerCase());
  return sponsor ? target(sponsor) : { id: sponsorId.toLowerCase(), type: 'User' as const };
}

/** POST /users/{id}/sponsors/$ref, DELETE /users/{id}/sponsors/{id}/$ref and the admin center: one sponsor added or
 * removed, with its audit event. */
const sponsorChangeAs =
  (change: 'add' | 'remove') =>
  async (tx: Tx, clock: Clock, tenantId: string, userId: string, sponsorId: string, actor: Actor): Promise<void> => {
    const user = await requireUser(tx, tenantId, userId);
    const sponsor = await (change === 'add' ? addOneSponsor : removeOneSponsor)(
      tx,
      clock,
      tenantId,
      user,
      sponsorId,
      userId,
    );
    await recordAudit(tx, clock, tenantId, {
      category: 'UserManagement',
      activity: change === 'add' ? 'Add sponsor to user' : 'Remove sponsor from user',
      operationType: change === 'add' ? 'Assign' : 'Unassign',
      actor,
      targets: [target(user), sponsor],
    });
  };

export const addSponsorAs = sponsorChangeAs('add');
export const removeSponsorAs = sponsorChangeAs('remove');
