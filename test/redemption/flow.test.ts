// The invitation link flow end to end over HTTP, on both stores: the passcode path, the home-tenant path, the
// alias proof, consent cancel, the ticket rules and the redirect.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { registerApp } from '../../src/apps/apps.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { mailedCode, openLink, redeemedGuest, submit } from '../helpers/redeem.ts';
import { CookieJar, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const APP = 'https://expenses.contoso.example';

suite('redemption flow', { clock: 'manual', runWorker: false, tenant: 'Contoso' }, ({ s, t, clock }) => {
  let home: TenantApi;
  before(async () => {
    home = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    await s.portico.services.store.transaction((tx) =>
      registerApp(tx, clock, t.tenantId, {
        displayName: 'Expenses',
        grantTypes: ['authorization_code'],
        redirectUris: [`${APP}/callback`],
      }),
    );
  });

  const invite = async (email: string, redirect = `${APP}/welcome`) =>
    (await t.api('POST', '/v1.0/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: redirect }))
      .body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  const user = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body;

  it('passcode: landing, code, consent, Accepted with issuer "mail", redirect to the registered app', async () => {
    // The passcode is on by default: this tenant is new and its settings were never touched.
    assert.deepEqual(
      (
        await s.portico.services.store.db
          .selectFrom('tenants')
          .select('settings')
          .where('id', '=', t.tenantId)
          .executeTakeFirstOrThrow()
      ).settings,
      '{}',
    );
    const inv = await invite('alice@partner.example');
    const landing = await openLink(s, inv.inviteRedeemUrl);
    assert.equal(landing.status, 200);
    assert.match(landing.page, /Contoso/);
    assert.match(landing.page, /alice@partner\.example/);
    const codePage = await submit(s, landing, '/redeem/start');
    assert.match(codePage.page, /Enter code/);
    const code = await mailedCode(s, 'alice@partner.example');
    const wrong = await submit(s, codePage, '/redeem/passcode', { code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.page, /role="alert"/);
    const consent = await submit(s, wrong, '/redeem/passcode', { code });
    assert.match(consent.page, /Review permissions/);
    assert.match(consent.page, /has not provided a privacy statement/);
    const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(done.location, `${APP}/welcome`);
    const u = await user(inv.invitedUser.id);
    assert.equal(u.externalUserState, 'Accepted');
    assert.deepEqual(u.identities, [
      { signInType: 'emailAddress', issuer: 'mail', issuerAssignedId: 'alice@partner.example' },
    ]);
    const audit = await t.api('GET', '/v1.0/auditLogs/directoryAudits');
    assert.equal(
      audit.body.value.filter(
        (e: { activityDisplayName: string; targetResources: { id: string }[] }) =>
          e.activityDisplayName === 'Redeem external user invite' && e.targetResources[0]?.id === u.id,
      ).length,
      1,
    );
    // The consent pages never show again: the link is used up.
    const again = await openLink(s, inv.inviteRedeemUrl);
    assert.equal(again.status, 400);
    assert.match(again.page, /can(?:'|&#39;)t be used/);
  });

  it('home tenant: a member of another tenant signs in there, on its branded page', async () => {
    const member = await home.api('POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: 'Bea Fabrikam',
      mailNickname: 'bea',
      userPrincipalName: 'bea@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    const inv = await invite('Bea@Fabrikam.example');
    const signIn = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    assert.match(signIn.page, /Sign in to Fabrikam/);
    assert.equal((await submit(s, signIn, '/redeem/home', { password: 'nope-nope-nope' })).status, 400);
    const consent = await submit(s, signIn, '/redeem/home', { password: 'correct-horse-battery' });
    assert.match(consent.page, /Review permissions/);
    await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    const u = await user(inv.invitedUser.id);
    assert.equal(u.externalUserState, 'Accepted');
    assert.deepEqual(u.identities, [
      { signInType: 'federated', issuer: `${s.baseUrl}/${home.tenantId}/v2.0`, issuerAssignedId: member.body.id },
    ]);
  });

  it('alias: an identity without the invited address must first prove it with a code to that address', async () => {
    await home.api('POST', '/v1.0/users', {
      displayName: 'Cy',
      mailNickname: 'cy',
      userPrincipalName: 'cy@fabrikam.example',
      mail: 'cy.smith@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    const inv = await invite('cy@fabrikam.example');
    const signIn = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    const proof = await submit(s, signIn, '/redeem/home', { password: 'correct-horse-battery' });
    assert.match(proof.page, /Enter code/);
    assert.match(proof.page, /cy@fabrikam\.example/);
    const consent = await submit(s, proof, '/redeem/proof', { code: await mailedCode(s, 'cy@fabrikam.example') });
    assert.match(consent.page, /Review permissions/);
    await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal((await user(inv.invitedUser.id)).externalUserState, 'Accepted');
  });

  it('discovery by mail: a member whose mail differs from the UPN is found by the mail and signs in at home', async () => {
    const member = await home.api('POST', '/v1.0/users', {
      displayName: 'Dee',
      mailNickname: 'dee',
      userPrincipalName: 'dee@fabrikam.example',
      mail: 'dee.jones@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    assert.equal(member.status, 201, JSON.stringify(member.body));
    const inv = await invite('dee.jones@fabrikam.example');
    const signIn = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    assert.match(signIn.page, /Sign in to Fabrikam/);
    const consent = await submit(s, signIn, '/redeem/home', { password: 'correct-horse-battery' });
    assert.match(consent.page, /Review permissions/, 'the home identity carries the invited address: no proof asked');
    await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    const u = await user(inv.invitedUser.id);
    assert.equal(u.externalUserState, 'Accepted');
    assert.deepEqual(u.identities, [
      { signInType: 'federated', issuer: `${s.baseUrl}/${home.tenantId}/v2.0`, issuerAssignedId: member.body.id },
    ]);
  });

  it('an account that is itself a guest (unmanaged) is no home: the passcode is offered instead', async () => {
    // Fabrikam invited this address and the guest redeemed there: a user object in Fabrikam, but not one Fabrikam manages.
    await redeemedGuest(s, home.api, 'vic@partner.example');
    const inv = await invite('vic@partner.example');
    const next = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    assert.match(next.page, /Enter code/);
    assert.doesNotMatch(next.page, /Sign in to Fabrikam/);
  });

  it('consent pages only after sign-in: the landing page has none and accepting before signing in changes nothing', async () => {
    const inv = await invite('cal@partner.example');
    const landing = await openLink(s, inv.inviteRedeemUrl);
    assert.doesNotMatch(landing.page, /Review permissions/);
    const early = await submit(s, landing, '/redeem/consent', { decision: 'accept' });
    assert.equal(early.location, undefined, 'no way out to the app');
    assert.doesNotMatch(early.page, /Review permissions/);
    assert.equal((await user(inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
    const codePage = await submit(s, landing, '/redeem/start');
    assert.doesNotMatch(codePage.page, /Review permissions/, 'not before the passcode either');
    const early2 = await submit(s, codePage, '/redeem/consent', { decision: 'accept' });
    assert.equal(early2.location, undefined, 'no way out to the app');
    assert.match(early2.page, /Enter code/, 'the step that is due: the passcode');
    assert.equal((await user(inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
  });

  it('cancel on the consent page leaves the guest pending and the link usable', async () => {
    const inv = await invite('dan@partner.example');
    const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, 'dan@partner.example') });
    const cancelled = await submit(s, consent, '/redeem/consent', { decision: 'cancel' });
    assert.match(cancelled.page, /did not accept/);
    assert.equal((await user(inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
    assert.equal((await openLink(s, inv.inviteRedeemUrl)).status, 200);
  });

  it('a GET of the link consumes nothing; unknown, revoked, used and expired tickets get the identical page', async () => {
    const inv = await invite('eve@partner.example');
    for (let i = 0; i < 3; i++) assert.equal((await openLink(s, inv.inviteRedeemUrl)).status, 200);
    const flows = await s.portico.services.store.db
      .selectFrom('redemption_flows')
      .select('id')
      .where('user_id', '=', inv.invitedUser.id)
      .execute();
    assert.equal(flows.length, 0, 'GETs create no flow');
    const unknown = await openLink(s, `${s.baseUrl}/redeem?ticket=${'A'.repeat(43)}`);
    const replaced = inv.inviteRedeemUrl;
    await invite('eve@partner.example');
    const revoked = await openLink(s, replaced);
    const junk = await openLink(s, `${s.baseUrl}/redeem?ticket=%3Cscript%3E`);
    const fresh = await invite('fay@partner.example');
    clock.advance(31 * 86_400_000);
    const expired = await openLink(s, fresh.inviteRedeemUrl);
    clock.advance(-31 * 86_400_000);
    for (const page of [revoked, junk, expired]) {
      assert.equal(page.status, 400);
      assert.equal(page.page, unknown.page);
    }
    assert.match(unknown.page, /can(?:'|&#39;)t be used/);
  });

  it('sends the guest only to a registered origin; anything else goes to My Apps', async () => {
    const myApps = `${s.baseUrl}/myapps?tenantid=${t.tenantId}`;
    for (const [redirect, expected] of [
      [`${APP}/deep/link?x=1`, `${APP}/deep/link?x=1`],
      ['https://expenses.contoso.example.evil.example/', myApps],
      ['https://evil.example/', myApps],
      [`http://expenses.contoso.example/`, myApps],
    ] as const) {
      const email = `r${Math.random().toString(36).slice(2, 8)}@partner.example`;
      const inv = await invite(email, redirect);
      const code = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      const consent = await submit(s, code, '/redeem/passcode', { code: await mailedCode(s, email) });
      assert.equal((await submit(s, consent, '/redeem/consent', { decision: 'accept' })).location, expected, redirect);
    }
  });

  it("honours the tenant's passcode validity, with the injected clock", async () => {
    await setTenantSettings(s, t.tenantId, 'passcodeValidityMinutes=2');
    try {
      const inv = await invite('val@partner.example');
      const codePage = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      assert.match(codePage.page, /valid for 2 minutes/);
      const code = await mailedCode(s, 'val@partner.example');
      clock.advance(2 * 60_000);
      const late = await submit(s, codePage, '/redeem/passcode', { code });
      assert.equal(late.status, 400);
      assert.match(late.page, /expired/);
    } finally {
      await setTenantSettings(s, t.tenantId, 'passcodeValidityMinutes=10');
    }
  });

  it('refuses a POST without the flow cookie or with a wrong CSRF value, changing nothing', async () => {
    const inv = await invite('gus@partner.example');
    const landing = await openLink(s, inv.inviteRedeemUrl);
    const forged = await submit(s, { ...landing, csrf: 'forged' }, '/redeem/start');
    assert.equal(forged.status, 403);
    const noCookie = await submit(s, { ...landing, jar: new CookieJar() }, '/redeem/start');
    assert.equal(noCookie.status, 400);
    const stranger = await request(new CookieJar(), `${s.baseUrl}/redeem/flow`);
    assert.equal(stranger.status, 400);
    assert.equal((await user(inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
  });
});
