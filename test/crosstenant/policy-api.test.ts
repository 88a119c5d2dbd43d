// Cross-tenant access settings through the API (/v1.0/policies/crossTenantAccessPolicy): the service defaults, the
// default configuration changed and reset, partners created, read, listed, patched and deleted, a partner's null
// settings inheriting the default (checked with the domain's effectivePolicy), permissions; every refusal is checked
// by reading back that nothing changed, audit log included.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';

import { effectivePolicy } from '../../src/crosstenant/policy.ts';
import {
  assertGraphError,
  narrowApi,
  readAllPages,
  tenantWithApi,
  type Api,
  type GraphObject,
  type TenantApi,
} from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const XTAP = '/v1.0/policies/crossTenantAccessPolicy';
const DEFAULT = `${XTAP}/default`;
const PARTNERS = `${XTAP}/partners`;

const rule = (accessType: 'allowed' | 'blocked', target: string, targetType: 'user' | 'group' | 'application') => ({
  accessType,
  targets: [{ target, targetType }],
});
const everyone = (accessType: 'allowed' | 'blocked') => ({
  usersAndGroups: rule(accessType, 'AllUsers', 'user'),
  applications: rule(accessType, 'AllApplications', 'application'),
});
const SERVICE_DEFAULT = {
  isServiceDefault: true,
  b2bCollaborationInbound: everyone('allowed'),
  b2bCollaborationOutbound: everyone('allowed'),
  automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
  inboundTrust: { isMfaAccepted: false, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
};

type Audit = {
  activityDisplayName: string;
  operationType: string;
  category: string;
  initiatedBy: { app: { appId: string } | null };
  targetResources: { id: string }[];
};

suite('API cross-tenant access settings', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let reader: Api;
  before(async () => {
    reader = await narrowApi(s, t.tenantId, ['Policy.Read.All']);
  });

  const audits = async (x: TenantApi = t) =>
    (await readAllPages(x.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items as unknown as Audit[];
  /** Everything a refused request could have changed. */
  const snapshot = async (x: TenantApi = t) => ({
    default: (await x.api('GET', DEFAULT)).body,
    partners: (await x.api('GET', PARTNERS)).body.value,
    audits: (await audits(x)).length,
  });
  const assertAudited = async (activity: string, id: string, x: TenantApi = t) => {
    const e = (await audits(x)).find((a) => a.activityDisplayName === activity && a.targetResources[0]?.id === id);
    assert.ok(e, `${activity} of ${id} is in the audit log`);
    assert.equal(e.category, 'Policy');
    assert.equal(e.initiatedBy.app?.appId, x.managementClient.clientId, 'the calling app is the actor');
  };
  const created = async (body: Record<string, unknown>, x: TenantApi = t) => {
    const res = await x.api('POST', PARTNERS, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as GraphObject;
  };

  it('reads the policy and the service defaults', async () => {
    const policy = await reader('GET', XTAP);
    assert.equal(policy.status, 200, JSON.stringify(policy.body));
    assert.deepEqual(policy.body, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#policies/crossTenantAccessPolicy/$entity`,
      displayName: 'CrossTenantAccessPolicy',
      allowedCloudEndpoints: [],
    });
    const d = await reader('GET', DEFAULT);
    assert.equal(d.status, 200, JSON.stringify(d.body));
    assert.deepEqual(d.body, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#policies/crossTenantAccessPolicy/default/$entity`,
      ...SERVICE_DEFAULT,
    });
    assert.deepEqual((await reader('GET', PARTNERS)).body, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#policies/crossTenantAccessPolicy/partners`,
      value: [],
    });
    assert.equal(
      (await t.api('GET', `/${t.tenantId}${DEFAULT}`)).body.isServiceDefault,
      true,
      'also under the tenant prefix',
    );
  });

  it('patches the default, reads it back, and resets it to the system default', async () => {
    const app = 'c0ffee00-0000-4000-8000-000000000001';
    const inbound = {
      usersAndGroups: rule('blocked', 'AllUsers', 'user'),
      applications: rule('allowed', app, 'application'),
    };
    assert.equal(
      (
        await t.api('PATCH', DEFAULT, {
          b2bCollaborationInbound: inbound,
          '@odata.type': '#microsoft.graph.crossTenantAccessPolicyConfigurationDefault',
        })
      ).status,
      204,
    );
    let d = (await reader('GET', DEFAULT)).body;
    assert.deepEqual(
      [d.isServiceDefault, d.b2bCollaborationInbound, d.b2bCollaborationOutbound],
      [false, inbound, everyone('allowed')],
    );
    await assertAudited('Update a cross-tenant access default setting', 'default');

    // One side only: the other keeps its value; a null sub-property is the service default again.
    assert.equal(
      (
        await t.api('PATCH', DEFAULT, {
          b2bCollaborationOutbound: { usersAndGroups: rule('blocked', 'AllUsers', 'user'), applications: null },
        })
      ).status,
      204,
    );
    d = (await reader('GET', DEFAULT)).body;
    assert.deepEqual(
      [d.b2bCollaborationInbound, d.b2bCollaborationOutbound],
      [inbound, { ...everyone('allowed'), usersAndGroups: rule('blocked', 'AllUsers', 'user') }],
    );
    // The default's automatic redemption is read-only as in Entra; writing it off is harmless.
    assert.equal(
      (
        await t.api('PATCH', DEFAULT, {
          automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
        })
      ).status,
      204,
    );

    const before = (await audits()).length;
    assert.equal((await t.api('POST', `${DEFAULT}/resetToSystemDefault`)).status, 204);
    assert.deepEqual((await reader('GET', DEFAULT)).body, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#policies/crossTenantAccessPolicy/default/$entity`,
      ...SERVICE_DEFAULT,
    });
    const events = await audits();
    assert.equal(events.length, before + 1);
    await assertAudited('Reset the cross-tenant access default settings', 'default');
  });

  it('creates, reads, lists, patches and deletes a partner', async () => {
    const id = randomUUID();
    const p = await created({
      tenantId: id.toUpperCase(),
      b2bCollaborationInbound: everyone('blocked'),
      automaticUserConsentSettings: { inboundAllowed: true },
    });
    assert.deepEqual(p, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#policies/crossTenantAccessPolicy/partners/$entity`,
      tenantId: id,
      isServiceProvider: false,
      b2bCollaborationInbound: everyone('blocked'),
      b2bCollaborationOutbound: null,
      automaticUserConsentSettings: { inboundAllowed: true, outboundAllowed: null },
      inboundTrust: null,
    });
    assert.deepEqual((await reader('GET', `${PARTNERS}/${id}`)).body, p);
    assert.deepEqual((await reader('GET', `${PARTNERS}/${id.toUpperCase()}`)).body, p, 'the id is case-insensitive');
    const { '@odata.context': _, ...listed } = p;
    assert.deepEqual((await reader('GET', PARTNERS)).body.value, [listed]);
    await assertAudited('Add a partner to cross-tenant access setting', id);

    assert.equal(
      (
        await t.api('PATCH', `${PARTNERS}/${id}`, {
          b2bCollaborationOutbound: everyone('blocked'),
          b2bCollaborationInbound: null,
        })
      ).status,
      204,
    );
    const back = (await reader('GET', `${PARTNERS}/${id}`)).body;
    assert.deepEqual(
      [back.b2bCollaborationInbound, back.b2bCollaborationOutbound, back.automaticUserConsentSettings],
      [null, everyone('blocked'), { inboundAllowed: true, outboundAllowed: null }],
    );
    await assertAudited('Update a partner cross-tenant access setting', id);

    assert.equal((await t.api('DELETE', `${PARTNERS}/${id}`)).status, 204);
    assertGraphError(await t.api('GET', `${PARTNERS}/${id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await t.api('DELETE', `${PARTNERS}/${id}`), 404, 'Request_ResourceNotFound');
    assert.deepEqual((await t.api('GET', PARTNERS)).body.value, []);
    await assertAudited('Delete partner specific cross-tenant access setting', id);
  });

  it("a partner's null settings inherit the default", async () => {
    const x = await tenantWithApi(s, 'Inheriting');
    const partner = randomUUID();
    await created(
      {
        tenantId: partner,
        b2bCollaborationOutbound: { usersAndGroups: rule('blocked', 'AllUsers', 'user'), applications: null },
      },
      x,
    );
    assert.equal(
      (
        await x.api('PATCH', DEFAULT, {
          b2bCollaborationInbound: everyone('blocked'),
          b2bCollaborationOutbound: {
            usersAndGroups: rule('allowed', 'AllUsers', 'user'),
            applications: rule('blocked', 'AllApplications', 'application'),
          },
        })
      ).status,
      204,
    );
    const { db } = s.portico.services.store;
    let effective = await effectivePolicy(db, x.tenantId, partner);
    assert.deepEqual(effective.b2bCollaborationInbound, everyone('blocked'), 'inbound is inherited whole');
    assert.deepEqual(
      effective.b2bCollaborationOutbound,
      {
        usersAndGroups: rule('blocked', 'AllUsers', 'user'),
        applications: rule('blocked', 'AllApplications', 'application'),
      },
      'outbound: own users, inherited applications',
    );
    assert.deepEqual(effective.automaticUserConsentSettings, { inboundAllowed: false, outboundAllowed: false });
    // Another partner with nothing of its own is the default exactly; the partner's own rule goes with a null.
    const { isServiceDefault: _, ...defaults } = (await x.api('GET', DEFAULT)).body;
    delete defaults['@odata.context'];
    assert.deepEqual(await effectivePolicy(db, x.tenantId, randomUUID()), defaults);
    assert.equal((await x.api('PATCH', `${PARTNERS}/${partner}`, { b2bCollaborationOutbound: null })).status, 204);
    effective = await effectivePolicy(db, x.tenantId, partner);
    assert.deepEqual(effective, defaults);
    // The default's reset reaches partners that inherit.
    assert.equal((await x.api('POST', `${DEFAULT}/resetToSystemDefault`)).status, 204);
    assert.deepEqual((await effectivePolicy(db, x.tenantId, partner)).b2bCollaborationInbound, everyone('allowed'));
  });

  it('refuses bad bodies, duplicates and unknown partners with Graph errors, changing nothing', async () => {
    const x = await tenantWithApi(s, 'Refusals');
    const existing = randomUUID();
    await created({ tenantId: existing, b2bCollaborationInbound: everyone('blocked') }, x);
    const before = await snapshot(x);
    const unknown = randomUUID();
    const cases: [string, string, unknown, number, string, RegExp][] = [
      [
        'PATCH',
        DEFAULT,
        { b2bDirectConnectInbound: everyone('allowed') },
        400,
        'Request_BadRequest',
        /Property 'b2bDirectConnectInbound' does not exist/,
      ],
      [
        'PATCH',
        DEFAULT,
        { b2bCollaborationInbound: { usersAndGroups: { ...rule('allowed', 'AllUsers', 'user'), extra: 1 } } },
        400,
        'Request_BadRequest',
        /Property 'extra' does not exist/,
      ],
      [
        'PATCH',
        DEFAULT,
        { b2bCollaborationInbound: { usersAndGroups: rule('allowed', 'AllUsers', 'user') }, isServiceDefault: true },
        400,
        'Request_BadRequest',
        /isServiceDefault/,
      ],
      [
        'PATCH',
        DEFAULT,
        {
          b2bCollaborationInbound: {
            usersAndGroups: { accessType: 'denied', targets: [{ target: 'AllUsers', targetType: 'user' }] },
          },
        },
        400,
        'Request_BadRequest',
        /accessType/,
      ],
      [
        'PATCH',
        DEFAULT,
        {
          b2bCollaborationInbound: {
            usersAndGroups: rule('allowed', 'AllUsers', 'user'),
            applications: rule('allowed', 'AllApplications', 'user'),
          },
        },
        400,
        'Request_BadRequest',
        /applications targets must have targetType 'application'/,
      ],
      [
        'PATCH',
        DEFAULT,
        { b2bCollaborationOutbound: { usersAndGroups: rule('allowed', 'x', 'application') } },
        400,
        'Request_BadRequest',
        /usersAndGroups targets must have targetType 'user' or 'group'/,
      ],
      [
        'PATCH',
        DEFAULT,
        {
          b2bCollaborationOutbound: {
            usersAndGroups: { accessType: 'allowed', targets: [{ target: 'AllUsers', targetType: 'device' }] },
          },
        },
        400,
        'Request_BadRequest',
        /targetType/,
      ],
      [
        'PATCH',
        DEFAULT,
        { b2bCollaborationOutbound: { usersAndGroups: { accessType: 'allowed', targets: [] } } },
        400,
        'Request_BadRequest',
        /targets/,
      ],
      [
        'PATCH',
        DEFAULT,
        { automaticUserConsentSettings: { inboundAllowed: true } },
        400,
        'Request_BadRequest',
        /cannot be turned on in the default/,
      ],
      [
        'PATCH',
        DEFAULT,
        { automaticUserConsentSettings: { inboundAllowed: 'yes' } },
        400,
        'Request_BadRequest',
        /inboundAllowed/,
      ],
      ['PATCH', DEFAULT, '{"b2bCollaborationInbound": ', 400, 'BadRequest', /JSON/],
      ['POST', PARTNERS, { tenantId: 'fabrikam.example' }, 400, 'Request_BadRequest', /tenantId.*GUID/],
      ['POST', PARTNERS, { b2bCollaborationInbound: everyone('blocked') }, 400, 'Request_BadRequest', /tenantId/],
      [
        'POST',
        PARTNERS,
        { tenantId: x.tenantId, b2bCollaborationInbound: everyone('blocked') },
        400,
        'Request_BadRequest',
        /cannot be its own partner/,
      ],
      [
        'POST',
        PARTNERS,
        { tenantId: x.tenantId.toUpperCase() },
        400,
        'Request_BadRequest',
        /cannot be its own partner/,
      ],
      [
        'POST',
        PARTNERS,
        { tenantId: unknown, isServiceProvider: true },
        400,
        'Request_BadRequest',
        /Property 'isServiceProvider' does not exist/,
      ],
      [
        'POST',
        PARTNERS,
        { tenantId: unknown, b2bCollaborationInbound: { applications: rule('blocked', 'AllUsers', 'application') } },
        400,
        'Request_BadRequest',
        /applications targets/,
      ],
      [
        'POST',
        PARTNERS,
        { tenantId: existing },
        400,
        'Request_MultipleObjectsWithSameKeyValue',
        new RegExp(`partner '${existing}' already exist`),
      ],
      [
        'POST',
        PARTNERS,
        { tenantId: existing.toUpperCase(), b2bCollaborationOutbound: everyone('blocked') },
        400,
        'Request_MultipleObjectsWithSameKeyValue',
        /already exist/,
      ],
      [
        'PATCH',
        `${PARTNERS}/${existing}`,
        { tenantId: existing },
        400,
        'Request_BadRequest',
        /Property 'tenantId' does not exist/,
      ],
      [
        'PATCH',
        `${PARTNERS}/${existing}`,
        { b2bCollaborationInbound: { usersAndGroups: rule('blocked', 'AllApplications', 'user') } },
        400,
        'Request_BadRequest',
        /usersAndGroups targets/,
      ],
      [
        'PATCH',
        `${PARTNERS}/${unknown}`,
        { b2bCollaborationInbound: everyone('blocked') },
        404,
        'Request_ResourceNotFound',
        /no cross-tenant access settings/,
      ],
      [
        'PATCH',
        `${PARTNERS}/default`,
        { b2bCollaborationInbound: everyone('blocked') },
        404,
        'Request_ResourceNotFound',
        /no cross-tenant access settings/,
      ],
      ['GET', `${PARTNERS}/default`, undefined, 404, 'Request_ResourceNotFound', /no cross-tenant access settings/],
      ['DELETE', `${PARTNERS}/default`, undefined, 404, 'Request_ResourceNotFound', /no cross-tenant access settings/],
      [
        'DELETE',
        `${PARTNERS}/${unknown}`,
        undefined,
        404,
        'Request_ResourceNotFound',
        /no cross-tenant access settings/,
      ],
      ['GET', `${PARTNERS}?$filter=tenantId eq '${existing}'`, undefined, 400, 'Request_UnsupportedQuery', /\$filter/],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const res = await x.api(method, path, body);
      assertGraphError(res, status, code);
      assert.match(res.body.error.message, message, `${method} ${path} ${JSON.stringify(body)?.slice(0, 160)}`);
    }
    assert.deepEqual(await snapshot(x), before);
    assertGraphError(
      await x.api('PATCH', DEFAULT, { b2bCollaborationInbound: everyone('allowed') }, { 'content-type': 'text/plain' }),
      415,
      'UnsupportedMediaType',
    );
  });

  it("keeps each tenant's settings to itself, and pages and projects the partner list", async () => {
    const x = await tenantWithApi(s, 'Paging');
    const ids = [randomUUID(), randomUUID(), randomUUID()].sort();
    for (const id of ids) await created({ tenantId: id }, x);
    const other = await tenantWithApi(s, 'Other');
    assert.deepEqual((await other.api('GET', PARTNERS)).body.value, []);
    assertGraphError(await other.api('GET', `${PARTNERS}/${ids[0]}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await other.api('DELETE', `${PARTNERS}/${ids[0]}`), 404, 'Request_ResourceNotFound');
    assert.equal((await other.api('PATCH', DEFAULT, { b2bCollaborationInbound: everyone('blocked') })).status, 204);
    assert.equal((await x.api('GET', DEFAULT)).body.isServiceDefault, true);
    const { items, pages } = await readAllPages(
      x.api,
      s.baseUrl,
      `${PARTNERS}?$top=2&$select=tenantId,isServiceProvider&$count=true`,
    );
    assert.deepEqual(
      items.map((i) => i.tenantId),
      ids,
    );
    assert.equal(pages.length, 2);
    assert.equal(pages[0]['@odata.count'], 3);
    assert.deepEqual(items[0], { tenantId: ids[0], isServiceProvider: false });
  });

  it('racing adds of one partner create it once; racing patches of its two sides both stay', async () => {
    const x = await tenantWithApi(s, 'Racing');
    const partner = randomUUID();
    const adds = await Promise.all(Array.from({ length: 6 }, () => x.api('POST', PARTNERS, { tenantId: partner })));
    assert.deepEqual(adds.map((r) => r.status).sort(), [201, 400, 400, 400, 400, 400]);
    assert.equal(
      (await audits(x)).filter((e) => e.activityDisplayName === 'Add a partner to cross-tenant access setting').length,
      1,
    );
    const patches = await Promise.all([
      x.api('PATCH', `${PARTNERS}/${partner}`, { b2bCollaborationInbound: everyone('blocked') }),
      x.api('PATCH', `${PARTNERS}/${partner}`, { b2bCollaborationOutbound: everyone('blocked') }),
      x.api('PATCH', `${PARTNERS}/${partner}`, { automaticUserConsentSettings: { inboundAllowed: true } }),
    ]);
    assert.deepEqual(
      patches.map((r) => r.status),
      [204, 204, 204],
    );
    const back = (await x.api('GET', `${PARTNERS}/${partner}`)).body;
    assert.deepEqual(
      [back.b2bCollaborationInbound, back.b2bCollaborationOutbound, back.automaticUserConsentSettings.inboundAllowed],
      [everyone('blocked'), everyone('blocked'), true],
    );
  });

  it('needs Policy.Read.All or Policy.ReadWrite.CrossTenantAccess to read, and the latter to write', async () => {
    const partner = randomUUID();
    await created({ tenantId: partner });
    const before = await snapshot();
    const none = await narrowApi(s, t.tenantId, ['Directory.ReadWrite.All']);
    for (const path of [XTAP, DEFAULT, PARTNERS, `${PARTNERS}/${partner}`])
      assertGraphError(await none('GET', path), 403, 'Authorization_RequestDenied');
    for (const api of [none, reader]) {
      assertGraphError(
        await api('PATCH', DEFAULT, { b2bCollaborationInbound: everyone('blocked') }),
        403,
        'Authorization_RequestDenied',
      );
      assertGraphError(await api('POST', `${DEFAULT}/resetToSystemDefault`), 403, 'Authorization_RequestDenied');
      assertGraphError(await api('POST', PARTNERS, { tenantId: randomUUID() }), 403, 'Authorization_RequestDenied');
      assertGraphError(
        await api('PATCH', `${PARTNERS}/${partner}`, { b2bCollaborationInbound: everyone('blocked') }),
        403,
        'Authorization_RequestDenied',
      );
      assertGraphError(await api('DELETE', `${PARTNERS}/${partner}`), 403, 'Authorization_RequestDenied');
    }
    assert.deepEqual(await snapshot(), before);
    const writer = await narrowApi(s, t.tenantId, ['Policy.ReadWrite.CrossTenantAccess']);
    assert.equal((await writer('GET', `${PARTNERS}/${partner}`)).status, 200);
    assert.equal(
      (await writer('PATCH', `${PARTNERS}/${partner}`, { b2bCollaborationOutbound: everyone('blocked') })).status,
      204,
    );
    assert.equal((await writer('DELETE', `${PARTNERS}/${partner}`)).status, 204);
  });
});
