import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeKinds } from './helpers/stores.ts';
import { apiClient, appToken, startTestServer, type TestServer } from './helpers/server.ts';

for (const { kind, skip } of storeKinds()) {
  describe(`smoke (${kind})`, { skip }, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer(kind); });
    after(async () => { await s?.close(); });

    it('serves health and an API call with a client-credentials token', async () => {
      assert.deepEqual(await (await fetch(`${s.baseUrl}/healthz`)).json(), { status: 'ok' });
      const p = await s.provision('Fabrikam');
      const token = await appToken(s.baseUrl, p.tenant.id, p.managementClient.clientId, p.managementClient.clientSecret);
      const res = await apiClient(s.baseUrl, token)('GET', '/v1.0/users');
      assert.equal(res.status, 200);
      assert.equal(res.body.value.length, 1);
    });
  });
}
