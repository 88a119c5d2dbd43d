// The one place that makes and checks secrets: tickets, codes, client secrets and passwords.
// High-entropy secrets (≥256 bits) are stored as SHA-256, which is enough for values nobody can guess;
// human-chosen passwords get argon2id.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, which isolated modules cannot read). */
const ARGON2ID = 2;

/** A URL-safe random secret of `bytes` bytes (default 32 = 256 bits). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function newId(): string {
  return randomUUID();
}

/** A numeric code of `digits` digits from a uniform CSPRNG. */
export function newNumericCode(digits = 6): string {
  return randomInt(0, 10 ** digits)
    .toString()
    .padStart(digits, '0');
}

/** A code of `length` characters drawn uniformly from `alphabet` by a CSPRNG (recovery codes). */
export function newCodeFrom(alphabet: string, length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += alphabet[randomInt(0, alphabet.length)];
  return code;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/**
 * The one comparison of a presented secret (a form token, a MAC, a code's hash) with the expected value: constant
 * time in the contents, so the time taken tells nothing about how much of a guess was right. Anything but a string
 * is unequal; only the lengths, which are public, end it early.
 */
export function sameSecret(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time check of a presented secret against its stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  return sameSecret(hashSecret(presented), storedHash);
}

/** HMAC-SHA256 of `data` under `key`, base64url (keyed.ts gives it a key the store keeps). */
export function hmac(key: string | Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('base64url');
}

export interface PasswordCost {
  /** KiB of memory per hash; OWASP's argon2id minimum is 19 MiB. */
  memoryCost: number;
  timeCost: number;
}

export const defaultPasswordCost: PasswordCost = { memoryCost: 19_456, timeCost: 2 };

export function hashPassword(password: string, cost: PasswordCost = defaultPasswordCost): Promise<string> {
  return argonHash(password, {
    algorithm: ARGON2ID,
    memoryCost: cost.memoryCost,
    timeCost: cost.timeCost,
    parallelism: 1,
  });
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  try {
    return await argonVerify(stored, password);
  } catch {
    return false;
  }
}

const dummyHashes = new Map<string, Promise<string>>();

/**
 * Verifies `password` against `stored`, or, when there is no stored hash (no such account), against a hash of a
 * random value at the same cost, so the time taken does not tell which accounts exist.
 */
export async function verifyPasswordOrDummy(
  password: string,
  stored: string | null | undefined,
  cost: PasswordCost = defaultPasswordCost,
): Promise<boolean> {
  if (stored) return verifyPassword(password, stored);
  const key = `${cost.memoryCost}:${cost.timeCost}`;
  if (!dummyHashes.has(key)) dummyHashes.set(key, hashPassword(newSecret(), cost));
  await verifyPassword(password, await dummyHashes.get(key)!);
  return false;
}

/** A password a person can type once and change: 20 characters from an unambiguous alphabet. */
export function newPassword(length = 20): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(0, alphabet.length)];
  return out;
}

/**
 * Secrets Portico must send on (an upstream client secret) cannot be hashed: they are sealed with AES-256-GCM under
 * a deployment key (32 bytes, base64url). With the key's public id (keyring.ts) the value names its key, as
 * `v2.<kid>.<iv>.<tag>.<ciphertext>` (the id is authenticated as associated data), so a rotation and `portico keys
 * status` tell keys apart without trying each; without, `v1.<iv>.<tag>.<ciphertext>` (values sealed before the id,
 * and the opt-out links' tokens), which only trying each key opens.
 */
export function seal(key: string, plaintext: string, kid?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), iv);
  if (kid !== undefined) cipher.setAAD(Buffer.from(kid, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')];
  return (kid === undefined ? ['v1', ...parts] : ['v2', kid, ...parts]).join('.');
}

/** The key id a `v2` sealed value names; null for a `v1` value (or anything else). */
export function sealedKeyId(sealed: string): string | null {
  return sealed.startsWith('v2.') ? (sealed.split('.')[1] ?? null) : null;
}

export function unseal(key: string, sealed: string): string {
  const parts = sealed.split('.');
  const kid = parts[0] === 'v2' ? parts.splice(1, 1)[0] : undefined;
  const [version, iv, tag, data] = parts;
  if ((version !== 'v1' && version !== 'v2') || !iv || !tag || data === undefined || parts.length !== 4)
    throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), Buffer.from(iv, 'base64url'));
  if (kid !== undefined) decipher.setAAD(Buffer.from(kid, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
