// The MFA step over HTTP as a browser without JavaScript: a person asked for "more information" registers an
// authenticator app (codes computed with otpauth from the key the page shows) and continues past the recovery codes.
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { Api } from './api.ts';
import type { TestServer } from './server.ts';
import { formAction, postForm, type CookieJar } from './signin.ts';

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

/** Posts a form of `page` (with its CSRF value) and reads the answer: the page, or '' for a redirect. */
export async function postStep(
  s: TestServer,
  jar: CookieJar,
  page: string,
  path: string,
  fields: Record<string, string> = {},
): Promise<{ res: Response; page: string }> {
  const res = await postForm(jar, new URL(formAction(page, path), s.baseUrl).toString(), {
    csrf: csrfOf(page),
    ...fields,
  });
  return { res, page: res.status === 303 ? '' : await res.text() };
}

/** A TOTP code of a base32 secret at `at` (ms). */
export const totpCode = (secret: string, at: number) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at });

/**
 * From the "More information required" page: registers an authenticator app and continues past the recovery codes.
 * Returns the app's secret and the response that ends the step (a redirect onwards).
 */
export async function registerTotp(
  s: TestServer,
  jar: CookieJar,
  page: string,
  now: () => Date,
): Promise<{ secret: string; res: Response }> {
  assert.match(page, /More information required/);
  const setup = await postStep(s, jar, page, '/mfa/start');
  const secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(setup.page)![1]!.replace(/ /g, '');
  const shown = await postStep(s, jar, setup.page, '/register/code', {
    code: totpCode(secret, now().getTime()),
    pending: /name="pending" value="([^"]+)"/.exec(setup.page)![1]!,
  });
  assert.match(shown.page, /Save your recovery codes/);
  return { secret, res: (await postStep(s, jar, shown.page, '/mfa/continue')).res };
}

/** A Conditional Access policy, made through the API, that requires MFA of `includeUsers` ('All', or ids) for all apps. */
export async function requireMfa(api: Api, includeUsers: string[]): Promise<void> {
  const policy = await api('POST', '/v1.0/identity/conditionalAccess/policies', {
    displayName: 'Require MFA',
    state: 'enabled',
    conditions: { users: { includeUsers }, applications: { includeApplications: ['All'] } },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  });
  assert.equal(policy.status, 201, JSON.stringify(policy.body));
}

/**
 * A fresh browser context and page with a CDP virtual authenticator attached (a platform passkey that verifies the
 * user), for passkeys in Chromium without a device. Script errors are collected in `problems`, and with
 * `consoleErrors` also the console's errors (CSP violations), except failed loads.
 */
export async function passkeyPage(
  browser: Browser,
  { timeout, consoleErrors = false }: { timeout: number; consoleErrors?: boolean },
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  if (consoleErrors)
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return { context, page, problems };
}
