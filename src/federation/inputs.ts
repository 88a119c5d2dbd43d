// What describes an identity provider, in Graph's shapes, and the provider input each gives: one validation for
// the API (api/federation.ts) and the admin center's forms (admin/providers.tsx). The rules of each kind (required
// settings, domains free) are createProvider's and updateProvider's.
import { z } from 'zod';

import { InvalidRequest } from '../errors.ts';
import { normalize } from '../store/json.ts';
import { fetchIdpMetadata, isAllowedUpstreamUrl, parseIdpMetadata } from './metadata.ts';
import type { ProviderInput, ProviderKind } from './providers.ts';

/** Metadata documents of one IdP are a few kilobytes; aggregates of thousands of entities are not what this takes. */
export const MAX_METADATA_BYTES = 1024 * 1024;

const upstreamUrl = z.string().trim().max(2048).refine(isAllowedUpstreamUrl, 'must be an https URL');
const certificate = z.string().max(16_384);
export const externalDomain = z.strictObject({
  '@odata.type': z.enum(['microsoft.graph.externalDomainName', '#microsoft.graph.externalDomainName']).optional(),
  id: z.string().max(253).optional(),
  name: z.string().max(253).optional(),
});
export const samlBody = z.strictObject({
  displayName: z.string().trim().min(1).max(256).optional(),
  issuerUri: z.string().trim().min(1).max(2048).optional(),
  passiveSignInUri: z.string().trim().max(2048).optional(),
  metadataExchangeUri: upstreamUrl.optional(),
  preferredAuthenticationProtocol: z.enum(['saml', 'wsFed']).optional(),
  signingCertificate: certificate.optional(),
  signingCertificates: z.array(certificate).min(1).max(10).optional(),
  domains: z.array(externalDomain).max(100).optional(),
  /** Portico: the IdP's metadata document itself, for IdPs that publish none at a URL */
  metadataXml: z.string().max(MAX_METADATA_BYTES).optional(),
  /**
   * Portico (issue #20; Graph's external federation has no such property): the provider is trusted for MFA, so its
   * AuthnContextClassRef of MFA counts here (conditional-access/inbound-trust.ts); false by default
   */
  isMfaTrusted: z.boolean().optional(),
});
const secretFields = {
  displayName: z.string().trim().min(1).max(256).optional(),
  clientId: z.string().trim().min(1).max(512).optional(),
  clientSecret: z.string().min(1).max(1024).optional(),
};
export const socialBody = z.strictObject({ ...secretFields, identityProviderType: z.string().max(64).optional() });
export const oidcBody = z.strictObject({
  ...secretFields,
  issuer: z.string().trim().max(2048).optional(),
  metadataUrl: z.string().trim().max(2048).optional(),
  scope: z.string().trim().max(1024).optional(),
  responseType: z.literal('code', { message: "only 'code' is supported" }).optional(),
  domains: z.array(z.string().max(253)).max(100).optional(),
  /** Portico (issue #20): the provider is trusted for MFA, so `amr` with `mfa` from it counts here */
  isMfaTrusted: z.boolean().optional(),
});

export type SamlBody = z.infer<typeof samlBody>;
export type SocialBody = z.infer<typeof socialBody>;
export type OidcBody = z.infer<typeof oidcBody>;

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export function domainName(d: z.infer<typeof externalDomain>): string {
  const name = d.name ?? d.id;
  if (!name) throw new InvalidRequest('federation.externalDomainName');
  if (d.id !== undefined && d.name !== undefined && normalize(d.id) !== normalize(d.name))
    throw new InvalidRequest('federation.externalDomainMismatch', { id: d.id, name: d.name });
  return normalize(name);
}

/**
 * The provider input from a samlOrWsFed body: imported metadata (the XML given, or fetched from
 * metadataExchangeUri when the body leaves an imported value open) overlaid with the values given explicitly.
 */
export async function samlInput(body: SamlBody): Promise<ProviderInput> {
  const certificates =
    body.signingCertificate === undefined && body.signingCertificates === undefined
      ? undefined
      : [
          ...(body.signingCertificate === undefined ? [] : [body.signingCertificate]),
          ...(body.signingCertificates ?? []),
        ];
  const explicit = definedOnly({
    displayName: body.displayName,
    issuerUri: body.issuerUri,
    passiveSignInUri: body.passiveSignInUri,
    metadataExchangeUri: body.metadataExchangeUri,
    signingCertificates: certificates,
    domains: body.domains?.map(domainName),
    isMfaTrusted: body.isMfaTrusted,
  });
  const complete = explicit.issuerUri && explicit.passiveSignInUri && explicit.signingCertificates;
  const imported =
    body.metadataXml !== undefined
      ? parseIdpMetadata(body.metadataXml)
      : body.metadataExchangeUri && !complete
        ? await fetchIdpMetadata(body.metadataExchangeUri)
        : {};
  return { ...imported, ...explicit };
}

/** Every certificate of a PEM text (an IdP rolling its key over publishes two); text without PEM armour is base64. */
export const certificatesIn = (text: string): string[] =>
  text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [text];

export const samlKind = (protocol: SamlBody['preferredAuthenticationProtocol']): ProviderKind =>
  protocol === 'wsFed' ? 'wsfed' : 'saml';

export function socialInput({ identityProviderType, ...rest }: SocialBody): ProviderInput {
  if (identityProviderType !== undefined && identityProviderType !== 'Google') {
    throw new InvalidRequest('federation.providerType', { identityProviderType });
  }
  return definedOnly(rest);
}

export function oidcInput({ issuer, metadataUrl, responseType: _code, ...rest }: OidcBody): ProviderInput {
  return definedOnly({ ...rest, issuerUri: issuer, discoveryUrl: metadataUrl });
}
