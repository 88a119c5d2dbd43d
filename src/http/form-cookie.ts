// Form tokens for pages without a session (personal accounts, opt-out): each browser gets a random form cookie
// (HttpOnly, SameSite=Lax, scoped to its pages, two hours), and each form carries the form token (keyed.ts) bound to
// it. A POST from another site cannot read the cookie, and SameSite=Lax does not send it there, so it is refused.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

import { formToken, formTokenMatches } from '../keyed.ts';
import { newSecret } from '../secrets.ts';
import type { Db } from '../store/index.ts';

const TTL_SECONDS = 2 * 60 * 60;
const VALUE = /^[A-Za-z0-9_-]{43}$/;

export interface FormCookie {
  /** the cookie's name and path */
  cookie: string;
  path: string;
  /** the deployment key of this use */
  keyName: string;
  secure: boolean;
}

export interface FormCookieTokens {
  /** The hidden form token for this browser, setting the form cookie when it has none. */
  token(c: Context): Promise<string>;
  /** True when the submitted token matches the request's form cookie. */
  matches(c: Context, presented: unknown): Promise<boolean>;
}

export function formCookieTokens(db: Db, o: FormCookie): FormCookieTokens {
  return {
    async token(c) {
      let value = getCookie(c, o.cookie);
      if (!value || !VALUE.test(value)) {
        value = newSecret(32);
        setCookie(c, o.cookie, value, {
          path: o.path,
          httpOnly: true,
          sameSite: 'Lax',
          secure: o.secure,
          maxAge: TTL_SECONDS,
        });
      }
      return formToken(db, o.keyName, 'form', value);
    },
    async matches(c, presented) {
      const value = getCookie(c, o.cookie);
      if (!value) return false;
      return formTokenMatches(db, o.keyName, presented, 'form', value);
    },
  };
}
