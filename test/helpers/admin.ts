// Opens an admin-center page over HTTP, signing in through the tenant's own pages when sent there (the sign-in
// returns to the page asked for).
import type { TestServer } from './server.ts';
import { follow, formAction, postForm, type CookieJar } from './signin.ts';

export interface Login {
  email: string;
  password: string;
}

export async function openAdmin(
  s: Pick<TestServer, 'baseUrl'>,
  jar: CookieJar,
  url: string,
  login?: Login,
): Promise<{ url: string; status?: number; page: string }> {
  let reached = await follow(jar, url, s.baseUrl);
  if (login && reached.res && reached.url.includes('/interaction/')) {
    const pw = await postForm(jar, new URL(formAction(await reached.res.text(), '/identifier'), s.baseUrl).toString(), {
      login: login.email,
    });
    const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
      login: login.email,
      password: login.password,
    });
    reached = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
  }
  return { url: reached.url, status: reached.res?.status, page: reached.res ? await reached.res.text() : '' };
}

/** The CSRF value of an admin page's forms. */
export const csrfOf = (page: string): string => /name="csrf" value="([^"]+)"/.exec(page)![1]!;

/** A member of the tenant who holds `roles` (a Guest Inviter, a Helpdesk Administrator...), signing in with `password`. */
export async function staffMember(
  s: TestServer,
  t: { tenantId: string; api: (m: string, p: string, b?: unknown) => Promise<{ body: { id: string } }> },
  name: string,
  domain: string,
  password: string,
  roles: string[],
): Promise<Login & { id: string }> {
  const email = `${name}@${domain}`;
  const created = (
    await t.api('POST', '/v1.0/users', {
      accountEnabled: true,
      displayName: name[0]!.toUpperCase() + name.slice(1),
      mailNickname: name,
      userPrincipalName: email,
      passwordProfile: { password },
    })
  ).body;
  await grantRoles(s, t.tenantId, created.id, roles);
  return { email, password, id: created.id };
}

/**
 * Gives a user directory roles. Written to the store because nothing in the product assigns roles yet: a tenant's
 * first administrator gets Global Administrator at creation, and no API, CLI command or admin page grants any other
 * role (Graph's directoryRoles/roleManagement are not implemented). Replace this with that path once it exists.
 */
export async function grantRoles(
  s: Pick<TestServer, 'portico'>,
  tenantId: string,
  userId: string,
  roles: readonly string[],
): Promise<void> {
  await s.portico.services.store.db
    .updateTable('users')
    .set({ roles: JSON.stringify(roles) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .execute();
}
