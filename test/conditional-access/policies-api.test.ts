// Conditional Access policies through the API (/v1.0/identity/conditionalAccess/policies): create, list, get, patch
// and delete round-trip in Graph's shape and are audited; bad input is a 400 that changes nothing; permissions. Then
// the evaluation (conditional-access/decision.ts accessDecision) for users, guests, roles, groups and apps all made
// through the API: a guests policy applies to a guest and not to a member, an exclusion wins, a role includes,
// report-only never asks nor blocks.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { accessDecision, conditionalAccessStatus } from '../../src/conditional-access/decision.ts';
import { requireTenant } from '../../src/directory/tenants.ts';
import {
  assertGraphError,
  inviteGuest,
  narrowApi,
  newUserBody,
  readAllPages,
  type Api,
  type GraphObject,
} from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const POLICIES = '/v1.0/identity/conditionalAccess/policies';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const SECURITY_READER = '5d6b6bb7-de71-4623-b4af-96380a352509';

const policy = (over: Record<string, unknown> = {}, users: Record<string, unknown> = { includeUsers: ['All'] }) => ({
  displayName: 'Require MFA for guests',
  state: 'enabled',
  conditions: {
    clientAppTypes: ['all'],
    users,
    applications: { includeApplications: ['All'] },
  },
  grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  ...over,
});

suite('API Conditional Access policies', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let reader: Api;
  before(async () => {
    reader = await narrowApi(s, t.tenantId, ['Policy.Read.All']);
  });

  const audits = async () =>
    (await readAllPages(t.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items.filter((a) =>
      String(a.activityDisplayName).includes('conditional access policy'),
    );
  const all = async () => (await readAllPages(t.api, s.baseUrl, POLICIES)).items;
  const cleanUp = async () => {
    for (const p of await all()) assert.equal((await t.api('DELETE', `${POLICIES}/${p.id}`)).status, 204);
  };

  it('creates, lists, reads, patches and deletes a policy in Graph’s shape, each audited', async () => {
    const auditsBefore = (await audits()).length;
    const created = await t.api(
      'POST',
      POLICIES,
      policy({}, { includeUsers: ['GuestsOrExternalUsers'], excludeRoles: [GA] }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const p = created.body;
    assert.match(p['@odata.context'], /\$metadata#identity\/conditionalAccess\/policies\/\$entity$/);
    assert.equal(p.displayName, 'Require MFA for guests');
    assert.equal(p.state, 'enabled');
    assert.deepEqual(p.conditions.users.includeUsers, ['GuestsOrExternalUsers']);
    assert.deepEqual(p.conditions.users.excludeRoles, [GA]);
    assert.deepEqual(p.conditions.users.excludeUsers, []);
    assert.deepEqual(p.conditions.applications.includeApplications, ['All']);
    assert.deepEqual(p.conditions.clientAppTypes, ['all']);
    assert.deepEqual(p.grantControls.builtInControls, ['mfa']);
    assert.equal(p.grantControls.operator, 'OR');
    assert.ok(!Number.isNaN(Date.parse(p.createdDateTime)));
    assert.equal(p.modifiedDateTime, null);

    const got = await reader('GET', `${POLICIES}/${p.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual({ ...got.body }, { ...p });
    const listed = await reader('GET', POLICIES);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.value.map((x: GraphObject) => x.id),
      [p.id],
    );

    const patched = await t.api('PATCH', `${POLICIES}/${p.id}`, {
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        users: {
          includeGuestsOrExternalUsers: {
            guestOrExternalUserTypes: 'b2bCollaborationGuest,internalGuest',
            externalTenants: {
              '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants',
              membershipKind: 'all',
            },
          },
        },
      },
    });
    assert.equal(patched.status, 204, JSON.stringify(patched.body));
    const after = (await t.api('GET', `${POLICIES}/${p.id}`)).body;
    assert.equal(after.state, 'enabledForReportingButNotEnforced');
    assert.equal(after.displayName, 'Require MFA for guests', 'what the patch did not name stays');
    assert.deepEqual(after.conditions.users.includeUsers, [], 'users is replaced whole');
    assert.equal(
      after.conditions.users.includeGuestsOrExternalUsers.guestOrExternalUserTypes,
      'b2bCollaborationGuest,internalGuest',
    );
    assert.equal(after.conditions.users.includeGuestsOrExternalUsers.externalTenants.membershipKind, 'all');
    assert.deepEqual(after.conditions.applications.includeApplications, ['All'], 'applications stays');
    assert.ok(!Number.isNaN(Date.parse(after.modifiedDateTime)));

    assert.equal((await t.api('DELETE', `${POLICIES}/${p.id}`)).status, 204);
    assertGraphError(await t.api('GET', `${POLICIES}/${p.id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await t.api('DELETE', `${POLICIES}/${p.id}`), 404, 'Request_ResourceNotFound');
    assert.deepEqual(
      (await audits())
        .slice(0, (await audits()).length - auditsBefore)
        .map((a) => a.activityDisplayName)
        .sort(),
      ['Add conditional access policy', 'Delete conditional access policy', 'Update conditional access policy'],
    );
  });

  it('refuses bad input with a 400 in Graph’s shape and changes nothing', async () => {
    const kept = (await t.api('POST', POLICIES, policy({ displayName: 'Kept' }))).body;
    const before = { policies: await all(), audits: (await audits()).length };
    const bad: unknown[] = [
      policy({ state: 'on' }),
      policy({ displayName: '' }),
      policy({ grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] } }),
      policy({ grantControls: { operator: 'OR', builtInControls: ['block', 'mfa'] } }),
      policy({}, { includeUsers: ['somebody'] }),
      policy({}, { includeUsers: [] }),
      policy({}, { includeUsers: ['All', 'None'] }),
      policy({}, { includeRoles: ['00000000-0000-0000-0000-000000000000'] }),
      policy({}, { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'serviceProvider' } }),
      policy({}, { includeUsers: ['All'], unknown: true }),
      policy({ sessionControls: { signInFrequency: { value: 1 } } }),
      { ...policy(), conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: [] } } },
      { displayName: 'no conditions', state: 'enabled', grantControls: { builtInControls: ['mfa'] } },
    ];
    for (const body of bad) assertGraphError(await t.api('POST', POLICIES, body), 400, 'Request_BadRequest');
    assertGraphError(
      await t.api('PATCH', `${POLICIES}/${kept.id}`, { grantControls: { builtInControls: ['block', 'mfa'] } }),
      400,
      'Request_BadRequest',
    );
    assertGraphError(await t.api('PATCH', `${POLICIES}/${kept.id}`, { state: 'off' }), 400, 'Request_BadRequest');
    assertGraphError(
      await t.api('PATCH', `${POLICIES}/not-an-id`, { state: 'disabled' }),
      404,
      'Request_ResourceNotFound',
    );
    assert.deepEqual({ policies: await all(), audits: (await audits()).length }, before);
    // Reading is not writing.
    assertGraphError(await reader('POST', POLICIES, policy()), 403, 'Authorization_RequestDenied');
    assertGraphError(await reader('DELETE', `${POLICIES}/${kept.id}`), 403, 'Authorization_RequestDenied');
    const outsider = await narrowApi(s, t.tenantId, ['User.Read.All']);
    assertGraphError(await outsider('GET', POLICIES), 403, 'Authorization_RequestDenied');
    const writer = await narrowApi(s, t.tenantId, ['Policy.ReadWrite.ConditionalAccess']);
    assert.equal((await writer('GET', POLICIES)).status, 200);
    assert.equal((await writer('DELETE', `${POLICIES}/${kept.id}`)).status, 204);
  });

  it('evaluates who and which app: guests not members, exclusions win, roles, groups, report-only', async () => {
    await cleanUp();
    const tenant = await requireTenant(s.portico.services.store.db, t.tenantId);
    const member = (await t.api('POST', '/v1.0/users', newUserBody(`eva@${t.domain}`))).body as GraphObject;
    const admin = (await t.api('POST', '/v1.0/users', newUserBody(`ada@${t.domain}`))).body as GraphObject;
    const assigned = await t.api('POST', '/v1.0/roleManagement/directory/roleAssignments', {
      roleDefinitionId: SECURITY_READER,
      principalId: admin.id,
      directoryScopeId: '/',
    });
    assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
    const guest = await inviteGuest(t.api, 'gus@partner.example');
    const other = await inviteGuest(t.api, 'otto@partner.example');
    const group = (
      await t.api('POST', '/v1.0/groups', {
        displayName: 'Contractors',
        mailEnabled: false,
        mailNickname: 'contractors',
        securityEnabled: true,
      })
    ).body as GraphObject;
    assert.equal(
      (
        await t.api('POST', `/v1.0/groups/${group.id}/members/$ref`, {
          '@odata.id': `${s.baseUrl}/v1.0/directoryObjects/${member.id}`,
        })
      ).status,
      204,
    );
    const decide = (userId: string, clientId?: string) =>
      accessDecision(s.portico.services, { tenant, userId, ...(clientId !== undefined && { clientId }) });

    // Nothing yet: nothing required.
    assert.deepEqual(await decide(guest.id), { block: false, mfaRequired: false, homeMfaAccepted: false, applied: [] });

    const guests = (
      await t.api(
        'POST',
        POLICIES,
        policy(
          { displayName: 'Guests need MFA' },
          {
            includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'b2bCollaborationGuest' },
            excludeUsers: [other.id],
          },
        ),
      )
    ).body as GraphObject;
    const g = await decide(guest.id, 'some-app');
    assert.equal(g.mfaRequired, true);
    assert.equal(g.block, false);
    assert.deepEqual(g.applied, [
      { id: guests.id, displayName: 'Guests need MFA', result: 'success', enforcedGrantControls: ['mfa'] },
    ]);
    assert.equal(conditionalAccessStatus(g.applied), 'success');
    const m = await decide(member.id, 'some-app');
    assert.equal(m.mfaRequired, false, 'a member is no guest');
    assert.equal(m.applied[0]!.result, 'notApplied');
    assert.equal(conditionalAccessStatus(m.applied), 'notApplied');
    const o = await decide(other.id);
    assert.equal(o.mfaRequired, false, 'excludeUsers wins over the guests include');
    assert.equal(o.applied[0]!.result, 'notApplied');

    // A role include, for the admin center only (Entra's MicrosoftAdminPortals names it).
    const admins = (
      await t.api(
        'POST',
        POLICIES,
        policy({
          displayName: 'Admins need MFA',
          conditions: {
            users: { includeRoles: [SECURITY_READER] },
            applications: { includeApplications: ['MicrosoftAdminPortals'] },
          },
        }),
      )
    ).body as GraphObject;
    assert.equal((await decide(admin.id, 'portico-admin')).mfaRequired, true);
    assert.equal((await decide(admin.id, 'some-app')).mfaRequired, false, 'another app is not the admin center');
    assert.equal((await decide(admin.id)).mfaRequired, false, 'a sign-in without an app meets only All-apps policies');
    assert.equal((await decide(member.id, 'portico-admin')).mfaRequired, false, 'a member without the role');

    // A group include with a block; the group's member is blocked, and an app excluded is not.
    const blockGroup = (
      await t.api(
        'POST',
        POLICIES,
        policy({
          displayName: 'Block contractors',
          grantControls: { operator: 'OR', builtInControls: ['block'] },
          conditions: {
            users: { includeGroups: [group.id] },
            applications: { includeApplications: ['All'], excludeApplications: ['allowed-app'] },
          },
        }),
      )
    ).body as GraphObject;
    const b = await decide(member.id, 'some-app');
    assert.equal(b.block, true);
    assert.equal(b.applied.find((a) => a.id === blockGroup.id)!.result, 'failure');
    assert.equal(conditionalAccessStatus(b.applied), 'failure');
    assert.equal((await decide(member.id, 'allowed-app')).block, false, 'excludeApplications wins');
    assert.equal((await decide(member.id)).block, false, 'an app exclusion keeps the policy from app-less sign-ins');

    // Report-only: results say what would have happened, but it never asks nor blocks.
    for (const p of [guests, admins, blockGroup])
      assert.equal(
        (await t.api('PATCH', `${POLICIES}/${p.id}`, { state: 'enabledForReportingButNotEnforced' })).status,
        204,
      );
    const r = await decide(member.id, 'some-app');
    assert.equal(r.block, false);
    assert.equal(r.mfaRequired, false);
    assert.deepEqual(
      r.applied.map((a) => [a.displayName, a.result]),
      [
        ['Guests need MFA', 'reportOnlyNotApplied'],
        ['Admins need MFA', 'reportOnlyNotApplied'],
        ['Block contractors', 'reportOnlyFailure'],
      ],
    );
    const rg = await decide(guest.id, 'some-app');
    assert.equal(rg.mfaRequired, false);
    assert.equal(rg.applied[0]!.result, 'reportOnlyInterrupted');
    assert.equal(
      (await accessDecision(s.portico.services, { tenant, userId: guest.id }, { mfa: true })).applied[0]!.result,
      'reportOnlySuccess',
    );
    assert.equal(conditionalAccessStatus(rg.applied), 'notApplied');

    // Disabled: not evaluated at all.
    assert.equal((await t.api('PATCH', `${POLICIES}/${guests.id}`, { state: 'disabled' })).status, 204);
    assert.deepEqual(
      (await decide(guest.id)).applied.map((a) => a.id),
      [admins.id, blockGroup.id],
    );
    await cleanUp();
  });
});
