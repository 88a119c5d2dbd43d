// signInAudience of app registrations through Graph's /applications: the four audiences Entra has, AzureADMyOrg by
// default, changed by PATCH, anything else refused without a change, and the tenant's management app kept single-tenant.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { assertGraphError, type GraphObject } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const body = (extra: Record<string, unknown> = {}) => ({
  displayName: 'Expenses',
  web: { redirectUris: ['https://expenses.example/callback'] },
  ...extra,
});

suite('API applications: signInAudience', { tenant: 'Contoso' }, ({ t }) => {
  const read = async (id: string) => (await t.api('GET', `/v1.0/applications/${id}`)).body as GraphObject;

  it('defaults to AzureADMyOrg, takes each of the four audiences at creation and by PATCH', async () => {
    const plain = await t.api('POST', '/v1.0/applications', body());
    assert.equal(plain.status, 201, JSON.stringify(plain.body));
    assert.equal(plain.body.signInAudience, 'AzureADMyOrg');
    for (const audience of [
      'AzureADMultipleOrgs',
      'AzureADandPersonalMicrosoftAccount',
      'PersonalMicrosoftAccount',
      'AzureADMyOrg',
    ]) {
      const made = await t.api('POST', '/v1.0/applications', body({ signInAudience: audience }));
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal((await read(made.body.id)).signInAudience, audience);
      assert.equal(
        (await t.api('PATCH', `/v1.0/applications/${plain.body.id}`, { signInAudience: audience })).status,
        204,
      );
      assert.equal((await read(plain.body.id)).signInAudience, audience);
    }
    const listed = await t.api(
      'GET',
      `/v1.0/applications?$filter=appId eq '${plain.body.appId}'&$select=signInAudience`,
    );
    assert.deepEqual(listed.body.value, [{ signInAudience: 'AzureADMyOrg' }]);
  });

  it('refuses an unknown audience (and a wrongly cased one) without changing the app', async () => {
    const made = await t.api('POST', '/v1.0/applications', body({ signInAudience: 'AzureADMultipleOrgs' }));
    for (const bad of ['AzureADandMicrosoftAccount', 'azureadmultipleorgs', '', 7, null]) {
      const res = await t.api('PATCH', `/v1.0/applications/${made.body.id}`, { signInAudience: bad });
      assertGraphError(res, 400, 'Request_BadRequest');
      assert.match(res.body.error.message, /signInAudience/);
      assertGraphError(
        await t.api('POST', '/v1.0/applications', body({ signInAudience: bad })),
        400,
        'Request_BadRequest',
      );
    }
    assert.equal((await read(made.body.id)).signInAudience, 'AzureADMultipleOrgs');
  });

  it("keeps the tenant's management app single-tenant", async () => {
    const all = (await t.api('GET', `/v1.0/applications?$filter=appId eq '${t.managementClient.clientId}'`)).body
      .value as GraphObject[];
    const res = await t.api('PATCH', `/v1.0/applications/${all[0]!.id}`, { signInAudience: 'AzureADMultipleOrgs' });
    assertGraphError(res, 400, 'Request_BadRequest');
    assert.match(res.body.error.message, /management app/);
    assert.equal((await read(all[0]!.id)).signInAudience, 'AzureADMyOrg');
  });
});
