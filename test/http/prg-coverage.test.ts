// Post/redirect/get everywhere (issue #21): every POST route of the pages people use in a browser (the admin center,
// My Apps, opt-out, the invitation flow, the personal pages, the tenant's sign-in pages) runs behind the middleware of
// pages/results.ts, which answers a rendered page with a 303 to a GET address. A form added without it fails here.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { CONSUMER_TENANT_ID } from '../../src/oidc/consumers.ts';
import { POST_REDIRECT_GET } from '../../src/pages/results.ts';
import { CookieJar, postForm, request, RESULT } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

/** The browser pages' POST routes, by the prefix of their path. */
const PAGES = [
  '/admin/:tenant/',
  '/myapps/',
  '/optout/',
  '/redeem/',
  '/personal/',
  '/:tenant/v2.0/interaction/:uid/',
  `/${CONSUMER_TENANT_ID}/v2.0/interaction/`,
];

// Hono keeps a sub-app's handler itself, or wraps it (a sub-app with its own error handler) under this property.
const COMPOSED = '__COMPOSED_HANDLER';
const isPrg = (handler: unknown): boolean =>
  typeof handler === 'function' &&
  (POST_REDIRECT_GET in handler || isPrg((handler as unknown as Record<string, unknown>)[COMPOSED]));

/** Whether a middleware's path pattern covers `path` (both Hono patterns). */
const covers = (pattern: string, path: string) =>
  pattern === path || (pattern.endsWith('/*') && path.startsWith(pattern.slice(0, -1)));

suite('post/redirect/get covers every form', {}, ({ s }) => {
  it('every POST route of the browser pages runs behind the post/redirect/get middleware', () => {
    const routes = s.portico.app.routes;
    const posts = routes
      .map((r, at) => ({ ...r, at }))
      .filter((r) => r.method === 'POST' && PAGES.some((p) => r.path.startsWith(p)));
    assert.ok(posts.length > 50, `the routes are read (${posts.length})`);
    const uncovered = posts.filter(
      (post) =>
        !routes.slice(0, post.at).some((r) => r.method === 'ALL' && isPrg(r.handler) && covers(r.path, post.path)),
    );
    assert.deepEqual(
      uncovered.map((r) => r.path),
      [],
    );
  });

  it('a refusal at a sign-in page is shown at a GET address too, with its status; a second visit goes on', async () => {
    const jar = new CookieJar();
    // No flow in this browser: the refusal (400, the flow expired) is a page a reload must not post for again.
    const posted = await request(jar, `${s.baseUrl}/redeem/passcode`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=123456',
    });
    assert.equal(posted.status, 303);
    const location = posted.headers.get('location')!;
    assert.match(location, RESULT);
    const shown = await request(jar, new URL(location, s.baseUrl).toString());
    assert.equal(shown.status, 400);
    assert.match(await shown.text(), /<!doctype html>/i);
    const again = await request(jar, new URL(location, s.baseUrl).toString());
    assert.equal(again.status, 303, 'shown once');
    assert.equal(again.headers.get('location'), '/redeem/flow');
    // postForm follows the 303 as a browser does
    assert.equal((await postForm(jar, `${s.baseUrl}/personal/verify`, { code: '1' })).status, 400);
  });
});
