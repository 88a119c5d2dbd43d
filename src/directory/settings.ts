// A tenant's settings for external identities: defaults documented here, validated before they are stored.
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { InvalidRequest } from '../errors.ts';
import type { Tx } from '../store/index.ts';
import { toJson } from '../store/json.ts';
import { recordAudit, type Actor } from './audit.ts';
import { requireTenant, type Tenant } from './tenants.ts';

/** How many reminders a tenant may ask for before a ticket expires. */
export const MAX_INVITATION_REMINDERS = 3;

export const TENANT_SETTINGS = z.strictObject({
  /** Email one-time passcode for guests with no other home (default true, as the current seed says). */
  emailPasscodeEnabled: z.boolean().optional(),
  /** Personal accounts: an existing one may be used to redeem, and a guest with no other way in may create one (default true). */
  personalAccountsEnabled: z.boolean().optional(),
  /** Prove the invited address by a code when the signed-in identity carries another one (default true; false = Entra's behaviour). */
  requireInvitedAddressProof: z.boolean().optional(),
  /** Minutes an email one-time passcode stays valid (default 10). */
  passcodeValidityMinutes: z.number().int().min(1).max(60).optional(),
  /** Digits in an email one-time passcode (default 6). */
  passcodeLength: z.number().int().min(6).max(8).optional(),
  /** Wrong tries before a passcode is dead (default 5). */
  passcodeMaxAttempts: z.number().int().min(3).max(10).optional(),
  /** Seconds before another passcode may be sent for the same sign-in (default 60). */
  passcodeResendCooldownSeconds: z.number().int().min(30).max(600).optional(),
  /** Days a redeem ticket stays valid (default 30). */
  invitationTicketLifetimeDays: z.number().int().min(1).max(365).optional(),
  /** Origins guests may be redirected to after redeeming, besides the registered apps' (default none). */
  redirectAllowList: z.array(z.string().url().refine((u) => /^https:\/\//.test(u), 'must be https')).max(100).optional(),
  /** Reminders to pending guests, in days before their ticket expires, e.g. [7, 1] (default none; each sent once). */
  invitationReminderDays: z.array(z.number().int().min(1).max(364)).max(MAX_INVITATION_REMINDERS)
    .refine((days) => new Set(days).size === days.length, 'each day may appear once').optional(),
  /** A daily email to inviters and sponsors listing the invitations that expired unredeemed (default false). */
  expirySummaryEmail: z.boolean().optional(),
});

export type TenantSettings = z.infer<typeof TENANT_SETTINGS>;

export async function updateTenantSettings(tx: Tx, clock: Clock, tenantId: string, patch: TenantSettings): Promise<Tenant> {
  const parsed = TENANT_SETTINGS.safeParse(patch);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '));
  const tenant = await requireTenant(tx, tenantId);
  await tx.updateTable('tenants').set({ settings: toJson({ ...tenant.settings, ...parsed.data }), updated_at: clock.now().toISOString() }).where('id', '=', tenantId).execute();
  return requireTenant(tx, tenantId);
}

/** `updateTenantSettings` and its audit event 'Update external identities settings' (the CLI and the admin center). */
export async function saveTenantSettings(tx: Tx, clock: Clock, tenantId: string, patch: TenantSettings, actor: Actor): Promise<Tenant> {
  const result = await updateTenantSettings(tx, clock, tenantId, patch);
  await recordAudit(tx, clock, tenantId, { category: 'Policy', activity: 'Update external identities settings', operationType: 'Update', actor, targets: [{ id: tenantId, type: 'Tenant', displayName: result.displayName }], details: { modifiedProperties: Object.keys(patch).join(',') } });
  return result;
}

/** `key=value` from the command line into a settings patch (booleans, numbers, comma lists). */
export function parseSettingAssignment(assignment: string): TenantSettings {
  const eq = assignment.indexOf('=');
  if (eq < 1) throw new InvalidRequest(`'${assignment}' is not key=value.`);
  const key = assignment.slice(0, eq);
  const raw = assignment.slice(eq + 1);
  const shape = TENANT_SETTINGS.shape as Record<string, unknown>;
  if (!(key in shape)) throw new InvalidRequest(`Unknown setting '${key}'. Known: ${Object.keys(shape).join(', ')}.`);
  const value = key === 'redirectAllowList' ? raw.split(',').map((x) => x.trim()).filter(Boolean)
    : key === 'invitationReminderDays' ? raw.split(',').map((x) => x.trim()).filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : x))
    : raw === 'true' ? true : raw === 'false' ? false : /^\d+$/.test(raw) ? Number(raw) : raw;
  return { [key]: value } as TenantSettings;
}
