// Post/redirect/get for every page with forms: a POST whose handler renders its outcome (a 2xx page) is
// answered with a 303 to a GET address that shows that page once instead. The page waits in the store (result_pages,
// this module its owner) sealed with the deployment key, as it may show a secret once (a no-email invitation's
// redeem link); only the browser holding the random secret of a cookie scoped to that one address may read it, so the
// address carries no secret and the page never enters a URL or a log. Reload and back reach the GET address, which
// leads to `back` once the page was shown: the action never runs twice.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';

import type { Clock } from '../clock.ts';
import { allowOwnScript, OWN_SCRIPT } from '../http/headers.ts';
import { hashSecret, newId, newSecret, sameSecret } from '../secrets.ts';
import type { Services } from '../services.ts';
import type { Db } from '../store/index.ts';
import { keysOf } from '../store/keys.ts';

const COOKIE = 'portico_result';
const RESULT_MS = 10 * 60_000;

/** Marks the middleware below, so a test can see which POST routes it covers (test/http/prg-coverage.test.ts). */
export const POST_REDIRECT_GET = Symbol('post/redirect/get');

/** The address that shows result `id`, under `base` (the section of the site it belongs to). */
export const resultPath = (base: string, id: string) => `${base}/results/${id}`;

/** How a kept page is shown: its status, and whether a second visit shows it again rather than leading `back`. */
interface Kept {
  status: number;
  again: boolean;
  ownScript: boolean;
}

async function keepResult(db: Db, clock: Clock, page: string, back: string, kept: Kept) {
  const id = newId();
  const secret = newSecret();
  await db
    .insertInto('result_pages')
    .values({
      id,
      secret_hash: hashSecret(secret),
      body: keysOf(db).seal(page),
      back,
      expires_at: new Date(clock.now().getTime() + RESULT_MS).toISOString(),
      ...(kept.status !== 200 && { status: kept.status }),
      ...(kept.again && { again: 1 }),
      ...(kept.ownScript && { own_script: 1 }),
    })
    .execute();
  return { id, secret };
}

/**
 * Where a POST's outcome page goes: under `base`, leading to `back` (a GET page of the same area) once shown.
 * `everyPage`: refusals (4xx pages) too, with their status, as the sign-in pages do (a reload must not post a code
 * or a password again); `again`: the page is shown again on a reload, to the same browser, as long as it is kept (a
 * sign-in step's page: reload shows the same step). `where` runs after the handler: it may look at `c.res`.
 */
export interface Where {
  base: string;
  back: string;
  everyPage?: boolean;
  again?: boolean;
}

/**
 * Middleware: turns a POST's rendered outcome (any 2xx page) into a 303 to `resultPath(base(c))`; refusals (4xx pages beside their
 * form) and redirects pass unchanged unless `everyPage`. `back(c)` is where the address leads once shown.
 */
export function redirectAfterPost(services: Services, where: (c: Context) => Where): MiddlewareHandler {
  const secure = services.config.baseUrl.startsWith('https:');
  const middleware: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.req.method !== 'POST' || c.res.status < 200) return;
    const { base, back, everyPage, again } = where(c);
    if (c.res.status >= (everyPage ? 500 : 300) || (c.res.status >= 300 && c.res.status < 400)) return;
    if (!/^text\/html/.test(c.res.headers.get('content-type') ?? '')) return;
    // A refusal keeps its status; a success page is shown at its GET address as 200 (a 201 belongs to the POST).
    const status = c.res.status >= 400 ? c.res.status : 200;
    const page = await c.res.text();
    const { id, secret } = await keepResult(services.store.db, services.clock, page, back, {
      status,
      again: Boolean(again),
      ownScript: c.res.headers.has(OWN_SCRIPT),
    });
    const path = resultPath(base, id);
    const headers = new Headers();
    for (const [name, value] of c.res.headers)
      if (!['content-type', 'content-length', 'set-cookie'].includes(name)) headers.set(name, value);
    for (const cookie of c.res.headers.getSetCookie()) headers.append('set-cookie', cookie);
    headers.append(
      'set-cookie',
      `${COOKIE}=${secret}; Path=${path}; Max-Age=${RESULT_MS / 1000}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
    );
    headers.set('location', path);
    c.res = undefined as unknown as Response; // a fresh response, not merged with the page's headers
    c.res = new Response(null, { status: 303, headers });
  };
  return Object.assign(middleware, { [POST_REDIRECT_GET]: true });
}

/** GET `resultPath(...)`: the waiting page, once, to the browser holding its cookie; else a redirect onwards. */
export async function showResult(c: Context, services: Services, fallback: string): Promise<Response> {
  const { db } = services.store;
  const id = c.req.param('id') ?? '';
  const presented = getCookie(c, COOKIE);
  const row = await db
    .selectFrom('result_pages')
    .select(['secret_hash', 'body', 'back', 'expires_at', 'status', 'again', 'own_script'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || row.expires_at <= services.clock.now().toISOString()) return c.redirect(fallback, 303);
  if (!row.body || !presented || !sameSecret(hashSecret(presented), row.secret_hash)) return c.redirect(row.back, 303);
  const status = (row.status ?? 200) as 200;
  const page = (body: string) => {
    const res = c.html(keysOf(db).open(body), status);
    return row.own_script ? allowOwnScript(res) : res;
  };
  if (row.again) return page(row.body);
  // One conditional update: of two racing requests only one shows the page.
  const taken = await db
    .updateTable('result_pages')
    .set({ body: null })
    .where('id', '=', id)
    .where('body', 'is not', null)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) return c.redirect(row.back, 303);
  deleteCookie(c, COOKIE, { path: c.req.path });
  return page(row.body);
}

/** The sweep's part: result pages past their time. */
export async function sweepResults(db: Db, before: string): Promise<number> {
  const r = await db.deleteFrom('result_pages').where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
