// Invitees' opt-out (Entra's "block future invitations"). A block names an address, kept only as an HMAC under a
// deployment key, and one organization or (tenant_id null) every organization on the deployment. Only the person
// changes blocks, after proving the address with a mailed code (invitations/optout-pages.tsx); invite() asks here.
import type { Clock } from '../clock.ts';
import { recordAudit, type Actor } from '../directory/audit.ts';
import { InviteeOptedOut } from '../errors.ts';
import { keyedHmac } from '../keyed.ts';
import { seal, unseal } from '../secrets.ts';
import type { Services } from '../services.ts';
import { deploymentSecret } from '../store/deployment.ts';
import type { Db, Tx } from '../store/index.ts';
import { normalize } from '../store/json.ts';

export type BlockScope = 'tenant' | 'deployment';

/** What an opt-out link carries: the recipient and the inviting organization. */
export interface OptOutTarget {
  address: string;
  tenantId: string | null;
}

export async function addressKey(db: Db | Tx, address: string): Promise<string> {
  return keyedHmac(db, 'optout-address-key', normalize(address));
}

/** The block that stops `tenantId` from inviting `address`, if any (a tenant's own wins: it names them). */
export async function blockOf(db: Db | Tx, tenantId: string, address: string): Promise<BlockScope | undefined> {
  const rows = await db
    .selectFrom('invitation_blocks')
    .select('tenant_id')
    .where('address_key', '=', await addressKey(db, address))
    .where((eb) => eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]))
    .execute();
  if (rows.some((r) => r.tenant_id === tenantId)) return 'tenant';
  return rows.length > 0 ? 'deployment' : undefined;
}

/** Of `addresses`, those a block stops `tenantId` from inviting (blockOf for many at once), normalized. */
export async function blockedAmong(db: Db | Tx, tenantId: string, addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const byKey = new Map<string, string>();
  for (const a of addresses) byKey.set(await addressKey(db, a), normalize(a));
  const rows = await db
    .selectFrom('invitation_blocks')
    .select('address_key')
    .where('address_key', 'in', [...byKey.keys()])
    .where((eb) => eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]))
    .execute();
  return new Set(rows.map((r) => byKey.get(r.address_key)!));
}

/** Whether `address` blocks `tenantId` itself, and whether it blocks every organization. */
export async function blockState(
  db: Db | Tx,
  address: string,
  tenantId: string | null,
): Promise<{ tenant: boolean; everywhere: boolean }> {
  const rows = await db
    .selectFrom('invitation_blocks')
    .select('tenant_id')
    .where('address_key', '=', await addressKey(db, address))
    .execute();
  return {
    tenant: tenantId !== null && rows.some((r) => r.tenant_id === tenantId),
    everywhere: rows.some((r) => r.tenant_id === null),
  };
}

export async function block(tx: Tx, clock: Clock, address: string, tenantId: string | null): Promise<void> {
  // No conflict target: the unique index is on an expression (coalesce), which both stores accept this way.
  await tx
    .insertInto('invitation_blocks')
    .values({ address_key: await addressKey(tx, address), tenant_id: tenantId, created_at: clock.now().toISOString() })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Lifts the block of one organization, or (null) every block of the address, its organizations' included. */
export async function unblock(tx: Tx, address: string, tenantId: string | null): Promise<void> {
  const q = tx.deleteFrom('invitation_blocks').where('address_key', '=', await addressKey(tx, address));
  await (tenantId === null ? q : q.where('tenant_id', '=', tenantId)).execute();
}

/** The refusal invite() gives, with its audit event in its own transaction (the invitation's is undone). */
export async function refuseIfOptedOut(
  services: Services,
  tenantId: string,
  actor: Actor,
  email: string,
): Promise<void> {
  const { store, clock, config } = services;
  const scope = await blockOf(store.db, tenantId, email);
  if (!scope) return;
  const from = scope === 'tenant' ? 'this organization' : 'any organization on this deployment';
  await store.transaction((tx) =>
    recordAudit(tx, clock, tenantId, {
      category: 'UserManagement',
      activity: 'Invite external user',
      operationType: 'Add',
      actor,
      targets: [],
      result: 'failure',
      resultReason: `The invitee opted out of invitations from ${from}.`,
      details: { invitedUserEmailAddress: email, optedOut: scope },
    }),
  );
  throw new InviteeOptedOut(
    scope === 'tenant' ? 'invitation.optedOutTenant' : 'invitation.optedOutDeployment',
    { email: email.replace(/[\r\n]/g, ' '), url: `${config.baseUrl}/optout` },
    { scope },
  );
}

const linkKey = (db: Db | Tx) => deploymentSecret(db as Db, 'optout-link-key');

/**
 * The opt-out link for one recipient. The address and organization are sealed (readable by Portico only, so the
 * URL shows no address and cannot be altered); the link proves nothing by itself: the page mails a code first.
 */
export async function optOutUrl(db: Db | Tx, baseUrl: string, target: OptOutTarget): Promise<string> {
  const token = seal(await linkKey(db), JSON.stringify({ a: normalize(target.address), t: target.tenantId }));
  return `${baseUrl}/optout?l=${encodeURIComponent(token)}`;
}

export async function readOptOutToken(db: Db, token: string | undefined): Promise<OptOutTarget | undefined> {
  if (!token || token.length > 1000) return undefined;
  try {
    const { a, t } = JSON.parse(unseal(await linkKey(db), token)) as { a?: unknown; t?: unknown };
    if (typeof a !== 'string' || (t !== null && typeof t !== 'string')) return undefined;
    return { address: a, tenantId: t };
  } catch {
    return undefined;
  }
}

/** A sealed token for a target typed on the page (no link), so the next steps carry it the same way. */
export async function optOutToken(db: Db, target: OptOutTarget): Promise<string> {
  return new URL(await optOutUrl(db, 'http://x', target)).searchParams.get('l')!;
}
