// Drives the invitation link flow over HTTP as a browser without JavaScript would: cookies, forms, redirects.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

import { inviteGuest, type Api } from './api.ts';
import type { TestServer } from './server.ts';
import { CookieJar, postForm, request } from './signin.ts';

export interface Redeemer {
  jar: CookieJar;
  /** the last page's CSRF value */
  csrf: string;
  page: string;
  status: number;
}

const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Opens the redeem URL (GET, as a mail link) and the landing page it leads to. */
export async function openLink(s: TestServer, url: string, jar = new CookieJar()): Promise<Redeemer> {
  const first = await request(jar, url);
  assert.equal(first.status, 303, 'the ticket moves from the URL into a cookie');
  const res = await request(jar, new URL(first.headers.get('location')!, s.baseUrl).toString());
  const page = await res.text();
  return { jar, csrf: csrfIn(page), page, status: res.status };
}

/** Submits a form, follows redirects inside Portico, and returns the page reached (or the redirect leaving it). */
export async function submit(
  s: TestServer,
  r: Redeemer,
  path: string,
  fields: Record<string, string> = {},
): Promise<Redeemer & { location?: string }> {
  let res = await postForm(r.jar, `${s.baseUrl}${path}`, { csrf: r.csrf, ...fields });
  for (let hops = 0; hops < 5 && res.status === 303; hops++) {
    const location = new URL(res.headers.get('location')!, s.baseUrl).toString();
    if (!location.startsWith(`${s.baseUrl}/redeem`)) return { ...r, status: 303, location, page: '' };
    res = await request(r.jar, location);
  }
  const page = await res.text();
  return { jar: r.jar, csrf: csrfIn(page) || r.csrf, page, status: res.status };
}

/** The latest code mailed to `to` (delivers the outbox first). */
// The code mails each catcher has already handed out: a test asking again waits for a new one. The newest code mail
// alone is not enough: the server's own worker may have claimed the next one, so `runOnce` returns before it lands,
// and the newest mail is then the last sign-in's (a used code; seen as a flaky MFA browser test on PostgreSQL).
const handedOut = new WeakMap<object, Set<number>>();

export async function mailedCode(s: TestServer, to: string): Promise<string> {
  await s.portico.worker.runOnce();
  const seen = handedOut.get(s.smtp) ?? new Set<number>();
  handedOut.set(s.smtp, seen);
  const codeMails = () => s.smtp.messages().filter((m) => m.to.includes(to) && /\b\d{6}\b/.test(m.text));
  // A new code mail within 3 s; a test that asks for the same code twice (none should) gets the newest after that.
  for (let i = 0; i < 150; i++) {
    const mail = codeMails()
      .filter((m) => !seen.has(m.id))
      .at(-1);
    if (mail) {
      seen.add(mail.id);
      return /\b(\d{6})\b/.exec(mail.text)![1]!;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const mail = codeMails().at(-1);
  if (mail) return /\b(\d{6})\b/.exec(mail.text)![1]!;
  throw new Error(`no code mailed to ${to}`);
}

/**
 * A guest invited through the API and redeemed through the invitation link with an email passcode, as a person
 * would: the only way a test gets an Accepted guest. Returns the guest's id and the browser that redeemed.
 */
export async function redeemedGuest(
  s: TestServer,
  api: Api,
  email: string,
  displayName?: string,
): Promise<{ id: string; jar: CookieJar }> {
  const { id, redeemUrl } = await inviteGuest(api, email, displayName);
  const codePage = await submit(s, await openLink(s, redeemUrl), '/redeem/start');
  const consent = await submit(s, codePage, '/redeem/passcode', { code: await mailedCode(s, email) });
  assert.match(consent.page, /Review permissions/);
  const done = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
  assert.equal(done.status, 303, done.page);
  assert.equal((await api('GET', `/v1.0/users/${id}`)).body.externalUserState, 'Accepted');
  return { id, jar: consent.jar };
}

/**
 * In Chromium, at a tenant's sign-in page: a guest types their address and signs in with the passcode mailed to them,
 * accepting the invitation and the permissions first when they are still pending (redeemed through the product).
 */
export async function passcodeInBrowser(s: TestServer, page: Page, email: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  const accept = page.getByRole('button', { name: 'Accept invitation' });
  const code = page.getByRole('heading', { name: 'Enter code' });
  await accept.or(code).waitFor();
  if (await accept.isVisible()) await accept.click();
  await code.waitFor();
  await page.getByLabel('Code').fill(await mailedCode(s, email));
  await page.getByLabel('Code').press('Enter');
  await page.getByRole('heading', { name: 'Review permissions' }).waitFor();
  await page.getByRole('button', { name: 'Accept' }).click();
}
