import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Kysely } from 'kysely';

// Access tokens are now signed with ES256 (oidc/keys.ts): every tenant made before gets its ES256 key here, so each
// node finds it in the store instead of racing to make its own.
//
// A shipped migration must do tomorrow what it did when it shipped, so it keeps a frozen copy of the key code it
// needs (as oidc/keys.ts had it then) instead of importing live code that may change.
const ACCESS_TOKEN_ALG = 'ES256';

async function newPrivateJwk(alg: typeof ACCESS_TOKEN_ALG): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(12).toString('base64url'), alg, use: 'sig' };
}

interface KeyRow {
  tenant_id: string;
  jwk: string;
  retired_at: string | null;
}
interface Db {
  tenants: { id: string };
  tenant_keys: KeyRow & { kid: string; created_at: string };
}

export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Db>;
  const tenants = await db.selectFrom('tenants').select('id').execute();
  const keys = await db
    .selectFrom('tenant_keys')
    .select(['tenant_id', 'jwk'])
    .where('retired_at', 'is', null)
    .execute();
  const having = new Set(
    keys.filter((k) => (JSON.parse(k.jwk) as { alg?: string }).alg === ACCESS_TOKEN_ALG).map((k) => k.tenant_id),
  );
  const now = new Date().toISOString();
  for (const { id } of tenants) {
    if (having.has(id)) continue;
    const jwk = await newPrivateJwk(ACCESS_TOKEN_ALG);
    await db
      .insertInto('tenant_keys')
      .values({ tenant_id: id, kid: jwk.kid!, jwk: JSON.stringify(jwk), created_at: now, retired_at: null })
      .execute();
  }
}

export async function down(): Promise<void> {
  // The extra keys are harmless to an older release, which signs with RS256 only.
}
