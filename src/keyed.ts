// HMAC under a deployment key, and the one form-token scheme built on it. A deployment key is a random secret the
// store keeps under a name (store/deployment.ts), so every node derives the same values; each use has its own name,
// so a value made for one use is worth nothing in another.
//
// A form token binds a form to what only its rightful sender has: an admin's session, a redeem ticket, an
// interaction, a browser's form cookie (http/form-cookie.ts). It is the HMAC of those values joined by '|' under
// the use's key; no value may hold '|', so two different lists never join alike. Checking recomputes it and compares
// in constant time (sameSecret).
import { hmac, sameSecret } from './secrets.ts';
import { deploymentSecret } from './store/deployment.ts';
import type { Db, Tx } from './store/index.ts';

/** HMAC-SHA256 of `data` under the deployment key named `keyName` (created on first use), base64url. */
export async function keyedHmac(db: Db | Tx, keyName: string, data: string): Promise<string> {
  return hmac(await deploymentSecret(db as Db, keyName), data);
}

const SEPARATOR = '|';

/** The form token of a use (`keyName`) bound to `boundTo`. */
export async function formToken(db: Db | Tx, keyName: string, ...boundTo: string[]): Promise<string> {
  if (boundTo.some((value) => value.includes(SEPARATOR)))
    throw new Error(`a form token's bound values may not contain '${SEPARATOR}'`);
  return keyedHmac(db, keyName, boundTo.join(SEPARATOR));
}

/** Whether `presented` is the form token of `keyName` bound to `boundTo` (false for anything else, never a throw). */
export async function formTokenMatches(
  db: Db | Tx,
  keyName: string,
  presented: unknown,
  ...boundTo: string[]
): Promise<boolean> {
  if (typeof presented !== 'string' || presented.length > 100 || boundTo.some((value) => value.includes(SEPARATOR)))
    return false;
  return sameSecret(presented, await formToken(db, keyName, ...boundTo));
}
