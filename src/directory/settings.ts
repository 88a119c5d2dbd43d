// Changing a tenant's settings for external identities: every writer (the admin center's form, `portico tenant set`)
// validates through TENANT_SETTINGS of settings-schema.ts, where each setting's default lives too.
import type { Clock } from '../clock.ts';
import { InvalidRequest } from '../errors.ts';
import { tenantChanged } from '../store/epochs.ts';
import type { Db, Tx } from '../store/index.ts';
import { parseJson, toJson } from '../store/json.ts';
import { recordAudit, type Actor } from './audit.ts';
import { TENANT_SETTINGS, type SettingsPatch } from './settings-schema.ts';
import { requireTenant, type Tenant } from './tenants.ts';

export {
  MAX_INVITATION_REMINDERS,
  SETTING_DEFAULTS,
  TENANT_SETTINGS,
  resolveSettings,
  type SettingsPatch,
  type TenantSettings,
} from './settings-schema.ts';

/** What the tenant's row holds: only the settings someone set (and any key an older or newer version stored). */
export async function storedSettings(db: Db | Tx, tenantId: string): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  return parseJson<Record<string, unknown>>(row?.settings ?? '{}', {});
}

export async function updateTenantSettings(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  patch: SettingsPatch,
): Promise<Tenant> {
  const parsed = TENANT_SETTINGS.safeParse(patch);
  if (!parsed.success)
    throw new InvalidRequest('settings.invalid', {
      detail: parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '),
    });
  await requireTenant(tx, tenantId);
  // Merged into what is stored, not into the resolved settings: defaults stay unstored, unknown keys stay kept.
  const stored = await storedSettings(tx, tenantId);
  await tx
    .updateTable('tenants')
    .set({ settings: toJson({ ...stored, ...parsed.data }), updated_at: clock.now().toISOString() })
    .where('id', '=', tenantId)
    .execute();
  await tenantChanged(tx, tenantId);
  return requireTenant(tx, tenantId);
}

/** `updateTenantSettings` and its audit event 'Update external identities settings' (the CLI and the admin center). */
export async function saveTenantSettings(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  patch: SettingsPatch,
  actor: Actor,
): Promise<Tenant> {
  const result = await updateTenantSettings(tx, clock, tenantId, patch);
  await recordAudit(tx, clock, tenantId, {
    category: 'Policy',
    activity: 'Update external identities settings',
    operationType: 'Update',
    actor,
    targets: [{ id: tenantId, type: 'Tenant', displayName: result.displayName }],
    details: { modifiedProperties: Object.keys(patch).join(',') },
  });
  return result;
}

/** `key=value` from the command line into a settings patch (booleans, numbers, comma lists); TENANT_SETTINGS judges it. */
export function parseSettingAssignment(assignment: string): SettingsPatch {
  const eq = assignment.indexOf('=');
  if (eq < 1) throw new InvalidRequest('settings.notKeyValue', { assignment });
  const key = assignment.slice(0, eq);
  const raw = assignment.slice(eq + 1);
  const shape = TENANT_SETTINGS.shape as Record<string, unknown>;
  if (!(key in shape)) throw new InvalidRequest('settings.unknown', { key, keys: Object.keys(shape).join(', ') });
  const value =
    key === 'redirectAllowList' || key === 'collaborationRestrictionDomains'
      ? raw
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : key === 'invitationReminderDays'
        ? raw
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
            .map((x) => (/^\d+$/.test(x) ? Number(x) : x))
        : raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : /^\d+$/.test(raw)
              ? Number(raw)
              : raw;
  return { [key]: value } as SettingsPatch;
}
