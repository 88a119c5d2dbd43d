// What carries a personal-realm page's state between requests, without the address ever appearing in a URL:
//  - the flow cookie names the subject a verify or reset page concerns (an account id, or a decoy id when the address
//    has no account, so the pages look the same either way), with its purpose and expiry, signed with an HMAC under a
//    deployment secret;
//  - the form cookie is a random value; every form carries a hidden token that is an HMAC of it, so a POST from another
//    site (which cannot read the cookie, and to which SameSite=Lax does not send it) is refused.
// Both cookies are HttpOnly, SameSite=Lax, scoped to /personal and short-lived.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../clock.ts';
import { newSecret } from '../secrets.ts';
import type { Db } from '../store/index.ts';
import { deploymentSecret } from '../store/deployment.ts';

export const FLOW_COOKIE = 'portico_personal_flow';
export const FORM_COOKIE = 'portico_personal_form';
export const FLOW_TTL_SECONDS = 30 * 60;
const FORM_TTL_SECONDS = 2 * 60 * 60;
const COOKIE_PATH = '/personal';

export type FlowPurpose = 'verify' | 'reset';

export interface Flow {
  purpose: FlowPurpose;
  /** an account id, or a decoy id that names no account */
  subject: string;
}

const keyOf = (db: Db) => deploymentSecret(db, 'personal-cookie-key');
const mac = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieOptions(secure: boolean, maxAge: number) {
  return { path: COOKIE_PATH, httpOnly: true, sameSite: 'Lax' as const, secure, maxAge };
}

export interface FlowCookies {
  /** Sets the flow cookie for `flow`, valid FLOW_TTL_SECONDS from now. */
  startFlow(c: Context, flow: Flow): Promise<void>;
  /** The flow the request's cookie names, when it is well-formed, correctly signed, unexpired and for `purpose`. */
  readFlow(c: Context, purpose: FlowPurpose): Promise<Flow | undefined>;
  endFlow(c: Context): void;
  /** The hidden form token for this browser, setting the form cookie when it has none. */
  formToken(c: Context): Promise<string>;
  /** True when the submitted token matches the request's form cookie. */
  checkFormToken(c: Context, token: unknown): Promise<boolean>;
}

export function flowCookies(db: Db, clock: Clock, secure: boolean): FlowCookies {
  const ID = /^[0-9a-f-]{36}$/;
  return {
    async startFlow(c, flow) {
      if (!ID.test(flow.subject)) throw new Error('flow subject must be a uuid');
      const exp = Math.floor(clock.now().getTime() / 1000) + FLOW_TTL_SECONDS;
      const body = `${flow.purpose}.${flow.subject}.${exp}`;
      setCookie(c, FLOW_COOKIE, `${body}.${mac(await keyOf(db), `flow|${body}`)}`, cookieOptions(secure, FLOW_TTL_SECONDS));
    },
    async readFlow(c, purpose) {
      const value = getCookie(c, FLOW_COOKIE);
      if (!value || value.length > 200) return undefined;
      const parts = value.split('.');
      if (parts.length !== 4) return undefined;
      const [p, subject, exp, sig] = parts as [string, string, string, string];
      if (p !== purpose || !ID.test(subject) || !/^\d{1,12}$/.test(exp)) return undefined;
      if (!same(sig, mac(await keyOf(db), `flow|${p}.${subject}.${exp}`))) return undefined;
      if (Number(exp) * 1000 <= clock.now().getTime()) return undefined;
      return { purpose, subject };
    },
    endFlow(c) {
      deleteCookie(c, FLOW_COOKIE, { path: COOKIE_PATH, secure });
    },
    async formToken(c) {
      let value = getCookie(c, FORM_COOKIE);
      if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
        value = newSecret(32);
        setCookie(c, FORM_COOKIE, value, cookieOptions(secure, FORM_TTL_SECONDS));
      }
      return mac(await keyOf(db), `form|${value}`);
    },
    async checkFormToken(c, token) {
      const value = getCookie(c, FORM_COOKIE);
      if (!value || typeof token !== 'string' || token.length > 100) return false;
      return same(token, mac(await keyOf(db), `form|${value}`));
    },
  };
}
