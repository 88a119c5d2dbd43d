// What one benchmark operation does, as a browser without JavaScript and an app would: cookies, forms, redirects,
// PKCE, the token endpoint. Each simulated person comes from their own address (X-Forwarded-For through a trusted
// proxy), as they would in production, so per-address limits apply per person and not to the whole run.
import { createHash, randomBytes } from 'node:crypto';

import type { CaughtMail } from '../src/mail/catcher.ts';
import { issuerFor } from '../src/oidc/urls.ts';
import { CookieJar, formAction, postForm, request, signIn } from '../test/helpers/signin.ts';

let clients = 0;
/** A cookie jar that is a new person at a new address (198.18.0.0/15 is set aside for benchmarks). */
export function newVisitor(): CookieJar {
  const n = clients++;
  return new CookieJar({ 'x-forwarded-for': `198.18.${(n >> 8) & 255}.${n & 255}` });
}

/** Codes mailed to each address, delivered to whoever waits for them (fed by the SMTP sink's onMail). */
export function codeBox() {
  const codes = new Map<string, string>();
  const waiting = new Map<string, (code: string) => void>();
  return {
    onMail(mail: Pick<CaughtMail, 'to' | 'text'>) {
      const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
      if (!code) return;
      for (const to of mail.to) {
        const waiter = waiting.get(to);
        if (waiter) {
          waiting.delete(to);
          waiter(code);
        } else {
          codes.set(to, code);
        }
      }
    },
    next(to: string, timeoutMs = 30_000): Promise<string> {
      const ready = codes.get(to);
      if (ready) {
        codes.delete(to);
        return Promise.resolve(ready);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(to);
          reject(new Error(`no code mailed to ${to}`));
        }, timeoutMs);
        waiting.set(to, (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
  };
}

export interface AppClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** Authorization code + PKCE with a member's password, then the code exchanged for tokens. */
export async function login(
  baseUrl: string,
  tenantId: string,
  app: AppClient,
  email: string,
  password: string,
): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(12).toString('base64url');
  const authorize = `${issuerFor(baseUrl, tenantId)}/auth?${new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: app.redirectUri,
    scope: 'openid profile email',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })}`;
  const { callback } = await signIn(authorize, baseUrl, email, password, newVisitor());
  const back = new URL(callback);
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state) throw new Error(`no code at the callback: ${callback}`);
  const res = await fetch(`${issuerFor(baseUrl, tenantId)}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: app.redirectUri,
      code_verifier: verifier,
    }),
  });
  const tokens = (await res.json()) as { id_token?: string };
  if (res.status !== 200 || !tokens.id_token) throw new Error(`token endpoint answered ${res.status}`);
}

const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Posts a redemption form and follows Portico's redirects to the next page, or to the redirect leaving Portico. */
async function step(
  jar: CookieJar,
  baseUrl: string,
  path: string,
  fields: Record<string, string>,
): Promise<{ page: string; left?: string }> {
  let res = await postForm(jar, `${baseUrl}${path}`, fields);
  for (let hops = 0; hops < 5 && res.status === 303; hops++) {
    const location = new URL(res.headers.get('location')!, baseUrl).toString();
    if (!location.startsWith(`${baseUrl}/redeem`)) return { page: '', left: location };
    res = await request(jar, location);
  }
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return { page: await res.text() };
}

/** The whole passcode redemption: the link, Accept invitation, the mailed code, Review permissions, the redirect. */
export async function redeem(
  baseUrl: string,
  redeemUrl: string,
  email: string,
  codes: ReturnType<typeof codeBox>,
): Promise<string> {
  const jar = newVisitor();
  const first = await request(jar, redeemUrl);
  if (first.status !== 303) throw new Error(`the link answered ${first.status}`);
  const landing = await (await request(jar, new URL(first.headers.get('location')!, baseUrl).toString())).text();
  let csrf = csrfIn(landing);
  const codePage = await step(jar, baseUrl, '/redeem/start', { csrf });
  formAction(codePage.page, '/redeem/passcode');
  csrf = csrfIn(codePage.page) || csrf;
  const consent = await step(jar, baseUrl, '/redeem/passcode', { csrf, code: await codes.next(email) });
  const done = await step(jar, baseUrl, '/redeem/consent', { csrf: csrfIn(consent.page) || csrf, decision: 'accept' });
  if (!done.left) throw new Error('the redemption did not leave Portico');
  return done.left;
}
