// Passkeys as methods of the authentication_methods table (type 'fido2', mfa/store.ts): what a row keeps, reading a
// person's passkeys, recording a use, and Graph's fido2AuthenticationMethod shape. The signature counter lives in the
// table's `counter` column, advanced by mfa/store.ts consumeCounter (one conditional update: a replayed or cloned
// credential's old counter loses); an authenticator that keeps no counter (always 0, as synced passkeys do) relies
// on the challenge, which answers once (webauthn-challenges.ts).
import type { AuthenticatorTransportFuture } from '@simplewebauthn/server';

import type { Clock } from '../clock.ts';
import type { Db, Tx } from '../store/index.ts';
import { consumeCounter, listMethods, touchMethod, type StoredMethod } from './store.ts';
import type { Passkey } from './webauthn.ts';

export const FIDO2 = 'fido2';

export interface PasskeyMethod {
  method: StoredMethod;
  passkey: Passkey;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** A stored row's passkey (the counter from the row's column). */
export function passkeyOf(method: StoredMethod): Passkey {
  const d = method.data;
  return {
    credentialId: String(d.credentialId ?? ''),
    publicKey: String(d.publicKey ?? ''),
    counter: method.counter ?? 0,
    transports: strings(d.transports) as AuthenticatorTransportFuture[],
    aaguid: String(d.aaguid ?? ''),
    multiDevice: d.multiDevice === true,
    backedUp: d.backedUp === true,
    attestationFormat: String(d.attestationFormat ?? 'none'),
  };
}

/** What a new passkey's row keeps: its data (a public key, nothing secret) and its counter. */
export function passkeyRow(passkey: Passkey): { data: Record<string, unknown>; counter: number } {
  const { counter, ...data } = passkey;
  return { data: { ...data }, counter };
}

/** The person's passkeys as stored now, oldest first. */
export async function passkeysOf(db: Db | Tx, tenantId: string, userId: string): Promise<PasskeyMethod[]> {
  return (await listMethods(db, tenantId, userId, FIDO2)).map((method) => ({ method, passkey: passkeyOf(method) }));
}

/**
 * Records a verified use: the new signature counter by one conditional update (false when another use with the same
 * or a later counter got there first, or the passkey was deleted meanwhile); an authenticator without a counter
 * (0 after 0) only updates last used.
 */
export async function recordPasskeyUse(
  tx: Tx,
  clock: Clock,
  tenantId: string,
  used: PasskeyMethod,
  counter: number,
): Promise<boolean> {
  if (counter === 0 && used.passkey.counter === 0) {
    await touchMethod(tx, clock, tenantId, used.method.id);
    return true;
  }
  return consumeCounter(tx, clock, tenantId, used.method.id, counter);
}

/**
 * Graph's fido2AuthenticationMethod (without its @odata.type, which the API adds). Portico asks for no attestation, so
 * none is attested and no model is known.
 */
export function graphFido2Method({ method, passkey }: PasskeyMethod) {
  return {
    id: method.id,
    displayName: method.displayName,
    createdDateTime: method.createdAt,
    aaGuid: passkey.aaguid,
    model: null,
    attestationLevel: 'notAttested',
    attestationCertificates: [] as string[],
  };
}
