// The SAML test IdP is only useful if its genuine messages are valid and its attacks are attacks that a correct
// validator would otherwise accept or refuse for the right reason; node-saml (what Portico's SP uses) is the judge.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

import { startSamlIdp, type ResponseOptions, type SamlIdp } from '../helpers/saml-idp.ts';

const ACS = 'http://127.0.0.1:9/t1/federation/saml/acs';
const SP = 'http://127.0.0.1:9/t1/federation/saml';
const USER = { nameId: 'victim@partner.test.evil.test', email: 'victim@partner.test', displayName: 'Victim' };

describe('SAML test IdP fixture', () => {
  let idp: SamlIdp;
  let saml: SAML;
  before(async () => {
    idp = await startSamlIdp();
    saml = new SAML({
      issuer: SP,
      audience: SP,
      callbackUrl: ACS,
      entryPoint: idp.ssoUrl,
      idpCert: idp.certPem,
      wantAssertionsSigned: false,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.never,
    });
  });
  after(() => idp.close());

  const validate = (opts: Partial<ResponseOptions> = {}) =>
    saml.validatePostResponseAsync({
      SAMLResponse: idp.samlResponse({ acsUrl: ACS, audience: SP, user: USER, ...opts }),
    });

  it('issues responses node-saml accepts, signed on the assertion, the response or both', async () => {
    for (const opts of [{}, { signAssertion: false, signResponse: true }, { signResponse: true }]) {
      const { profile } = await validate(opts);
      assert.equal(profile?.nameID, USER.nameId);
      assert.equal(profile?.email, USER.email);
      assert.equal(profile?.issuer, idp.issuer);
    }
  });

  it("tampers after signing without breaking the signature, so only the SP's own screening can refuse", async () => {
    for (const opts of [
      { commentInNameId: true },
      { commentInDigest: true },
      { commentInDigest: true, signResponse: true },
    ]) {
      const xml = Buffer.from(
        idp.samlResponse({ acsUrl: ACS, audience: SP, user: USER, ...opts }),
        'base64',
      ).toString();
      assert.match(xml, /<!---->/);
      // node-saml reads the canonical signed bytes, where the comment is gone: the NameID is not truncated.
      assert.equal((await validate(opts)).profile?.nameID, USER.nameId);
    }
    assert.match(
      Buffer.from(
        idp.samlResponse({ acsUrl: ACS, audience: SP, user: USER, commentInNameId: true }),
        'base64',
      ).toString(),
      />victim@partner\.test<!---->\.evil\.test</,
    );
  });

  it('produces messages node-saml refuses: foreign key, unsigned, wrapped', async () => {
    await assert.rejects(validate({ key: 'other' }), /signature/i);
    await assert.rejects(validate({ unsigned: true }), /signature/i);
    await assert.rejects(validate({ wrap: 'duplicate' }), /multiple assertions/);
    await assert.rejects(validate({ wrap: 'extensions' }), /signature/i);
    await assert.rejects(validate({ audienceOverride: 'urn:someone-else' }), /audience/i);
  });

  it('puts exactly one verifiable signed assertion in a WS-Fed wresult', () => {
    for (const saml11 of [false, true]) {
      const wresult = idp.wsfedResult({ acsUrl: ACS, audience: SP, user: USER, saml11 });
      const doc = new DOMParser().parseFromString(wresult, 'text/xml');
      const ns = saml11 ? 'urn:oasis:names:tc:SAML:1.0:assertion' : 'urn:oasis:names:tc:SAML:2.0:assertion';
      assert.equal(doc.getElementsByTagNameNS(ns, 'Assertion').length, 1);
      assert.equal(doc.getElementsByTagNameNS('http://www.w3.org/2005/08/addressing', 'Address')[0]?.textContent, SP);
      const signatures = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature');
      assert.equal(signatures.length, 1);
      const sig = new SignedXml({ publicCert: idp.certPem, idAttribute: saml11 ? 'AssertionID' : undefined });
      sig.loadSignature(signatures[0]!);
      assert.equal(sig.checkSignature(wresult), true);
      assert.match(sig.getSignedReferences()[0] ?? '', /victim@partner\.test\.evil\.test/);
    }
  });

  it('answers a real AuthnRequest at /sso with a Continue form posting a valid response', async () => {
    const url = await saml.getAuthorizeUrlAsync('relay<&>', undefined, {});
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const html = await res.text();
    const seen = idp.requests.at(-1);
    assert.equal(seen?.acsUrl, ACS);
    assert.equal(seen?.issuer, SP);
    assert.equal(seen?.relayState, 'relay<&>');
    assert.match(seen?.id ?? '', /^_/);
    assert.match(html, /<title>Test IdP<\/title>/);
    assert.ok(html.includes(`<form method="post" action="${ACS}">`));
    assert.ok(html.includes('name="RelayState" value="relay&#60;&#38;&#62;"'));
    assert.match(html, /<button type="submit">Continue<\/button>/);
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const xml = Buffer.from(samlResponse, 'base64').toString();
    assert.ok(xml.includes(`InResponseTo="${seen?.id}"`));
    assert.equal((await saml.validatePostResponseAsync({ SAMLResponse: samlResponse })).profile?.email, idp.user.email);
  });

  it('serves metadata and refuses WS-Fed actions other than sign-in', async () => {
    const metadata = await fetch(idp.metadataUrl);
    assert.equal(metadata.headers.get('content-type'), 'application/samlmetadata+xml');
    const text = await metadata.text();
    assert.equal(text, idp.metadataXml);
    assert.ok(text.includes(idp.certBase64) && text.includes(`Location="${idp.ssoUrl}"`));
    assert.equal((await fetch(`${idp.wsfedUrl}?wa=wsignout1.0`)).status, 400);
    const page = await (
      await fetch(
        `${idp.wsfedUrl}?wa=wsignin1.0&wtrealm=${encodeURIComponent(SP)}&wreply=${encodeURIComponent(ACS)}&wctx=abc`,
      )
    ).text();
    assert.ok(
      page.includes('name="wa" value="wsignin1.0"') &&
        page.includes('name="wctx" value="abc"') &&
        page.includes('name="wresult"'),
    );
  });
});
