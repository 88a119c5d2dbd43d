// A browser stand-in for the personal pages: a cookie jar, the hidden form token of the last page, and the mail that
// the outbox worker delivers to the test SMTP server.
import assert from 'node:assert/strict';

import type { CaughtMail } from '../../src/mail/catcher.ts';
import type { TestServer } from '../helpers/server.ts';
import { CookieJar, request, RESULT } from '../helpers/signin.ts';

export interface Page {
  status: number;
  location: string | null;
  html: string;
  setCookies: string[];
}

export class Browser {
  jar = new CookieJar();
  token = '';
  constructor(
    readonly s: TestServer,
    readonly lang = 'en-US',
  ) {}

  async #send(path: string, init: RequestInit = {}): Promise<Page> {
    const res = await request(this.jar, `${this.s.baseUrl}${path}`, {
      ...init,
      headers: { 'accept-language': this.lang, ...(init.headers as Record<string, string>) },
    });
    const html = await res.text();
    const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.token = token;
    return { status: res.status, location: res.headers.get('location'), html, setCookies: res.headers.getSetCookie() };
  }

  get(path: string): Promise<Page> {
    return this.#send(path);
  }

  /**
   * POSTs a form with the current hidden token (unless `fields` sets token itself); a 303 to the form's outcome page
   * (post/redirect/get, src/pages/results.ts) is followed as a browser does, so the answer is that page.
   */
  async post(path: string, fields: Record<string, string>): Promise<Page> {
    const posted = await this.#send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: this.token, ...fields }).toString(),
    });
    return posted.status === 303 && posted.location && RESULT.test(posted.location)
      ? this.get(posted.location)
      : posted;
  }

  /** GET the form page, then POST it; follows one 303 to the next page. */
  async submit(path: string, fields: Record<string, string>): Promise<{ post: Page; next?: Page }> {
    await this.get(path);
    const post = await this.post(path, fields);
    if (post.status === 303 && post.location) return { post, next: await this.get(post.location) };
    return { post };
  }
}

/** Delivers everything queued and returns the messages that arrived since `before` (a count of earlier messages). */
export async function deliver(s: TestServer, before: number): Promise<CaughtMail[]> {
  await s.portico.worker.runOnce();
  return s.smtp.messages().slice(before);
}

export function codeIn(mail: CaughtMail): string {
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  assert.ok(code, `no 6-digit code in mail:\n${mail.text}`);
  return code;
}

/** The text of the page's alerts, tags stripped. */
export const alerts = (html: string): string[] =>
  [...html.matchAll(/<p[^>]*role="alert"[^>]*>(.*?)<\/p>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );

let seq = 0;
/** A fresh address per call, so tests sharing a server never collide. */
export const address = (name = 'person'): string => `${name}${++seq}-${process.pid}@personal.example`;
