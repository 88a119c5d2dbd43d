// The owner of app_secrets: an app's client secrets (Graph's passwordCredentials), each kept as its SHA-256 only.
// apps/secrets.ts adds and removes them (rotation) and checks a presented one; apps.ts stores an app's first.
import type { Clock } from '../clock.ts';
import { hashSecret, newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';

/** Graph's passwordCredential, without the secret (shown once, by addPassword). */
export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string | null;
  startDateTime: string;
  endDateTime: string | null;
  customKeyIdentifier: null;
  secretText: null;
}

/** What addPassword answers: the credential with its secret, shown only now. */
export type NewPasswordCredential = Omit<PasswordCredential, 'secretText'> & { secretText: string };

/** Entra's default lifetime of a new secret when none is asked: two years. */
export const DEFAULT_SECRET_DAYS = 730;

export async function listSecrets(db: Db | Tx, tenantId: string, appId: string): Promise<PasswordCredential[]> {
  const rows = await db
    .selectFrom('app_secrets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('app_id', '=', appId)
    .orderBy('start_date_time')
    .orderBy('key_id')
    .execute();
  return rows.map((r) => ({
    keyId: r.key_id,
    displayName: r.display_name,
    hint: r.hint,
    startDateTime: r.start_date_time,
    endDateTime: r.end_date_time,
    customKeyIdentifier: null,
    secretText: null,
  }));
}

/** Stores a secret of an app as its credential (registration's first secret, and addPassword). */
export async function storeSecret(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  appId: string,
  secret: string,
  input: { displayName?: string | null; endDateTime?: string | null } = {},
): Promise<NewPasswordCredential> {
  const now = clock.now();
  const credential: NewPasswordCredential = {
    keyId: newId(),
    displayName: input.displayName ?? null,
    hint: secret.slice(0, 3),
    startDateTime: now.toISOString(),
    endDateTime: input.endDateTime ?? new Date(now.getTime() + DEFAULT_SECRET_DAYS * 86_400_000).toISOString(),
    customKeyIdentifier: null,
    secretText: secret,
  };
  await tx
    .insertInto('app_secrets')
    .values({
      tenant_id: tenantId,
      app_id: appId,
      key_id: credential.keyId,
      secret_hash: hashSecret(secret),
      hint: credential.hint,
      display_name: credential.displayName,
      start_date_time: credential.startDateTime,
      end_date_time: credential.endDateTime,
    })
    .execute();
  return credential;
}

export interface LiveSecrets {
  /** apps.secret_hash: what the provider compares */
  compared: string;
  secrets: { hash: string; end: number }[];
}

/** An app's live secrets and the value the provider compares, or null for an app without (a public client). */
export async function liveSecretsOf(
  db: Db,
  app: { id: string; tenantId: string; secretHash: string | null } | undefined,
): Promise<LiveSecrets | null> {
  if (!app?.secretHash) return null;
  const rows = await db
    .selectFrom('app_secrets')
    .select(['secret_hash', 'end_date_time'])
    .where('tenant_id', '=', app.tenantId)
    .where('app_id', '=', app.id)
    .execute();
  return {
    compared: app.secretHash,
    secrets: rows.map((r) => ({ hash: r.secret_hash, end: r.end_date_time ? Date.parse(r.end_date_time) : Infinity })),
  };
}

/** Forgets an app's secrets (the app's permanent delete). */
export async function deleteSecretsOf(tx: Tx, tenantId: string, appId: string): Promise<void> {
  await tx.deleteFrom('app_secrets').where('tenant_id', '=', tenantId).where('app_id', '=', appId).execute();
}
