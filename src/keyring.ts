// The deployment key: what seals every stored secret that must be read back (queued mail's bodies, signing keys,
// identity providers' client secrets, the deployment's own HMAC and cookie keys, authenticator app secrets: the list
// is store/sealed.ts), held outside the database so that a copy of the database (a backup, a replica, a dump)
// reveals nothing redeemable.
//
// PORTICO_SECRET_KEY is a comma-separated list of 32-byte base64url keys: the first seals, every one unseals (so a
// new key can be put first while values sealed under the old one are still read and re-sealed). Unset, the key is
// kept in a file (PORTICO_SECRET_KEY_FILE, default `portico.key` beside the SQLite file, or ./data/portico.key on
// PostgreSQL), created once with mode 0600; it may hold a list too.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { hmac, newSecret, seal, sealedKeyId, unseal } from './secrets.ts';

/** 32 bytes, base64url without padding, as newSecret(32) makes them. */
const KEY = /^[A-Za-z0-9_-]{43}$/;

export const isKey = (value: string): boolean => KEY.test(value);

/** A sealed value (secrets.ts `seal`, with or without its key's id): what a plaintext never looks like. */
export const isSealed = (value: string): boolean =>
  /^(?:v1|v2\.[A-Za-z0-9_-]{16})\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);

/** The id of the key a sealed value names (`v2`), or null (`v1`, sealed before values named their key). */
export const keyIdOf = (sealed: string): string | null => (isSealed(sealed) ? sealedKeyId(sealed) : null);

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
  /** True when `sealed` names the sealing key itself (false: an older key, a value that names none, or none). */
  sealedWithCurrent(sealed: string): boolean;
  /**
   * HMAC-SHA256 of `data` under a subkey for `purpose` of each held key, the sealing key's first: for a short secret
   * that is checked, never read back (a one-time code), whose MAC under a key in the database would be reversed by
   * trying every value. Checking against each lets a value made before a rotation still match.
   */
  macs(purpose: string, data: string): string[];
}

/** A key's public id: an HMAC of a constant under it, never the key (sealed values and the store name it). */
export const keyId = (key: string): string => hmac(Buffer.from(key, 'base64url'), 'portico key id').slice(0, 16);

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
  const ids = keys.map(keyId);
  return {
    source,
    id: ids[0]!,
    ids,
    seal: (plaintext) => seal(keys[0]!, plaintext, ids[0]!),
    open(sealed) {
      const kid = keyIdOf(sealed);
      // A value that names its key is tried with that key only; an older one (v1) with each.
      for (const [i, key] of keys.entries()) {
        if (kid !== null && ids[i] !== kid) continue;
        const plain = tryOpen(key, sealed);
        if (plain !== undefined) return plain;
      }
      throw new UnreadableSecret();
    },
    sealedWithCurrent: (sealed) => keyIdOf(sealed) === ids[0],
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

/** Where the deployment's keys come from and what they are (the sealing key first); `file` null unless a key file. */
export function readKeys(settings: KeySettings): { keys: string[]; source: string; file: string | null } {
  if (settings.secretKeys?.length) return { keys: [...settings.secretKeys], source: 'PORTICO_SECRET_KEY', file: null };
  const file = settings.secretKeyFile ?? defaultKeyFile(settings.databaseUrl);
  if (!file) return { keys: [newSecret(32)], source: 'memory', file: null };
  const keys = keyFromFile(file)
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return { keys, source: file, file };
}

/** The deployment's key ring: PORTICO_SECRET_KEY, else the key file (made on first use), else (`:memory:`) a fresh key. */
export function loadKeyRing(settings: KeySettings): KeyRing {
  const { keys, source } = readKeys(settings);
  return keyRing(keys, source);
}

/**
 * Replaces the key file's keys (`portico keys rotate` and `prune`): written to a new 0600 file beside it and renamed
 * over it, so a process starting meanwhile reads the old list or the new one, never half of one.
 */
export function writeKeyFile(path: string, keys: readonly string[]): void {
  for (const k of keys) if (!isKey(k)) throw new Error('not a deployment key');
  const next = `${path}.${process.pid}.new`;
  const fd = openSync(next, 'wx', 0o600);
  try {
    writeSync(fd, `${keys.join(',')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(next, path);
}
