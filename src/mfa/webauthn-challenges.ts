// The challenges of passkey ceremonies in progress (table webauthn_challenges, migration 0035). A challenge is issued
// with the page that registers or uses a passkey, bound to the person, to the ceremony (register, authenticate) and
// to what they are doing (their session, or the sign-in in progress: only a keyed hash of it is stored), and expires
// after CHALLENGE_TTL_MS. The answer takes it: one conditional delete, so a challenge answers once, whoever races.
import type { Clock } from '../clock.ts';
import { keyedHmac } from '../keyed.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export type Ceremony = 'register' | 'authenticate';

const binding = (db: Db | Tx, boundTo: string) => keyedHmac(db, 'webauthn-challenge', boundTo);

/** Stores a ceremony's challenge; answers its id, which the page's form carries back. */
export async function issueChallenge(
  db: Db | Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  purpose: Ceremony,
  boundTo: string,
  challenge: string,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('webauthn_challenges')
    .values({
      tenant_id: tenantId,
      id,
      user_id: userId,
      purpose,
      bound_to: await binding(db, boundTo),
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
  tenantId: string,
  userId: string,
  purpose: Ceremony,
  boundTo: string,
  id: unknown,
): Promise<string | undefined> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return undefined;
  const taken = await db
    .deleteFrom('webauthn_challenges')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('bound_to', '=', await binding(db, boundTo))
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
