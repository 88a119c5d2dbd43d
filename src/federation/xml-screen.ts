// What Portico refuses in a SAML or WS-Federation message before any signature is checked. node-saml verifies
// signatures and reads only signed bytes; these rules close what it leaves open: comments (the NameID truncation
// attack), DTDs, more than one assertion anywhere (signature wrapping), encrypted assertions (no key is configured)
// and weak algorithms (SHA-1). Screening only ever refuses: nothing read here is trusted.
import { DOMParser } from '@xmldom/xmldom';

import { FederationRefused } from './refusal.ts';

export const SAML2_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML1_ASSERTION = 'urn:oasis:names:tc:SAML:1.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

export const MAX_MESSAGE_BYTES = 256 * 1024;

const SIGNATURE_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
]);
const DIGEST_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

/** Parses a message and applies the rules above; returns the document for the caller's own refusals. */
export function screenXml(xml: string): ReturnType<DOMParser['parseFromString']> {
  if (Buffer.byteLength(xml) > MAX_MESSAGE_BYTES) throw new FederationRefused('malformed', 'the message is too large');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new FederationRefused('malformed', 'the message has a document type declaration');
  if (xml.includes('<!--')) throw new FederationRefused('malformed', 'the message contains XML comments');
  if (/<\?(?!xml[\s?])/i.test(xml) || (xml.match(/<\?/g)?.length ?? 0) > 1)
    throw new FederationRefused('malformed', 'the message contains processing instructions');
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(xml, 'text/xml');
  if (errors.length || !doc?.documentElement)
    throw new FederationRefused('malformed', 'the message is not well-formed XML');

  if (doc.getElementsByTagNameNS(SAML2_ASSERTION, 'EncryptedAssertion').length)
    throw new FederationRefused('malformed', 'encrypted assertions are not accepted');
  const assertions =
    doc.getElementsByTagNameNS(SAML2_ASSERTION, 'Assertion').length +
    doc.getElementsByTagNameNS(SAML1_ASSERTION, 'Assertion').length;
  if (assertions !== 1)
    throw new FederationRefused('malformed', `the message must carry exactly one assertion (it has ${assertions})`);

  const signatures = doc.getElementsByTagNameNS(DS, 'Signature');
  if (!signatures.length) throw new FederationRefused('signature', 'the message is not signed');
  for (const method of Array.from(doc.getElementsByTagNameNS(DS, 'SignatureMethod'))) {
    if (!SIGNATURE_ALGORITHMS.has(method.getAttribute('Algorithm') ?? ''))
      throw new FederationRefused(
        'algorithm',
        `the signature algorithm ${method.getAttribute('Algorithm')} is not allowed (use RSA or ECDSA with SHA-256 or stronger)`,
      );
  }
  for (const method of Array.from(doc.getElementsByTagNameNS(DS, 'DigestMethod'))) {
    if (!DIGEST_ALGORITHMS.has(method.getAttribute('Algorithm') ?? ''))
      throw new FederationRefused(
        'algorithm',
        `the digest algorithm ${method.getAttribute('Algorithm')} is not allowed (use SHA-256 or stronger)`,
      );
  }
  return doc;
}
