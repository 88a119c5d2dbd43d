// Which user of a tenant an identity signs in as, keyed by (issuer, subject): set when a guest redeems, whatever
// the identity (passcode, personal account, home tenant, upstream provider); removed when the user is deleted or
// their redemption is reset. An email address is never the key: two IdPs may both vouch for the same address.
import type { Clock } from '../clock.ts';
import type { Db, Tx } from '../store/index.ts';

export async function userOfIdentity(
  db: Db | Tx,
  tenantId: string,
  issuer: string,
  subject: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('external_identities')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.user_id;
}

export async function linkIdentity(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  userId: string,
  issuer: string,
  subject: string,
): Promise<void> {
  await tx
    .insertInto('external_identities')
    .values({ tenant_id: tenantId, issuer, subject, user_id: userId, created_at: clock.now().toISOString() })
    .onConflict((oc) => oc.columns(['tenant_id', 'issuer', 'subject']).doNothing())
    .execute();
}

export async function unlinkIdentities(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx.deleteFrom('external_identities').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
}

/** The identity a guest of `tenantId` signs in with (the first linked), if any. */
export async function identityOfUser(
  db: Db | Tx,
  tenantId: string,
  userId: string,
): Promise<{ issuer: string; subject: string } | undefined> {
  return db
    .selectFrom('external_identities')
    .select(['issuer', 'subject'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .executeTakeFirst();
}

/** The tenants where an identity is linked to a guest. */
export async function tenantsOfIdentity(db: Db | Tx, issuer: string, subject: string): Promise<string[]> {
  const rows = await db
    .selectFrom('external_identities')
    .select('tenant_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute();
  return rows.map((r) => r.tenant_id);
}
