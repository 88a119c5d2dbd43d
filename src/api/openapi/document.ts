// The API's OpenAPI 3.1 document, built from the mounted router (methods, paths, permission guards) and the
// operations table (api/openapi/operations.ts: words, the handlers' own zod body schemas, statuses, refusals), so the
// description cannot drift from what is served: a route missing from the table is still described, and the test
// (test/api/openapi.test.ts) fails until it is added.
import { z } from 'zod';

import { GRAPH_SCOPES, ME_SCOPES, permissionOfScope } from '../../apps/graph-api.ts';
import { APP_PERMISSIONS, type AppPermission } from '../../apps/permissions.ts';
import {
  AuthorizationDenied,
  BadRequest,
  InvalidAuthenticationToken,
  InvalidRequest,
  PayloadTooLarge,
  ResourceNotFound,
  UnsupportedMediaType,
  UnsupportedQuery,
  type PorticoError,
} from '../../errors.ts';
import { VERSION } from '../../version.ts';
import { guardOf } from '../auth.ts';
import { withReads } from '../delegated.ts';
import { operationKey, type Operation, type QueryOption, type Refusal } from './operation.ts';

type Json = Record<string, unknown>;

/** A route as the hono router lists it (`app.routes`): one entry per handler, guards included. */
export interface MountedRoute {
  method: string;
  path: string;
  handler: unknown;
}

/** One method and path of the API, as the router has it, in OpenAPI's terms. */
export interface MountedOperation {
  method: string;
  /** the router's path */
  route: string;
  /** OpenAPI paths: one, or one per spelling of a type cast (`microsoft.graph.user`, `graph.user`) */
  paths: string[];
  /** the key of its entry in the operations table */
  key: string;
  params: { name: string; pattern?: string }[];
  /** the permissions its guards ask for (any one of each guard's) */
  guards: (readonly AppPermission[])[];
}

const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

/**
 * A router path in OpenAPI's terms: `:id` is `{id}`; a parameter whose pattern is a type cast with an optional
 * namespace (api/odata.ts castSegment) is its literal spellings, longest first; any other pattern stays a
 * parameter with that pattern.
 */
export function openApiPaths(route: string): { paths: string[]; params: MountedOperation['params'] } {
  let paths = [''];
  const params: MountedOperation['params'] = [];
  for (const segment of route.split('/').slice(1)) {
    const param = /^:(\w+)(?:\{(.+)\})?$/.exec(segment);
    let spellings = [segment];
    if (param) {
      const [, name, pattern] = param as unknown as [string, string, string | undefined];
      const optionalPrefix = pattern && /^\(\?:([^()|]+)\)\?([^()|]+)$/.exec(pattern);
      if (optionalPrefix) spellings = [unescape(optionalPrefix[1]! + optionalPrefix[2]!), unescape(optionalPrefix[2]!)];
      else {
        spellings = [`{${name}}`];
        params.push({ name, ...(pattern && { pattern: `^${pattern}$` }) });
      }
    }
    paths = paths.flatMap((p) => spellings.map((s) => `${p}/${s}`));
  }
  return { paths, params };
}

/** The router's routes as operations, in the order they were mounted; middleware (`ALL ... *`) left out. */
export function mountedOperations(routes: readonly MountedRoute[]): MountedOperation[] {
  const byKey = new Map<string, MountedOperation>();
  for (const r of routes) {
    if (r.method === 'ALL' && r.path.endsWith('*')) continue;
    const id = `${r.method} ${r.path}`;
    let op = byKey.get(id);
    if (!op) {
      const { paths, params } = openApiPaths(r.path);
      op = { method: r.method, route: r.path, paths, params, key: operationKey(r.method, paths[0]!), guards: [] };
      byKey.set(id, op);
    }
    const guard = guardOf(r.handler);
    if (guard) op.guards.push(guard);
  }
  return [...byKey.values()];
}

/** A template's shape, whatever its parameters are named: OpenAPI forbids two paths of one shape. */
export const pathShape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

const probe = (cls: Refusal): PorticoError => new cls('resource.notFound');

/** The refusals a route can answer with: those of its shape and the ones its operation names. */
function refusalsOf(op: MountedOperation, declared: Operation | undefined): PorticoError[] {
  const classes = new Set<Refusal>();
  const access = declared?.access;
  // The edge refuses malformed requests on every route (http/edge.ts).
  classes.add(BadRequest);
  if (!access?.public) classes.add(InvalidAuthenticationToken);
  if (op.guards.length || access?.anyOf || access?.me) classes.add(AuthorizationDenied);
  if (op.params.length || op.paths[0]!.includes('{')) classes.add(ResourceNotFound);
  if (declared?.body)
    for (const c of [BadRequest, InvalidRequest, UnsupportedMediaType, PayloadTooLarge]) classes.add(c);
  if (declared?.query?.length) classes.add(UnsupportedQuery);
  for (const c of declared?.errors ?? []) classes.add(c);
  return [...classes].map(probe);
}

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), for what a client sends. */
function requestSchema(schema: z.ZodType, annotationsKept: boolean): Json {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  // The API drops `@odata.*` annotations a body carries unless the route reads them (api/odata.ts readJson).
  if (!annotationsKept && json.additionalProperties === false) json.patternProperties = { '^@odata\\.': {} };
  return json;
}

const QUERY_OPTIONS: Record<QueryOption, Json> = {
  $filter: {
    description: 'OData filter: eq, ne, ge, le, startswith, in, and, or, parentheses',
    schema: { type: 'string' },
  },
  $select: { description: 'Comma-separated properties to return', schema: { type: 'string' } },
  $top: { description: 'Page size', schema: { type: 'integer', minimum: 1, maximum: 999 } },
  $count: { description: 'Include `@odata.count`', schema: { type: 'boolean' } },
  $skiptoken: { description: 'Continue a page: take it from `@odata.nextLink`', schema: { type: 'string' } },
  $orderby: { description: 'One property, `asc` or `desc`', schema: { type: 'string' } },
};

/** The delegated scopes whose token may pass a guard asking for any of `anyOf`, as api/delegated.ts decides. */
const delegatedScopes = (anyOf: readonly AppPermission[]) =>
  GRAPH_SCOPES.map((s) => s.value).filter((s) => {
    const permission = permissionOfScope(s);
    return permission !== undefined && [...withReads([permission])].some((p) => anyOf.includes(p));
  });

function permissionsOf(op: MountedOperation, declared: Operation | undefined) {
  if (declared?.access?.public) return { security: [], permissions: undefined };
  // Every guard must pass; each asks for any one of its list.
  const lists = [...op.guards, ...(declared?.access?.anyOf ? [declared.access.anyOf] : [])];
  const application = lists.length
    ? APP_PERMISSIONS.filter((p) => lists.every((l) => l.includes(p)))
    : ([] as AppPermission[]);
  let delegated = lists.length ? delegatedScopes(application) : [];
  if (declared?.access?.me) delegated = [...new Set([...ME_SCOPES, ...delegated])];
  const security = [...application.map((p) => ({ application: [p] })), ...delegated.map((s) => ({ delegated: [s] }))];
  return { security, permissions: { application, delegated } };
}

/** Refusal responses, one per status and set of codes, shared by the operations that answer with them. */
type Refusals = Record<string, Json>;

function responsesOf(op: MountedOperation, declared: Operation | undefined, refusals: Refusals): Json {
  const status = declared?.status ?? (op.method === 'GET' ? 200 : op.method === 'POST' ? 201 : 204);
  const responses: Json = {};
  responses[String(status)] =
    status === 204
      ? { description: 'Done; no content' }
      : {
          description: declared?.collection ? 'A collection' : 'The resource',
          content: {
            'application/json': {
              schema: { $ref: `#/components/schemas/${declared?.collection ? 'ODataCollection' : 'ODataEntity'}` },
            },
          },
        };
  const byStatus = new Map<number, Set<string>>();
  for (const e of refusalsOf(op, declared)) byStatus.set(e.status, (byStatus.get(e.status) ?? new Set()).add(e.code));
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = [...codes].sort();
    const name = `Refused${status}_${sorted.join('_')}`;
    responses[String(status)] = { $ref: `#/components/responses/${name}` };
    refusals[name] ??= {
      description: `Refused: ${sorted.join(', ')}`,
      content: {
        'application/json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/GraphError' },
              { properties: { error: { properties: { code: { enum: sorted } } } } },
            ],
          },
        },
      },
    };
  }
  responses.default = { $ref: '#/components/responses/Unexpected' };
  return responses;
}

function operationObject(
  baseUrl: string,
  op: MountedOperation,
  path: string,
  declared: Operation | undefined,
  refusals: Refusals,
): Json {
  const { security, permissions } = permissionsOf(op, declared);
  const parameters: Json[] = [
    ...[...path.matchAll(/\{(\w+)\}/g)].map(([, name], i) => {
      const pattern = op.params[i]?.pattern;
      return { name, in: 'path', required: true, schema: { type: 'string', ...(pattern && { pattern }) } };
    }),
    ...(declared?.query ?? []).map((name) => ({ name, in: 'query', ...QUERY_OPTIONS[name] })),
    ...Object.entries(declared?.params?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      schema: requestSchema(schema as z.ZodType, true),
    })),
  ];
  const bodies = declared?.body === undefined ? [] : Array.isArray(declared.body) ? declared.body : [declared.body];
  const schemas = (bodies as z.ZodType[]).map((b) => requestSchema(b, declared?.annotations === 'kept'));
  return {
    operationId: `${op.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: declared?.summary ?? 'Undescribed route',
    ...(declared?.description && { description: declared.description }),
    tags: [path.split('/')[1]!.replace(/[^A-Za-z0-9]/g, '') || 'api'],
    ...(parameters.length && { parameters }),
    ...(schemas.length && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: schemas.length === 1 ? schemas[0] : { anyOf: schemas } } },
      },
    }),
    responses: responsesOf(op, declared, refusals),
    security,
    ...(permissions && { 'x-permissions': permissions }),
    ...(declared?.rootOnly && { servers: [{ url: `${baseUrl}/v1.0` }] }),
  };
}

const oauthScopes = (entries: [string, string][]) => Object.fromEntries(entries);

/** The OpenAPI 3.1 document of the API mounted at `routes` (relative to `/v1.0`), served on `baseUrl`. */
export function apiDocument(baseUrl: string, routes: readonly MountedRoute[], operations: Record<string, Operation>) {
  const paths: Record<string, Json> = {};
  const shapes = new Map<string, string>();
  const refusals: Refusals = {
    Unexpected: {
      description: 'Unexpected error (generalException) or ServiceUnavailable',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/GraphError' } } },
    },
  };
  for (const op of mountedOperations(routes)) {
    const declared = operations[op.key];
    for (const path of op.paths) {
      // A path of a shape already described keeps that one's parameter names (OpenAPI forbids both).
      const shape = pathShape(path);
      const named = shapes.get(shape) ?? path;
      shapes.set(shape, named);
      (paths[named] ??= {})[op.method.toLowerCase()] = operationObject(baseUrl, op, named, declared, refusals);
    }
  }

  const tenantTemplate = (endpoint: string) => `${baseUrl}/%7Btenant%7D/oauth2/v2.0/${endpoint}`;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Portico API',
      version: VERSION,
      description:
        "Portico's Graph-shaped API. Tokens come from the tenant's own token endpoint, `{tenant}` in the OAuth URLs being the tenant's id or a verified domain (percent-encoded braces in the URLs below). An app's token holds application permissions (`roles`); a user's token delegated scopes (`scp`), bounded by the user's directory roles. Refusals are Graph's `{ error: { code, message, innerError } }`; `x-permissions` lists what each route accepts, any one of them.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      { url: `${baseUrl}/v1.0`, description: 'The tenant is the token’s' },
      {
        url: `${baseUrl}/{tenant}/v1.0`,
        description: 'The token must be this tenant’s',
        variables: { tenant: { default: '00000000-0000-0000-0000-000000000000', description: 'The tenant id' } },
      },
    ],
    paths,
    components: {
      responses: refusals,
      securitySchemes: {
        application: {
          type: 'oauth2',
          description: `An app's token (client credentials, scope \`${baseUrl}/v1.0/.default\`), holding the app's application permissions as \`roles\`.`,
          flows: {
            clientCredentials: {
              tokenUrl: tenantTemplate('token'),
              scopes: oauthScopes(APP_PERMISSIONS.map((p) => [p, `Application permission ${p}`])),
            },
          },
        },
        delegated: {
          type: 'oauth2',
          description: "A user's token (authorization code): delegated scopes, bounded by the user's directory roles.",
          flows: {
            authorizationCode: {
              authorizationUrl: tenantTemplate('authorize'),
              tokenUrl: tenantTemplate('token'),
              scopes: oauthScopes(GRAPH_SCOPES.map((s) => [s.value, s.adminConsentDisplayName])),
            },
          },
        },
      },
      schemas: {
        GraphError: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string', description: 'English; part of the API' },
                innerError: {
                  type: 'object',
                  properties: { date: { type: 'string', format: 'date-time' }, 'request-id': { type: 'string' } },
                },
              },
            },
          },
        },
        ODataEntity: {
          type: 'object',
          properties: { '@odata.context': { type: 'string' } },
          additionalProperties: true,
        },
        ODataCollection: {
          type: 'object',
          required: ['value'],
          properties: {
            '@odata.context': { type: 'string' },
            '@odata.count': { type: 'integer' },
            '@odata.nextLink': { type: 'string', format: 'uri' },
            value: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
  };
}
