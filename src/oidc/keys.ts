// Per-tenant signing keys, persisted so every node signs and verifies with the same ones. Rotation adds a new
// signing key and keeps the old ones published for verification of tokens already issued. The private JWK is kept
// sealed with the deployment key (keyring.ts; migration 0047 sealed those kept in clear before).
import { exportJWK, generateKeyPair, type JWK } from 'jose';

import type { Clock } from '../clock.ts';
import { isSealed } from '../keyring.ts';
import { newSecret } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { keysOf } from '../store/keys.ts';

/** ID tokens: RS256, what every OpenID Connect relying party is required to accept (and Entra uses). */
export const ID_TOKEN_ALG = 'RS256';
/**
 * Access tokens to Portico's own API: only Portico verifies them, so they use ES256, whose signature costs a small
 * fraction of an RSA-2048 one: the largest single cost of the client-credentials grant (docs/performance.md).
 */
export const ACCESS_TOKEN_ALG = 'ES256';
export const SIGNING_ALGS = [ID_TOKEN_ALG, ACCESS_TOKEN_ALG] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

async function newPrivateJwk(alg: SigningAlg): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'RS256' && { modulusLength: 2048 }),
  });
  return { ...(await exportJWK(privateKey)), kid: newSecret(12), alg, use: 'sig' };
}

/** Where keys are kept: a tenant's in tenant_keys, the personal accounts realm's in consumer_keys (migration 0023). */
export type KeyTable = 'tenant_keys' | 'consumer_keys';

async function createKey(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  alg: SigningAlg,
  table: KeyTable = 'tenant_keys',
): Promise<string> {
  const jwk = await newPrivateJwk(alg);
  await tx
    .insertInto(table as 'tenant_keys')
    .values({
      tenant_id: tenantId,
      kid: jwk.kid!,
      jwk: keysOf(tx).seal(JSON.stringify(jwk)),
      created_at: clock.now().toISOString(),
      retired_at: null,
    })
    .execute();
  return jwk.kid!;
}

/** A signing key for each algorithm; returns their key ids, the ID token key's first. */
export async function createKeys(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  table: KeyTable = 'tenant_keys',
): Promise<string[]> {
  const kids: string[] = [];
  for (const alg of SIGNING_ALGS) kids.push(await createKey(tx, clock, tenantId, alg, table));
  return kids;
}

/** Private JWKs, the signing key first (newest active), then retired ones kept for verification. */
export async function loadKeys(db: Tx, tenantId: string, table: KeyTable = 'tenant_keys'): Promise<JWK[]> {
  const rows = await db
    .selectFrom(table as 'tenant_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .execute();
  const active = rows.filter((r) => r.retired_at === null);
  const retired = rows.filter((r) => r.retired_at !== null);
  return [...active, ...retired].map((r) => openJwk(db, r.jwk));
}

/** A stored JWK, opened; one in clear is a row an older release wrote during a rolling upgrade (sealed at next start). */
const openJwk = (db: Db | Tx, stored: string): JWK =>
  JSON.parse(isSealed(stored) ? keysOf(db).open(stored) : stored) as JWK;

/** Every tenant's keys (not the personal accounts realm's), for the realms /common and /organizations publish. */
export async function everyTenantsKeys(db: Db): Promise<JWK[]> {
  const rows = await db.selectFrom('tenant_keys').select('jwk').orderBy('tenant_id').orderBy('kid').execute();
  return rows.map((r) => openJwk(db, r.jwk));
}

export async function rotateKeys(tx: Tx, clock: Clock, tenantId: string): Promise<string[]> {
  await tx
    .updateTable('tenant_keys')
    .set({ retired_at: clock.now().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('retired_at', 'is', null)
    .execute();
  return createKeys(tx, clock, tenantId);
}

export const publicJwk = ({ kty, n, e, kid, alg, use, crv, x, y }: JWK): JWK =>
  Object.fromEntries(Object.entries({ kty, n, e, kid, alg, use, crv, x, y }).filter(([, v]) => v !== undefined)) as JWK;
