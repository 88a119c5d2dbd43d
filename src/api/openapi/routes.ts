// GET /v1.0/openapi.json: the API's OpenAPI 3.1 document, for anyone (no token), cacheable (with an ETag); built
// once, from the routes mounted at /v1.0, when it is first asked for. GET /v1.0/$metadata, which every
// `@odata.context` names: Portico has no OData CSDL, so it answers with where the description is instead of a 404.
import { Hono } from 'hono';
import { etag } from 'hono/etag';

import type { Services } from '../../services.ts';
import { apiDocument, type MountedRoute } from './document.ts';
import { OPERATIONS } from './operations.ts';

export const DOCUMENT_PATH = '/openapi.json';
const CACHE = 'public, max-age=3600';

/** `routes()` lists the routes mounted at the prefix (their paths relative to it) once they are all mounted. */
export function describedRoutes(services: Services, routes: () => readonly MountedRoute[]) {
  const { baseUrl } = services.config;
  const app = new Hono();
  let document: string | undefined;

  app.get(DOCUMENT_PATH, etag(), (c) => {
    document ??= JSON.stringify(apiDocument(baseUrl, routes(), OPERATIONS));
    return c.body(document, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': CACHE });
  });

  app.get('/$metadata', (c) =>
    c.json(
      {
        description: 'Portico describes its API in OpenAPI 3.1, not in OData CSDL.',
        openapi: `${baseUrl}/v1.0${DOCUMENT_PATH}`,
      },
      200,
      { link: `<${baseUrl}/v1.0${DOCUMENT_PATH}>; rel="describedby"`, 'cache-control': CACHE },
    ),
  );
  return app;
}
