// The form value that carries a sign-in at the tenant's pages from one step's page to its POST: which account signed
// in during this interaction and how (its amr), and what the sign-in steps remember (signin/step.ts memo), under an
// HMAC bound to the interaction's uid, for ten minutes. Never a plain form value: the POST trusts only what it signed.
import { formToken, formTokenMatches } from '../keyed.ts';
import type { Services } from '../services.ts';
import { isAmr, type Amr } from '../sessions/amr.ts';

export interface Carried {
  accountId: string;
  amr: Amr[];
  memo: Record<string, unknown>;
  /** when the person last gave credentials (epoch seconds), when a session was reused: the login's `ts` */
  ts?: number;
}

const LIFETIME_MS = 10 * 60_000;
// The key's name is the one the terms page's token used before the sign-in table: tokens keep their key.
const KEY = 'interaction-terms-key';

/** `<payload>.<mac>`, the payload base64url JSON of the account, its methods, the memo and the expiry. */
export async function carryToken(services: Services, uid: string, carried: Carried): Promise<string> {
  const expiry = services.clock.now().getTime() + LIFETIME_MS;
  const payload = Buffer.from(
    JSON.stringify({ a: carried.accountId, m: carried.amr, s: carried.memo, t: carried.ts, e: expiry }),
  ).toString('base64url');
  return `${payload}.${await formToken(services.store.db, KEY, uid, payload)}`;
}

/** What a token carries, when it was made for this interaction and has not expired. */
export async function readCarried(services: Services, uid: string, token: string): Promise<Carried | undefined> {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) return undefined;
  if (!(await formTokenMatches(services.store.db, KEY, given, uid, payload))) return undefined;
  let body: { a?: unknown; m?: unknown; s?: unknown; t?: unknown; e?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof body;
  } catch {
    return undefined;
  }
  if (
    typeof body.a !== 'string' ||
    !Array.isArray(body.m) ||
    typeof body.e !== 'number' ||
    body.e < services.clock.now().getTime()
  )
    return undefined;
  const memo =
    body.s && typeof body.s === 'object' && !Array.isArray(body.s) ? (body.s as Record<string, unknown>) : {};
  const ts = typeof body.t === 'number' ? body.t : undefined;
  return { accountId: body.a, amr: body.m.filter(isAmr), memo, ...(ts !== undefined ? { ts } : {}) };
}
