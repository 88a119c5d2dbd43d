// A deleted guest's invitation link is dead: opening it says it can't be used, and nothing is created or redeemed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeKinds } from '../helpers/stores.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { CookieJar, request } from '../helpers/signin.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`a deleted guest's invitation (${kind})`, { skip }, () => {
    let s: TestServer;
    let t: TenantApi;
    before(async () => {
      s = await startTestServer(kind, { runWorker: false });
      t = await tenantWithApi(s, 'Contoso');
    });
    after(async () => { await s?.close(); });

    it('stops redeeming once the guest is deleted through the API', async () => {
      const inv = (await t.api('POST', '/v1.0/invitations', { invitedUserEmailAddress: 'gone@partner.example', inviteRedirectUrl: 'https://x.example/', sendInvitationMessage: false })).body;
      assert.equal((await t.api('DELETE', `/v1.0/users/${inv.invitedUser.id}`)).status, 204);
      const jar = new CookieJar();
      const first = await request(jar, inv.inviteRedeemUrl);
      const landing = first.status === 303 ? await request(jar, new URL(first.headers.get('location')!, s.baseUrl).toString()) : first;
      assert.equal(landing.status, 400);
      assert.match(await landing.text(), /can(?:'|&#39;)t be used/);
      assert.equal((await t.api('GET', `/v1.0/users?$filter=${encodeURIComponent("mail eq 'gone@partner.example'")}`)).body.value.length, 0);
    });
  });
}
