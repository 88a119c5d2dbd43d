// A tenant's upstream identity providers and the domains each serves. A domain maps to at most one provider per
// tenant (the table's key); Google always serves gmail.com and googlemail.com. Client secrets are sealed with the
// deployment key (keyring.ts; until migration 0047, with a key the store itself held).
import type { Clock } from '../clock.ts';
import { recordAudit, type Actor, type AuditInput } from '../directory/audit.ts';
import { verifiedAmong } from '../directory/domains.ts';
import { domainOwner, isDomainName } from '../directory/tenants.ts';
import { InvalidRequest, ObjectConflict, ResourceNotFound } from '../errors.ts';
import { GOOGLE_DOMAINS } from '../redemption/discovery.ts';
import { newId } from '../secrets.ts';
import type { Db, Tx } from '../store/index.ts';
import { isUniqueViolation, normalize, parseJson, toJson } from '../store/json.ts';
import { keysOf } from '../store/keys.ts';
import type { IdentityProvidersTable } from '../store/schema.ts';
import { isAllowedUpstreamUrl, normalizeCertificate } from './metadata.ts';

export type ProviderKind = 'saml' | 'wsfed' | 'oidc' | 'google';

export interface ProviderSettings {
  /** SAML / WS-Fed: the IdP's entity id (the Issuer of its assertions); OIDC: its issuer URL */
  issuerUri?: string;
  /** SAML: the HTTP-Redirect sign-in endpoint; WS-Fed: the passive requestor endpoint */
  passiveSignInUri?: string;
  /** SAML / WS-Fed: trusted signing certificates, base64 DER (more than one during a rollover) */
  signingCertificates?: string[];
  /** SAML / WS-Fed: where the metadata came from, if imported */
  metadataExchangeUri?: string;
  /** OIDC: the discovery document's URL (default `<issuer>/.well-known/openid-configuration`) */
  discoveryUrl?: string;
  /** OIDC / Google */
  clientId?: string;
  /** OIDC: scopes asked for (default "openid email profile") */
  scope?: string;
  /**
   * SAML / OIDC: trusted for MFA (issue #20): an AuthnContextClassRef of MFA (SAML) or `amr` with `mfa` (OIDC) from
   * this provider counts as MFA here (conditional-access/inbound-trust.ts)
   */
  isMfaTrusted?: boolean;
}

export interface IdentityProvider extends ProviderSettings {
  tenantId: string;
  id: string;
  kind: ProviderKind;
  displayName: string;
  domains: string[];
  hasClientSecret: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ProviderInput extends ProviderSettings {
  displayName?: string;
  clientSecret?: string;
  domains?: string[];
}

const DEFAULT_NAMES: Record<ProviderKind, string> = {
  saml: 'SAML identity provider',
  wsfed: 'WS-Federation identity provider',
  oidc: 'OpenID Connect identity provider',
  google: 'Google',
};

/** A row of identity_providers, as the schema declares it. */
type Row = IdentityProvidersTable;

function fromRow(row: Row, domains: string[]): IdentityProvider {
  return {
    ...parseJson<ProviderSettings>(row.config, {}),
    tenantId: row.tenant_id,
    id: row.id,
    kind: row.kind as ProviderKind,
    displayName: row.display_name,
    domains,
    hasClientSecret: row.secret !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function domainsOf(db: Db | Tx, tenantId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('identity_provider_domains')
    .select(['provider_id', 'domain'])
    .where('tenant_id', '=', tenantId)
    .orderBy('domain')
    .execute();
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.provider_id, [...(map.get(r.provider_id) ?? []), r.domain]);
  return map;
}

export async function listProviders(
  db: Db | Tx,
  tenantId: string,
  kinds?: ProviderKind[],
): Promise<IdentityProvider[]> {
  let q = db.selectFrom('identity_providers').selectAll().where('tenant_id', '=', tenantId);
  if (kinds) q = q.where('kind', 'in', kinds);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  // A tenant without providers (most) has no domains mapped to one either.
  if (rows.length === 0) return [];
  const domains = await domainsOf(db, tenantId);
  return rows.map((r) => fromRow(r, domains.get(r.id) ?? []));
}

export async function getProvider(db: Db | Tx, tenantId: string, id: string): Promise<IdentityProvider | undefined> {
  const row = await db
    .selectFrom('identity_providers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const domains = await db
    .selectFrom('identity_provider_domains')
    .select('domain')
    .where('tenant_id', '=', tenantId)
    .where('provider_id', '=', id)
    .orderBy('domain')
    .execute();
  return fromRow(
    row,
    domains.map((d) => d.domain),
  );
}

/** The provider the tenant configured for an email domain, Google's included (home-realm discovery at sign-in). */
export async function providerForDomain(
  db: Db,
  tenantId: string,
  domain: string,
): Promise<IdentityProvider | undefined> {
  const hit = await db
    .selectFrom('identity_provider_domains')
    .select('provider_id')
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', normalize(domain))
    .executeTakeFirst();
  return hit && getProvider(db, tenantId, hit.provider_id);
}

/** Discovery step 2: the tenant's SAML, WS-Fed or OIDC provider for a domain (Google is step 3's). */
export async function federationFor(
  db: Db,
  tenantId: string,
  domain: string,
): Promise<{ protocol: 'saml' | 'wsfed' | 'oidc'; providerId: string } | undefined> {
  const provider = await providerForDomain(db, tenantId, domain);
  if (!provider || provider.kind === 'google') return undefined;
  // A domain a tenant here has verified is that tenant's, whatever a mapping says (see assertNotVerified).
  return (await domainOwner(db, domain)) ? undefined : { protocol: provider.kind, providerId: provider.id };
}

/** Discovery step 3: whether the tenant configured Google. */
export async function googleEnabled(db: Db, tenantId: string): Promise<boolean> {
  return (await googleProvider(db, tenantId)) !== undefined;
}

export async function googleProvider(db: Db, tenantId: string): Promise<IdentityProvider | undefined> {
  const row = await db
    .selectFrom('identity_providers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'google')
    .executeTakeFirst();
  return row && getProvider(db, tenantId, row.id);
}

export async function clientSecretOf(db: Db, provider: IdentityProvider): Promise<string> {
  const row = await db
    .selectFrom('identity_providers')
    .select('secret')
    .where('tenant_id', '=', provider.tenantId)
    .where('id', '=', provider.id)
    .executeTakeFirst();
  if (!row?.secret) throw new Error(`identity provider ${provider.id} has no client secret`);
  return keysOf(db).open(row.secret);
}

// `details.field` names the ProviderInput field a refusal is about, so a form can show it at that field.
const requireUrl = (value: string | undefined, name: string, field: keyof ProviderInput) => {
  if (!value || !isAllowedUpstreamUrl(value)) throw new InvalidRequest('federation.httpsUrl', { name }, { field });
  return value;
};

function certificateOf(value: string): string {
  try {
    return normalizeCertificate(value);
  } catch (error) {
    if (error instanceof InvalidRequest)
      throw new InvalidRequest(error.key, error.params, { field: 'signingCertificates' });
    throw error;
  }
}

/** Checks a kind's required settings and returns what is stored (normalized). */
function validated(kind: ProviderKind, input: ProviderInput): { settings: ProviderSettings; domains: string[] } {
  const domains = kind === 'google' ? [...GOOGLE_DOMAINS] : [...new Set((input.domains ?? []).map(normalize))];
  if (kind === 'google' && input.domains?.length && input.domains.some((d) => !GOOGLE_DOMAINS.includes(normalize(d)))) {
    throw new InvalidRequest(
      'federation.googleDomains',
      {},
      {
        field: 'domains',
      },
    );
  }
  for (const d of domains)
    if (!isDomainName(d)) throw new InvalidRequest('domain.invalid', { input: d }, { field: 'domains' });
  if (!domains.length)
    throw new InvalidRequest(
      'federation.noDomains',
      {},
      {
        field: 'domains',
      },
    );
  if (kind === 'saml' || kind === 'wsfed') {
    if (!input.issuerUri?.trim()) throw new InvalidRequest('federation.issuerUri', {}, { field: 'issuerUri' });
    const certs = (input.signingCertificates ?? []).map(certificateOf);
    if (!certs.length)
      throw new InvalidRequest(
        'federation.certificateRequired',
        {},
        {
          field: 'signingCertificates',
        },
      );
    return {
      domains,
      settings: {
        issuerUri: input.issuerUri.trim(),
        passiveSignInUri: requireUrl(input.passiveSignInUri, 'passiveSignInUri', 'passiveSignInUri'),
        signingCertificates: [...new Set(certs)],
        metadataExchangeUri: input.metadataExchangeUri,
        ...(input.isMfaTrusted !== undefined && { isMfaTrusted: input.isMfaTrusted }),
      },
    };
  }
  if (!input.clientId?.trim()) throw new InvalidRequest('federation.clientId', {}, { field: 'clientId' });
  if (kind === 'google') return { domains, settings: { clientId: input.clientId.trim() } };
  const issuerUri = input.issuerUri?.trim().replace(/\/+$/, '') || undefined;
  const discoveryUrl = input.discoveryUrl?.trim() || (issuerUri && `${issuerUri}/.well-known/openid-configuration`);
  requireUrl(discoveryUrl, 'issuerUri or discoveryUrl', input.discoveryUrl?.trim() ? 'discoveryUrl' : 'issuerUri');
  if (issuerUri) requireUrl(issuerUri, 'issuerUri', 'issuerUri');
  const scope = input.scope?.trim() || 'openid email profile';
  if (!scope.split(/\s+/).includes('openid'))
    throw new InvalidRequest('federation.scopeOpenid', {}, { field: 'scope' });
  return {
    domains,
    settings: {
      issuerUri,
      discoveryUrl,
      clientId: input.clientId.trim(),
      scope,
      ...(input.isMfaTrusted !== undefined && { isMfaTrusted: input.isMfaTrusted }),
    },
  };
}

/** Refuses, naming the provider that has it, a domain another provider of the tenant already serves. */
async function assertDomainsFree(tx: Tx, tenantId: string, domains: string[], exceptId?: string): Promise<void> {
  if (!domains.length) return;
  const taken = await tx
    .selectFrom('identity_provider_domains')
    .innerJoin('identity_providers', (j) =>
      j
        .onRef('identity_providers.tenant_id', '=', 'identity_provider_domains.tenant_id')
        .onRef('identity_providers.id', '=', 'identity_provider_domains.provider_id'),
    )
    .select(['identity_provider_domains.domain', 'identity_providers.display_name', 'identity_providers.id'])
    .where('identity_provider_domains.tenant_id', '=', tenantId)
    .where('identity_provider_domains.domain', 'in', domains)
    .execute();
  const clash = taken.find((t) => t.id !== exceptId);
  if (clash)
    throw new ObjectConflict(
      'federation.domainServed',
      { domain: clash.domain, displayName: clash.display_name, id: clash.id },
      { field: 'domains' },
    );
}

/**
 * Verified domains stay out of federation mappings. Entra federates only a domain that no Entra tenant has verified;
 * a mapping here names a partner's domain (the guest's), which the mapping tenant cannot DNS-verify, so the rule is
 * turned around for a multi-tenant deployment: a domain that any tenant of this Portico has verified is that tenant's
 * (its addresses are found by discovery's managed-tenant step), never someone's federation. Mapping one is refused;
 * one verified after it was mapped is skipped by federationFor while verified, and works again once unverified.
 */
async function assertNotVerified(tx: Tx, kind: ProviderKind, domains: string[]): Promise<void> {
  if (kind === 'google') return;
  const verified = await verifiedAmong(tx, domains);
  if (verified.length) {
    throw new InvalidRequest('federation.domainVerified', { verified: verified.join(', ') }, { field: 'domains' });
  }
}

async function writeDomains(tx: Tx, tenantId: string, providerId: string, domains: string[]): Promise<void> {
  await tx
    .deleteFrom('identity_provider_domains')
    .where('tenant_id', '=', tenantId)
    .where('provider_id', '=', providerId)
    .execute();
  if (!domains.length) return;
  try {
    await tx
      .insertInto('identity_provider_domains')
      .values(domains.map((domain) => ({ tenant_id: tenantId, domain, provider_id: providerId })))
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ObjectConflict('federation.domainRaced', { domains: domains.join(', ') }, { field: 'domains' });
    throw error;
  }
}

type ProviderEvent = Omit<AuditInput, 'category' | 'targets'> & { provider: { id: string; displayName: string } };

/** A provider's audit event (DirectoryManagement), the provider its target. */
const recordProviderEvent = (tx: Tx, clock: Clock, tenantId: string, { provider: p, ...event }: ProviderEvent) =>
  recordAudit(tx, clock, tenantId, {
    category: 'DirectoryManagement',
    ...event,
    targets: [{ id: p.id, type: 'Other', displayName: p.displayName }],
  });

/** The end of a save: the provider's domains, its audit event, and the provider as stored now. */
async function savedProvider(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  actor: Actor,
  provider: { id: string; displayName: string },
  domains: string[],
  event: Pick<AuditInput, 'activity' | 'operationType' | 'details'>,
): Promise<IdentityProvider> {
  await writeDomains(tx, tenantId, provider.id, domains);
  await recordProviderEvent(tx, clock, tenantId, { actor, provider, ...event });
  return (await getProvider(tx, tenantId, provider.id))!;
}

export async function createProvider(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  kind: ProviderKind,
  input: ProviderInput,
  actor: Actor,
): Promise<IdentityProvider> {
  const { settings, domains } = validated(kind, input);
  if ((kind === 'oidc' || kind === 'google') && !input.clientSecret)
    throw new InvalidRequest('federation.clientSecret', {}, { field: 'clientSecret' });
  await assertDomainsFree(tx, tenantId, domains);
  await assertNotVerified(tx, kind, domains);
  const now = clock.now().toISOString();
  const id = newId();
  const displayName = input.displayName?.trim() || DEFAULT_NAMES[kind];
  const secret = input.clientSecret ? keysOf(tx).seal(input.clientSecret) : null;
  await tx
    .insertInto('identity_providers')
    .values({
      tenant_id: tenantId,
      id,
      kind,
      display_name: displayName,
      config: toJson(settings),
      secret,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return savedProvider(tx, clock, tenantId, actor, { id, displayName }, domains, {
    activity: 'Add identity provider',
    operationType: 'Add',
    details: { kind, domains: domains.join(',') },
  });
}

/** Applies a partial change; absent fields keep their value, `domains` replaces the list. */
export async function updateProvider(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  id: string,
  input: ProviderInput,
  actor: Actor,
): Promise<IdentityProvider> {
  const current = await getProvider(tx, tenantId, id);
  if (!current) throw new ResourceNotFound('federation.providerNotFound', { id });
  const { tenantId: _t, id: _i, kind, hasClientSecret: _h, createdAt: _c, updatedAt: _u, ...before } = current;
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ProviderInput;
  // A discovery URL that was only the old issuer's default follows a new issuer instead of pointing at the old one.
  if (
    defined.issuerUri !== undefined &&
    defined.discoveryUrl === undefined &&
    before.discoveryUrl === `${before.issuerUri}/.well-known/openid-configuration`
  )
    delete before.discoveryUrl;
  const { settings, domains } = validated(kind, { ...before, ...defined });
  await assertDomainsFree(tx, tenantId, domains, id);
  await assertNotVerified(
    tx,
    kind,
    domains.filter((d) => !current.domains.includes(d)),
  );
  const displayName = input.displayName?.trim() || current.displayName;
  const patch: Partial<Row> = {
    display_name: displayName,
    config: toJson(settings),
    updated_at: clock.now().toISOString(),
  };
  if (input.clientSecret) patch.secret = keysOf(tx).seal(input.clientSecret);
  await tx
    .updateTable('identity_providers')
    .set(patch)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  return savedProvider(tx, clock, tenantId, actor, { id, displayName }, domains, {
    activity: 'Update identity provider',
    operationType: 'Update',
    details: {
      modifiedProperties: Object.keys(defined)
        .map((k) => (k === 'clientSecret' ? 'clientSecret' : k))
        .join(','),
    },
  });
}

export async function deleteProvider(tx: Tx, clock: Clock, tenantId: string, id: string, actor: Actor): Promise<void> {
  const current = await getProvider(tx, tenantId, id);
  if (!current) throw new ResourceNotFound('federation.providerNotFound', { id });
  await tx
    .deleteFrom('identity_provider_domains')
    .where('tenant_id', '=', tenantId)
    .where('provider_id', '=', id)
    .execute();
  await tx.deleteFrom('identity_providers').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  await recordProviderEvent(tx, clock, tenantId, {
    actor,
    provider: current,
    activity: 'Delete identity provider',
    operationType: 'Delete',
  });
}
