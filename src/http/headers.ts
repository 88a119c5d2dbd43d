// Response headers every page and API answer carries.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * hono's secure headers, with HSTS only when the public base URL is https: sent over plain http (a development
 * install, or a test) it would be ignored at best, and at worst pin a host name that later serves http to browsers.
 * No `form-action`: Chromium applies it to the redirects that follow a form POST, and sign-in forms end in a
 * redirect to an app's (any registered) redirect URI.
 */
export function securityHeaders(baseUrl: string): MiddlewareHandler {
  const secure = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'https:', 'data:'],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: false,
    strictTransportSecurity: new URL(baseUrl).protocol === 'https:' ? 'max-age=15552000; includeSubDomains' : false,
    // A route that sets a header of its own keeps it (the development mail catcher frames a message's HTML part).
    overwrite: false,
  });
  return async (c, next) => {
    await secure(c, next);
    if (!c.res.headers.has(OWN_SCRIPT)) return;
    c.res.headers.delete(OWN_SCRIPT);
    const csp = c.res.headers.get('content-security-policy');
    if (csp) c.res.headers.set('content-security-policy', `${csp}; script-src 'self'`);
  };
}

/** The marker a page sets (allowOwnScript) and securityHeaders takes off: the response may run Portico's own script. */
export const OWN_SCRIPT = 'x-portico-own-script';

/**
 * Lets a page run Portico's own scripts (`script-src 'self'`: /static/webauthn.js, never an inline script). Only the
 * pages that need one (a passkey's) call it; every other page keeps a CSP without scripts.
 */
export function allowOwnScript(res: Response): Response {
  res.headers.set(OWN_SCRIPT, '1');
  return res;
}

/**
 * `Cache-Control: no-store` on every response that does not say otherwise: pages carry tickets, codes, CSRF values and
 * sessions, and no shared or browser cache may keep one. Static assets set their own (public, max-age) and keep it.
 */
export function noStoreByDefault(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  };
}
