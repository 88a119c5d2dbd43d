// Opens an admin-center page over HTTP, signing in through the tenant's own pages when sent there (the sign-in
// returns to the page asked for); `adminInBrowser` does the same in Chromium.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

import { roleDefinition } from '../../src/directory/role-definitions.ts';
import type { TenantApi } from './api.ts';
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

/**
 * A new browser context (with `options`: a viewport, bypassCSP for axe-core) signed in to the tenant's admin center
 * as its Global Administrator `email` through the tenant's sign-in pages, on the Overview. A script error on its page
 * fails the test.
 */
export async function adminInBrowser(
  browser: Browser,
  s: Pick<TestServer, 'baseUrl'>,
  tenant: Pick<TenantApi, 'tenantId' | 'adminPassword'>,
  email: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
  await page.goto(`${s.baseUrl}/admin/${tenant.tenantId}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(tenant.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  return { context, page };
}

/** A context `width` px wide for the page checks: bypassCSP, as the page's CSP forbids axe-core's injected script. */
export const checkedAt = (width: number): BrowserContextOptions => ({
  viewport: { width, height: 800 },
  bypassCSP: true,
});

/** The CSRF value of an admin page's forms. */
export const csrfOf = (page: string): string => /name="csrf" value="([^"]+)"/.exec(page)![1]!;

/** A member of the tenant who holds `roles` (a Guest Inviter, a Helpdesk Administrator...), signing in with `password`. */
export async function staffMember(
  t: Pick<TenantApi, 'api'>,
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
  await grantRoles(t, created.id, roles);
  return { email, password, id: created.id };
}

/**
 * Gives a user directory roles through the API, as a Global Administrator's tool would: one
 * `POST /v1.0/roleManagement/directory/roleAssignments` per role with the tenant's management client (which holds
 * RoleManagement.ReadWrite.Directory). Roles are named as the admin center names them (`Guest Inviter`).
 */
export async function grantRoles(t: Pick<TenantApi, 'api'>, userId: string, roles: readonly string[]): Promise<void> {
  for (const name of roles) {
    const role = roleDefinition(name);
    if (!role) throw new Error(`no built-in role ${name}`);
    const res = await t.api('POST', '/v1.0/roleManagement/directory/roleAssignments', {
      roleDefinitionId: role.id,
      principalId: userId,
      directoryScopeId: '/',
    });
    if (res.status !== 201) throw new Error(`granting ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
