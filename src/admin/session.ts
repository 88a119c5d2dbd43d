// Who is using the admin center: the Portico session at the tenant (left by the tenant's own sign-in pages), the
// user it names and their roles; and the CSRF value every admin form carries, bound to that session.
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Services } from '../services.ts';
import type { Tenant } from '../directory/tenants.ts';
import { getUser, type User } from '../directory/users.ts';
import { hashSecret } from '../secrets.ts';
import { deploymentSecret } from '../store/deployment.ts';
import { sessionCookieName, sessionUser } from '../sessions/sessions.ts';
import { sameValue } from '../redemption/context.ts';

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
  const key = await deploymentSecret(services.store.db, 'admin-csrf-key');
  return { user, csrf: createHmac('sha256', key).update(`${tenant.id}|${hashSecret(secret)}`).digest('base64url') };
}

export const csrfMatches = (admin: Admin, presented: unknown): boolean => sameValue(typeof presented === 'string' ? presented : undefined, admin.csrf);
