// The challenges of passkey ceremonies in progress (table webauthn_challenges, migration 0035). A challenge is issued
// with the page that registers or uses a passkey, bound to the person, to the ceremony (register, authenticate) and
// to what they are doing (their session, or the sign-in in progress: only a keyed hash of it is stored), and expires
// after CHALLENGE_TTL_MS. The answer takes it: one conditional delete, so a challenge answers once, whoever races.
import type { Clock } from '../clock.ts';
import { keyedHmac } from '../keyed.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export type Purpose = 'register' | 'authenticate';

/** Whom and what a challenge is for: the person, the ceremony, and what they are doing (`boundTo`). */
export interface ChallengeFor {
  tenantId: string;
  userId: string;
  purpose: Purpose;
  boundTo: string;
}

const binding = (db: Db | Tx, boundTo: string) => keyedHmac(db, 'webauthn-challenge', boundTo);

/** Stores a ceremony's challenge; answers its id, which the page's form carries back. */
export async function issueChallenge(db: Db | Tx, clock: Clock, to: ChallengeFor, challenge: string): Promise<string> {
  const id = newId();
  await db
    .insertInto('webauthn_challenges')
    .values({
      tenant_id: to.tenantId,
      id,
      user_id: to.userId,
      purpose: to.purpose,
      bound_to: await binding(db, to.boundTo),
      challenge,
      expires_at: new Date(clock.now().getTime() + CHALLENGE_TTL_MS).toISOString(),
    })
    .execute();
  return id;
}

/**
 * Takes a challenge: the one issued under `id` for this person, ceremony and binding, not expired, deleted as it is
 * read. Undefined for anything else (unknown, taken already, expired, bound to something else).
 */
export async function takeChallenge(
  db: Db | Tx,
  clock: Clock,
  of: ChallengeFor,
  id: unknown,
): Promise<string | undefined> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return undefined;
  const taken = await db
    .deleteFrom('webauthn_challenges')
    .where('tenant_id', '=', of.tenantId)
    .where('id', '=', id)
    .where('user_id', '=', of.userId)
    .where('purpose', '=', of.purpose)
    .where('bound_to', '=', await binding(db, of.boundTo))
    .where('expires_at', '>', clock.now().toISOString())
    .returning('challenge')
    .executeTakeFirst();
  return taken?.challenge;
}

/** The maintenance sweep's: challenges expired before `before` (store/sweep.ts). */
export async function sweepChallenges(db: Db, before: string): Promise<number> {
  const gone = await db.deleteFrom('webauthn_challenges').where('expires_at', '<', before).executeTakeFirst();
  return Number(gone.numDeletedRows);
}
