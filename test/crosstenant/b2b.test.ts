// Cross-tenant access between two tenants of the deployment, over HTTP on both stores with a real SMTP peer:
// the four combinations of automatic redemption (only both-on skips consent and sends the notice instead of the
// invitation), the auto-redeemed guest signing in with no consent page but terms of use still asked, and blocked
// inbound/outbound collaboration refusing invitations and, after a settings change, redemption.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { createAgreement } from '../../src/consent/terms.ts';
import { updateDefault, upsertPartner, type PolicyConfig } from '../../src/crosstenant/policy.ts';
import { assertGraphError, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { relyingParty, typeAddress } from '../helpers/federation.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = 'correct-horse-battery';
const everyone = (accessType: 'allowed' | 'blocked') => ({
  usersAndGroups: { accessType, targets: [{ target: 'AllUsers', targetType: 'user' as const }] },
  applications: {
    accessType: 'allowed' as const,
    targets: [{ target: 'AllApplications', targetType: 'application' as const }],
  },
});

suite('cross-tenant access and automatic redemption', { runWorker: false }, ({ s }) => {
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  const actor = { kind: 'system' as const, displayName: 'test' };
  let n = 0;
  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso');
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
  });

  const set = (tenantId: string, partner: string | 'default', config: PolicyConfig) =>
    s.portico.services.store.transaction(async (tx) => {
      if (partner === 'default') await updateDefault(tx, s.portico.services.clock, tenantId, config, actor);
      else await upsertPartner(tx, s.portico.services.clock, tenantId, partner, config, actor);
    });
  const auto = async (inbound: boolean, outbound: boolean) => {
    await set(contoso.tenantId, fabrikam.tenantId, { automaticUserConsentSettings: { inboundAllowed: inbound } });
    await set(fabrikam.tenantId, contoso.tenantId, { automaticUserConsentSettings: { outboundAllowed: outbound } });
  };
  /** A new member of Fabrikam. */
  const member = async () => {
    const upn = `person${++n}@fabrikam.example`;
    await fabrikam.api('POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: `Person ${n}`,
      mailNickname: `person${n}`,
      userPrincipalName: upn,
      passwordProfile: { password: PASSWORD },
    });
    return upn;
  };
  const invite = (email: string) =>
    contoso.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: 'https://myapps.example/',
      sendInvitationMessage: true,
    });
  const mailTo = async (to: string) => {
    await s.portico.worker.runOnce();
    return s.smtp.messages().filter((m) => m.to.includes(to));
  };

  for (const [inbound, outbound] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`automatic redemption inbound ${inbound ? 'on' : 'off'}, outbound ${outbound ? 'on' : 'off'}`, async () => {
      await auto(inbound, outbound);
      const email = await member();
      const res = await invite(email);
      assert.equal(res.status, 201);
      const both = inbound && outbound;
      assert.equal(res.body.status, both ? 'Completed' : 'PendingAcceptance');
      const guest = (await contoso.api('GET', `/v1.0/users/${res.body.invitedUser.id}`)).body;
      assert.equal(guest.externalUserState, both ? 'Accepted' : 'PendingAcceptance');
      const mails = await mailTo(email);
      assert.equal(mails.length, 1);
      if (both) {
        assert.equal(mails[0]!.subject, 'You now have access to Contoso');
        assert.match(mails[0]!.text, /You do not need to do anything/);
        assert.ok(mails[0]!.text.includes(`/myapps?tenantid=${contoso.tenantId}`));
        assert.doesNotMatch(mails[0]!.text, /\/redeem\?ticket=/);
        assert.match(
          mails[0]!.text,
          /Stop invitations: \S+\/optout\?l=/,
          'the way to stop invitations, as in the invitation email',
        );
        assert.deepEqual(guest.identities, [
          {
            signInType: 'federated',
            issuer: `${s.baseUrl}/${fabrikam.tenantId}/v2.0`,
            issuerAssignedId: (await fabrikam.api('GET', `/v1.0/users/${email}`)).body.id,
          },
        ]);
        const audit = (await contoso.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value.find(
          (e: {
            activityDisplayName: string;
            targetResources: { id: string }[];
            additionalDetails: { key: string; value: string }[];
          }) => e.activityDisplayName === 'Redeem external user invite' && e.targetResources[0]?.id === guest.id,
        );
        assert.ok(
          audit.additionalDetails.some(
            (d: { key: string; value: string }) => d.key === 'via' && d.value === 'automatic redemption',
          ),
        );
      } else {
        assert.match(mails[0]!.text, /\/redeem\?ticket=/, 'the usual invitation email');
      }
    });
  }

  it('an automatically redeemed guest signs in with no consent page; terms of use are still asked', async () => {
    await auto(true, true);
    const email = await member();
    await invite(email);
    const { store, clock } = s.portico.services;
    await store.transaction((tx) =>
      createAgreement(tx, clock, contoso.tenantId, {
        displayName: 'Guest terms',
        isViewingBeforeAcceptanceRequired: false,
        reacceptDays: null,
        files: [
          {
            fileName: 'terms.txt',
            language: 'en-US',
            isDefault: true,
            contentType: 'text/plain',
            data: Buffer.from('Be nice.').toString('base64'),
          },
        ],
      }),
    );
    const app = await relyingParty(s, contoso.tenantId);
    const jar = new CookieJar();
    const { url } = await app.authorize();
    const home = await typeAddress(s.baseUrl, jar, url, email);
    const page = await home.res!.text();
    assert.match(page, /Sign in to Fabrikam/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const signedIn = await postForm(jar, `${s.baseUrl}/redeem/home`, { csrf, password: PASSWORD });
    const next = await follow(jar, new URL(signedIn.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    const html = await next.res!.text();
    assert.doesNotMatch(html, /Review permissions/);
    assert.match(html, /Guest terms/);
  });

  it('an app the home tenant does not let its people use elsewhere is refused at sign-in', async () => {
    await auto(true, true);
    const email = await member();
    await invite(email);
    const app = await relyingParty(s, contoso.tenantId);
    const appId = new URL((await app.authorize()).url).searchParams.get('client_id')!;
    await set(fabrikam.tenantId, contoso.tenantId, {
      b2bCollaborationOutbound: {
        usersAndGroups: { accessType: 'allowed', targets: [{ target: 'AllUsers', targetType: 'user' }] },
        applications: { accessType: 'blocked', targets: [{ target: appId, targetType: 'application' }] },
      },
    });
    const jar = new CookieJar();
    const home = await typeAddress(s.baseUrl, jar, (await app.authorize()).url, email);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await home.res!.text())![1]!;
    const signedIn = await postForm(jar, `${s.baseUrl}/redeem/home`, { csrf, password: PASSWORD });
    const refused = await follow(jar, new URL(signedIn.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.equal(refused.res?.status, 403);
    assert.match((await refused.res!.text()).replace(/&#39;/g, "'"), /You can't use Partner Portal as a guest/);
    assert.equal((await contoso.api('GET', '/v1.0/auditLogs/signIns?$top=1')).body.value[0].status.errorCode, 500213);
    await set(fabrikam.tenantId, contoso.tenantId, { b2bCollaborationOutbound: null });
  });

  it('blocked outbound (the home tenant) or inbound (the inviting tenant) refuses the invitation and changes nothing', async () => {
    await auto(false, false);
    await set(fabrikam.tenantId, 'default', { b2bCollaborationOutbound: everyone('blocked') });
    const email = await member();
    const out = await invite(email);
    assertGraphError(out, 403, 'Authorization_RequestDenied');
    assert.match(out.body.error.message, /home organization do not allow its users to collaborate/);
    assert.equal((await contoso.api('GET', `/v1.0/users?$filter=mail eq '${email}'`)).body.value.length, 0);

    await set(fabrikam.tenantId, 'default', { b2bCollaborationOutbound: everyone('allowed') });
    await set(contoso.tenantId, fabrikam.tenantId, { b2bCollaborationInbound: everyone('blocked') });
    const inbound = await invite(email);
    assertGraphError(inbound, 403, 'Authorization_RequestDenied');
    assert.match(inbound.body.error.message, /do not allow users of .* organization in as guests/);
    await set(contoso.tenantId, fabrikam.tenantId, { b2bCollaborationInbound: null });
    assert.equal((await invite(email)).status, 201, 'null inherits the default again: allowed');
  });

  it('a setting changed after the invitation takes effect at redemption', async () => {
    await auto(false, false);
    const email = await member();
    const inv = (await invite(email)).body;
    await set(contoso.tenantId, fabrikam.tenantId, { b2bCollaborationInbound: everyone('blocked') });
    const signIn = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    const refused = await submit(s, signIn, '/redeem/home', { password: PASSWORD });
    assert.equal(refused.status, 403);
    assert.match(refused.page.replace(/&#39;/g, "'"), /Contoso's settings don't allow guests from your organization/);
    assert.equal(
      (await contoso.api('GET', `/v1.0/users/${inv.invitedUser.id}`)).body.externalUserState,
      'PendingAcceptance',
    );

    await set(contoso.tenantId, fabrikam.tenantId, { b2bCollaborationInbound: null });
    const consent = await submit(s, signIn, '/redeem/home', { password: PASSWORD });
    assert.match(consent.page, /Review permissions/);
  });
});
