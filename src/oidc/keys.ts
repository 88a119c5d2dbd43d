// Per-tenant signing keys, persisted so every node signs and verifies with the same ones. Rotation adds a new
// signing key and keeps the old ones published for verification of tokens already issued.
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Clock } from '../clock.ts';
import { newSecret } from '../secrets.ts';
import type { Tx } from '../store/index.ts';

export const SIGNING_ALG = 'RS256';

export async function createKey(tx: Tx, clock: Clock, tenantId: string): Promise<string> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const kid = newSecret(12);
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  await tx.insertInto('tenant_keys').values({ tenant_id: tenantId, kid, jwk: JSON.stringify(jwk), created_at: clock.now().toISOString(), retired_at: null }).execute();
  return kid;
}

/** Private JWKs, the signing key first (newest active), then retired ones kept for verification. */
export async function loadKeys(db: Tx, tenantId: string): Promise<JWK[]> {
  const rows = await db.selectFrom('tenant_keys').selectAll().where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc').orderBy('kid').execute();
  const active = rows.filter((r) => r.retired_at === null);
  const retired = rows.filter((r) => r.retired_at !== null);
  return [...active, ...retired].map((r) => JSON.parse(r.jwk) as JWK);
}

export async function rotateKeys(tx: Tx, clock: Clock, tenantId: string): Promise<string> {
  await tx.updateTable('tenant_keys').set({ retired_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId).where('retired_at', 'is', null).execute();
  return createKey(tx, clock, tenantId);
}

export const publicJwk = ({ kty, n, e, kid, alg, use, crv, x, y }: JWK): JWK =>
  Object.fromEntries(Object.entries({ kty, n, e, kid, alg, use, crv, x, y }).filter(([, v]) => v !== undefined)) as JWK;
