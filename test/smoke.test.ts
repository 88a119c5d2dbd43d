import assert from 'node:assert/strict';
import { it } from 'node:test';

import { apiClient, appToken } from './helpers/server.ts';
import { suite } from './helpers/suite.ts';

suite('smoke', {}, ({ s }) => {
  it('serves health and an API call with a client-credentials token', async () => {
    assert.deepEqual(await (await fetch(`${s.baseUrl}/healthz`)).json(), { status: 'ok' });
    const p = await s.provision('Fabrikam');
    const token = await appToken(s.baseUrl, p.tenant.id, p.managementClient.clientId, p.managementClient.clientSecret);
    const res = await apiClient(s.baseUrl, token)('GET', '/v1.0/users');
    assert.equal(res.status, 200);
    assert.equal(res.body.value.length, 1);
  });
});
