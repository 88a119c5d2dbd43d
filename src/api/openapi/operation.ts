// What the API's description says about one route beyond what the mounted router already knows. The router gives the
// method, the path and the permission guard (api/auth.ts requirePermission); an Operation adds the words, the zod
// schema the handler parses its body with (the same object), the query options it reads, its success status and the
// refusals it can answer with. api/openapi/operations.ts holds one per route, keyed by `operationKey`;
// test/api/openapi.test.ts fails when a mounted route has none or an Operation names no mounted route.
import type { z } from 'zod';

import type { AppPermission } from '../../apps/permissions.ts';
import type { PorticoError, RefusalKey, RefusalParams } from '../../errors.ts';

/** A refusal's class (src/errors.ts): its Graph code and HTTP status go into the description. */
export type Refusal = new (key: RefusalKey, params?: RefusalParams) => PorticoError;

export type QueryOption = '$filter' | '$select' | '$top' | '$count' | '$skiptoken' | '$orderby';

/** The options every paged collection reads (api/odata.ts readListQuery); `$orderby` only where a list names it. */
export const LIST: readonly QueryOption[] = ['$filter', '$select', '$top', '$count', '$skiptoken'];

export interface Operation {
  summary: string;
  description?: string;
  /** the zod schema the handler parses its body with (api/odata.ts readJson); several: the body is one of them */
  body?: z.ZodType | readonly z.ZodType[];
  /** the handler reads the body with `keepAnnotations`: its schema names the `@odata.*` annotations it takes */
  annotations?: 'kept';
  /** the OData query options the handler reads */
  query?: readonly QueryOption[];
  /** other query parameters the handler reads */
  params?: z.ZodObject;
  /** the success status when not the method's usual one (GET 200, POST 201, PATCH and DELETE 204) */
  status?: 200 | 201 | 204;
  /** the success answers a collection (`value`, `@odata.nextLink`) */
  collection?: true;
  /** refusals beyond those every route of its shape can answer with (token, guard, unknown id, body, query) */
  errors?: readonly Refusal[];
  /**
   * Who may call a route whose handler decides it (no guard in front): `anyOf` as a guard would, `me` for a user's
   * delegated token on their own profile, `public` for no token at all.
   */
  access?: { anyOf?: readonly AppPermission[]; me?: true; public?: true };
  /** served only at `/v1.0`, not also at `/{tenant}/v1.0` */
  rootOnly?: true;
}

/** The key of a route in the operations table: its method and its first OpenAPI path (`GET /users/{id}`). */
export const operationKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
