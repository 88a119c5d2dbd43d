// Passkeys and security keys (WebAuthn, issue #20) as a relying party, with @simplewebauthn/server: the options a page
// hands the browser's navigator.credentials.create/get, and the check of what the browser answers. The relying party
// id is the host name the person's browser asked for (when the base URL's host is it or a subdomain of it: rpIdOf);
// the expected origin is the deployment's public base URL's origin (config.baseUrl),
// never a header. Every ceremony's challenge is stored server side, bound to the person and what they are doing, and
// taken once (webauthn-challenges.ts).
//
// amr (RFC 8176) of a passkey sign-in: `hwk` when the credential is bound to one device (its authenticator data says it
// is not backup eligible: a security key, a platform authenticator's device-bound key), `swk` when it may be copied
// off the device (backup eligible or backed up: a synced passkey, whose private key a sync service holds).
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';

import { BadRequest } from '../errors.ts';
import type { Services } from '../services.ts';
import { issueChallenge, takeChallenge, type ChallengeFor, type Purpose } from './webauthn-challenges.ts';

/** A registered passkey as the method's data keeps it (no secret: a public key). */
export interface Passkey {
  /** the credential id, base64url */
  credentialId: string;
  /** the COSE public key, base64url */
  publicKey: string;
  /** the signature counter last seen (0 for authenticators that keep none) */
  counter: number;
  transports: AuthenticatorTransportFuture[];
  /** the authenticator model's AAGUID ('00000000-0000-0000-0000-000000000000' when it does not say) */
  aaguid: string;
  /** backup eligible: the credential may be synced to other devices (a synced passkey) */
  multiDevice: boolean;
  backedUp: boolean;
  /** the attestation statement's format ('none' when the authenticator gave none, as Portico asks) */
  attestationFormat: string;
}

/** Who is registering or signing in, and what the ceremony is bound to (their session, the sign-in in progress). */
export interface Ceremony {
  tenantId: string;
  userId: string;
  /** a value only this person's ceremony has: a session id, an interaction id, a redemption flow id */
  boundTo: string;
  /** the host name the browser asked for (the request's): the relying party id */
  rpId: string;
}

const TIMEOUT_MS = 120_000;

/**
 * The relying party id of the ceremonies on a request's pages: the host name the browser asked for, when the base URL
 * is on it (the same host, or a subdomain of it); otherwise the base URL's host name (a proxy that did not pass the
 * public Host on), which is the origin the browser is at.
 */
export function rpIdOf(requestUrl: string, baseUrl: string): string {
  const asked = new URL(requestUrl).hostname;
  const base = new URL(baseUrl).hostname;
  return base === asked || base.endsWith(`.${asked}`) ? asked : base;
}

/** The amr of a sign-in with this passkey: hwk for a device-bound key, swk for one that may be synced. */
export const passkeyAmr = (passkey: Pick<Passkey, 'multiDevice' | 'backedUp'>): 'hwk' | 'swk' =>
  passkey.multiDevice || passkey.backedUp ? 'swk' : 'hwk';

const refused = () => new BadRequest('passkey.notVerified');

/** What a challenge of this ceremony is for. */
const challengeFor = ({ tenantId, userId, boundTo }: Ceremony, purpose: Purpose): ChallengeFor => ({
  tenantId,
  userId,
  purpose,
  boundTo,
});

/** Stores a ceremony's challenge; its id goes in the page's form. */
const issue = (services: Services, ceremony: Ceremony, purpose: Purpose, challenge: string) =>
  issueChallenge(services.store.db, services.clock, challengeFor(ceremony, purpose), challenge);

/** Takes the ceremony's challenge named in the form, once; a refusal when it is spent, expired or someone else's. */
async function take(services: Services, ceremony: Ceremony, purpose: Purpose, challengeId: unknown): Promise<string> {
  const challenge = await takeChallenge(
    services.store.db,
    services.clock,
    challengeFor(ceremony, purpose),
    challengeId,
  );
  if (!challenge) throw new BadRequest('passkey.challenge');
  return challenge;
}

/** The library's check, with what the ceremony expects; anything it throws or does not verify is a 400 refusal. */
async function checked<T extends { verified: boolean }>(
  check: (expected: {
    expectedChallenge: string;
    expectedOrigin: string;
    expectedRPID: string;
    requireUserVerification: false;
  }) => Promise<T>,
  services: Services,
  ceremony: Ceremony,
  challenge: string,
): Promise<T> {
  let result: T;
  try {
    result = await check({
      expectedChallenge: challenge,
      expectedOrigin: new URL(services.config.baseUrl).origin,
      expectedRPID: ceremony.rpId,
      requireUserVerification: false,
    });
  } catch {
    throw refused();
  }
  if (!result.verified) throw refused();
  return result;
}

/** Options to register a new passkey, excluding the person's existing ones; with the challenge's id for the form. */
export async function registrationOptions(
  services: Services,
  ceremony: Ceremony,
  user: { name: string; displayName: string },
  existing: readonly Passkey[],
  rpName: string,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; challengeId: string }> {
  const options = await generateRegistrationOptions({
    rpName,
    rpID: ceremony.rpId,
    userName: user.name,
    userDisplayName: user.displayName,
    // The user handle: the user's id, so a discoverable passkey names its account when it becomes a first factor.
    userID: new TextEncoder().encode(ceremony.userId),
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  const challengeId = await issue(services, ceremony, 'register', options.challenge);
  return { options, challengeId };
}

/** Parses the JSON a page's form carries; a refusal for anything that is not an object with a string id. */
function parseResponse<T>(raw: unknown): T {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 64_000) throw refused();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw refused();
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { id?: unknown }).id !== 'string')
    throw refused();
  return parsed as T;
}

/**
 * Checks a registration the browser answered (`response`, the credential's JSON) against its challenge (taken here,
 * once): the new passkey to store. A refusal (400) for anything else, changing nothing but the spent challenge.
 */
export async function verifyRegistration(
  services: Services,
  ceremony: Ceremony,
  challengeId: unknown,
  response: unknown,
): Promise<Passkey> {
  const parsed = parseResponse<RegistrationResponseJSON>(response);
  const challenge = await take(services, ceremony, 'register', challengeId);
  const verified = await checked(
    (expected) => verifyRegistrationResponse({ response: parsed, ...expected }),
    services,
    ceremony,
    challenge,
  );
  const info = verified.registrationInfo!;
  return {
    credentialId: info.credential.id,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    aaguid: info.aaguid,
    multiDevice: info.credentialDeviceType === 'multiDevice',
    backedUp: info.credentialBackedUp,
    attestationFormat: info.fmt,
  };
}

/** Options to sign in with one of the person's passkeys; with the challenge's id for the form. */
export async function authenticationOptions(
  services: Services,
  ceremony: Ceremony,
  passkeys: readonly Passkey[],
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challengeId: string }> {
  const options = await generateAuthenticationOptions({
    rpID: ceremony.rpId,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
    userVerification: 'preferred',
    timeout: TIMEOUT_MS,
  });
  const challengeId = await issue(services, ceremony, 'authenticate', options.challenge);
  return { options, challengeId };
}

/**
 * Checks a sign-in the browser answered against its challenge (taken here, once) and the person's passkeys as stored
 * now: the passkey used and its new counter, which the caller stores with a conditional update from the counter
 * read (a clone replaying an old counter loses the race). A refusal for anything else.
 */
export async function verifyAuthentication(
  services: Services,
  ceremony: Ceremony,
  challengeId: unknown,
  response: unknown,
  passkeys: readonly Passkey[],
): Promise<{ passkey: Passkey; counter: number }> {
  const parsed = parseResponse<AuthenticationResponseJSON>(response);
  const challenge = await take(services, ceremony, 'authenticate', challengeId);
  // Only the person's own passkeys, as stored now: one deleted a moment ago is no longer among them.
  const passkey = passkeys.find((p) => p.credentialId === parsed.id);
  if (!passkey) throw refused();
  const credential = {
    id: passkey.credentialId,
    publicKey: isoBase64URL.toBuffer(passkey.publicKey),
    counter: passkey.counter,
    transports: passkey.transports,
  };
  const verified = await checked(
    (expected) => verifyAuthenticationResponse({ response: parsed, credential, ...expected }),
    services,
    ceremony,
    challenge,
  );
  return {
    passkey: { ...passkey, backedUp: verified.authenticationInfo.credentialBackedUp },
    counter: verified.authenticationInfo.newCounter,
  };
}
