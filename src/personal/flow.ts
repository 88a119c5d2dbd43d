// What carries a personal-realm page's state between requests, without the address ever appearing in a URL:
//  - the flow cookie names the subject a verify or reset page concerns (an account id, or a decoy id when the address
//    has no account, so the pages look the same either way), with its purpose and expiry, signed with an HMAC under a
//    deployment secret;
//  - the form cookie is a random value; every form carries a hidden token bound to it (http/form-cookie.ts), so a POST
//    from another site (which cannot read the cookie, and to which SameSite=Lax does not send it) is refused.
// Both cookies are HttpOnly, SameSite=Lax, scoped to /personal and short-lived.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

import type { Clock } from '../clock.ts';
import { formCookieTokens } from '../http/form-cookie.ts';
import { formToken, formTokenMatches } from '../keyed.ts';
import type { Db } from '../store/index.ts';

export const FLOW_COOKIE = 'portico_personal_flow';
export const FORM_COOKIE = 'portico_personal_form';
export const FLOW_TTL_SECONDS = 30 * 60;
const COOKIE_PATH = '/personal';

export type FlowPurpose = 'verify' | 'reset';

export interface Flow {
  purpose: FlowPurpose;
  /** an account id, or a decoy id that names no account */
  subject: string;
}

/** One deployment key signs the flow cookie and the form tokens, each bound to its own kind ('flow', 'form'). */
const KEY = 'personal-cookie-key';

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
  const form = formCookieTokens(db, { cookie: FORM_COOKIE, path: COOKIE_PATH, keyName: KEY, secure });
  const ID = /^[0-9a-f-]{36}$/;
  return {
    async startFlow(c, flow) {
      if (!ID.test(flow.subject)) throw new Error('flow subject must be a uuid');
      const exp = Math.floor(clock.now().getTime() / 1000) + FLOW_TTL_SECONDS;
      const body = `${flow.purpose}.${flow.subject}.${exp}`;
      setCookie(
        c,
        FLOW_COOKIE,
        `${body}.${await formToken(db, KEY, 'flow', body)}`,
        cookieOptions(secure, FLOW_TTL_SECONDS),
      );
    },
    async readFlow(c, purpose) {
      const value = getCookie(c, FLOW_COOKIE);
      if (!value || value.length > 200) return undefined;
      const parts = value.split('.');
      if (parts.length !== 4) return undefined;
      const [p, subject, exp, sig] = parts as [string, string, string, string];
      if (p !== purpose || !ID.test(subject) || !/^\d{1,12}$/.test(exp)) return undefined;
      if (!(await formTokenMatches(db, KEY, sig, 'flow', `${p}.${subject}.${exp}`))) return undefined;
      if (Number(exp) * 1000 <= clock.now().getTime()) return undefined;
      return { purpose, subject };
    },
    endFlow(c) {
      deleteCookie(c, FLOW_COOKIE, { path: COOKIE_PATH, secure });
    },
    formToken: (c) => form.token(c),
    checkFormToken: (c, token) => form.matches(c, token),
  };
}
