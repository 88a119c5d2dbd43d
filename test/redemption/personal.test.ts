// The personal-account paths of the flow, on both stores: an existing account (step 4), a new one when the tenant
// turned the passcode off (step 7, the address confirmed by a code), and the account picker (step 1's choice).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { createPersonalAccount, findPersonalAccount } from '../../src/personal/accounts.ts';
import { hashPassword } from '../../src/secrets.ts';
import { openAdmin } from '../helpers/admin.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { setTenantSettings } from '../helpers/cli.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { CookieJar } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite('redemption with personal accounts', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let home: TenantApi;
  before(async () => {
    home = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
  });

  const personal = async (email: string, password: string, verified = true) => {
    const { services } = s.portico;
    const passwordHash = await hashPassword(password, services.config.passwordCost);
    return services.store.transaction((tx) =>
      createPersonalAccount(tx, services.clock, { email, displayName: email.split('@')[0]!, passwordHash, verified }),
    );
  };
  const invite = async (email: string) =>
    (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://x.example/',
      })
    ).body;
  const identities = async (id: string) => (await t.api('GET', `/v1.0/users/${id}`)).body.identities;

  it('an existing personal account signs in with its password', async () => {
    const account = await personal('pat@partner.example', 'personal-password-1');
    const inv = await invite('pat@partner.example');
    const page = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
    assert.match(page.page, /Sign in with your personal account/);
    assert.equal((await submit(s, page, '/redeem/personal', { password: 'wrong-password-x' })).status, 400);
    const consent = await submit(s, page, '/redeem/personal', { password: 'personal-password-1' });
    assert.match(consent.page, /Review permissions/);
    await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.deepEqual(await identities(inv.invitedUser.id), [
      { signInType: 'federated', issuer: 'personal', issuerAssignedId: account.id },
    ]);
  });

  it('with the passcode off, the guest creates a personal account and confirms the address by a code', async () => {
    await setTenantSettings(s, t.tenantId, 'emailPasscodeEnabled=false');
    try {
      const inv = await invite('new@partner.example');
      const signup = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      assert.match(signup.page, /Create your account/);
      const weak = await submit(s, signup, '/redeem/signup', { displayName: 'Nia', password: 'short' });
      assert.equal(weak.status, 400);
      assert.equal(
        await findPersonalAccount(s.portico.services.store.db, 'new@partner.example'),
        undefined,
        'a refused sign-up creates nothing',
      );
      const proof = await submit(s, signup, '/redeem/signup', {
        displayName: 'Nia',
        password: 'a-long-enough-password',
      });
      assert.match(proof.page, /Enter code/);
      const consent = await submit(s, proof, '/redeem/proof', { code: await mailedCode(s, 'new@partner.example') });
      assert.match(consent.page, /Review permissions/);
      await submit(s, consent, '/redeem/consent', { decision: 'accept' });
      const account = await findPersonalAccount(s.portico.services.store.db, 'new@partner.example');
      assert.ok(account?.emailVerified, 'the code confirmed the address');
      assert.deepEqual(await identities(inv.invitedUser.id), [
        { signInType: 'federated', issuer: 'personal', issuerAssignedId: account!.id },
      ]);
      // The admin center's user page: "Invitation accepted" Yes, and the Source names the personal account.
      const page = (
        await openAdmin(s, new CookieJar(), `${s.baseUrl}/admin/${t.tenantId}/users/${inv.invitedUser.id}`, {
          email: t.admin.userPrincipalName,
          password: t.adminPassword,
        })
      ).page;
      assert.match(page, /<th scope="row">Invitation accepted<\/th><td>Yes<\/td>/);
      assert.match(page, /<th scope="row">Source<\/th><td>Personal account<\/td>/);
    } finally {
      await setTenantSettings(s, t.tenantId, 'emailPasscodeEnabled=true');
    }
  });

  it('an address with a work account and a personal account gets the picker', async () => {
    await home.api('POST', '/v1.0/users', {
      displayName: 'Kai',
      mailNickname: 'kai',
      userPrincipalName: 'kai@fabrikam.example',
      passwordProfile: { password: 'correct-horse-battery' },
    });
    const account = await personal('kai@fabrikam.example', 'personal-password-2');
    const work = await invite('kai@fabrikam.example');
    const picker = await submit(s, await openLink(s, work.inviteRedeemUrl), '/redeem/start');
    assert.match(picker.page, /Pick an account/);
    assert.match(picker.page, /Work or school account at Fabrikam/);
    const signIn = await submit(s, picker, '/redeem/pick', { choice: 'personal' });
    assert.match(signIn.page, /Sign in with your personal account/);
    const consent = await submit(s, signIn, '/redeem/personal', { password: 'personal-password-2' });
    await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal((await identities(work.invitedUser.id))[0].issuerAssignedId, account.id);
  });

  it('an unconfirmed personal account must confirm the address even where the tenant relaxed the proof', async () => {
    await setTenantSettings(s, t.tenantId, 'requireInvitedAddressProof=false');
    try {
      await personal('unv@partner.example', 'personal-password-3', false);
      const inv = await invite('unv@partner.example');
      const page = await submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
      const proof = await submit(s, page, '/redeem/personal', { password: 'personal-password-3' });
      assert.match(proof.page, /Enter code/);
    } finally {
      await setTenantSettings(s, t.tenantId, 'requireInvitedAddressProof=true');
    }
  });
});
