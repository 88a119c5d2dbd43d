// The organization's privacy profile and branding: the one validation the API's PATCH /organization/{id} and the
// admin center's branding page both apply, and the save with its audit event.
import { z } from 'zod';

import type { Clock } from '../clock.ts';
import { isColor } from '../pages/styles.ts';
import type { Tx } from '../store/index.ts';
import { recordAudit, type Actor } from './audit.ts';
import { updateTenant, type Tenant } from './tenants.ts';

export const webUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      return ['https:', 'http:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const PRIVACY_PROFILE = z.strictObject({
  statementUrl: webUrl.nullable().optional(),
  contactEmail: z.email().nullable().optional(),
});

export const BRANDING = z.strictObject({
  logoUrl: webUrl.optional(),
  primaryColor: z.string().refine(isColor, 'must be a hex colour like #2f5bd3').optional(),
  backgroundColor: z.string().refine(isColor, 'must be a hex colour like #f3f5f9').optional(),
});

export const ORGANIZATION_PATCH = z.strictObject({
  displayName: z.string().trim().min(1).max(256).optional(),
  privacyProfile: PRIVACY_PROFILE.optional(),
  branding: BRANDING.optional(),
});

export type OrganizationChange = z.infer<typeof ORGANIZATION_PATCH>;

/** Saves a validated change (parse it with ORGANIZATION_PATCH first) and records 'Update company settings'. */
export async function saveOrganization(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  body: OrganizationChange,
  actor: Actor,
): Promise<Tenant> {
  const tenant = await updateTenant(tx, clock, tenantId, {
    displayName: body.displayName,
    privacyStatementUrl: body.privacyProfile?.statementUrl,
    privacyContactEmail: body.privacyProfile?.contactEmail,
    branding: body.branding,
  });
  await recordAudit(tx, clock, tenantId, {
    category: 'DirectoryManagement',
    activity: 'Update company settings',
    operationType: 'Update',
    actor,
    targets: [{ id: tenant.id, type: 'Tenant', displayName: tenant.displayName }],
    details: { modifiedProperties: Object.keys(body).join(',') },
  });
  return tenant;
}
