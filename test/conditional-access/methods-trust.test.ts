// The authentication methods policy (/v1.0/policies/authenticationMethodsPolicy) round-trips in Graph's shape,
// refuses bad input without changing anything, and decides methodAllowed by state and group targets; inbound trust
// (cross-tenant access settings' inboundTrust, default and per partner) round-trips and makes accessDecision answer
// homeMfaAccepted for a guest from that partner tenant on this deployment.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { accessDecision } from '../../src/conditional-access/decision.ts';
import { homeMfaTrusted } from '../../src/conditional-access/inbound-trust.ts';
import { methodAllowed } from '../../src/conditional-access/methods-policy.ts';
import { requireTenant } from '../../src/directory/tenants.ts';
import {
  assertGraphError,
  narrowApi,
  newUserBody,
  readAllPages,
  tenantWithApi,
  type GraphObject,
  type TenantApi,
} from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const METHODS = '/v1.0/policies/authenticationMethodsPolicy';
const XTAP = '/v1.0/policies/crossTenantAccessPolicy';

type Configuration = { id: string; state: string; includeTargets: { targetType: string; id: string }[] };

suite('authentication methods policy and inbound trust', { runWorker: false }, ({ s }) => {
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso');
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
  });
  const tenantOf = (x: TenantApi) => requireTenant(s.portico.services.store.db, x.tenantId);
  const configurations = async () =>
    Object.fromEntries(
      ((await contoso.api('GET', METHODS)).body.authenticationMethodConfigurations as Configuration[]).map((c) => [
        c.id,
        [c.state, c.includeTargets.map((t) => t.id)],
      ]),
    );

  it('round-trips the authentication methods policy and decides methodAllowed by state and group', async () => {
    const reader = await narrowApi(s, contoso.tenantId, ['Policy.Read.All']);
    const first = await reader('GET', METHODS);
    assert.equal(first.status, 200);
    assert.equal(first.body.id, 'authenticationMethodsPolicy');
    assert.deepEqual(
      (first.body.authenticationMethodConfigurations as (Configuration & { '@odata.type': string })[]).map((c) => [
        c['@odata.type'],
        c.id,
        c.state,
        c.includeTargets,
      ]),
      [
        [
          '#microsoft.graph.fido2AuthenticationMethodConfiguration',
          'Fido2',
          'enabled',
          [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
        ],
        [
          '#microsoft.graph.softwareOathAuthenticationMethodConfiguration',
          'SoftwareOath',
          'enabled',
          [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
        ],
        [
          '#microsoft.graph.emailAuthenticationMethodConfiguration',
          'Email',
          'enabled',
          [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }],
        ],
      ],
    );

    const inGroup = (await contoso.api('POST', '/v1.0/users', newUserBody(`keys@${contoso.domain}`)))
      .body as GraphObject;
    const outside = (await contoso.api('POST', '/v1.0/users', newUserBody(`none@${contoso.domain}`)))
      .body as GraphObject;
    const group = (
      await contoso.api('POST', '/v1.0/groups', {
        displayName: 'Passkey pilots',
        mailEnabled: false,
        mailNickname: 'pilots',
        securityEnabled: true,
      })
    ).body as GraphObject;
    assert.equal(
      (
        await contoso.api('POST', `/v1.0/groups/${group.id}/members/$ref`, {
          '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${inGroup.id}`,
        })
      ).status,
      204,
    );

    const patched = await contoso.api('PATCH', METHODS, {
      authenticationMethodConfigurations: [
        {
          '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
          id: 'Fido2',
          includeTargets: [{ targetType: 'group', id: group.id }],
        },
        { id: 'softwareOath', state: 'disabled' },
      ],
    });
    assert.equal(patched.status, 204, JSON.stringify(patched.body));
    assert.deepEqual(await configurations(), {
      Fido2: ['enabled', [group.id]],
      SoftwareOath: ['disabled', ['all_users']],
      Email: ['enabled', ['all_users']],
    });
    const one = await reader('GET', `${METHODS}/authenticationMethodConfigurations/fido2`);
    assert.equal(one.status, 200);
    assert.equal(one.body.id, 'Fido2');
    assert.equal(
      (await contoso.api('PATCH', `${METHODS}/authenticationMethodConfigurations/Email`, { state: 'disabled' })).status,
      204,
    );

    const tenant = await tenantOf(contoso);
    const db = s.portico.services.store.db;
    assert.equal(await methodAllowed(db, tenant, inGroup.id, 'fido2'), true, 'a member of the targeted group');
    assert.equal(await methodAllowed(db, tenant, outside.id, 'fido2'), false, 'not in the group');
    assert.equal(await methodAllowed(db, tenant, inGroup.id, 'softwareOath'), false, 'disabled');
    assert.equal(await methodAllowed(db, tenant, inGroup.id, 'email'), false, 'disabled');

    // Bad input: a 400 that changes nothing.
    const audits = async () => (await readAllPages(contoso.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items;
    const before = { configurations: await configurations(), audits: (await audits()).length };
    for (const body of [
      { authenticationMethodConfigurations: [{ id: 'Sms', state: 'enabled' }] },
      { authenticationMethodConfigurations: [{ id: 'Fido2', state: 'on' }] },
      {
        authenticationMethodConfigurations: [{ id: 'Fido2', includeTargets: [{ targetType: 'user', id: inGroup.id }] }],
      },
      {
        authenticationMethodConfigurations: [
          { id: 'Fido2', includeTargets: [{ targetType: 'group', id: outside.id }] },
        ],
      },
      { authenticationMethodConfigurations: [{ id: 'Fido2', includeTargets: [] }] },
      { authenticationMethodConfigurations: [{ id: 'Fido2' }, { id: 'fido2' }] },
      { registrationEnforcement: {} },
    ])
      assertGraphError(await contoso.api('PATCH', METHODS, body), 400, 'Request_BadRequest');
    assertGraphError(
      await contoso.api('PATCH', `${METHODS}/authenticationMethodConfigurations/Voice`, { state: 'enabled' }),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await reader('PATCH', METHODS, { authenticationMethodConfigurations: [] }),
      403,
      'Authorization_RequestDenied',
    );
    assert.deepEqual({ configurations: await configurations(), audits: (await audits()).length }, before);
    assert.ok(
      (await audits()).some((a) => a.activityDisplayName === 'Update authentication methods policy'),
      'changes are audited',
    );
  });

  it('round-trips inboundTrust (default and partner) and answers homeMfaAccepted for the partner’s guests', async () => {
    // Automatic redemption both ways: Fabrikam's member becomes Contoso's guest with Fabrikam's identity at once.
    assert.equal(
      (
        await contoso.api('POST', `${XTAP}/partners`, {
          tenantId: fabrikam.tenantId,
          automaticUserConsentSettings: { inboundAllowed: true },
        })
      ).status,
      201,
    );
    assert.equal(
      (
        await fabrikam.api('POST', `${XTAP}/partners`, {
          tenantId: contoso.tenantId,
          automaticUserConsentSettings: { outboundAllowed: true },
        })
      ).status,
      201,
    );
    const upn = 'pat@fabrikam.example';
    assert.equal((await fabrikam.api('POST', '/v1.0/users', newUserBody(upn))).status, 201);
    const invited = await contoso.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: upn,
      inviteRedirectUrl: 'https://apps.example/',
    });
    assert.equal(invited.body.status, 'Completed', JSON.stringify(invited.body));
    const guestId = invited.body.invitedUser.id as string;
    const member = (await contoso.api('POST', '/v1.0/users', newUserBody(`local@${contoso.domain}`)))
      .body as GraphObject;
    const tenant = await tenantOf(contoso);
    const accepted = async (userId: string) =>
      (await accessDecision(s.portico.services, { tenant, userId })).homeMfaAccepted;

    assert.equal(await accepted(guestId), false, 'no trust by default');
    const partner = `${XTAP}/partners/${fabrikam.tenantId}`;
    assert.deepEqual((await contoso.api('GET', partner)).body.inboundTrust, null, 'unset: inherits the default');
    assert.deepEqual((await contoso.api('GET', `${XTAP}/default`)).body.inboundTrust, {
      isMfaAccepted: false,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    });

    assert.equal((await contoso.api('PATCH', partner, { inboundTrust: { isMfaAccepted: true } })).status, 204);
    assert.deepEqual((await contoso.api('GET', partner)).body.inboundTrust, {
      isMfaAccepted: true,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    });
    assert.equal(await accepted(guestId), true, 'the partner’s MFA is trusted');
    assert.equal(await accepted(member.id as string), false, 'a member has no home tenant elsewhere');

    // Back to inheriting, then trusted through the default.
    assert.equal((await contoso.api('PATCH', partner, { inboundTrust: null })).status, 204);
    assert.equal(await accepted(guestId), false);
    assert.equal(
      (await contoso.api('PATCH', `${XTAP}/default`, { inboundTrust: { isMfaAccepted: true } })).status,
      204,
    );
    assert.equal((await contoso.api('GET', `${XTAP}/default`)).body.inboundTrust.isMfaAccepted, true);
    assert.equal(await accepted(guestId), true, 'the default applies to a partner that sets nothing');
    // A partner's own false wins over the default.
    assert.equal((await contoso.api('PATCH', partner, { inboundTrust: { isMfaAccepted: false } })).status, 204);
    assert.equal(await accepted(guestId), false);

    // Device claims Portico never has cannot be trusted; nothing changes.
    for (const inboundTrust of [
      { isCompliantDeviceAccepted: true },
      { isMfaAccepted: 'yes' },
      { isMfaAccepted: true, other: 1 },
    ])
      assertGraphError(await contoso.api('PATCH', partner, { inboundTrust }), 400, 'Request_BadRequest');
    assert.equal((await contoso.api('GET', partner)).body.inboundTrust.isMfaAccepted, false);
  });

  it('marks an OpenID Connect provider trusted for MFA through the API, which its guests’ home MFA then counts by', async () => {
    const IDPS = '/v1.0/identity/identityProviders';
    const created = await contoso.api('POST', IDPS, {
      '@odata.type': '#microsoft.graph.openIdConnectIdentityProvider',
      displayName: 'Partner IdP',
      clientId: 'client',
      clientSecret: 'secret-value',
      issuer: 'https://login.partner.example/',
      domains: ['partner.example'],
      isMfaTrusted: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.isMfaTrusted, true);
    // A guest whose identity this provider issued (the shape redemption binds: federation/oidc.ts), `iss` as sent.
    const guest = {
      userType: 'Guest' as const,
      identities: [{ signInType: 'federated', issuer: 'https://login.partner.example/', issuerAssignedId: 'sub-1' }],
    };
    const other = { ...guest, identities: [{ ...guest.identities[0]!, issuer: 'https://login.elsewhere.example' }] };
    assert.equal(await homeMfaTrusted(s.portico.services, contoso.tenantId, guest), true);
    assert.equal(await homeMfaTrusted(s.portico.services, contoso.tenantId, other), false, 'another issuer');
    assertGraphError(
      await contoso.api('PATCH', `${IDPS}/${created.body.id}`, { isMfaTrusted: 'yes' }),
      400,
      'Request_BadRequest',
    );
    assert.equal((await contoso.api('GET', `${IDPS}/${created.body.id}`)).body.isMfaTrusted, true, 'unchanged');
    assert.equal((await contoso.api('PATCH', `${IDPS}/${created.body.id}`, { isMfaTrusted: false })).status, 204);
    assert.equal((await contoso.api('GET', `${IDPS}/${created.body.id}`)).body.isMfaTrusted, false);
    assert.equal(await homeMfaTrusted(s.portico.services, contoso.tenantId, guest), false, 'no longer trusted');
  });
});
