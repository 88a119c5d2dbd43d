// Reading what an administrator hands us about a SAML or WS-Federation identity provider: its metadata document
// and its signing certificates. Anything that does not parse is refused here, before it is stored.
import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';

import { InvalidRequest } from '../errors.ts';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** A certificate as base64 DER (what Graph's `signingCertificate` holds), from base64 or PEM; throws when it is not one. */
export function normalizeCertificate(value: string): string {
  const body = value.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  let cert: X509Certificate;
  try {
    if (!/^[A-Za-z0-9+/]+=*$/.test(body)) throw new Error('not base64');
    cert = new X509Certificate(Buffer.from(body, 'base64'));
  } catch {
    throw new InvalidRequest('federation.certificateInvalid');
  }
  const type = cert.publicKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new InvalidRequest('federation.certificateKey', { type });
  return cert.raw.toString('base64');
}

export const certificateToPem = (base64: string): string =>
  `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

export interface IdpMetadata {
  issuerUri: string;
  passiveSignInUri: string;
  signingCertificates: string[];
}

/** The entity id, redirect-binding sign-in endpoint and signing certificates of an IdP metadata document. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const bad = (why: string) => new InvalidRequest('federation.metadataUnusable', { why });
  if (/<!DOCTYPE/i.test(xml)) throw bad('document type declarations are not allowed');
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(xml, 'text/xml');
  const root = doc?.documentElement;
  if (errors.length || !root) throw bad('it is not well-formed XML');
  const entity =
    root.localName === 'EntityDescriptor' && root.namespaceURI === MD
      ? root
      : root.getElementsByTagNameNS(MD, 'EntityDescriptor')[0];
  const issuerUri = entity?.getAttribute('entityID');
  if (!entity || !issuerUri) throw bad('no EntityDescriptor with an entityID');
  const idp = entity.getElementsByTagNameNS(MD, 'IDPSSODescriptor')[0];
  if (!idp) throw bad('no IDPSSODescriptor');
  const sso = Array.from(idp.getElementsByTagNameNS(MD, 'SingleSignOnService')).find(
    (e) => e.getAttribute('Binding') === REDIRECT_BINDING,
  );
  const passiveSignInUri = sso?.getAttribute('Location');
  if (!passiveSignInUri) throw bad('no SingleSignOnService with the HTTP-Redirect binding');
  const signingCertificates = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k) => !k.getAttribute('use') || k.getAttribute('use') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')))
    .map((c) => normalizeCertificate(c.textContent ?? ''));
  if (!signingCertificates.length) throw bad('no signing certificate');
  return { issuerUri, passiveSignInUri, signingCertificates: [...new Set(signingCertificates)] };
}

/** True for http(s) URLs; plain http only on loopback, where tests and local IdPs run. */
export function isAllowedUpstreamUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Federation metadata documents are a few kilobytes; anything far larger is not one. */
const MAX_METADATA_BYTES = 1024 * 1024;

/** Fetches metadata from the IdP's metadata exchange URL. */
export async function fetchIdpMetadata(url: string): Promise<IdpMetadata> {
  if (!isAllowedUpstreamUrl(url)) throw new InvalidRequest('federation.metadataUrl');
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    if (Number(res.headers.get('content-length') ?? 0) > MAX_METADATA_BYTES)
      throw new Error('the document is too large');
    text = await res.text();
    if (Buffer.byteLength(text) > MAX_METADATA_BYTES) throw new Error('the document is too large');
  } catch (error) {
    throw new InvalidRequest('federation.metadataUnreadable', { url, message: (error as Error).message });
  }
  return parseIdpMetadata(text);
}
