// A deleted guest's invitation link is dead: opening it says it can't be used, and nothing is created or redeemed.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { CookieJar, request } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

suite(`a deleted guest's invitation`, { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  it('stops redeeming once the guest is deleted through the API', async () => {
    const inv = (
      await t.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: 'gone@partner.example',
        inviteRedirectUrl: 'https://x.example/',
        sendInvitationMessage: false,
      })
    ).body;
    assert.equal((await t.api('DELETE', `/v1.0/users/${inv.invitedUser.id}`)).status, 204);
    const jar = new CookieJar();
    const first = await request(jar, inv.inviteRedeemUrl);
    const landing =
      first.status === 303 ? await request(jar, new URL(first.headers.get('location')!, s.baseUrl).toString()) : first;
    assert.equal(landing.status, 400);
    assert.match(await landing.text(), /can(?:'|&#39;)t be used/);
    assert.equal(
      (await t.api('GET', `/v1.0/users?$filter=${encodeURIComponent("mail eq 'gone@partner.example'")}`)).body.value
        .length,
      0,
    );
  });
});
