// Signs a member in through the real sign-in pages over HTTP (no browser): follows redirects by hand, keeps
// cookies, submits the identifier and password forms. Returns the URL the provider finally redirects to.
export class CookieJar {
  #cookies = new Map<string, string>();
  /** headers every request of this "browser" sends (the benchmarks give each client its own X-Forwarded-For) */
  constructor(readonly headers: Record<string, string> = {}) {}
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired =
        attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0/i.test(a));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  names(): string[] {
    return [...this.#cookies.keys()];
  }
  /** the value of a cookie the jar holds */
  value(name: string): string | undefined {
    return this.#cookies.get(name);
  }
}

export async function request(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...jar.headers, ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.store(res);
  return res;
}

/** Follows redirects until one leaves the server at `origin` (the RP's callback) or a page (200) is reached. */
export async function follow(jar: CookieJar, url: string, origin: string): Promise<{ url: string; res?: Response }> {
  let current = url;
  for (let hops = 0; hops < 10; hops++) {
    if (!current.startsWith(origin)) return { url: current };
    const res = await request(jar, current);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      current = new URL(location, current).toString();
      continue;
    }
    return { url: current, res };
  }
  throw new Error('too many redirects');
}

export const formAction = (html: string, contains: string): string => {
  const m = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)]
    .map((x) => x[1]!.replace(/&amp;/g, '&'))
    .find((a) => a.includes(contains));
  if (!m) throw new Error(`no form posting to *${contains}* in page:\n${html.slice(0, 2000)}`);
  return m;
};

/**
 * Posts a form as a browser does: a 303 to the form's outcome page (post/redirect/get, src/pages/results.ts) is
 * followed, so the answer is that page; any other answer (a redirect elsewhere, a refusal) is returned as it is.
 */
export const postForm = (jar: CookieJar, url: string, fields: Record<string, string>): Promise<Response> =>
  post(jar, url, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

/** `postForm` for any body (a multipart upload, say): a 303 to the outcome page is followed, anything else returned. */
export async function post(jar: CookieJar, url: string, init: RequestInit): Promise<Response> {
  const res = await request(jar, url, { ...init, method: 'POST' });
  const location = res.headers.get('location');
  if (res.status !== 303 || !location || !RESULT.test(location)) return res;
  return request(jar, new URL(location, url).toString());
}

/** The address of a form's outcome page. */
export const RESULT = /\/results\/[0-9a-f-]{36}$/;

/** Runs the identifier-first sign-in from an authorization URL; returns the final redirect (the RP callback). */
export async function signIn(
  authorizationUrl: string,
  origin: string,
  email: string,
  password: string,
  jar = new CookieJar(),
): Promise<{ callback: string; jar: CookieJar }> {
  const page = await follow(jar, authorizationUrl, origin);
  if (!page.res) return { callback: page.url, jar };
  const identifierAction = formAction(await page.res.text(), '/identifier');
  const pwPage = await postForm(jar, new URL(identifierAction, origin).toString(), { login: email });
  if (pwPage.status !== 200) throw new Error(`identifier step answered ${pwPage.status}: ${await pwPage.text()}`);
  const passwordAction = formAction(await pwPage.text(), '/password');
  const done = await postForm(jar, new URL(passwordAction, origin).toString(), { login: email, password });
  const location = done.headers.get('location');
  if (done.status !== 303 || !location)
    throw new Error(`password step answered ${done.status}: ${(await done.text()).slice(0, 500)}`);
  const final = await follow(jar, new URL(location, origin).toString(), origin);
  return { callback: final.url, jar };
}
