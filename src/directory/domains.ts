// A tenant's domains beyond its initial one (Entra's custom domain names): added unverified, verified by a DNS TXT
// record the tenant publishes, unverified or removed again. Only verified domains name a tenant (resolveTenant:
// direct links, issuer aliases, --tenant), and a verified domain is out of every federation mapping
// (federation/providers.ts). Any tenant may add a name; one at most has it verified (migration 0012's index).
import { createHash } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { sql } from 'kysely';

import type { Clock } from '../clock.ts';
import {
  DomainVerificationFailed,
  InvalidRequest,
  ObjectConflict,
  orNotFound,
  ResourceNotFound,
  ServiceUnavailable,
} from '../errors.ts';
import { keyedHmac } from '../keyed.ts';
import { sameSecret } from '../secrets.ts';
import type { Db, Store, Tx } from '../store/index.ts';
import { isUniqueViolation, normalize } from '../store/json.ts';
import { recordAudit, type Actor } from './audit.ts';
import { domainOwner, isDomainName, type TenantDomain } from './tenants.ts';

export const TXT_PREFIX = 'portico-verification=';
/** The TTL the record is shown with (Graph's domainDnsRecord.ttl): an hour, as Entra suggests. */
export const TXT_TTL = 3600;
const MAX_DOMAINS = 500;

/** The TXT strings published at a name (each record's chunks joined); [] when it has none. */
export type TxtLookup = (name: string) => Promise<string[]>;

/** TXT lookups through `servers` (PORTICO_DNS_SERVERS), or the system's resolvers when none are given. */
export function dnsTxtLookup(servers: readonly string[], opts: { timeoutMs?: number; tries?: number } = {}): TxtLookup {
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 2000, tries: opts.tries ?? 2 });
  if (servers.length) resolver.setServers(servers);
  return async (name) => {
    try {
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENODATA' || code === 'ENOTFOUND') return [];
      throw new ServiceUnavailable('domain.dnsFailed', { name, code: code ?? 'unknown error' });
    }
  };
}

/**
 * The TXT value that proves a tenant controls a name. Derived, not stored: an HMAC of tenant and name under a
 * deployment secret, so every node computes the same value without a column, and one tenant's published record
 * never verifies the name for another tenant.
 */
export async function verificationText(db: Db, tenantId: string, name: string): Promise<string> {
  const mac = await keyedHmac(db, 'domain-verification-key', `${tenantId}\n${name}`);
  return `${TXT_PREFIX}${mac.slice(0, 32)}`;
}

/** A stable GUID-shaped id for a domain's verification record (Graph's domainDnsRecord.id). */
export function recordId(tenantId: string, name: string): string {
  const h = createHash('sha256').update(`txt\n${tenantId}\n${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const notFound = (name: string) => new ResourceNotFound('resource.notFound', { id: name });
const target = (name: string) => [{ id: name, type: 'Other' as const, displayName: name }];

export async function getDomain(db: Tx, tenantId: string, name: string): Promise<TenantDomain | undefined> {
  const row = await db
    .selectFrom('tenant_domains')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', normalize(name))
    .executeTakeFirst();
  return row && { name: row.name, isInitial: row.is_initial === 1, isVerified: row.is_verified === 1 };
}

export const requireDomain = orNotFound(getDomain);

/** The domain, unless it is the tenant's initial one, which `key` refuses (with details.reason 'initial'). */
async function notInitial(
  tx: Tx,
  tenantId: string,
  input: string,
  key: 'domain.initialVerified' | 'domain.initialRemove',
): Promise<TenantDomain> {
  const domain = await requireDomain(tx, tenantId, input);
  if (domain.isInitial) throw new InvalidRequest(key, { name: domain.name }, { reason: 'initial' });
  return domain;
}

/** Which of `names` some tenant of this deployment has verified (the initial domains included). */
export async function verifiedAmong(db: Tx, names: readonly string[]): Promise<string[]> {
  if (!names.length) return [];
  const rows = await db
    .selectFrom('tenant_domains')
    .select('name')
    .where('name', 'in', names.map(normalize))
    .where('is_verified', '=', 1)
    .execute();
  return rows.map((r) => r.name);
}

/** Adds a name unverified. `suffix` is the deployment's initial-domain suffix, whose names are never added. */
export async function addDomain(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: string,
  suffix: string,
  actor: Actor,
): Promise<TenantDomain> {
  const name = normalize(input).replace(/\.$/, '');
  if (!isDomainName(name))
    throw new InvalidRequest('domain.invalid', { input: input.slice(0, 100) }, { reason: 'invalid' });
  if (name === suffix || name.endsWith(`.${suffix}`)) {
    throw new InvalidRequest('domain.initialSuffix', { suffix }, { reason: 'reserved' });
  }
  const count = await tx
    .selectFrom('tenant_domains')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_DOMAINS)
    throw new InvalidRequest('domain.tooMany', { maxDomains: MAX_DOMAINS }, { reason: 'tooMany' });
  try {
    await tx
      .insertInto('tenant_domains')
      .values({ tenant_id: tenantId, name, is_initial: 0, is_verified: 0, created_at: clock.now().toISOString() })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ObjectConflict('domain.exists', { name }, { reason: 'exists' });
    throw error;
  }
  await recordAudit(tx, clock, tenantId, {
    category: 'DirectoryManagement',
    activity: 'Add unverified domain',
    operationType: 'Add',
    actor,
    targets: target(name),
  });
  return { name, isInitial: false, isVerified: false };
}

const takenElsewhere = (name: string) => new ObjectConflict('domain.verifiedElsewhere', { name }, { reason: 'taken' });

/**
 * Verifies a name when its TXT record is published. The DNS lookup happens outside any transaction; the change is
 * one conditional update, and the unique index on verified names settles two tenants verifying at once.
 */
export async function verifyDomain(
  store: Store,
  clock: Clock,
  tenantId: string,
  input: string,
  lookup: TxtLookup,
  actor: Actor,
): Promise<TenantDomain> {
  const domain = await requireDomain(store.db, tenantId, input);
  if (domain.isVerified) return domain;
  const { name } = domain;
  const owner = await domainOwner(store.db, name);
  if (owner && owner !== tenantId) throw takenElsewhere(name);
  const expected = await verificationText(store.db, tenantId, name);
  const published = (await lookup(name)).map((r) => r.trim());
  if (!published.some((r) => sameSecret(r, expected))) {
    const ours = published.some((r) => r.startsWith(TXT_PREFIX));
    throw new DomainVerificationFailed(
      ours ? 'domain.txtMismatch' : 'domain.txtMissing',
      { name, expected, prefix: TXT_PREFIX },
      { reason: ours ? 'mismatch' : 'missing', expected },
    );
  }
  return store.transaction(async (tx) => {
    let updated: bigint;
    try {
      const result = await tx
        .updateTable('tenant_domains')
        .set({ is_verified: 1 })
        .where('tenant_id', '=', tenantId)
        .where('name', '=', name)
        .where('is_verified', '=', 0)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('tenant_domains as other')
                .select(sql`1`.as('one'))
                .where('other.name', '=', name)
                .where('other.is_verified', '=', 1),
            ),
          ),
        )
        .executeTakeFirst();
      updated = result.numUpdatedRows;
    } catch (error) {
      if (isUniqueViolation(error)) throw takenElsewhere(name);
      throw error;
    }
    const now = await requireDomain(tx, tenantId, name);
    if (updated === 0n) {
      if (now.isVerified) return now;
      throw takenElsewhere(name);
    }
    await recordAudit(tx, clock, tenantId, {
      category: 'DirectoryManagement',
      activity: 'Verify domain',
      operationType: 'Update',
      actor,
      targets: target(name),
    });
    return now;
  });
}

/** Makes a verified name unverified again: it stops naming the tenant at once; the record verifies it again. */
export async function unverifyDomain(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  input: string,
  actor: Actor,
): Promise<TenantDomain> {
  const domain = await notInitial(tx, tenantId, input, 'domain.initialVerified');
  if (!domain.isVerified) return domain;
  const result = await tx
    .updateTable('tenant_domains')
    .set({ is_verified: 0 })
    .where('tenant_id', '=', tenantId)
    .where('name', '=', domain.name)
    .where('is_verified', '=', 1)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) {
    await recordAudit(tx, clock, tenantId, {
      category: 'DirectoryManagement',
      activity: 'Unverify domain',
      operationType: 'Update',
      actor,
      targets: target(domain.name),
    });
  }
  return { ...domain, isVerified: false };
}

/** Removes a name; never the initial domain, nor one that members' sign-in names still use (as Entra refuses). */
export async function removeDomain(tx: Tx, clock: Clock, tenantId: string, input: string, actor: Actor): Promise<void> {
  const domain = await notInitial(tx, tenantId, input, 'domain.initialRemove');
  const users = await tx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('upn_normalized', 'like', `%@${domain.name}`)
    .executeTakeFirstOrThrow();
  if (Number(users.n) > 0) {
    throw new InvalidRequest('domain.inUse', { n: Number(users.n), name: domain.name }, { reason: 'inUse' });
  }
  const result = await tx
    .deleteFrom('tenant_domains')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', domain.name)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound(domain.name);
  const activity = domain.isVerified ? 'Remove verified domain' : 'Remove unverified domain';
  await recordAudit(tx, clock, tenantId, {
    category: 'DirectoryManagement',
    activity,
    operationType: 'Delete',
    actor,
    targets: target(domain.name),
  });
}
