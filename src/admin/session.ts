// Who is using the admin center: the Portico session at the tenant (left by the tenant's own sign-in pages), the
// user it names and their roles; and the CSRF value every admin form carries, bound to that session.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

import type { Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { formToken } from '../keyed.ts';
import { hashSecret, sameSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import { sessionCookieName, sessionUser } from '../sessions/sessions.ts';

export interface Admin {
  user: User;
  csrf: string;
}

/** The signed-in user at the tenant with their form token, or undefined when nobody is signed in there. */
export async function adminOf(services: Services, c: Context, tenant: Tenant): Promise<Admin | undefined> {
  const secret = getCookie(c, sessionCookieName(tenant.id));
  const userId = await sessionUser(services.store.db, services.clock, tenant.id, secret);
  const user = userId && (await getUser(services.store.db, tenant.id, userId));
  if (!user || !secret) return undefined;
  return { user, csrf: await formToken(services.store.db, 'admin-csrf-key', tenant.id, hashSecret(secret)) };
}

export const csrfMatches = (admin: Admin, presented: unknown): boolean => sameSecret(presented, admin.csrf);
