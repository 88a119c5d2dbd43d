// Cross-tenant access settings (Graph's crossTenantAccessPolicy): per tenant a default configuration and one per
// partner tenant, for B2B collaboration inbound (people of other tenants coming in as guests) and outbound (this
// tenant's people going out as guests), plus automatic redemption. A partner's null settings inherit the default.
// Defaults (Entra's): collaboration allowed both ways for all users and all applications; automatic redemption off.
import { z } from 'zod';

import type { Clock } from '../clock.ts';
import { recordPolicyChange, type Actor } from '../directory/audit.ts';
import { isUuid } from '../directory/tenants.ts';
import { InvalidRequest, ObjectConflict, ResourceNotFound } from '../errors.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';

const target = z.strictObject({
  target: z.string().min(1).max(100),
  targetType: z.enum(['user', 'group', 'application']),
});
const access = z.strictObject({ accessType: z.enum(['allowed', 'blocked']), targets: z.array(target).min(1).max(200) });
const collaboration = z.strictObject({
  usersAndGroups: access.nullable().optional(),
  applications: access.nullable().optional(),
});
export const policyConfigSchema = z.strictObject({
  b2bCollaborationInbound: collaboration.nullable().optional(),
  b2bCollaborationOutbound: collaboration.nullable().optional(),
  automaticUserConsentSettings: z
    .strictObject({
      inboundAllowed: z.boolean().nullable().optional(),
      outboundAllowed: z.boolean().nullable().optional(),
    })
    .nullable()
    .optional(),
  // Graph's inboundTrust: whether MFA done at the guest's home tenant counts here (device claims Portico has none of)
  inboundTrust: z
    .strictObject({
      isMfaAccepted: z.boolean().nullable().optional(),
      isCompliantDeviceAccepted: z.literal(false).nullable().optional(),
      isHybridAzureADJoinedDeviceAccepted: z.literal(false).nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type PolicyConfig = z.infer<typeof policyConfigSchema>;
export type Access = z.infer<typeof access>;

export const ALL_USERS = 'AllUsers';
export const ALL_APPLICATIONS = 'AllApplications';

const allowAll = (): NonNullable<PolicyConfig['b2bCollaborationInbound']> => ({
  usersAndGroups: { accessType: 'allowed', targets: [{ target: ALL_USERS, targetType: 'user' }] },
  applications: { accessType: 'allowed', targets: [{ target: ALL_APPLICATIONS, targetType: 'application' }] },
});

/** The default configuration a tenant has until an administrator changes it. */
export const DEFAULT_POLICY = (): Required<{ [K in keyof PolicyConfig]: NonNullable<PolicyConfig[K]> }> => ({
  b2bCollaborationInbound: allowAll(),
  b2bCollaborationOutbound: allowAll(),
  automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
  inboundTrust: { isMfaAccepted: false, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
});

export interface PartnerPolicy extends PolicyConfig {
  tenantId: string;
}

async function row(db: Db | Tx, tenantId: string, partner: string): Promise<PolicyConfig | undefined> {
  const r = await db
    .selectFrom('cross_tenant_policies')
    .select('config')
    .where('tenant_id', '=', tenantId)
    .where('partner', '=', partner)
    .executeTakeFirst();
  return r && parseJson<PolicyConfig>(r.config, {});
}

/** The tenant's default configuration, with Entra's defaults for what was never set. */
export async function getDefault(db: Db | Tx, tenantId: string) {
  const saved = await row(db, tenantId, 'default');
  const stored = saved ?? {};
  const base = DEFAULT_POLICY();
  return {
    isServiceDefault: saved === undefined,
    b2bCollaborationInbound: { ...base.b2bCollaborationInbound, ...stripNull(stored.b2bCollaborationInbound) },
    b2bCollaborationOutbound: { ...base.b2bCollaborationOutbound, ...stripNull(stored.b2bCollaborationOutbound) },
    automaticUserConsentSettings: {
      ...base.automaticUserConsentSettings,
      ...stripNull(stored.automaticUserConsentSettings),
    },
    inboundTrust: { ...base.inboundTrust, ...stripNull(stored.inboundTrust) },
  };
}

const stripNull = <T extends object>(value: T | null | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

/** A partner's row key: its tenant id as a lower-case GUID, so that 'default' and case variants never pass for one. */
function partnerKey(tenantId: string, partnerTenantId: string): string {
  const key = partnerTenantId.trim().toLowerCase();
  if (!isUuid(key))
    throw new InvalidRequest('crosstenant.partnerGuid', { partnerTenantId: partnerTenantId.slice(0, 60) });
  if (key === tenantId.toLowerCase()) throw new InvalidRequest('crosstenant.ownPartner');
  return key;
}

const noPartner = (partner: string) =>
  new ResourceNotFound('crosstenant.partnerNotFound', { id: partner.slice(0, 60) });

export async function getPartner(
  db: Db | Tx,
  tenantId: string,
  partnerTenantId: string,
): Promise<PartnerPolicy | undefined> {
  const key = partnerTenantId.trim().toLowerCase();
  if (!isUuid(key)) return undefined;
  const stored = await row(db, tenantId, key);
  return stored && { tenantId: key, ...stored };
}

export async function listPartners(db: Db | Tx, tenantId: string): Promise<PartnerPolicy[]> {
  const rows = await db
    .selectFrom('cross_tenant_policies')
    .select(['partner', 'config'])
    .where('tenant_id', '=', tenantId)
    .where('partner', '<>', 'default')
    .orderBy('partner')
    .execute();
  return rows.map((r) => ({ tenantId: r.partner, ...parseJson<PolicyConfig>(r.config, {}) }));
}

/** What applies to one partner: its own settings where set, the default elsewhere. */
export async function effectivePolicy(db: Db | Tx, tenantId: string, partnerTenantId: string) {
  const [base, partner] = await Promise.all([getDefault(db, tenantId), row(db, tenantId, partnerTenantId)]);
  return {
    b2bCollaborationInbound: { ...base.b2bCollaborationInbound, ...stripNull(partner?.b2bCollaborationInbound) },
    b2bCollaborationOutbound: { ...base.b2bCollaborationOutbound, ...stripNull(partner?.b2bCollaborationOutbound) },
    automaticUserConsentSettings: {
      ...base.automaticUserConsentSettings,
      ...stripNull(partner?.automaticUserConsentSettings),
    },
    inboundTrust: { ...base.inboundTrust, ...stripNull(partner?.inboundTrust) },
  };
}

/** Whether an access rule lets in a principal (a user id and the ids of its groups, or an app's client id). */
export function allows(rule: Access | null | undefined, ids: string[], all: string): boolean {
  if (!rule) return true;
  const listed = rule.targets.some((t) => t.target === all || ids.includes(t.target));
  return rule.accessType === 'allowed' ? listed : !listed;
}

function validate(config: PolicyConfig): PolicyConfig {
  for (const side of [config.b2bCollaborationInbound, config.b2bCollaborationOutbound]) {
    // AllUsers and AllApplications only mean "everyone" where allows() looks for them; elsewhere they would match no one.
    if (
      side?.usersAndGroups?.targets.some(
        (t) =>
          t.targetType === 'application' ||
          t.target === ALL_APPLICATIONS ||
          (t.target === ALL_USERS && t.targetType !== 'user'),
      )
    ) {
      throw new InvalidRequest('crosstenant.userTargets', { allUsers: ALL_USERS });
    }
    if (side?.applications?.targets.some((t) => t.targetType !== 'application' || t.target === ALL_USERS)) {
      throw new InvalidRequest('crosstenant.applicationTargets', { allApplications: ALL_APPLICATIONS });
    }
  }
  return config;
}

/** A partner's (or the defaults') settings as an audit target. */
const partnerPolicy = (partner: string) => ({
  id: partner,
  displayName:
    partner === 'default' ? 'Cross-tenant access default settings' : `Cross-tenant access settings for ${partner}`,
});

/** A change: the properties to set, or a function of the stored configuration that returns them (read under the lock). */
export type Patch = PolicyConfig | ((stored: PolicyConfig) => PolicyConfig);

/**
 * Merges a change into the stored configuration (absent properties keep their value, null resets to inherit) and
 * says whether a row existed, with the change as applied. `mustExist` refuses to create one; `check` sees the change
 * before it is written.
 */
async function write(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  partner: string,
  change: Patch,
  mustExist = false,
  check?: (patch: PolicyConfig) => void,
): Promise<{ existed: boolean; patch: PolicyConfig }> {
  const now = clock.now().toISOString();
  // Touching the row before reading it locks it (PostgreSQL) or takes the write lock (SQLite): concurrent changes
  // then merge one after the other instead of the last overwriting the first, and a concurrent delete cannot slip in.
  const touched = await tx
    .updateTable('cross_tenant_policies')
    .set({ updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('partner', '=', partner)
    .executeTakeFirst();
  const existed = Number(touched.numUpdatedRows) > 0;
  if (!existed && mustExist) throw noPartner(partner);
  const current = existed ? ((await row(tx, tenantId, partner)) ?? {}) : {};
  const patch = typeof change === 'function' ? change(current) : change;
  check?.(patch);
  const next = validate({ ...current, ...patch });
  await tx
    .insertInto('cross_tenant_policies')
    .values({ tenant_id: tenantId, partner, config: toJson(next), updated_at: now })
    .onConflict((oc) => oc.columns(['tenant_id', 'partner']).doUpdateSet({ config: toJson(next), updated_at: now }))
    .execute();
  return { existed, patch };
}

export async function updateDefault(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  change: Patch,
  actor: Actor,
): Promise<void> {
  // Entra keeps automatic redemption off in the default (read-only there): turning it on for every tenant at once
  // would skip the consent prompt for anyone; it is a per-partner decision.
  if (typeof change === 'object' && Object.keys(change).length === 0) return;
  const { patch } = await write(tx, clock, tenantId, 'default', change, false, (patch) => {
    const auto = patch.automaticUserConsentSettings;
    if (auto?.inboundAllowed || auto?.outboundAllowed) throw new InvalidRequest('crosstenant.autoConsentDefault');
  });
  if (Object.keys(patch).length === 0) return;
  await recordPolicyChange(
    tx,
    clock,
    tenantId,
    actor,
    'Update a cross-tenant access default setting',
    'Update',
    partnerPolicy('default'),
    Object.keys(patch),
  );
}

/** Back to Entra's defaults: the stored default goes, so isServiceDefault is true again. */
export async function resetDefault(tx: Tx, clock: Clock, tenantId: string, actor: Actor): Promise<void> {
  await tx
    .deleteFrom('cross_tenant_policies')
    .where('tenant_id', '=', tenantId)
    .where('partner', '=', 'default')
    .execute();
  await recordPolicyChange(
    tx,
    clock,
    tenantId,
    actor,
    'Reset the cross-tenant access default settings',
    'Update',
    partnerPolicy('default'),
    [],
  );
}

/** Adds a partner; one that exists already is a conflict, however many adds race. */
export async function createPartner(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  partnerTenantId: string,
  config: PolicyConfig,
  actor: Actor,
): Promise<PartnerPolicy> {
  const partner = partnerKey(tenantId, partnerTenantId);
  const stored = validate(config);
  const inserted = await tx
    .insertInto('cross_tenant_policies')
    .values({ tenant_id: tenantId, partner, config: toJson(stored), updated_at: clock.now().toISOString() })
    .onConflict((oc) => oc.columns(['tenant_id', 'partner']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
    throw new ObjectConflict('crosstenant.partnerExists', { partner });
  await recordPolicyChange(
    tx,
    clock,
    tenantId,
    actor,
    'Add a partner to cross-tenant access setting',
    'Add',
    partnerPolicy(partner),
    Object.keys(config),
  );
  return { tenantId: partner, ...stored };
}

/** Changes an existing partner's settings (ResourceNotFound when there are none). */
export async function updatePartner(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  partnerTenantId: string,
  change: Patch,
  actor: Actor,
): Promise<void> {
  const partner = partnerTenantId.trim().toLowerCase();
  if (!isUuid(partner)) throw noPartner(partnerTenantId);
  const { patch } = await write(tx, clock, tenantId, partner, change, true);
  if (Object.keys(patch).length > 0)
    await recordPolicyChange(
      tx,
      clock,
      tenantId,
      actor,
      'Update a partner cross-tenant access setting',
      'Update',
      partnerPolicy(partner),
      Object.keys(patch),
    );
}

/** Creates or changes a partner's settings (the CLI's `set`). */
export async function upsertPartner(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  partnerTenantId: string,
  patch: PolicyConfig,
  actor: Actor,
): Promise<{ created: boolean }> {
  const partner = partnerKey(tenantId, partnerTenantId);
  const { existed } = await write(tx, clock, tenantId, partner, patch);
  await recordPolicyChange(
    tx,
    clock,
    tenantId,
    actor,
    existed ? 'Update a partner cross-tenant access setting' : 'Add a partner to cross-tenant access setting',
    existed ? 'Update' : 'Add',
    partnerPolicy(partner),
    Object.keys(patch),
  );
  return { created: !existed };
}

export async function deletePartner(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  partnerTenantId: string,
  actor: Actor,
): Promise<void> {
  const partner = partnerTenantId.trim().toLowerCase();
  // Only GUIDs: the default row ('default') is no partner and goes only through resetDefault.
  const gone = isUuid(partner)
    ? await tx
        .deleteFrom('cross_tenant_policies')
        .where('tenant_id', '=', tenantId)
        .where('partner', '=', partner)
        .executeTakeFirst()
    : undefined;
  if (!gone || Number(gone.numDeletedRows) === 0) throw noPartner(partnerTenantId);
  await recordPolicyChange(
    tx,
    clock,
    tenantId,
    actor,
    'Delete partner specific cross-tenant access setting',
    'Delete',
    partnerPolicy(partner),
    [],
  );
}
