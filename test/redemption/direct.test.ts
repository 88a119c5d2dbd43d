// Arriving at an app without the invitation email, over HTTP on both stores: a pending guest who types their
// address at the tenant's sign-in page is discovered by the same step table, consents and lands in the app; an
// accepted guest only signs in, and only with the identity they redeemed with; contact-conflicted guests and
// aliases are refused with what to do instead.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { createPersonalAccount } from '../../src/personal/accounts.ts';
import { hashPassword } from '../../src/secrets.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { relyingParty, typeAddress } from '../helpers/federation.ts';
import { mailedCode, type Redeemer } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite('direct sign-in of guests', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let home: TenantApi;
  let app: Awaited<ReturnType<typeof relyingParty>>;
  before(async () => {
    home = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    app = await relyingParty(s, t.tenantId);
  });

  const invite = async (email: string) =>
    (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://myapps.example/',
        sendInvitationMessage: false,
      })
    ).body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  const user = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body;
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

  /** Starts at the app, types the address; returns the redemption page reached and the app's helpers. */
  async function arrive(email: string) {
    const jar = new CookieJar();
    const authorization = await app.authorize();
    const reached = await typeAddress(s.baseUrl, jar, authorization.url, email);
    const page = reached.res ? await reached.res.text() : '';
    const r: Redeemer = { jar, csrf: csrfOf(page), page, status: reached.res?.status ?? 303 };
    return { r, authorization };
  }

  /** Submits a redemption form and follows every redirect inside Portico, to a page or to the app. */
  async function step(r: Redeemer, path: string, fields: Record<string, string> = {}) {
    const res = await postForm(r.jar, `${s.baseUrl}${path}`, { csrf: r.csrf, ...fields });
    if (res.status !== 303) return { ...r, status: res.status, page: await res.text(), url: '' };
    const reached = await follow(r.jar, new URL(res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    const page = reached.res ? await reached.res.text() : '';
    return { jar: r.jar, csrf: csrfOf(page) || r.csrf, page, status: reached.res?.status ?? 303, url: reached.url };
  }

  it('a pending guest reaching the app first redeems (passcode, consent) and lands in the app signed in', async () => {
    const inv = await invite('pat@partner.example');
    const { r, authorization } = await arrive('pat@partner.example');
    assert.match(r.page, /Enter code/);
    const consent = await step(r, '/redeem/passcode', { code: await mailedCode(s, 'pat@partner.example') });
    assert.match(consent.page, /Review permissions/);
    const landed = await step(consent, '/redeem/consent', { decision: 'accept' });
    assert.ok(landed.url.startsWith(app.redirectUri), landed.url);
    const claims = await authorization.claims(landed.url);
    assert.equal(claims.oid, inv.invitedUser.id);
    assert.equal(claims.acct, 1);
    const u = await user(inv.invitedUser.id);
    assert.equal(u.externalUserState, 'Accepted');
    assert.deepEqual(u.identities, [
      { signInType: 'emailAddress', issuer: 'mail', issuerAssignedId: 'pat@partner.example' },
    ]);
    const audit = (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value.find(
      (e: { activityDisplayName: string; targetResources: { id: string }[] }) =>
        e.activityDisplayName === 'Redeem external user invite' && e.targetResources[0]?.id === u.id,
    );
    assert.ok(
      audit.additionalDetails.some((d: { key: string; value: string }) => d.key === 'via' && d.value === 'direct link'),
    );
  });

  it('with the passcode off, a guest with no account arriving by a direct link is offered a personal account for the invited address', async () => {
    await setTenantSettings(s, t.tenantId, 'emailPasscodeEnabled=false');
    try {
      const inv = await invite('nora@partner.example');
      const { r, authorization } = await arrive('nora@partner.example');
      assert.match(r.page, /Create your account/);
      assert.match(r.page, /nora@partner\.example/);
      const proof = await step(r, '/redeem/signup', { displayName: 'Nora', password: 'a-long-enough-password' });
      assert.match(proof.page, /Enter code/);
      const consent = await step(proof, '/redeem/proof', { code: await mailedCode(s, 'nora@partner.example') });
      assert.match(consent.page, /Review permissions/);
      const landed = await step(consent, '/redeem/consent', { decision: 'accept' });
      assert.ok(landed.url.startsWith(app.redirectUri), landed.url);
      assert.equal((await authorization.claims(landed.url)).oid, inv.invitedUser.id);
      const u = await user(inv.invitedUser.id);
      assert.deepEqual([u.externalUserState, u.identities[0].issuer], ['Accepted', 'personal']);
    } finally {
      await setTenantSettings(s, t.tenantId, 'emailPasscodeEnabled=true');
    }
  });

  it('an accepted guest signs in again with a passcode and no consent page; the invitation link stays used', async () => {
    const { r, authorization } = await arrive('pat@partner.example');
    assert.match(r.page, /Enter code/);
    const landed = await step(r, '/redeem/passcode', { code: await mailedCode(s, 'pat@partner.example') });
    assert.ok(landed.url.startsWith(app.redirectUri), landed.url);
    assert.equal((await authorization.claims(landed.url)).email, 'pat@partner.example');
  });

  it('an accepted guest who comes back with another identity for the address is refused', async () => {
    // Pat now also has a personal account: discovery finds it first (step 4), but Pat redeemed with the passcode.
    await s.portico.services.store.transaction(async (tx) =>
      createPersonalAccount(tx, s.portico.services.clock, {
        email: 'pat@partner.example',
        displayName: 'Pat',
        passwordHash: await hashPassword('personal-password-1', { memoryCost: 1024, timeCost: 1 }),
        verified: true,
      }),
    );
    const { r } = await arrive('pat@partner.example');
    const refused = await step(r, '/redeem/personal', { password: 'personal-password-1' });
    assert.equal(refused.status, 403);
    assert.match(refused.page.replace(/&#39;/g, "'"), /isn't the account you accepted Contoso's invitation with/);
  });

  it('a contact-conflicted guest is refused on the direct path and told to use the invitation email', async () => {
    await t.api('POST', '/v1.0/contacts', { displayName: 'Quinn (contact)', mail: 'quinn@partner.example' });
    const inv = await invite('quinn@partner.example');
    assert.equal((await user(inv.invitedUser.id)).mail, null);
    const jar = new CookieJar();
    const identifier = await follow(jar, (await app.authorize()).url, s.baseUrl);
    const res = await postForm(
      jar,
      new URL(formAction(await identifier.res!.text(), '/identifier'), s.baseUrl).toString(),
      { login: 'quinn@partner.example' },
    );
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Open the link in your invitation email/);
    assert.equal((await user(inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
  });

  it('an alias (the home identity carries another address) is refused on the direct path', async () => {
    await home.api('POST', '/v1.0/users', {
      displayName: 'Cy',
      mailNickname: 'cy',
      userPrincipalName: 'cy@fabrikam.example',
      mail: 'cy.smith@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    const inv = await invite('cy@fabrikam.example');
    const { r } = await arrive('cy@fabrikam.example');
    assert.match(r.page, /Sign in to Fabrikam/);
    const refused = await step(r, '/redeem/home', { password: 'correct-horse-battery' });
    assert.equal(refused.status, 403);
    assert.match(refused.page, /only works through the link in your invitation email/);
    assert.equal((await user(inv.invitedUser.id)).externalUserState, 'PendingAcceptance');
  });

  it('an address that is neither a member nor a guest of the tenant is told so', async () => {
    const jar = new CookieJar();
    const identifier = await follow(jar, (await app.authorize()).url, s.baseUrl);
    const res = await postForm(
      jar,
      new URL(formAction(await identifier.res!.text(), '/identifier'), s.baseUrl).toString(),
      { login: 'nobody@partner.example' },
    );
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Contoso/);
  });
});
