// An app's client secrets (Graph's passwordCredentials): several at once, so an app rotates its secret as on Entra
// (addPassword, move the app to the new one, removePassword of the old). Only each secret's SHA-256 is stored.
//
// oidc-provider compares one `client_secret` per client: apps.secret_hash (oidc/adapter.ts). The edge
// (oidc/mount.ts) hashes a presented secret and asks `presentedSecret` for the value to hand the provider: the app's
// secret_hash when the hash is one of the app's live secrets, else the hash itself. Removing a secret replaces
// secret_hash with the hash of a random value nobody holds, so the removed secret (which may have been secret_hash)
// no longer matches it. Each change counts the tenant's epoch (store/epochs.ts), so every node stops taking a removed
// secret within a second.
import type { Clock } from '../clock.ts';
import type { Actor } from '../directory/audit.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import { hashSecret, newSecret, sameSecret } from '../secrets.ts';
import { tenantCache } from '../store/epochs.ts';
import type { Db, Tx } from '../store/index.ts';
import { auditAppUpdate, findAppByClientId, lockApp, type App } from './apps.ts';
import { liveSecretsOf, storeSecret, type LiveSecrets, type NewPasswordCredential } from './secret-store.ts';
import { otherTenantsApp } from './service-principals.ts';

function checkEnd(clock: Clock, endDateTime: unknown): string | undefined {
  if (endDateTime === undefined || endDateTime === null) return undefined;
  const end = typeof endDateTime === 'string' ? new Date(endDateTime) : new Date(NaN);
  if (Number.isNaN(end.getTime()) || end.getTime() <= clock.now().getTime())
    throw new InvalidRequest('apps.secretEnd', { value: String(endDateTime).slice(0, 64) });
  return end.toISOString();
}

/** Graph's addPassword: a new secret for the app beside those it has, audited; the answer is the only copy. */
export async function addPassword(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  appId: string,
  input: { displayName?: string | null; endDateTime?: unknown },
  actor: Actor,
): Promise<{ app: App; credential: NewPasswordCredential }> {
  const app = await lockApp(tx, tenantId, appId);
  if (app.isFallbackPublicClient) throw new InvalidRequest('apps.publicClientWithSecret');
  const displayName = input.displayName?.trim() || null;
  if (displayName && displayName.length > 256) throw new InvalidRequest('apps.displayNameLong', { max: 256 });
  const secret = newSecret(32);
  const credential = await storeSecret(tx, clock, tenantId, app.id, secret, {
    displayName,
    endDateTime: checkEnd(clock, input.endDateTime),
  });
  // A public client without a secret becomes confidential with its first one.
  if (!app.confidential)
    await tx
      .updateTable('apps')
      .set({ secret_hash: hashSecret(secret) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', app.id)
      .execute();
  const updated = await auditAppUpdate(tx, clock, tenantId, app.id, { addedSecret: credential.keyId }, actor);
  return { app: updated, credential };
}

/** Graph's removePassword: the secret stops working at once on this node and within a second on every other. */
export async function removePassword(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  appId: string,
  keyId: unknown,
  actor: Actor,
): Promise<App> {
  const app = await lockApp(tx, tenantId, appId);
  if (typeof keyId !== 'string' || !keyId) throw new InvalidRequest('apps.secretKeyId');
  const done = await tx
    .deleteFrom('app_secrets')
    .where('tenant_id', '=', tenantId)
    .where('app_id', '=', app.id)
    .where('key_id', '=', keyId.toLowerCase())
    .executeTakeFirst();
  if (Number(done.numDeletedRows) !== 1)
    throw new ResourceNotFound('apps.secretNotFound', { keyId: keyId.slice(0, 64) });
  // The value the provider compares is no secret's any more (see the top of this file); the app stays confidential.
  await tx
    .updateTable('apps')
    .set({ secret_hash: hashSecret(newSecret(32)) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', app.id)
    .execute();
  return auditAppUpdate(tx, clock, tenantId, app.id, { removedSecret: keyId.toLowerCase() }, actor);
}

const liveSecrets = tenantCache<LiveSecrets | null>({ max: 10_000 });

/**
 * The client_secret to hand oidc-provider for a secret presented (as its hash) by a client of this tenant: the app's
 * compared value when the hash is one of the app's unexpired secrets, else the hash itself (which the provider then
 * refuses, unless it is the compared value of an app of another tenant's, whose secrets the owner keeps).
 */
export async function presentedSecret(
  db: Db,
  clock: Clock,
  tenantId: string,
  clientId: string,
  presentedHash: string,
): Promise<string> {
  // The tenant's own app from this node's cache; another tenant's multi-tenant app (its owner keeps its secrets, and
  // the owner's epoch is not this tenant's) from the store each time.
  const live =
    (await liveSecrets(db).get(tenantId, clientId, async () =>
      liveSecretsOf(db, await findAppByClientId(db, tenantId, clientId)),
    )) ?? (await liveSecretsOf(db, await otherTenantsApp(db, clientId)));
  if (!live) return presentedHash;
  const now = clock.now().getTime();
  let match = false;
  // Every secret compared, in constant time each: which one matched, or whether any did, is not told by the time.
  for (const s of live.secrets) if (sameSecret(presentedHash, s.hash) && now < s.end) match = true;
  return match ? live.compared : presentedHash;
}
