// Opens an admin-center page over HTTP, signing in through the tenant's own pages when sent there (the sign-in
// returns to the page asked for).
import { follow, formAction, postForm, type CookieJar } from './signin.ts';
import type { TestServer } from './server.ts';

export interface Login { email: string; password: string }

export async function openAdmin(s: TestServer, jar: CookieJar, url: string, login?: Login): Promise<{ url: string; status?: number; page: string }> {
  let reached = await follow(jar, url, s.baseUrl);
  if (login && reached.res && reached.url.includes('/interaction/')) {
    const pw = await postForm(jar, new URL(formAction(await reached.res.text(), '/identifier'), s.baseUrl).toString(), { login: login.email });
    const done = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), { login: login.email, password: login.password });
    reached = await follow(jar, new URL(done.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
  }
  return { url: reached.url, status: reached.res?.status, page: reached.res ? await reached.res.text() : '' };
}
