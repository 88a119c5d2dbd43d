// WS-Federation passive profile (wa=wsignin1.0). No maintained Node library validates it today (passport-wsfed-saml2
// pins old XML signature code), so this is a thin adapter: the one SAML 2.0 assertion in `wresult` is handed to
// node-saml inside a minimal Response envelope and goes through exactly the checks SAML responses get. Exclusive
// canonicalization makes the assertion's signature independent of its parent, so the envelope cannot change it.
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { XMLSerializer } from '@xmldom/xmldom';

import type { Clock } from '../clock.ts';
import type { Db } from '../store/index.ts';
import { certificateToPem } from './metadata.ts';
import type { IdentityProvider } from './providers.ts';
import { FederationRefused } from './refusal.ts';
import type { FederatedIdentity } from './requests.ts';
import { checkAssertion, CLOCK_SKEW_MS, validate, type SpUrls } from './saml.ts';
import { SAML1_ASSERTION, SAML2_ASSERTION, screenXml } from './xml-screen.ts';

export function wsfedSignInUrl(provider: IdentityProvider, urls: SpUrls, wctx: string): string {
  const url = new URL(provider.passiveSignInUri!);
  url.searchParams.set('wa', 'wsignin1.0');
  url.searchParams.set('wtrealm', urls.entityId);
  url.searchParams.set('wreply', urls.wsfedReply);
  url.searchParams.set('wctx', wctx);
  return url.toString();
}

export async function verifyWsFedResult(
  db: Db,
  clock: Clock,
  provider: IdentityProvider,
  urls: SpUrls,
  wresult: string,
): Promise<FederatedIdentity> {
  const doc = screenXml(wresult);
  if (doc.getElementsByTagNameNS(SAML1_ASSERTION, 'Assertion').length) {
    throw new FederationRefused(
      'malformed',
      'the token is a SAML 1.1 assertion; configure the identity provider to issue SAML 2.0 tokens for Portico',
    );
  }
  const assertion = doc.getElementsByTagNameNS(SAML2_ASSERTION, 'Assertion')[0]!;
  const envelope =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_wsfed" Version="2.0" IssueInstant="${clock.now().toISOString()}">` +
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
    `${new XMLSerializer().serializeToString(assertion)}</samlp:Response>`;
  const saml = new SAML({
    issuer: urls.entityId,
    audience: urls.entityId,
    callbackUrl: urls.wsfedReply,
    idpCert: (provider.signingCertificates ?? []).map(certificateToPem),
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.never,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
  });
  const profile = await validate(saml, Buffer.from(envelope).toString('base64'));
  return checkAssertion(db, clock, provider, urls, profile, { recipient: urls.wsfedReply, recipientRequired: false });
}
