// Verified domains and federation domain mappings on both stores (federation/providers.ts): a domain a tenant of
// this Portico has verified is that tenant's, so a provider may not map it, and an existing mapping stops routing
// redemptions to its IdP while the domain is verified; unverifying it restores the mapping's effect.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { getProvider, type IdentityProvider } from '../../src/federation/providers.ts';
import { assertGraphError, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { startTestDns, type TestDns } from '../helpers/dns.ts';
import { addProvider } from '../helpers/federation.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { startSamlIdp, type SamlIdp } from '../helpers/saml-idp.ts';
import { suite } from '../helpers/suite.ts';

const SAML_SET = '/v1.0/directory/federationConfigurations/graph.samlOrWsFedExternalDomainFederation';

suite('verified domains in federation mappings', {}, ({ s, prepare }) => {
  let dns: TestDns;
  let idp: SamlIdp;
  let contoso: TenantApi;
  let partner: TenantApi;
  let mapping: IdentityProvider;
  prepare(async () => {
    dns = await startTestDns();
    idp = await startSamlIdp();
    return { runWorker: false, env: { PORTICO_DNS_SERVERS: dns.server } };
  });
  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso');
    partner = await tenantWithApi(s, 'Partner');
    mapping = await addProvider(s, contoso.tenantId, 'saml', {
      displayName: 'Partner SSO',
      issuerUri: idp.issuer,
      passiveSignInUri: idp.ssoUrl,
      signingCertificates: [idp.certBase64],
      domains: ['partner.example'],
    });
  });
  after(async () => {
    await idp?.close();
    await dns?.close();
  });

  /** Where Contoso's redemption of a new invitation to `email` leads: the IdP's URL, or the page reached. */
  async function redeem(email: string) {
    const inv = (
      await contoso.api('POST', '/v1.0/invitations', {
        invitedUserEmailAddress: email,
        inviteRedirectUrl: 'https://myapps.example/',
        sendInvitationMessage: false,
      })
    ).body as { inviteRedeemUrl: string };
    return submit(s, await openLink(s, inv.inviteRedeemUrl), '/redeem/start');
  }
  const toIdp = (r: { status: number; location?: string }) =>
    r.status === 303 && (r.location ?? '').startsWith(idp.ssoUrl);

  async function verifyAtPartner(name: string) {
    assert.equal((await partner.api('POST', '/v1.0/domains', { id: name })).status, 201);
    dns.publish(name, (await partner.api('GET', `/v1.0/domains/${name}/verificationDnsRecords`)).body.value[0].text);
    assert.equal((await partner.api('POST', `/v1.0/domains/${name}/verify`)).status, 200);
  }

  it('a mapping routes to its IdP until another tenant verifies the domain, and again once it is removed', async () => {
    assert.ok(toIdp(await redeem('ann@partner.example')), 'before: federation');

    await verifyAtPartner('partner.example');
    const during = await redeem('bob@partner.example');
    assert.ok(!toIdp(during), `verified elsewhere: never the federation (went to ${during.location ?? 'a page'})`);
    assert.match(during.page, /Enter code/, 'the address gets the passcode any unfederated address would');
    assert.deepEqual(
      (await getProvider(s.portico.services.store.db, contoso.tenantId, mapping.id))!.domains,
      ['partner.example'],
      'the mapping itself is kept',
    );

    assert.equal((await partner.api('DELETE', '/v1.0/domains/partner.example')).status, 204);
    assert.ok(toIdp(await redeem('cai@partner.example')), 'removed: the mapping works again');
  });

  it('a domain verified on this Portico cannot be mapped to an identity provider (400), nor added to one', async () => {
    await verifyAtPartner('partner.test');
    const created = await contoso.api('POST', SAML_SET, {
      displayName: 'Other SSO',
      issuerUri: 'urn:other',
      passiveSignInUri: idp.ssoUrl,
      signingCertificate: idp.certBase64,
      domains: [{ id: 'partner.test', name: 'partner.test' }],
    });
    assertGraphError(created, 400, 'Request_BadRequest');
    assert.match(created.body.error.message, /partner\.test is a verified domain of an organization on this Portico/);
    const added = await contoso.api('POST', `${SAML_SET}/${mapping.id}/domains`, { name: 'partner.test' });
    assertGraphError(added, 400, 'Request_BadRequest');
    // Its own verified domains are no partner's either.
    const own = await contoso.api('POST', `${SAML_SET}/${mapping.id}/domains`, { name: contoso.domain });
    assertGraphError(own, 400, 'Request_BadRequest');
    assert.deepEqual(
      (await getProvider(s.portico.services.store.db, contoso.tenantId, mapping.id))!.domains,
      ['partner.example'],
      'nothing changed',
    );

    // A mapping made before the domain was verified still saves other changes.
    await verifyAtPartner('partner.example');
    const renamed = await contoso.api('PATCH', `/v1.0/directory/federationConfigurations/${mapping.id}`, {
      displayName: 'Partner SSO (renamed)',
    });
    assert.equal(renamed.status, 204, JSON.stringify(renamed.body));

    // Unverified, the name may be mapped again.
    assert.equal((await partner.api('DELETE', '/v1.0/domains/partner.test')).status, 204);
    assert.equal(
      (await contoso.api('POST', `${SAML_SET}/${mapping.id}/domains`, { name: 'partner.test' })).status,
      201,
    );
  });
});
