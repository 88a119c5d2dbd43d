// Configuring upstream identity providers through the API: samlOrWsFedExternalDomainFederation under
// /directory/federationConfigurations (explicit values, metadata XML, metadata fetched from a loopback URL, domains),
// Google and OpenID Connect under /identity/identityProviders (secrets sealed, never returned); every refusal is
// checked by reading back that nothing changed, audit log included.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';

import { clientSecretOf, getProvider } from '../../src/federation/providers.ts';
import {
  assertGraphError,
  ids,
  narrowApi,
  readAllPages,
  tenantWithApi,
  type Api,
  type GraphObject,
  type TenantApi,
} from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const FED = '/v1.0/directory/federationConfigurations';
const SAML = `${FED}/graph.samlOrWsFedExternalDomainFederation`;
const IDPS = '/v1.0/identity/identityProviders';
const SOCIAL = '#microsoft.graph.socialIdentityProvider';
const OIDC = '#microsoft.graph.openIdConnectIdentityProvider';
const pem = (name: string) => readFileSync(new URL(`../fixtures/saml/${name}`, import.meta.url), 'utf8');
const base64 = (text: string) => text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
const CERT_PEM = pem('idp-cert.pem');
const CERT = base64(CERT_PEM);
const OTHER = base64(pem('other-cert.pem'));

/** SAML 2.0 IdP metadata as IdPs publish it; `descriptor` lets a test send an SP's instead. */
function metadata(o: { entityId: string; sso: string; certs: string[]; descriptor?: string }): string {
  const descriptor = o.descriptor ?? 'IDPSSODescriptor';
  const keys = o.certs.map(
    (c) =>
      `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n${c.match(/.{1,64}/g)!.join('\n')}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${o.entityId}">
  <md:${descriptor} protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys.join('')}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${o.sso}/post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${o.sso}"/>
  </md:${descriptor}>
</md:EntityDescriptor>`;
}

/** An entity as a collection lists it: without its own @odata.context. */
const inList = ({ '@odata.context': _, ...rest }: GraphObject) => rest;
const domain = (name: string) => ({ '@odata.type': 'microsoft.graph.externalDomainName', id: name, name });
const samlBody = (name: string, d: string, extra: Record<string, unknown> = {}) => ({
  displayName: name,
  issuerUri: `urn:idp:${d}`,
  passiveSignInUri: `https://idp.${d}/sso`,
  signingCertificate: CERT_PEM,
  domains: [domain(d)],
  ...extra,
});
const googleBody = (extra: Record<string, unknown> = {}) => ({
  '@odata.type': SOCIAL,
  displayName: 'Google',
  identityProviderType: 'Google',
  clientId: 'google-client',
  clientSecret: 'google-secret-plain',
  ...extra,
});
const oidcBody = (d: string, extra: Record<string, unknown> = {}) => ({
  '@odata.type': OIDC,
  displayName: `OIDC ${d}`,
  clientId: `client-${d}`,
  clientSecret: `secret-${d}-plain`,
  issuer: `https://login.${d}/`,
  domains: [d],
  ...extra,
});

suite('API identity provider configuration', { tenant: 'Contoso' }, ({ s, t }) => {
  let reader: Api;
  let idp: Server;
  let idpBase: string;
  let served: string;
  before(async () => {
    reader = await narrowApi(s, t.tenantId, ['IdentityProvider.Read.All']);
    idp = createServer((req, res) => {
      if (req.url === '/metadata') res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(served);
      else if (req.url === '/not-metadata')
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body>');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    idpBase = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => idp?.close(resolve));
  });

  const created = async (api: Api, path: string, body: unknown) => {
    const res = await api('POST', path, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as GraphObject;
  };
  const audits = async (x: TenantApi = t) =>
    (await readAllPages(x.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items as unknown as {
      activityDisplayName: string;
      initiatedBy: { app: { appId: string } | null };
      targetResources: { id: string }[];
    }[];
  /** Everything a refused request could have changed. */
  const snapshot = async (x: TenantApi = t) => ({
    saml: (await x.api('GET', SAML)).body.value,
    idps: (await x.api('GET', IDPS)).body.value,
    audits: (await audits(x)).length,
  });
  const assertAudited = async (activity: string, id: string) => {
    const e = (await audits()).find((a) => a.activityDisplayName === activity && a.targetResources[0]?.id === id);
    assert.ok(e, `${activity} of ${id} is in the audit log`);
    assert.equal(e.initiatedBy.app?.appId, t.managementClient.clientId, 'the calling app is the actor');
  };

  it('creates a SAML federation from explicit values and reads it back by id and in the list', async () => {
    const f = await created(t.api, SAML, {
      ...samlBody('Fabrikam', 'fabrikam.example'),
      domains: [{ ...domain('fabrikam.example'), name: 'Fabrikam.Example' }],
    });
    assert.deepEqual(f, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#directory/federationConfigurations/$entity`,
      '@odata.type': '#microsoft.graph.samlOrWsFedExternalDomainFederation',
      id: f.id,
      displayName: 'Fabrikam',
      issuerUri: 'urn:idp:fabrikam.example',
      metadataExchangeUri: null,
      passiveSignInUri: 'https://idp.fabrikam.example/sso',
      preferredAuthenticationProtocol: 'saml',
      signingCertificate: CERT,
      signingCertificates: [CERT],
      domains: [{ id: 'fabrikam.example', name: 'fabrikam.example' }],
      isMfaTrusted: false,
    });
    assert.deepEqual((await reader('GET', `${FED}/${f.id}`)).body, f, 'IdentityProvider.Read.All reads');
    const list = await reader('GET', SAML);
    assert.equal(
      list.body['@odata.context'],
      `${s.baseUrl}/v1.0/$metadata#directory/federationConfigurations/microsoft.graph.samlOrWsFedExternalDomainFederation`,
    );
    assert.deepEqual(
      list.body.value.find((x: GraphObject) => x.id === f.id),
      inList(f),
    );
    assert.equal((await t.api('GET', `/${t.tenantId}${FED}/${f.id}`)).body.id, f.id, 'also under the tenant prefix');
    await assertAudited('Add identity provider', f.id);
  });

  it('imports metadata XML (explicit values win) and makes a WS-Federation one', async () => {
    const f = await created(t.api, SAML, {
      displayName: 'Xml',
      preferredAuthenticationProtocol: 'wsFed',
      passiveSignInUri: 'https://idp.xml.example/wsfed',
      domains: [{ name: 'xml.example' }],
      metadataXml: metadata({ entityId: 'urn:idp:xml', sso: 'https://idp.xml.example/saml', certs: [CERT, OTHER] }),
    });
    assert.deepEqual(
      [
        f.issuerUri,
        f.passiveSignInUri,
        f.preferredAuthenticationProtocol,
        f.signingCertificate,
        f.signingCertificates,
        f.metadataExchangeUri,
      ],
      ['urn:idp:xml', 'https://idp.xml.example/wsfed', 'wsFed', CERT, [CERT, OTHER], null],
    );
    assert.equal((await getProvider(s.portico.services.store.db, t.tenantId, f.id))?.kind, 'wsfed');
  });

  it('imports metadata from metadataExchangeUri alone, and a PATCH naming it reads it again', async () => {
    served = metadata({ entityId: 'urn:idp:url', sso: 'https://idp.url.example/sso', certs: [CERT] });
    const url = `${idpBase}/metadata`;
    const f = await created(t.api, SAML, {
      displayName: 'From URL',
      metadataExchangeUri: url,
      domains: [{ id: 'url.example' }],
    });
    assert.deepEqual(
      [f.issuerUri, f.passiveSignInUri, f.signingCertificates, f.metadataExchangeUri],
      ['urn:idp:url', 'https://idp.url.example/sso', [CERT], url],
    );
    served = metadata({ entityId: 'urn:idp:url', sso: 'https://idp.url.example/sso', certs: [OTHER, CERT] });
    assert.equal((await t.api('PATCH', `${FED}/${f.id}`, { metadataExchangeUri: url })).status, 204);
    const back = (await t.api('GET', `${FED}/${f.id}`)).body;
    assert.deepEqual(
      [back.signingCertificate, back.signingCertificates, back.domains],
      [OTHER, [OTHER, CERT], [{ id: 'url.example', name: 'url.example' }]],
    );
    await assertAudited('Update identity provider', f.id);
  });

  it('patches a SAML federation and adds and removes its domains', async () => {
    const f = await created(t.api, SAML, samlBody('Domains', 'one.example'));
    assert.equal(
      (await t.api('PATCH', `${FED}/${f.id}`, { displayName: 'Renamed', signingCertificates: [OTHER, CERT_PEM] }))
        .status,
      204,
    );
    let back = (await t.api('GET', `${FED}/${f.id}`)).body;
    assert.deepEqual(
      [back.displayName, back.signingCertificate, back.signingCertificates, back.issuerUri],
      ['Renamed', OTHER, [OTHER, CERT], 'urn:idp:one.example'],
    );
    const added = await t.api('POST', `${SAML}/${f.id}/domains`, domain('Two.Example'));
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual([added.body.id, added.body.name], ['two.example', 'two.example']);
    const list = await reader('GET', `${SAML}/${f.id}/domains`);
    assert.equal(
      list.body['@odata.context'],
      `${s.baseUrl}/v1.0/$metadata#directory/federationConfigurations('${f.id}')/microsoft.graph.samlOrWsFedExternalDomainFederation/domains`,
    );
    assert.deepEqual(list.body.value, [
      { id: 'one.example', name: 'one.example' },
      { id: 'two.example', name: 'two.example' },
    ]);
    assertGraphError(
      await t.api('POST', `${SAML}/${f.id}/domains`, domain('two.example')),
      400,
      'Request_MultipleObjectsWithSameKeyValue',
    );
    assert.equal((await t.api('DELETE', `${SAML}/${f.id}/domains/one.example`)).status, 204);
    assertGraphError(await t.api('DELETE', `${SAML}/${f.id}/domains/one.example`), 404, 'Request_ResourceNotFound');
    const last = await t.api('DELETE', `${SAML}/${f.id}/domains/two.example`);
    assertGraphError(last, 400, 'Request_BadRequest');
    assert.match(last.body.error.message, /At least one domain/);
    assertGraphError(
      await t.api('PATCH', `${FED}/${f.id}`, { preferredAuthenticationProtocol: 'wsFed' }),
      400,
      'Request_BadRequest',
    );
    back = (await t.api('GET', `${FED}/${f.id}`)).body;
    assert.deepEqual(
      [back.domains, back.preferredAuthenticationProtocol],
      [[{ id: 'two.example', name: 'two.example' }], 'saml'],
    );
  });

  it('deletes a SAML federation; each collection answers 404 for the other kind and for other tenants', async () => {
    const f = await created(t.api, SAML, samlBody('Doomed', 'doomed.example'));
    const o = await created(t.api, IDPS, oidcBody('elsewhere.example'));
    assertGraphError(await t.api('GET', `${IDPS}/${f.id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await t.api('GET', `${FED}/${o.id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await t.api('DELETE', `${FED}/${o.id}`), 404, 'Request_ResourceNotFound');
    const other = await tenantWithApi(s, 'Fabrikam');
    assertGraphError(await other.api('GET', `${FED}/${f.id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await other.api('DELETE', `${IDPS}/${o.id}`), 404, 'Request_ResourceNotFound');
    assert.equal((await t.api('DELETE', `${FED}/${f.id}`)).status, 204);
    assertGraphError(await t.api('GET', `${FED}/${f.id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await t.api('DELETE', `${FED}/${f.id}`), 404, 'Request_ResourceNotFound');
    assert.ok(!ids((await t.api('GET', SAML)).body.value).includes(f.id));
    await assertAudited('Delete identity provider', f.id);
    // The domain is free again.
    await created(t.api, SAML, samlBody('Reborn', 'doomed.example'));
  });

  it('configures Google: the secret is sealed, never returned, and can be replaced', async () => {
    const g = await tenantWithApi(s, 'Googly');
    const google = await created(g.api, IDPS, googleBody());
    assert.deepEqual(google, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#identity/identityProviders/$entity`,
      '@odata.type': SOCIAL,
      id: google.id,
      displayName: 'Google',
      identityProviderType: 'Google',
      clientId: 'google-client',
      clientSecret: '******',
    });
    const { store } = s.portico.services;
    const row = await store.db
      .selectFrom('identity_providers')
      .select('secret')
      .where('tenant_id', '=', g.tenantId)
      .where('id', '=', google.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.secret && !row.secret.includes('google-secret-plain'), 'stored sealed');
    const provider = (await getProvider(store.db, g.tenantId, google.id))!;
    assert.deepEqual(provider.domains, ['gmail.com', 'googlemail.com']);
    assert.equal(await clientSecretOf(store.db, provider), 'google-secret-plain');
    assert.equal(
      (
        await g.api('PATCH', `${IDPS}/${google.id}`, {
          '@odata.type': SOCIAL,
          clientSecret: 'rotated-secret',
          clientId: 'google-client-2',
        })
      ).status,
      204,
    );
    assert.equal(
      await clientSecretOf(store.db, (await getProvider(store.db, g.tenantId, google.id))!),
      'rotated-secret',
    );
    const list = await g.api('GET', IDPS);
    assert.equal(list.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#identity/identityProviders`);
    assert.deepEqual(list.body.value, [{ ...inList(google), clientId: 'google-client-2' }]);
    assert.ok(
      ![JSON.stringify(list.body), JSON.stringify((await g.api('GET', `${IDPS}/${google.id}`)).body)].some((x) =>
        /google-secret-plain|rotated-secret/.test(x),
      ),
    );
    assert.equal((await g.api('DELETE', `${IDPS}/${google.id}`)).status, 204);
    assert.deepEqual((await g.api('GET', IDPS)).body.value, []);
    const activities = (await audits(g))
      .filter((e) => e.targetResources[0]?.id === google.id)
      .map((e) => e.activityDisplayName)
      .sort();
    assert.deepEqual(activities, ['Add identity provider', 'Delete identity provider', 'Update identity provider']);
  });

  it('configures an OpenID Connect provider and updates it', async () => {
    const o = await created(
      t.api,
      IDPS,
      oidcBody('Partner.Example', { scope: 'openid email', responseType: 'code', '@odata.type': OIDC.slice(1) }),
    );
    assert.deepEqual(o, {
      '@odata.context': `${s.baseUrl}/v1.0/$metadata#identity/identityProviders/$entity`,
      '@odata.type': OIDC,
      id: o.id,
      displayName: 'OIDC Partner.Example',
      clientId: 'client-Partner.Example',
      clientSecret: '******',
      issuer: 'https://login.Partner.Example',
      metadataUrl: 'https://login.Partner.Example/.well-known/openid-configuration',
      scope: 'openid email',
      responseType: 'code',
      domains: ['partner.example'],
      isMfaTrusted: false,
    });
    const { store } = s.portico.services;
    assert.equal(
      await clientSecretOf(store.db, (await getProvider(store.db, t.tenantId, o.id))!),
      'secret-Partner.Example-plain',
    );
    // A default discovery URL follows a new issuer.
    assert.equal((await t.api('PATCH', `${IDPS}/${o.id}`, { issuer: 'https://id.partner.example' })).status, 204);
    assert.equal(
      (await t.api('GET', `${IDPS}/${o.id}`)).body.metadataUrl,
      'https://id.partner.example/.well-known/openid-configuration',
    );
    assert.equal(
      (
        await t.api('PATCH', `${IDPS}/${o.id}`, {
          metadataUrl: 'https://meta.partner.example/openid',
          domains: ['partner.example', 'sub.partner.example'],
          displayName: 'Partner',
        })
      ).status,
      204,
    );
    const back = (await reader('GET', `${IDPS}/${o.id}`)).body;
    assert.deepEqual(
      [back.displayName, back.metadataUrl, back.domains, back.clientSecret],
      ['Partner', 'https://meta.partner.example/openid', ['partner.example', 'sub.partner.example'], '******'],
    );
    assert.ok((await reader('GET', IDPS)).body.value.some((x: GraphObject) => x.id === o.id));
    await assertAudited('Update identity provider', o.id);
    assert.equal((await t.api('DELETE', `${IDPS}/${o.id}`)).status, 204);
    assertGraphError(await t.api('GET', `${IDPS}/${o.id}`), 404, 'Request_ResourceNotFound');
  });

  it('refuses conflicts and bad input with Graph errors, changing nothing', async () => {
    const x = await tenantWithApi(s, 'Refusals');
    await created(x.api, IDPS, googleBody());
    const saml = await created(x.api, SAML, samlBody('Taken', 'taken.example'));
    const oidc = await created(x.api, IDPS, oidcBody('oidc.example'));
    const before = await snapshot(x);
    const noCert = metadata({ entityId: 'urn:x', sso: 'https://idp.x.example/sso', certs: [] });
    const spOnly = metadata({
      entityId: 'urn:x',
      sso: 'https://idp.x.example/sso',
      certs: [CERT],
      descriptor: 'SPSSODescriptor',
    });
    const cases: [string, string, unknown, number, string, RegExp][] = [
      [
        'POST',
        SAML,
        samlBody('Twice', 'taken.example'),
        400,
        'Request_MultipleObjectsWithSameKeyValue',
        /taken\.example is already served by the identity provider 'Taken'/,
      ],
      [
        'POST',
        SAML,
        samlBody('Gmail', 'gmail.com'),
        400,
        'Request_MultipleObjectsWithSameKeyValue',
        /gmail\.com is already served by the identity provider 'Google'/,
      ],
      [
        'POST',
        IDPS,
        googleBody({ displayName: 'Google again' }),
        400,
        'Request_MultipleObjectsWithSameKeyValue',
        /gmail\.com is already served/,
      ],
      ['POST', IDPS, oidcBody('taken.example'), 400, 'Request_MultipleObjectsWithSameKeyValue', /taken\.example/],
      [
        'PATCH',
        `${IDPS}/${oidc.id}`,
        { domains: ['oidc.example', 'taken.example'] },
        400,
        'Request_MultipleObjectsWithSameKeyValue',
        /taken\.example/,
      ],
      [
        'POST',
        `${SAML}/${saml.id}/domains`,
        domain('oidc.example'),
        400,
        'Request_MultipleObjectsWithSameKeyValue',
        /oidc\.example/,
      ],
      [
        'POST',
        SAML,
        { ...samlBody('X', 'x.example'), signingCertificate: undefined, metadataXml: 'this is not XML' },
        400,
        'Request_BadRequest',
        /not well-formed XML/,
      ],
      [
        'POST',
        SAML,
        { displayName: 'X', domains: [domain('x.example')], metadataXml: spOnly },
        400,
        'Request_BadRequest',
        /no IDPSSODescriptor/,
      ],
      [
        'POST',
        SAML,
        { displayName: 'X', domains: [domain('x.example')], metadataXml: noCert },
        400,
        'Request_BadRequest',
        /no signing certificate/,
      ],
      [
        'POST',
        SAML,
        samlBody('X', 'x.example', { signingCertificate: 'MIIBnotacertificate==' }),
        400,
        'Request_BadRequest',
        /not a valid X\.509 certificate/,
      ],
      [
        'POST',
        SAML,
        samlBody('X', 'x.example', { signingCertificate: undefined }),
        400,
        'Request_BadRequest',
        /signing certificate is required/,
      ],
      [
        'POST',
        SAML,
        samlBody('X', 'x.example', { passiveSignInUri: 'http://idp.x.example/sso' }),
        400,
        'Request_BadRequest',
        /https/,
      ],
      [
        'POST',
        SAML,
        { displayName: 'X', domains: [domain('x.example')], metadataExchangeUri: 'http://idp.x.example/metadata' },
        400,
        'Request_BadRequest',
        /https/,
      ],
      [
        'POST',
        SAML,
        { displayName: 'X', domains: [domain('x.example')], metadataExchangeUri: `${idpBase}/not-metadata` },
        400,
        'Request_BadRequest',
        /not usable SAML 2\.0/,
      ],
      [
        'POST',
        SAML,
        { displayName: 'X', domains: [domain('x.example')], metadataExchangeUri: `${idpBase}/gone` },
        400,
        'Request_BadRequest',
        /could not be read.*HTTP 404/,
      ],
      ['POST', SAML, samlBody('X', 'x.example', { domains: [] }), 400, 'Request_BadRequest', /At least one domain/],
      [
        'POST',
        SAML,
        samlBody('X', 'x.example', { domains: [domain('not a domain')] }),
        400,
        'Request_BadRequest',
        /not a valid domain name/,
      ],
      [
        'POST',
        SAML,
        samlBody('X', 'x.example', { federatedIdpMfaBehavior: 'acceptIfMfaDoneByFederatedIdp' }),
        400,
        'Request_BadRequest',
        /Property 'federatedIdpMfaBehavior' does not exist/,
      ],
      [
        'POST',
        SAML,
        samlBody('X', 'x.example', { preferredAuthenticationProtocol: 'oidc' }),
        400,
        'Request_BadRequest',
        /preferredAuthenticationProtocol/,
      ],
      ['PATCH', `${FED}/${saml.id}`, { signingCertificate: 'not a certificate' }, 400, 'Request_BadRequest', /X\.509/],
      [
        'PATCH',
        `${FED}/${saml.id}`,
        { metadataXml: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>' },
        400,
        'Request_BadRequest',
        /no IDPSSODescriptor/,
      ],
      [
        'POST',
        IDPS,
        { ...googleBody(), '@odata.type': undefined },
        400,
        'Request_BadRequest',
        /@odata\.type is required/,
      ],
      [
        'POST',
        IDPS,
        googleBody({ '@odata.type': '#microsoft.graph.appleManagedIdentityProvider' }),
        400,
        'Request_BadRequest',
        /is not supported/,
      ],
      [
        'POST',
        IDPS,
        googleBody({ identityProviderType: 'Facebook' }),
        400,
        'Request_BadRequest',
        /supports Google only/,
      ],
      [
        'POST',
        IDPS,
        oidcBody('new.example', { clientSecret: undefined }),
        400,
        'Request_BadRequest',
        /clientSecret is required/,
      ],
      [
        'POST',
        IDPS,
        oidcBody('new.example', { issuer: 'http://login.new.example' }),
        400,
        'Request_BadRequest',
        /https/,
      ],
      [
        'POST',
        IDPS,
        oidcBody('new.example', { responseType: 'id_token' }),
        400,
        'Request_BadRequest',
        /only 'code' is supported/,
      ],
      [
        'POST',
        IDPS,
        oidcBody('new.example', { identityProviderType: 'Google' }),
        400,
        'Request_BadRequest',
        /Property 'identityProviderType' does not exist/,
      ],
      ['POST', IDPS, oidcBody('new.example', { scope: 'email' }), 400, 'Request_BadRequest', /openid/],
      [
        'PATCH',
        `${IDPS}/${oidc.id}`,
        { '@odata.type': SOCIAL, clientId: 'x' },
        400,
        'Request_BadRequest',
        /does not match/,
      ],
      ['POST', IDPS, '{"@odata.type": ', 400, 'BadRequest', /JSON/],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const res = await x.api(method, path, body);
      assertGraphError(res, status, code);
      assert.match(res.body.error.message, message, `${method} ${path} ${JSON.stringify(body).slice(0, 120)}`);
    }
    assert.deepEqual(await snapshot(x), before);
  });

  it('needs IdentityProvider.Read.All to read and IdentityProvider.ReadWrite.All to write', async () => {
    const f = await created(t.api, SAML, samlBody('Guarded', 'guarded.example'));
    const before = await snapshot();
    const none = await narrowApi(s, t.tenantId, ['Directory.ReadWrite.All']);
    for (const path of [SAML, `${FED}/${f.id}`, `${SAML}/${f.id}/domains`, IDPS])
      assertGraphError(await none('GET', path), 403, 'Authorization_RequestDenied');
    for (const api of [none, reader]) {
      assertGraphError(await api('POST', SAML, samlBody('No', 'no.example')), 403, 'Authorization_RequestDenied');
      assertGraphError(await api('PATCH', `${FED}/${f.id}`, { displayName: 'No' }), 403, 'Authorization_RequestDenied');
      assertGraphError(await api('DELETE', `${FED}/${f.id}`), 403, 'Authorization_RequestDenied');
      assertGraphError(
        await api('POST', `${SAML}/${f.id}/domains`, domain('no.example')),
        403,
        'Authorization_RequestDenied',
      );
      assertGraphError(await api('POST', IDPS, oidcBody('no.example')), 403, 'Authorization_RequestDenied');
    }
    assert.deepEqual(await snapshot(), before);
    const writer = await narrowApi(s, t.tenantId, ['IdentityProvider.ReadWrite.All']);
    assert.equal((await writer('GET', `${FED}/${f.id}`)).status, 200);
  });

  it('pages and projects the lists', async () => {
    const all = (await t.api('GET', SAML)).body.value as GraphObject[];
    assert.ok(all.length >= 3);
    const { items, pages } = await readAllPages(t.api, s.baseUrl, `${SAML}?$top=2&$select=id,displayName&$count=true`);
    assert.deepEqual(
      items.map((i) => i.id),
      all.map((i) => i.id),
    );
    assert.equal(pages.length, Math.ceil(all.length / 2));
    assert.equal(pages[0]['@odata.count'], all.length);
    assert.deepEqual(Object.keys(items[0]!), ['id', 'displayName']);
    assertGraphError(await t.api('GET', `${IDPS}?$filter=displayName eq 'x'`), 400, 'Request_UnsupportedQuery');
  });
});
