// Portico as a SAML 2.0 service provider of each tenant: the AuthnRequest (HTTP-Redirect binding), the tenant's SP
// metadata, and the checks on the response (HTTP-POST binding). node-saml verifies signatures over the signed bytes
// only, the audience, InResponseTo and the time window; Portico adds the rules it leaves to its callers (see
// xml-screen.ts and checkAssertion): destination, recipient, issuer, replay, and the address's domain.
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';

import type { Clock } from '../clock.ts';
import { isEmailAddress, shownAddress } from '../directory/address.ts';
import type { Db } from '../store/index.ts';
import { certificateToPem } from './metadata.ts';
import type { IdentityProvider } from './providers.ts';
import { FederationRefused } from './refusal.ts';
import { REQUEST_MINUTES, type FederatedIdentity } from './requests.ts';
import { SAML2_PROTOCOL, screenXml } from './xml-screen.ts';

export const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
/** Accepted difference between the IdP's clock and ours. */
export const CLOCK_SKEW_MS = 2 * 60_000;

export interface SpUrls {
  entityId: string;
  metadata: string;
  acs: string;
  wsfedReply: string;
}

/** The tenant's service-provider endpoints, which its administrators register at their IdPs. */
export function spUrls(baseUrl: string, tenantId: string): SpUrls {
  const base = `${baseUrl}/${tenantId}/federation`;
  return {
    entityId: `${base}/saml`,
    metadata: `${base}/saml/metadata`,
    acs: `${base}/saml/acs`,
    wsfedReply: `${base}/wsfed`,
  };
}

/** A cache that knows exactly one request id: the one the RelayState's request was sent with. */
function oneRequest(requestId: string | undefined, createdAt: string): CacheProvider & { saved?: string } {
  const cache: CacheProvider & { saved?: string } = {
    async saveAsync(key) {
      cache.saved = key;
      return { value: createdAt, createdAt: Date.parse(createdAt) };
    },
    async getAsync(key) {
      return key === requestId ? createdAt : null;
    },
    async removeAsync(key) {
      return key;
    },
  };
  return cache;
}

function samlFor(
  provider: IdentityProvider,
  urls: SpUrls,
  cache: CacheProvider,
  inResponseTo: ValidateInResponseTo,
): SAML {
  return new SAML({
    entryPoint: provider.passiveSignInUri,
    issuer: urls.entityId,
    audience: urls.entityId,
    callbackUrl: urls.acs,
    idpCert: (provider.signingCertificates ?? []).map(certificateToPem),
    wantAssertionsSigned: false, // a signed response or a signed assertion: node-saml then requires one of them
    wantAuthnResponseSigned: false,
    validateInResponseTo: inResponseTo,
    requestIdExpirationPeriodMs: REQUEST_MINUTES * 60_000,
    cacheProvider: cache,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    identifierFormat: PERSISTENT,
    allowCreate: true,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
  });
}

/** The URL that sends the browser to the IdP with an AuthnRequest, and that request's id (for InResponseTo). */
export async function samlSignInUrl(
  provider: IdentityProvider,
  urls: SpUrls,
  relayState: string,
  clock: Clock,
): Promise<{ url: string; requestId: string }> {
  const cache = oneRequest(undefined, clock.now().toISOString());
  const url = await samlFor(provider, urls, cache, ValidateInResponseTo.always).getAuthorizeUrlAsync(
    relayState,
    undefined,
    {},
  );
  if (!cache.saved) throw new Error('node-saml did not report the AuthnRequest id');
  return { url, requestId: cache.saved };
}

export function spMetadata(urls: SpUrls): string {
  const placeholder: IdentityProvider = {
    tenantId: '',
    id: '',
    kind: 'saml',
    displayName: '',
    domains: [],
    hasClientSecret: false,
    createdAt: '',
    updatedAt: '',
    signingCertificates: [],
  };
  return samlFor(
    placeholder,
    urls,
    oneRequest(undefined, ''),
    ValidateInResponseTo.never,
  ).generateServiceProviderMetadata(null, null);
}

/** Validates a SAMLResponse (base64) answering `requestId`, and returns who it signs in. */
export async function verifySamlResponse(
  db: Db,
  clock: Clock,
  provider: IdentityProvider,
  urls: SpUrls,
  samlResponse: string,
  request: { requestId?: string; createdAt: string },
): Promise<FederatedIdentity> {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const doc = screenXml(xml);
  const response = doc.documentElement!;
  if (response.namespaceURI !== SAML2_PROTOCOL || response.localName !== 'Response')
    throw new FederationRefused('malformed', 'the message is not a SAML 2.0 Response');
  if (response.getAttribute('Destination') !== urls.acs)
    throw new FederationRefused(
      'destination',
      `the response is addressed to ${response.getAttribute('Destination') || 'nobody'}, not to this organization's sign-in endpoint`,
    );
  const saml = samlFor(provider, urls, oneRequest(request.requestId, request.createdAt), ValidateInResponseTo.always);
  return checkAssertion(db, clock, provider, urls, await validate(saml, samlResponse), {
    recipient: urls.acs,
    recipientRequired: true,
  });
}

/** node-saml's verdict, with its errors turned into refusals a person can read. */
export async function validate(saml: SAML, samlResponse: string): Promise<Profile> {
  let result: Awaited<ReturnType<SAML['validatePostResponseAsync']>>;
  try {
    result = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
  } catch (error) {
    const message = (error as Error).message;
    if (/signature/i.test(message))
      throw new FederationRefused(
        'signature',
        'the signature is missing or was not made with a certificate configured for this identity provider',
      );
    if (/audience/i.test(message))
      throw new FederationRefused('audience', 'the assertion is meant for another service');
    if (/expired|NotBefore|NotOnOrAfter|not yet valid|subject confirmation/i.test(message))
      throw new FederationRefused('expired', 'the assertion is expired or not yet valid');
    if (/InResponseTo/i.test(message))
      throw new FederationRefused('state', 'the response does not answer the sign-in Portico started');
    if (/status|Responder|Requester/i.test(message))
      throw new FederationRefused(
        'upstream-error',
        `the identity provider reported an error (${message.slice(0, 200)})`,
      );
    throw new FederationRefused('malformed', `the response could not be validated (${message.slice(0, 200)})`);
  }
  if (!result.profile) throw new FederationRefused('malformed', 'the message is not a sign-in response');
  return result.profile;
}

type XmlNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };
const children = (node: XmlNode | undefined, name: string): XmlNode[] =>
  Array.isArray(node?.[name]) ? (node[name] as XmlNode[]) : [];

function attribute(profile: Profile, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = profile[name];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

/**
 * Authentication contexts that say the person did multifactor authentication: Entra's and AD FS's, and REFEDS MFA. An
 * assertion says so by its AuthnContextClassRef, or by AD FS's authnmethodsreferences claim.
 */
export const MFA_AUTHN_CONTEXTS: readonly string[] = [
  'http://schemas.microsoft.com/claims/multipleauthn',
  'https://refeds.org/profile/mfa',
];
const AUTHN_METHODS_REFERENCES = 'http://schemas.microsoft.com/claims/authnmethodsreferences';

/** Whether a verified assertion says MFA was done. */
function assertionSaysMfa(profile: Profile, assertion: XmlNode | undefined): boolean {
  const classRefs = children(assertion, 'AuthnStatement')
    .flatMap((a) => children(a, 'AuthnContext'))
    .flatMap((a) => children(a, 'AuthnContextClassRef'))
    .map((r) => r._?.trim());
  const references = profile[AUTHN_METHODS_REFERENCES];
  const claimed = (Array.isArray(references) ? references : [references]).map((r) => String(r ?? '').trim());
  return [...classRefs, ...claimed].some((v) => v !== undefined && MFA_AUTHN_CONTEXTS.includes(v));
}

/** The checks node-saml leaves to us, on the verified assertion only. */
export async function checkAssertion(
  db: Db,
  clock: Clock,
  provider: IdentityProvider,
  urls: SpUrls,
  profile: Profile,
  opts: { recipient: string; recipientRequired: boolean },
): Promise<FederatedIdentity> {
  if (profile.issuer !== provider.issuerUri)
    throw new FederationRefused(
      'issuer',
      `the assertion was issued by ${profile.issuer || 'an unnamed issuer'}, not by ${provider.issuerUri}`,
    );
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlNode } | undefined)?.Assertion;
  const confirmations = children(children(assertion, 'Subject')[0], 'SubjectConfirmation').flatMap((s) =>
    children(s, 'SubjectConfirmationData'),
  );
  const recipients = confirmations.map((d) => d.$?.Recipient).filter((r): r is string => typeof r === 'string');
  if ((opts.recipientRequired && !recipients.length) || recipients.some((r) => r !== opts.recipient)) {
    throw new FederationRefused(
      'destination',
      "the assertion names another recipient than this organization's sign-in endpoint",
    );
  }
  if (!profile.nameID) throw new FederationRefused('subject', 'the assertion has no NameID');
  const email = (
    attribute(
      profile,
      'email',
      'mail',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      'http://schemas.xmlsoap.org/claims/EmailAddress',
      'urn:oid:0.9.2342.19200300.100.1.3',
    ) ?? (profile.nameIDFormat === EMAIL_FORMAT ? profile.nameID : undefined)
  )?.toLowerCase();
  if (!email) throw new FederationRefused('email', 'the assertion carries no email address');
  // An upstream's address is an address entering too: one with a NUL or a bidi override is nobody's.
  if (!isEmailAddress(email))
    throw new FederationRefused(
      'email',
      `the assertion carries '${shownAddress(email)}', which is not a valid email address`,
    );
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!provider.domains.includes(domain))
    throw new FederationRefused(
      'domain',
      `${email} is not in a domain this identity provider serves (${provider.domains.join(', ')})`,
    );

  const assertionId = assertion?.$?.ID;
  if (!assertionId) throw new FederationRefused('malformed', 'the assertion has no ID');
  const notOnOrAfter = children(assertion, 'Conditions')[0]?.$?.NotOnOrAfter;
  const keepUntil = new Date(
    Math.max(Date.parse(notOnOrAfter ?? '') || 0, clock.now().getTime()) + CLOCK_SKEW_MS + 3600_000,
  ).toISOString();
  const seen = await db
    .insertInto('saml_assertions_seen')
    .values({
      tenant_id: provider.tenantId,
      issuer: provider.issuerUri!,
      assertion_id: assertionId,
      expires_at: keepUntil,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'issuer', 'assertion_id']).doNothing())
    .executeTakeFirst();
  if (Number(seen.numInsertedOrUpdatedRows ?? 0) !== 1)
    throw new FederationRefused('replay', 'this assertion was already used');

  return {
    providerId: provider.id,
    kind: provider.kind,
    issuer: provider.issuerUri!,
    subject: profile.nameID,
    email,
    displayName: attribute(
      profile,
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
      'displayName',
      'http://schemas.microsoft.com/identity/claims/displayname',
    ),
    ...(assertionSaysMfa(profile, assertion) && { mfa: true }),
  };
}

/** For the maintenance sweep (store/sweep.ts): assertion ids past their validity (a replay then fails the time check anyway). */
export async function sweepSeenAssertions(db: Db, before: string): Promise<number> {
  return Number(
    (await db.deleteFrom('saml_assertions_seen').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows,
  );
}
