// An in-process SAML 2.0 / WS-Federation identity provider for tests of Portico's service provider. Messages are
// built as strings and signed with xml-crypto exactly as real IdPs do it (exclusive c14n, enveloped signature,
// certificate in KeyInfo), so a test fails because of what the SP checks, never because the fixture is sloppy.
// The attack knobs (comments, wrapping, foreign keys) tamper with a correctly signed message after signing, the
// way an attacker holding one genuine response would.
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

export interface SamlUser {
  nameId: string;
  email: string;
  /** Defaults to persistent. */
  nameIdFormat?: string;
  displayName?: string;
  /** how the IdP says they authenticated; PasswordProtectedTransport by default (an MFA one: see federation/saml.ts) */
  authnContextClassRef?: string;
}

export interface ResponseOptions {
  /** Destination of the Response and Recipient of SubjectConfirmationData. */
  acsUrl: string;
  /** The SP entity id, put in AudienceRestriction. */
  audience: string;
  /** On Response and SubjectConfirmationData. */
  inResponseTo?: string;
  user: SamlUser;
  /** Default true. */
  signAssertion?: boolean;
  /** Default false. When both are signed, the assertion is signed first. */
  signResponse?: boolean;
  /** Which key signs; `other` is untrusted (its own certificate goes in KeyInfo). */
  key?: 'idp' | 'other';
  /** rsa-sha1 and sha1 digests instead of rsa-sha256 and sha256. */
  sha1?: boolean;
  destination?: string;
  recipient?: string;
  audienceOverride?: string;
  /** Defaults: now - 1 min, now + 5 min, now. */
  notBefore?: Date;
  notOnOrAfter?: Date;
  issueInstant?: Date;
  assertionId?: string;
  issuer?: string;
  /** After signing, splits the NameID text with `<!---->` (before its last two dot labels); the signature stays valid. */
  commentInNameId?: boolean;
  /** After signing, splits every DigestValue with `<!---->`. */
  commentInDigest?: boolean;
  /**
   * After signing. duplicate: an unsigned evil Assertion (`evilUser`) right after the signed one. extensions: the
   * signed assertion moves into samlp:Extensions (WS-Fed: t:Extensions) and the evil copy takes its place.
   */
  wrap?: 'duplicate' | 'extensions';
  /** Whom the evil assertion of `wrap` names; default attacker@evil.test. */
  evilUser?: SamlUser;
  /** Sign nothing (overrides signAssertion and signResponse). */
  unsigned?: boolean;
}

export type WsFedOptions = Omit<ResponseOptions, 'inResponseTo' | 'destination' | 'signResponse'> & {
  saml11?: boolean;
};

export interface AuthnRequestSeen {
  id: string;
  acsUrl: string;
  relayState?: string;
  issuer: string;
  nameIdPolicyFormat?: string;
}

export interface SamlIdp {
  /** `${url}/idp` */
  issuer: string;
  /** http://127.0.0.1:<port> */
  url: string;
  /** HTTP-Redirect binding endpoint for AuthnRequests. */
  ssoUrl: string;
  /** WS-Federation passive endpoint. */
  wsfedUrl: string;
  metadataUrl: string;
  metadataXml: string;
  certPem: string;
  /** Base64 DER, no PEM armor. */
  certBase64: string;
  otherCertBase64: string;
  /** Who signs in at /sso and /wsfed; tests set it. */
  user: SamlUser;
  /** AuthnRequests received at /sso, in order. */
  requests: AuthnRequestSeen[];
  /** A base64 samlp:Response. */
  samlResponse(opts: ResponseOptions): string;
  /** The `wresult` XML: a t:RequestSecurityTokenResponse carrying one signed assertion. */
  wsfedResult(opts: WsFedOptions): string;
  close(): Promise<void>;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAML1 = 'urn:oasis:names:tc:SAML:1.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const DEFAULT_EVIL: SamlUser = { nameId: 'attacker@evil.test', email: 'attacker@evil.test', displayName: 'Attacker' };

interface KeyPair {
  key: string;
  cert: string;
}
const fixture = (name: string) => readFileSync(new URL(`../fixtures/saml/${name}`, import.meta.url), 'utf8');
const KEYS: Record<'idp' | 'other', KeyPair> = {
  idp: { key: fixture('idp-key.pem'), cert: fixture('idp-cert.pem') },
  other: { key: fixture('other-key.pem'), cert: fixture('other-cert.pem') },
};
const base64Der = (pem: string) => new X509Certificate(pem).raw.toString('base64');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const newId = () => `_${randomBytes(16).toString('hex')}`;
const iso = (d: Date) => d.toISOString();

interface Times {
  issueInstant: Date;
  notBefore: Date;
  notOnOrAfter: Date;
}
function times(opts: ResponseOptions): Times {
  const now = Date.now();
  return {
    issueInstant: opts.issueInstant ?? new Date(now),
    notBefore: opts.notBefore ?? new Date(now - 60_000),
    notOnOrAfter: opts.notOnOrAfter ?? new Date(now + 5 * 60_000),
  };
}

function sign(
  xml: string,
  opts: {
    key: KeyPair;
    sha1?: boolean;
    element: string;
    location: string;
    action: 'after' | 'append';
    idAttribute?: string;
  },
): string {
  const sig = new SignedXml({
    privateKey: opts.key.key,
    publicCert: opts.key.cert,
    idAttribute: opts.idAttribute,
    canonicalizationAlgorithm: EXC_C14N,
    signatureAlgorithm: opts.sha1 ? `${DS}rsa-sha1` : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: opts.element,
    transforms: [`${DS}enveloped-signature`, EXC_C14N],
    digestAlgorithm: opts.sha1 ? `${DS}sha1` : 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { location: { reference: opts.location, action: opts.action } });
  return sig.getSignedXml();
}

function attribute(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  const format = name.includes(':') ? 'uri' : 'basic';
  return (
    `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:${format}">` +
    `<saml:AttributeValue>${esc(value)}</saml:AttributeValue></saml:Attribute>`
  );
}

/** A SAML 2.0 Assertion that declares its own namespace, so it can be signed alone and embedded anywhere. */
function assertion2(opts: ResponseOptions, issuer: string, user: SamlUser, id: string): string {
  const t = times(opts);
  const inResponseTo = opts.inResponseTo ? ` InResponseTo="${esc(opts.inResponseTo)}"` : '';
  return (
    `<saml:Assertion xmlns:saml="${SAML}" ID="${esc(id)}" Version="2.0" IssueInstant="${iso(t.issueInstant)}">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    '<saml:Subject>' +
    `<saml:NameID Format="${esc(user.nameIdFormat ?? PERSISTENT)}">${esc(user.nameId)}</saml:NameID>` +
    '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">' +
    `<saml:SubjectConfirmationData${inResponseTo} Recipient="${esc(opts.recipient ?? opts.acsUrl)}" NotOnOrAfter="${iso(t.notOnOrAfter)}"/>` +
    '</saml:SubjectConfirmation></saml:Subject>' +
    `<saml:Conditions NotBefore="${iso(t.notBefore)}" NotOnOrAfter="${iso(t.notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${esc(opts.audienceOverride ?? opts.audience)}</saml:Audience></saml:AudienceRestriction>` +
    '</saml:Conditions>' +
    `<saml:AuthnStatement AuthnInstant="${iso(t.issueInstant)}" SessionIndex="${newId()}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>${esc(user.authnContextClassRef ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport')}</saml:AuthnContextClassRef></saml:AuthnContext>` +
    '</saml:AuthnStatement>' +
    '<saml:AttributeStatement>' +
    attribute(`${CLAIMS}/emailaddress`, user.email) +
    attribute('email', user.email) +
    attribute(`${CLAIMS}/name`, user.displayName) +
    '</saml:AttributeStatement>' +
    '</saml:Assertion>'
  );
}

/** A SAML 1.1 assertion as AD FS issues it for WS-Federation (the Issuer is an attribute, the signature goes last). */
function assertion11(opts: WsFedOptions, issuer: string, user: SamlUser, id: string): string {
  const t = times(opts);
  const subject =
    `<saml:Subject><saml:NameIdentifier Format="${esc(user.nameIdFormat ?? PERSISTENT)}">${esc(user.nameId)}</saml:NameIdentifier>` +
    '<saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:bearer</saml:ConfirmationMethod></saml:SubjectConfirmation></saml:Subject>';
  const attr = (name: string, value: string | undefined) =>
    value === undefined
      ? ''
      : `<saml:Attribute AttributeName="${name}" AttributeNamespace="${CLAIMS}"><saml:AttributeValue>${esc(value)}</saml:AttributeValue></saml:Attribute>`;
  return (
    `<saml:Assertion xmlns:saml="${SAML1}" MajorVersion="1" MinorVersion="1" AssertionID="${esc(id)}" Issuer="${esc(issuer)}" IssueInstant="${iso(t.issueInstant)}">` +
    `<saml:Conditions NotBefore="${iso(t.notBefore)}" NotOnOrAfter="${iso(t.notOnOrAfter)}">` +
    `<saml:AudienceRestrictionCondition><saml:Audience>${esc(opts.audienceOverride ?? opts.audience)}</saml:Audience></saml:AudienceRestrictionCondition>` +
    '</saml:Conditions>' +
    `<saml:AttributeStatement>${subject}${attr('emailaddress', user.email)}${attr('name', user.displayName)}</saml:AttributeStatement>` +
    `<saml:AuthenticationStatement AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:password" AuthenticationInstant="${iso(t.issueInstant)}">${subject}</saml:AuthenticationStatement>` +
    '</saml:Assertion>'
  );
}

/** Splits an element's text with an empty comment at `at`; exclusive c14n (without comments) does not see it. */
function splitWithComment(el: Element, at: (text: string) => number): void {
  const text = el.textContent ?? '';
  const i = at(text);
  const doc = el.ownerDocument;
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(doc.createTextNode(text.slice(0, i)));
  el.appendChild(doc.createComment(''));
  el.appendChild(doc.createTextNode(text.slice(i)));
}

/** 'victim@partner.test.evil.test' -> before '.evil.test'; fewer dots -> before the last one, or the middle. */
function nameIdSplit(text: string): number {
  const last = text.lastIndexOf('.');
  const secondLast = last > 0 ? text.lastIndexOf('.', last - 1) : -1;
  if (secondLast > text.indexOf('@')) return secondLast;
  return last > 0 ? last : Math.floor(text.length / 2);
}

/** The post-signing tampering knobs, applied to the whole signed document. */
function tamper(xml: string, opts: ResponseOptions, evil: () => string, container: 'Response' | 'RSTR'): string {
  if (!opts.commentInNameId && !opts.commentInDigest && !opts.wrap) return xml;
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signed = [
    ...Array.from(doc.getElementsByTagNameNS(SAML, 'Assertion')),
    ...Array.from(doc.getElementsByTagNameNS(SAML1, 'Assertion')),
  ][0];
  if (!signed?.parentNode) throw new Error('no assertion to tamper with');
  if (opts.commentInNameId) {
    const nameId =
      signed.getElementsByTagNameNS(SAML, 'NameID')[0] ?? signed.getElementsByTagNameNS(SAML1, 'NameIdentifier')[0];
    if (nameId) splitWithComment(nameId, nameIdSplit);
  }
  if (opts.commentInDigest) {
    for (const digest of Array.from(doc.getElementsByTagNameNS(DS, 'DigestValue')))
      splitWithComment(digest, (t) => Math.floor(t.length / 2));
  }
  if (opts.wrap) {
    const evilEl = doc.importNode(new DOMParser().parseFromString(evil(), 'text/xml').documentElement!, true);
    const parent = signed.parentNode;
    parent.insertBefore(evilEl, signed.nextSibling);
    if (opts.wrap === 'extensions') {
      const root = doc.documentElement!;
      const extensions =
        container === 'Response'
          ? doc.createElementNS(SAMLP, 'samlp:Extensions')
          : doc.createElementNS(root.namespaceURI, 't:Extensions');
      // Schema order in a Response: Issuer, Signature?, Extensions?, Status.
      const before =
        container === 'Response' ? (root.getElementsByTagNameNS(SAMLP, 'Status')[0] ?? null) : root.firstChild;
      root.insertBefore(extensions, before);
      extensions.appendChild(signed);
    }
  }
  return new XMLSerializer().serializeToString(doc);
}

export function startSamlIdp(options: { user?: SamlUser } = {}): Promise<SamlIdp> {
  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      send(res, 400, 'text/plain; charset=utf-8', `Test IdP: ${(error as Error).message}`);
    }
  });

  const idp: SamlIdp = {
    issuer: '',
    url: '',
    ssoUrl: '',
    wsfedUrl: '',
    metadataUrl: '',
    metadataXml: '',
    certPem: KEYS.idp.cert,
    certBase64: base64Der(KEYS.idp.cert),
    otherCertBase64: base64Der(KEYS.other.cert),
    user: options.user ?? { nameId: 'alice-0001', email: 'alice@partner.test', displayName: 'Alice Partner' },
    requests: [],

    samlResponse(opts) {
      const issuer = opts.issuer ?? idp.issuer;
      const key = KEYS[opts.key ?? 'idp'];
      const t = times(opts);
      let assertion = assertion2(opts, issuer, opts.user, opts.assertionId ?? newId());
      if (!opts.unsigned && (opts.signAssertion ?? true)) {
        assertion = sign(assertion, {
          key,
          sha1: opts.sha1,
          element: "/*[local-name(.)='Assertion']",
          location: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']",
          action: 'after',
        });
      }
      const inResponseTo = opts.inResponseTo ? ` InResponseTo="${esc(opts.inResponseTo)}"` : '';
      let xml =
        `<samlp:Response xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${newId()}" Version="2.0" IssueInstant="${iso(t.issueInstant)}" Destination="${esc(opts.destination ?? opts.acsUrl)}"${inResponseTo}>` +
        `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
        `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
        `${assertion}</samlp:Response>`;
      if (!opts.unsigned && opts.signResponse) {
        xml = sign(xml, {
          key,
          sha1: opts.sha1,
          element: "/*[local-name(.)='Response']",
          location: "/*[local-name(.)='Response']/*[local-name(.)='Issuer']",
          action: 'after',
        });
      }
      xml = tamper(xml, opts, () => assertion2(opts, issuer, opts.evilUser ?? DEFAULT_EVIL, newId()), 'Response');
      return Buffer.from(xml).toString('base64');
    },

    wsfedResult(opts) {
      const issuer = opts.issuer ?? idp.issuer;
      const key = KEYS[opts.key ?? 'idp'];
      const t = times(opts);
      const build = (user: SamlUser, id: string) =>
        opts.saml11 ? assertion11(opts, issuer, user, id) : assertion2(opts, issuer, user, id);
      let assertion = build(opts.user, opts.assertionId ?? newId());
      if (!opts.unsigned && (opts.signAssertion ?? true)) {
        assertion = opts.saml11
          ? sign(assertion, {
              key,
              sha1: opts.sha1,
              element: '/*',
              location: '/*',
              action: 'append',
              idAttribute: 'AssertionID',
            })
          : sign(assertion, {
              key,
              sha1: opts.sha1,
              element: "/*[local-name(.)='Assertion']",
              location: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']",
              action: 'after',
            });
      }
      const wsu = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
      const xml =
        '<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust">' +
        `<t:Lifetime><wsu:Created xmlns:wsu="${wsu}">${iso(t.issueInstant)}</wsu:Created><wsu:Expires xmlns:wsu="${wsu}">${iso(t.notOnOrAfter)}</wsu:Expires></t:Lifetime>` +
        '<wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing">' +
        `<wsa:Address>${esc(opts.audience)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
        `<t:RequestedSecurityToken>${assertion}</t:RequestedSecurityToken>` +
        `<t:TokenType>${opts.saml11 ? SAML1 : 'urn:oasis:names:tc:SAML:2.0:assertion'}</t:TokenType>` +
        '<t:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</t:RequestType>' +
        '<t:KeyType>http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey</t:KeyType>' +
        '</t:RequestSecurityTokenResponse>';
      return tamper(xml, opts, () => build(opts.evilUser ?? DEFAULT_EVIL, newId()), 'RSTR');
    },

    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', idp.url);
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'GET only');
    if (url.pathname === '/metadata') return send(res, 200, 'application/samlmetadata+xml', idp.metadataXml);
    if (url.pathname === '/sso') {
      const samlRequest = url.searchParams.get('SAMLRequest');
      if (!samlRequest) throw new Error('no SAMLRequest');
      const request = readAuthnRequest(inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8'));
      const relayState = url.searchParams.get('RelayState') ?? undefined;
      idp.requests.push({ ...request, relayState });
      const response = idp.samlResponse({
        acsUrl: request.acsUrl,
        audience: request.issuer,
        inResponseTo: request.id,
        user: idp.user,
      });
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        page(request.acsUrl, { SAMLResponse: response, RelayState: relayState }),
      );
    }
    if (url.pathname === '/wsfed') {
      const q = (name: string) => url.searchParams.get(name) ?? undefined;
      if (q('wa') !== 'wsignin1.0') return send(res, 400, 'text/plain', 'only wa=wsignin1.0 is supported');
      const wreply = q('wreply');
      const wtrealm = q('wtrealm');
      if (!wreply || !wtrealm) throw new Error('wreply and wtrealm are required');
      const wresult = idp.wsfedResult({ acsUrl: wreply, audience: wtrealm, user: idp.user });
      return send(res, 200, 'text/html; charset=utf-8', page(wreply, { wa: 'wsignin1.0', wresult, wctx: q('wctx') }));
    }
    send(res, 404, 'text/plain', 'not found');
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      idp.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      idp.issuer = `${idp.url}/idp`;
      idp.ssoUrl = `${idp.url}/sso`;
      idp.wsfedUrl = `${idp.url}/wsfed`;
      idp.metadataUrl = `${idp.url}/metadata`;
      idp.metadataXml = metadata(idp.issuer, idp.ssoUrl, idp.certBase64);
      resolve(idp);
    });
  });
}

function readAuthnRequest(xml: string): Omit<AuthnRequestSeen, 'relayState'> {
  const request = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  if (request?.namespaceURI !== SAMLP || request.localName !== 'AuthnRequest') throw new Error('not an AuthnRequest');
  const id = request.getAttribute('ID');
  const acsUrl = request.getAttribute('AssertionConsumerServiceURL');
  const issuer = request.getElementsByTagNameNS(SAML, 'Issuer')[0]?.textContent?.trim();
  // Without an ACS URL the IdP would need the SP's registered metadata, which this fixture does not keep.
  if (!id || !acsUrl || !issuer)
    throw new Error('the AuthnRequest needs an ID, an AssertionConsumerServiceURL and an Issuer');
  const nameIdPolicyFormat =
    request.getElementsByTagNameNS(SAMLP, 'NameIDPolicy')[0]?.getAttribute('Format') ?? undefined;
  return { id, acsUrl, issuer, nameIdPolicyFormat };
}

function metadata(issuer: string, ssoUrl: string, certBase64: string): string {
  return (
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${esc(issuer)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${SAMLP}">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>${certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:NameIDFormat>${PERSISTENT}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(ssoUrl)}"/>` +
    '</md:IDPSSODescriptor></md:EntityDescriptor>'
  );
}

/** The auto-post page, minus the JavaScript: a browser test clicks Continue. */
function page(action: string, fields: Record<string, string | undefined>): string {
  const inputs = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('');
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>Test IdP</title></head><body>' +
    `<form method="post" action="${esc(action)}">${inputs}<button type="submit">Continue</button></form></body></html>`
  );
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
