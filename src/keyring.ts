// The deployment key: what seals stored secrets that must be read back (queued mail's bodies), held outside the
// database so that a copy of the database (a backup, a replica, a dump) reveals nothing redeemable.
//
// PORTICO_SECRET_KEY is a comma-separated list of 32-byte base64url keys: the first seals, every one unseals (so a
// new key can be put first while values sealed under the old one are still read and re-sealed). Unset, the key is
// kept in a file (PORTICO_SECRET_KEY_FILE, default `portico.key` beside the SQLite file, or ./data/portico.key on
// PostgreSQL), created once with mode 0600; it may hold a list too.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { hmac, newSecret, seal, unseal } from './secrets.ts';

/** 32 bytes, base64url without padding, as newSecret(32) makes them. */
const KEY = /^[A-Za-z0-9_-]{43}$/;

export const isKey = (value: string): boolean => KEY.test(value);

/** A sealed value (secrets.ts `seal`): what a plaintext never looks like. */
export const isSealed = (value: string): boolean => /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);

export class UnreadableSecret extends Error {
  constructor() {
    super("a sealed value could not be opened with any of this deployment's keys (PORTICO_SECRET_KEY)");
  }
}

export interface KeyRing {
  /** where the key came from, for messages: 'PORTICO_SECRET_KEY', a file path, or 'memory' */
  readonly source: string;
  /** A short public name of the key that seals (an HMAC of a constant, never the key): nodes compare it. */
  readonly id: string;
  /** Names of every key held, the sealing one first. */
  readonly ids: readonly string[];
  seal(plaintext: string): string;
  /** Opens a value sealed under any held key; throws UnreadableSecret otherwise. */
  open(sealed: string): string;
  /** True when `sealed` opens under the sealing key itself (false: an older key, or none). */
  sealedWithCurrent(sealed: string): boolean;
  /**
   * HMAC-SHA256 of `data` under a subkey for `purpose` of each held key, the sealing key's first: for a short secret
   * that is checked, never read back (a one-time code), whose MAC under a key in the database would be reversed by
   * trying every value. Checking against each lets a value made before a rotation still match.
   */
  macs(purpose: string, data: string): string[];
}

const keyId = (key: string) => hmac(Buffer.from(key, 'base64url'), 'portico key id').slice(0, 16);

export function keyRing(keys: readonly string[], source: string): KeyRing {
  if (keys.length === 0) throw new Error(`${source}: no key`);
  for (const k of keys)
    if (!isKey(k))
      throw new Error(
        `${source}: each key must be 32 random bytes in base64url (43 characters), as \`openssl rand 32 | basenc --base64url | tr -d =\` prints`,
      );
  const purposes = new Map<string, Buffer[]>();
  const tryOpen = (key: string, sealed: string): string | undefined => {
    try {
      return unseal(key, sealed);
    } catch {
      return undefined;
    }
  };
  return {
    source,
    id: keyId(keys[0]!),
    ids: keys.map(keyId),
    seal: (plaintext) => seal(keys[0]!, plaintext),
    open(sealed) {
      for (const key of keys) {
        const plain = tryOpen(key, sealed);
        if (plain !== undefined) return plain;
      }
      throw new UnreadableSecret();
    },
    sealedWithCurrent: (sealed) => tryOpen(keys[0]!, sealed) !== undefined,
    macs(purpose, data) {
      let subkeys = purposes.get(purpose);
      if (!subkeys)
        purposes.set(
          purpose,
          (subkeys = keys.map((k) =>
            Buffer.from(hmac(Buffer.from(k, 'base64url'), `portico mac ${purpose}`), 'base64url'),
          )),
        );
      return subkeys.map((k) => hmac(k, data));
    },
  };
}

/** The embedded default's file for a store URL: beside the SQLite file, or ./data/portico.key for PostgreSQL. */
export function defaultKeyFile(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return resolve('data', 'portico.key');
  const path = databaseUrl.slice('sqlite:'.length);
  return path === ':memory:' ? null : join(dirname(resolve(path)), 'portico.key');
}

/**
 * Reads the key file, creating it first if absent. Creation is exclusive (`wx`), so processes racing at first start
 * all end up with the one key that won; the file is 0600 from its first byte.
 */
function keyFromFile(path: string): string {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${newSecret(32)}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A racing creator may not have written yet: an empty file is read again briefly.
  for (let tries = 0; ; tries++) {
    const text = readFileSync(path, 'utf8').trim();
    if (text || tries >= 50) return text;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

export interface KeySettings {
  databaseUrl: string;
  /** PORTICO_SECRET_KEY, split */
  secretKeys?: readonly string[];
  /** PORTICO_SECRET_KEY_FILE */
  secretKeyFile?: string | null;
}

/** The deployment's key ring: PORTICO_SECRET_KEY, else the key file (made on first use), else (`:memory:`) a fresh key. */
export function loadKeyRing(settings: KeySettings): KeyRing {
  if (settings.secretKeys?.length) return keyRing(settings.secretKeys, 'PORTICO_SECRET_KEY');
  const file = settings.secretKeyFile ?? defaultKeyFile(settings.databaseUrl);
  if (!file) return keyRing([newSecret(32)], 'memory');
  return keyRing(
    keyFromFile(file)
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    file,
  );
}
