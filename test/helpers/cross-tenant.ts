// The cross-tenant access tests' partner: Fabrikam beside the suite's Contoso, its partner configurations cleared
// through the API between tests, and what Graph reads back once a page has blocked a group and trusted its MFA.
import assert from 'node:assert/strict';

import { tenantWithApi, type TenantApi } from './api.ts';
import type { TestServer } from './server.ts';

export const XTAP = '/v1.0/policies/crossTenantAccessPolicy';

/** Fabrikam (fabrikam.example, admin@fabrikam.example), the partner tenant, provisioned with its API client. */
export const newFabrikam = (s: TestServer): Promise<TenantApi> =>
  tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });

/** Deletes every partner configuration of `t`, as an administrator's tool would. */
export async function removePartners(t: TenantApi): Promise<void> {
  for (const p of (await t.api('GET', `${XTAP}/partners`)).body.value as { tenantId: string }[])
    assert.equal((await t.api('DELETE', `${XTAP}/partners/${p.tenantId}`)).status, 204);
}

/**
 * Asserts what Graph reads back of `t`'s partner configuration for `partnerId` after the admin pages blocked the
 * partner's group `groupId` inbound and trusted its MFA, and set nothing else.
 */
export async function assertBlockedGroupTrustedMfa(t: TenantApi, partnerId: string, groupId: string): Promise<void> {
  const read = await t.api('GET', `${XTAP}/partners/${partnerId}`);
  assert.equal(read.status, 200);
  const { '@odata.context': _context, ...body } = read.body;
  assert.deepEqual(body, {
    tenantId: partnerId,
    isServiceProvider: false,
    b2bCollaborationInbound: {
      usersAndGroups: { accessType: 'blocked', targets: [{ target: groupId, targetType: 'group' }] },
      applications: null,
    },
    b2bCollaborationOutbound: null,
    automaticUserConsentSettings: { inboundAllowed: null, outboundAllowed: null },
    inboundTrust: {
      isMfaAccepted: true,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    },
  });
}
