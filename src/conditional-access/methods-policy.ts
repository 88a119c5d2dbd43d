// Which authentication methods a tenant allows (Graph's authenticationMethodsPolicy): passkeys and security keys
// (`fido2`), authenticator apps (`softwareOath`) and email one-time passcodes (`email`), each enabled or disabled for
// all users or the members of some groups. Stored as one typed tenant setting (directory/settings-schema.ts
// `authenticationMethods`); the MFA steps ask `methodAllowed` before offering or accepting a method.
import { z } from 'zod';

import type { Clock } from '../clock.ts';
import { recordAudit, type Actor } from '../directory/audit.ts';
import { groupIdsOf, groupNames } from '../directory/groups.ts';
import { updateTenantSettings, type TenantSettings } from '../directory/settings.ts';
import { isUuid, requireTenant, type Tenant } from '../directory/tenants.ts';
import { InvalidRequest, ResourceNotFound } from '../errors.ts';
import type { Db, Tx } from '../store/index.ts';

export type MethodType = keyof TenantSettings['authenticationMethods'];
export type MethodConfiguration = TenantSettings['authenticationMethods'][MethodType];
export const METHOD_TYPES: readonly MethodType[] = ['fido2', 'softwareOath', 'email'];
export const ALL_USERS_TARGET = 'all_users';

/** Graph's id and @odata.type of each method's configuration. */
const GRAPH: Record<MethodType, { id: string; type: string; extra: Record<string, unknown> }> = {
  fido2: {
    id: 'Fido2',
    type: '#microsoft.graph.fido2AuthenticationMethodConfiguration',
    extra: { isSelfServiceRegistrationAllowed: true, isAttestationEnforced: false, keyRestrictions: null },
  },
  softwareOath: {
    id: 'SoftwareOath',
    type: '#microsoft.graph.softwareOathAuthenticationMethodConfiguration',
    extra: {},
  },
  email: {
    id: 'Email',
    type: '#microsoft.graph.emailAuthenticationMethodConfiguration',
    extra: { allowExternalIdToUseEmailOtp: 'default' },
  },
};

/** The method a Graph configuration id names (case-insensitively, as Graph reads ids), if one Portico has. */
export const methodOfId = (id: string): MethodType | undefined =>
  METHOD_TYPES.find((m) => GRAPH[m].id.toLowerCase() === id.toLowerCase());

/** Graph's authenticationMethodConfiguration of one method. */
export const configurationResource = (type: MethodType, c: MethodConfiguration) => ({
  '@odata.type': GRAPH[type].type,
  id: GRAPH[type].id,
  state: c.state,
  excludeTargets: [],
  ...GRAPH[type].extra,
  includeTargets: c.includeTargets.map((id) => ({ targetType: 'group', id, isRegistrationRequired: false })),
});

/** Graph's authenticationMethodsPolicy of a tenant. */
export const methodsPolicyResource = (tenant: Tenant) => ({
  id: 'authenticationMethodsPolicy',
  displayName: 'Authentication Methods Policy',
  description:
    'The tenant-wide policy that controls which authentication methods are allowed in the tenant and for whom.',
  policyVersion: '1.5',
  policyMigrationState: 'migrationComplete',
  authenticationMethodConfigurations: METHOD_TYPES.map((m) =>
    configurationResource(m, tenant.settings.authenticationMethods[m]),
  ),
});

const target = z.strictObject({
  '@odata.type': z.string().max(200).optional(),
  targetType: z.literal('group'),
  id: z
    .string()
    .max(100)
    .refine((v) => v === ALL_USERS_TARGET || isUuid(v), "must be 'all_users' or a group id (a GUID)"),
  isRegistrationRequired: z.literal(false).optional(),
});

/** A change to one method's configuration (Graph's PATCH of an authenticationMethodConfiguration). */
export const configurationPatch = z.strictObject({
  '@odata.type': z.string().max(200).optional(),
  id: z.string().max(100).optional(),
  state: z.enum(['enabled', 'disabled']).optional(),
  includeTargets: z.array(target).min(1).max(50).optional(),
  excludeTargets: z.array(z.never()).max(0).optional(),
});

/** A change to the policy: some methods' configurations, each naming its id. */
export const methodsPolicyPatch = z.strictObject({
  authenticationMethodConfigurations: z
    .array(configurationPatch.extend({ id: z.string().max(100) }))
    .max(METHOD_TYPES.length),
});

export type ConfigurationPatch = z.infer<typeof configurationPatch>;

/**
 * Applies changes to methods' configurations (each replaces what it names: state, the include targets), checking
 * that every group named exists, and records the audit event; one transaction.
 */
export async function updateMethodsPolicy(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  changes: { type: MethodType; patch: ConfigurationPatch }[],
  actor: Actor,
): Promise<Tenant> {
  // Touching the tenant row first takes its lock (PostgreSQL) or the write lock (SQLite): concurrent changes of two
  // methods merge one after the other instead of the second overwriting the first.
  await tx.updateTable('tenants').set({ updated_at: clock.now().toISOString() }).where('id', '=', tenantId).execute();
  const tenant = await requireTenant(tx, tenantId);
  const next = structuredClone(tenant.settings.authenticationMethods);
  for (const { type, patch } of changes) {
    const ids = patch.includeTargets?.map((t) => (t.id === ALL_USERS_TARGET ? t.id : t.id.toLowerCase()));
    if (ids) {
      const groups = ids.filter((id) => id !== ALL_USERS_TARGET);
      const known = await groupNames(tx, tenantId, groups);
      const unknown = groups.find((g) => !known.has(g));
      if (unknown) throw new InvalidRequest('authMethods.unknownGroup', { id: unknown });
    }
    next[type] = {
      state: patch.state ?? next[type].state,
      includeTargets: ids ? [...new Set(ids)] : next[type].includeTargets,
    };
  }
  const updated = await updateTenantSettings(tx, clock, tenantId, { authenticationMethods: next });
  await recordAudit(tx, clock, tenantId, {
    category: 'Policy',
    activity: 'Update authentication methods policy',
    operationType: 'Update',
    actor,
    targets: [{ id: 'authenticationMethodsPolicy', type: 'Policy', displayName: 'Authentication Methods Policy' }],
    details: { modifiedProperties: changes.map((c) => GRAPH[c.type].id).join(',') },
  });
  return updated;
}

export const unknownMethod = (id: string) => new ResourceNotFound('resource.notFound', { id: id.slice(0, 60) });

/**
 * Whether the tenant allows `userId` to use a method: the method is enabled and targets all users or a group the
 * user is a direct member of. The MFA steps (src/mfa/) ask this before offering, registering or accepting a method.
 */
export async function methodAllowed(db: Db | Tx, tenant: Tenant, userId: string, type: MethodType): Promise<boolean> {
  const c = tenant.settings.authenticationMethods[type];
  if (c.state !== 'enabled') return false;
  if (c.includeTargets.includes(ALL_USERS_TARGET)) return true;
  const groups = await groupIdsOf(db, tenant.id, userId).execute();
  return groups.some((g) => c.includeTargets.includes(g.group_id));
}
