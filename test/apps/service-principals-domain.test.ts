// Another tenant's multi-tenant app as a tenant's provider sees it (apps/service-principals.ts clientAppFor): never with
// the owner tenant's application permissions or its client-credentials grant, so an app cannot read this tenant's
// directory with what its own tenant granted it; and a single-tenant app is unknown outside its tenant.
//
// A client-credentials app with application permissions can only be registered by code today (provisioning makes the
// management app; the API and the CLI register sign-in apps), so this test registers it with registerApp, the domain
// function provisioning uses, and then asks for a token over HTTP as an attacker would.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { registerApp } from '../../src/apps/apps.ts';
import { clientAppFor } from '../../src/apps/service-principals.ts';
import { suite } from '../helpers/suite.ts';

suite('multi-tenant apps in other tenants', {}, ({ s }) => {
  it("gives another tenant's app no application permissions and no client credentials there", async () => {
    const { store, clock } = s.portico.services;
    const contoso = await s.provision('Contoso');
    const fabrikam = await s.provision('Fabrikam');
    const register = (signInAudience: 'AzureADMultipleOrgs' | 'AzureADMyOrg') =>
      store.transaction((tx) =>
        registerApp(tx, clock, contoso.tenant.id, {
          displayName: 'Reader',
          grantTypes: ['client_credentials', 'authorization_code'],
          redirectUris: ['https://reader.example/callback'],
          appPermissions: ['Directory.Read.All'],
          signInAudience,
        }),
      );
    const multi = await register('AzureADMultipleOrgs');
    const single = await register('AzureADMyOrg');

    const atHome = await clientAppFor(store.db, contoso.tenant.id, multi.app.clientId);
    assert.deepEqual(atHome?.appPermissions, ['Directory.Read.All']);
    const there = await clientAppFor(store.db, fabrikam.tenant.id, multi.app.clientId);
    assert.ok(there?.foreign);
    assert.deepEqual(there.appPermissions, []);
    assert.deepEqual(there.grantTypes, ['authorization_code']);
    assert.equal(await clientAppFor(store.db, fabrikam.tenant.id, single.app.clientId), undefined);

    const token = (tenantId: string, app: typeof multi) =>
      fetch(`${s.baseUrl}/${tenantId}/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: app.app.clientId,
          client_secret: app.clientSecret!,
          scope: `${s.baseUrl}/v1.0/.default`,
        }),
      });
    assert.equal((await token(contoso.tenant.id, multi)).status, 200, 'at home the app gets its token');
    for (const app of [multi, single]) {
      const res = await token(fabrikam.tenant.id, app);
      assert.ok(res.status === 400 || res.status === 401, `refused at Fabrikam, got ${res.status}`);
      const body = (await res.json()) as { error: string; error_description: string };
      // oidc-provider says invalid_request ("requested grant type is not allowed for this client") for the multi-tenant
      // app, which Fabrikam knows without the grant; invalid_client for the single-tenant app, which it does not know.
      assert.match(
        `${body.error}: ${body.error_description}`,
        app === multi ? /^invalid_request: requested grant type is not allowed/ : /^invalid_client/,
        JSON.stringify(body),
      );
    }
  });
});
