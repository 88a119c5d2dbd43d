// Tenants and their domains. A tenant is reachable by its id or by any of its verified domains (the initial
// domain counts as verified).
import { sql, type SelectQueryBuilder } from 'kysely';

import type { Clock } from '../clock.ts';
import { InvalidRequest, ObjectConflict, ResourceNotFound } from '../errors.ts';
import { newId } from '../secrets.ts';
import { tenantCache, tenantChanged } from '../store/epochs.ts';
import type { Db, Tx } from '../store/index.ts';
import { isUniqueViolation, normalize, parseJson, toJson } from '../store/json.ts';
import type { Database, TenantsTable } from '../store/schema.ts';
import { resolveSettings, type TenantSettings } from './settings-schema.ts';

export interface Branding {
  logoUrl?: string;
  primaryColor?: string;
  backgroundColor?: string;
}

export interface Tenant {
  id: string;
  displayName: string;
  slug: string;
  initialDomain: string;
  privacyStatementUrl: string | null;
  privacyContactEmail: string | null;
  branding: Branding;
  /** resolved: every setting present, stored or default (directory/settings-schema.ts) */
  settings: TenantSettings;
  createdAt: string;
}

export interface TenantDomain {
  name: string;
  isInitial: boolean;
  isVerified: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
export const isDomainName = (value: string): boolean => DOMAIN.test(value);

function toTenant(row: TenantsTable): Tenant {
  return {
    id: row.id,
    displayName: row.display_name,
    slug: row.slug,
    initialDomain: row.initial_domain,
    privacyStatementUrl: row.privacy_statement_url,
    privacyContactEmail: row.privacy_contact_email,
    branding: parseJson(row.branding, {}),
    settings: resolveSettings(parseJson(row.settings, {})),
    createdAt: row.created_at,
  };
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 40) || 'tenant';
}

export interface NewTenant {
  displayName: string;
  domainSuffix: string;
  /** Extra domain the operator vouches for at creation: stored verified. */
  verifiedDomain?: string;
}

export async function createTenant(tx: Tx, clock: Clock, input: NewTenant): Promise<Tenant> {
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 256) throw new InvalidRequest('tenant.name');
  const extra = input.verifiedDomain ? normalize(input.verifiedDomain) : undefined;
  if (extra !== undefined && !isDomainName(extra))
    throw new InvalidRequest('domain.invalid', { input: input.verifiedDomain });
  if (extra && (await domainOwner(tx, extra))) throw new ObjectConflict('tenant.domainTaken', { extra });

  const base = slugify(displayName);
  const taken = new Set(
    (await tx.selectFrom('tenants').select('slug').where('slug', 'like', `${base}%`).execute()).map((r) => r.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;

  const now = clock.now().toISOString();
  const id = newId();
  const initialDomain = `${slug}.${input.domainSuffix}`;
  try {
    await tx
      .insertInto('tenants')
      .values({
        id,
        display_name: displayName,
        slug,
        initial_domain: initialDomain,
        privacy_statement_url: null,
        privacy_contact_email: null,
        branding: '{}',
        settings: '{}',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx
      .insertInto('tenant_domains')
      .values({ tenant_id: id, name: initialDomain, is_initial: 1, is_verified: 1, created_at: now })
      .execute();
    if (extra)
      await tx
        .insertInto('tenant_domains')
        .values({ tenant_id: id, name: extra, is_initial: 0, is_verified: 1, created_at: now })
        .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ObjectConflict('tenant.createdMeanwhile');
    throw error;
  }
  return (await getTenant(tx, id))!;
}

export async function getTenant(db: Tx, tenantId: string): Promise<Tenant | undefined> {
  if (!isUuid(tenantId)) return undefined;
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
  return row && toTenant(row);
}

/** The owners' tables whose rows name their tenant and are read with it in one statement (`withTenant`). */
type NamesTenant = 'redemption_flows' | 'invitations';

/**
 * A tenant read in the same statement as a row of another owner that names it (a redemption flow, an invitation):
 * joins the tenants row to that owner's query and selects its columns under `tenant_` names, which `tenantOfJoined`
 * reads back as getTenant does. The tenants table's SQL stays here.
 */
export const withTenant = <T extends NamesTenant, O>(
  qb: SelectQueryBuilder<Database, T, O>,
  table: T,
): SelectQueryBuilder<Database, T | 'tenants', O & JoinedTenant> =>
  // Kysely cannot type a join on a table chosen by a type parameter; the columns below are the tenants row's alone.
  (qb as unknown as SelectQueryBuilder<Database, 'tenants', O>)
    .innerJoin('tenants', (join) => join.on(sql<boolean>`${sql.ref('tenants.id')} = ${sql.ref(`${table}.tenant_id`)}`))
    .select([
      'tenants.display_name as tenant_display_name',
      'tenants.slug as tenant_slug',
      'tenants.initial_domain as tenant_initial_domain',
      'tenants.privacy_statement_url as tenant_privacy_statement_url',
      'tenants.privacy_contact_email as tenant_privacy_contact_email',
      'tenants.branding as tenant_branding',
      'tenants.settings as tenant_settings',
      'tenants.created_at as tenant_created_at',
      'tenants.updated_at as tenant_updated_at',
    ]) as unknown as SelectQueryBuilder<Database, T | 'tenants', O & JoinedTenant>;

type JoinedTenant = { [K in Exclude<keyof TenantsTable, 'id'> as `tenant_${K}`]: TenantsTable[K] };

/** The tenant a `withTenant` row carries. */
export const tenantOfJoined = (row: JoinedTenant & { tenant_id: string }): Tenant =>
  toTenant({
    id: row.tenant_id,
    display_name: row.tenant_display_name,
    slug: row.tenant_slug,
    initial_domain: row.tenant_initial_domain,
    privacy_statement_url: row.tenant_privacy_statement_url,
    privacy_contact_email: row.tenant_privacy_contact_email,
    branding: row.tenant_branding,
    settings: row.tenant_settings,
    created_at: row.tenant_created_at,
    updated_at: row.tenant_updated_at,
  });

export async function requireTenant(db: Tx, tenantId: string): Promise<Tenant> {
  const tenant = await getTenant(db, tenantId);
  if (!tenant) throw new ResourceNotFound('tenant.notFound', { tenantId });
  return tenant;
}

/** The tenant that owns a verified domain, if any. */
export async function domainOwner(db: Tx, domain: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('tenant_domains')
    .select('tenant_id')
    .where('name', '=', normalize(domain))
    .where('is_verified', '=', 1)
    .executeTakeFirst();
  return row?.tenant_id;
}

const tenantsById = tenantCache<Tenant>({ max: 10_000 });

/**
 * `resolveTenant` for the hot paths (the providers' endpoints and the sign-in pages): a tenant named by its id comes
 * from this node's cache (store/epochs.ts; `updateTenant` and `updateTenantSettings` count its epoch), by a domain from
 * the store. Elsewhere the tenant is read from the store: a change the CLI makes beside a running server is seen there
 * at once, and here at the node's next read of the epochs (within 250 ms).
 */
export async function resolveTenantCached(db: Db, idOrDomain: string): Promise<Tenant | undefined> {
  if (!isUuid(idOrDomain)) return resolveTenant(db, idOrDomain);
  const id = idOrDomain.toLowerCase();
  return tenantsById(db).get(id, '', () => getTenant(db, id));
}

/** A tenant by id or verified domain: what a URL's tenant segment names. */
export async function resolveTenant(db: Db, idOrDomain: string): Promise<Tenant | undefined> {
  if (isUuid(idOrDomain)) return getTenant(db, idOrDomain.toLowerCase());
  if (!isDomainName(normalize(idOrDomain))) return undefined;
  const owner = await domainOwner(db, idOrDomain);
  return owner ? getTenant(db, owner) : undefined;
}

/** Tenants whose settings name `key` (a cheap text match first; the JSON decides). */
export async function tenantsWithSetting(db: Db, key: string): Promise<Tenant[]> {
  const rows = await db.selectFrom('tenants').select('id').where('settings', 'like', `%"${key}"%`).execute();
  return (await Promise.all(rows.map((r) => getTenant(db, r.id)))).filter((x): x is Tenant => x !== undefined);
}

/** The ids of the tenants whose id starts `xxxxxxxx-xxxx-` with these twelve hex digits (a session cookie's name). */
export async function tenantIdsByPrefix(db: Db, prefix: string): Promise<string[]> {
  const rows = await db
    .selectFrom('tenants')
    .select('id')
    .where('id', 'like', `${prefix.slice(0, 8)}-${prefix.slice(8)}-%`)
    .execute();
  return rows.map((r) => r.id);
}

/** The display names of the tenants of `ids` that exist, by id. */
export async function tenantNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('tenants').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  const rows = await db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toTenant);
}

export async function listDomains(db: Tx, tenantId: string): Promise<TenantDomain[]> {
  const rows = await db
    .selectFrom('tenant_domains')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('is_initial', 'desc')
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, isInitial: r.is_initial === 1, isVerified: r.is_verified === 1 }));
}

export interface OrganizationPatch {
  displayName?: string;
  privacyStatementUrl?: string | null;
  privacyContactEmail?: string | null;
  branding?: Branding;
}

export async function updateTenant(tx: Tx, clock: Clock, tenantId: string, patch: OrganizationPatch): Promise<Tenant> {
  const current = await requireTenant(tx, tenantId);
  await tx
    .updateTable('tenants')
    .set({
      display_name: patch.displayName ?? current.displayName,
      privacy_statement_url:
        patch.privacyStatementUrl === undefined ? current.privacyStatementUrl : patch.privacyStatementUrl,
      privacy_contact_email:
        patch.privacyContactEmail === undefined ? current.privacyContactEmail : patch.privacyContactEmail,
      branding: toJson(patch.branding ? { ...current.branding, ...patch.branding } : current.branding),
      updated_at: clock.now().toISOString(),
    })
    .where('id', '=', tenantId)
    .execute();
  await tenantChanged(tx, tenantId);
  return (await getTenant(tx, tenantId))!;
}
