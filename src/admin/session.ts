// Who is using the admin center: the Portico session at the tenant (left by the tenant's own sign-in pages), the
// user it names and their roles; and the CSRF value every admin form carries, bound to that session.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

import type { Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { formToken } from '../keyed.ts';
import { hashSecret, sameSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import { liveSession, sessionCookieName, type SessionMfa } from '../sessions/sessions.ts';

export interface Admin {
  user: User;
  csrf: string;
  /** the MFA the session did (the sign-in's steps are asked again with it: admin/guard.tsx) */
  mfa?: SessionMfa;
}

/** The signed-in user at the tenant with their form token, or undefined when nobody is signed in there. */
export async function adminOf(services: Services, c: Context, tenant: Tenant): Promise<Admin | undefined> {
  const secret = getCookie(c, sessionCookieName(tenant.id));
  const session = await liveSession(services.store.db, services.clock, tenant.id, secret);
  const user = session && (await getUser(services.store.db, tenant.id, session.userId));
  if (!user || !secret) return undefined;
  return {
    user,
    csrf: await formToken(services.store.db, 'admin-csrf-key', tenant.id, hashSecret(secret)),
    ...(session.mfa ? { mfa: session.mfa } : {}),
  };
}

export const csrfMatches = (admin: Admin, presented: unknown): boolean => sameSecret(presented, admin.csrf);
