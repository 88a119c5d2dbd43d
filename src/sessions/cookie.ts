// The browser side of a Portico session: its cookie's attributes, set when a sign-in starts a session and
// cleared (with the session ended in the store) when the person signs out.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

import type { Services } from '../services.ts';
import { endSession, liveSession, SESSION_HOURS, sessionCookieName, sessionUser } from './sessions.ts';

const secureFor = (services: Services) => services.config.baseUrl.startsWith('https:');

export function setSessionCookie(c: Context, services: Services, tenantId: string, secret: string): void {
  setCookie(c, sessionCookieName(tenantId), secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureFor(services),
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
}

/** Signs the browser out of the tenant: the session ends in the store and its cookie is cleared. */
export async function endBrowserSession(c: Context, services: Services, tenantId: string): Promise<void> {
  const secret = getCookie(c, sessionCookieName(tenantId));
  if (secret) await endSession(services.store.db, services.clock, tenantId, secret);
  deleteCookie(c, sessionCookieName(tenantId), { path: '/', secure: secureFor(services) });
}

/** The user this browser's session at the tenant signs in, if it is live. */
export const browserSessionUser = (c: Context, services: Services, tenantId: string): Promise<string | undefined> =>
  sessionUser(services.store.db, services.clock, tenantId, getCookie(c, sessionCookieName(tenantId)));

/** This browser's live session at the tenant: who it signs in and how they signed in. */
export const browserSession = (c: Context, services: Services, tenantId: string) =>
  liveSession(services.store.db, services.clock, tenantId, getCookie(c, sessionCookieName(tenantId)));
