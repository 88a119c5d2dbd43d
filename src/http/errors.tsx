// The one place errors become responses: Graph's JSON shape for the API, a page that says what happened and what
// to do for browsers. Unexpected errors are logged with a request id and never shown in detail.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';

import { PorticoError } from '../errors.ts';
import { LANGS, pickLang, t, type Messages } from '../i18n/index.ts';
import { errorResponse } from '../pages/layout.tsx';
import { newId } from '../secrets.ts';

/** API paths (`/v1.0/...` or `/<tenant>/v1.0/...`) and clients asking for JSON get Graph's error shape. */
const wantsJson = (c: Context) =>
  /(^|\/)v1\.0(\/|$)/.test(c.req.path) || /application\/json/.test(c.req.header('accept') ?? '');

/** oidc-provider's endpoints that clients (not browsers) call: refusals there use OAuth's error shape (RFC 6749 5.2). */
const OAUTH_ENDPOINT = /\/v2\.0\/(?:token(?:\/introspection|\/revocation)?|me)$/;

/**
 * The page text for a refusal, in the reader's language: the refusal's own text, or the page text it names when a
 * browser needs other words than an API client (`details.page`, as the edge's refusals do).
 */
function pageMessage(c: Context, error: PorticoError): { lang: ReturnType<typeof pickLang>; message: string } {
  const lang = pickLang(c.req.header('accept-language'));
  const page = error.details?.page;
  if (typeof page === 'string' && page in LANGS['en-US'])
    return { lang, message: t(lang, page as keyof Messages, (error.details?.vars ?? {}) as Record<string, string>) };
  return { lang, message: error.text(lang) };
}

export function graphError(c: Context, status: number, code: string, message: string) {
  return c.json(
    {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString(), 'request-id': c.res.headers.get('request-id') ?? newId() },
      },
    },
    status as 400,
  );
}

export function errorHandler(log: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof PorticoError) {
      if (OAUTH_ENDPOINT.test(c.req.path) && error.status < 500)
        return c.json({ error: 'invalid_request', error_description: error.message }, error.status as 400);
      if (wantsJson(c)) return graphError(c, error.status, error.code, error.message);
      const { lang, message } = pageMessage(c, error);
      return errorResponse(c, lang, undefined, message, error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      if (wantsJson(c)) return graphError(c, error.status, 'BadRequest', error.message);
      return error.getResponse();
    }
    const requestId = newId();
    log.error({ err: error, requestId, method: c.req.method, path: c.req.path }, 'unhandled error');
    if (wantsJson(c))
      return graphError(
        c,
        500,
        'InternalServerError',
        `Portico could not handle this request (request id ${requestId}).`,
      );
    const lang = pickLang(c.req.header('accept-language'));
    return errorResponse(c, lang, undefined, t(lang, 'error.server'), 500);
  };
}

export function notFoundHandler(c: Context) {
  if (wantsJson(c))
    return graphError(c, 404, 'Request_ResourceNotFound', `No route matches ${c.req.method} ${c.req.path}.`);
  const lang = pickLang(c.req.header('accept-language'));
  return errorResponse(c, lang, undefined, t(lang, 'error.notFound'), 404);
}
