// /v1.0/openapi.json (issue #22): a document a maintained OpenAPI validator accepts, describing exactly the routes the
// running server mounts under /v1.0 and /{tenant}/v1.0, with the permissions their guards check and request schemas
// that refuse what the API refuses; /v1.0/$metadata, which every @odata.context names, answers instead of a 404.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';

import { apiDocument, mountedOperations, openApiPaths, pathShape } from '../../src/api/openapi/document.ts';
import { OPERATIONS } from '../../src/api/openapi/operations.ts';
import { INVITE_USERS, WRITE_GROUPS } from '../../src/apps/permissions.ts';
import { VERSION } from '../../src/version.ts';
import { assertGraphError, narrowApi } from '../helpers/api.ts';
import { apiClient } from '../helpers/server.ts';
import { suite } from '../helpers/suite.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

/**
 * JSON Schema 2020-12 (OpenAPI 3.1's dialect) by the validator's own Ajv: the project has no Ajv 8 of its own, and
 * the validator's is the one that checks this document.
 */
const validatorRequire = createRequire(createRequire(import.meta.url).resolve('@seriousme/openapi-schema-validator'));
const Ajv2020 = validatorRequire('ajv/dist/2020').default as new (o: object) => {
  compile(schema: object): (data: unknown) => boolean;
};

suite('API description', { tenant: 'Contoso' }, ({ s, t }) => {
  let doc: Json;
  before(async () => {
    const res = await fetch(`${s.baseUrl}/v1.0/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as Json;
  });
  /** An operation's response for `status`, its reference to the shared refusals followed. */
  const response = (op: Json, status: string): Json => {
    const ref = op.responses[status] as Json;
    return ref.$ref ? doc.components.responses[String(ref.$ref).split('/').pop()!] : ref;
  };
  const operations = () =>
    Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ path, method: m.toUpperCase(), op: item[m] as Json })),
    );

  it('serves an OpenAPI 3.1 document, without a token and cacheable, that the validator accepts', async () => {
    const res = await fetch(`${s.baseUrl}/v1.0/openapi.json`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(res.headers.get('cache-control') ?? '', /public, max-age=\d+/);
    const again = await fetch(`${s.baseUrl}/v1.0/openapi.json`, {
      headers: { 'if-none-match': res.headers.get('etag') ?? '' },
    });
    assert.equal(again.status, 304);
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.version, VERSION);
    assert.deepEqual(
      doc.servers.map((x: Json) => x.url),
      [`${s.baseUrl}/v1.0`, `${s.baseUrl}/{tenant}/v1.0`],
    );
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    assert.equal(validator.version, '3.1');
    // The validator does check: the same document with a response lacking its description is refused.
    const broken = structuredClone(doc);
    delete broken.paths['/invitations'].post.responses['201'].description;
    assert.equal((await new Validator().validate(broken)).valid, false);
    // The token and authorize URLs are the tenant's, as templates.
    const flows = doc.components.securitySchemes;
    assert.equal(flows.application.flows.clientCredentials.tokenUrl, `${s.baseUrl}/%7Btenant%7D/oauth2/v2.0/token`);
    assert.equal(
      flows.delegated.flows.authorizationCode.authorizationUrl,
      `${s.baseUrl}/%7Btenant%7D/oauth2/v2.0/authorize`,
    );
    // ... and the template, filled in with the tenant's domain, is where tokens come from.
    const { clientId, clientSecret } = t.managementClient;
    const token = await fetch(
      flows.application.flows.clientCredentials.tokenUrl.replace('%7Btenant%7D', encodeURIComponent(t.domain)),
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: `${s.baseUrl}/v1.0/.default` }),
      },
    );
    const { access_token } = (await token.json()) as { access_token: string };
    assert.equal((await apiClient(s.baseUrl, access_token)('GET', '/v1.0/organization')).status, 200);
  });

  it('describes every route the server mounts under /v1.0 and /{tenant}/v1.0, and no other', () => {
    const described = new Set(operations().map((o) => `${o.method} ${pathShape(o.path)}`));
    const rootOnly = new Set(
      operations()
        .filter((o) => o.op.servers)
        .map((o) => `${o.method} ${pathShape(o.path)}`),
    );
    const mounted = (prefix: string) =>
      new Set(
        s.portico.app.routes
          .filter((r) => r.path.startsWith(`${prefix}/`) && !(r.method === 'ALL' && r.path.endsWith('*')))
          .flatMap((r) => openApiPaths(r.path.slice(prefix.length)).paths.map((p) => `${r.method} ${pathShape(p)}`)),
      );
    const atRoot = mounted('/v1.0');
    const atTenant = mounted('/:tenant/v1.0');
    assert.ok(atRoot.size > 100, `${atRoot.size} routes`);
    assert.deepEqual(
      [...atRoot].filter((k) => !described.has(k)),
      [],
      'mounted at /v1.0 but not described',
    );
    assert.deepEqual(
      [...described].filter((k) => !atRoot.has(k)),
      [],
      'described but not mounted at /v1.0',
    );
    assert.deepEqual(
      [...described].filter((k) => !rootOnly.has(k) && !atTenant.has(k)),
      [],
      'described but not mounted at /{tenant}/v1.0',
    );
    assert.deepEqual(
      [...atTenant].filter((k) => !described.has(k)),
      [],
      'mounted at /{tenant}/v1.0, not described',
    );
    assert.deepEqual([...rootOnly].sort(), ['GET /$metadata', 'GET /openapi.json']);
  });

  it('has a table entry for every mounted route and none for a route that is not mounted', () => {
    const routes = s.portico.app.routes.flatMap((r) =>
      r.path.startsWith('/v1.0/') ? [{ ...r, path: r.path.slice('/v1.0'.length) }] : [],
    );
    const keys = mountedOperations(routes).map((o) => o.key);
    assert.deepEqual(
      keys.filter((k) => !OPERATIONS[k]),
      [],
      'mounted routes without an entry in api/openapi/operations.ts',
    );
    assert.deepEqual(
      Object.keys(OPERATIONS).filter((k) => !keys.includes(k)),
      [],
      'entries of api/openapi/operations.ts that name no mounted route',
    );
    // A route the table does not know is still described, as such: the checks above are what fail.
    const partial = apiDocument(s.baseUrl, routes, { ...OPERATIONS, 'GET /groups': undefined! });
    assert.equal((partial.paths['/groups'] as Json).get.summary, 'Undescribed route');
  });

  it('names, for each route, who may call it and the Graph codes it refuses with', () => {
    const ids = new Set<string>();
    for (const { path, method, op } of operations()) {
      const where = `${method} ${path}`;
      assert.ok(op.summary && op.summary !== 'Undescribed route', where);
      assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} is unique`);
      ids.add(op.operationId);
      const inPath = (op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name);
      assert.deepEqual(
        inPath,
        [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        `${where}: its path parameters`,
      );
      assert.ok(op.responses.default, where);
      if (op.servers) {
        assert.deepEqual(op.security, [], `${where} needs no token`);
        continue;
      }
      assert.ok(op.security.length > 0 && op['x-permissions'], `${where} names its permissions`);
      const refused = response(op, '401').content['application/json'].schema.allOf[1].properties.error.properties.code;
      assert.deepEqual(refused.enum, ['InvalidAuthenticationToken'], where);
      assert.ok(op.responses['403'], `${where} can refuse a caller without the permission`);
      if (op.requestBody) assert.ok(op.responses['415'] && op.responses['413'] && op.responses['400'], where);
    }
    const invite = doc.paths['/invitations'].post;
    // The lists are the guards' own (apps/permissions.ts), in their catalog's order.
    assert.deepEqual([...invite['x-permissions'].application].sort(), [...INVITE_USERS].sort());
    assert.deepEqual(
      [...doc.paths['/groups/{id}'].patch['x-permissions'].application].sort(),
      [...WRITE_GROUPS].sort(),
    );
    assert.ok(response(invite, '403').description.includes('Request_InviteeOptedOut'));
    assert.ok(doc.paths['/me'].get['x-permissions'].delegated.includes('User.Read'));
  });

  it('lists the permissions the guards check: one listed passes, one not listed is refused', async () => {
    const listed: string[] = doc.paths['/groups'].get['x-permissions'].application;
    assert.ok(listed.includes('Group.Read.All'));
    const allowed = await narrowApi(s, t.tenantId, [listed[0]] as never);
    assert.equal((await allowed('GET', '/v1.0/groups')).status, 200);
    const other = await narrowApi(s, t.tenantId, ['OrgContact.Read.All']);
    assert.ok(!listed.includes('OrgContact.Read.All'));
    const refused = await other('GET', '/v1.0/groups');
    assertGraphError(refused, 403, 'Authorization_RequestDenied');
    assert.ok(response(doc.paths['/groups'].get, '403').description.includes(refused.body.error.code));
  });

  it('has request schemas that refuse what the API refuses and accept what it accepts', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const inviteSchema = ajv.compile(doc.paths['/invitations'].post.requestBody.content['application/json'].schema);
    const groupSchema = ajv.compile(doc.paths['/groups'].post.requestBody.content['application/json'].schema);
    const count = async (path: string) => (await t.api('GET', `${path}?$top=999`)).body.value.length;
    const good = {
      invitedUserEmailAddress: 'ann@fabrikam.example',
      inviteRedirectUrl: 'https://apps.contoso.example/',
    };
    const bad: [string, Json][] = [
      ['no redirect URL', { invitedUserEmailAddress: 'bo@fabrikam.example' }],
      ['an unknown property', { ...good, invitedUserEmailAddress: 'cy@fabrikam.example', color: 'blue' }],
      [
        'a string for a boolean',
        { ...good, invitedUserEmailAddress: 'di@fabrikam.example', sendInvitationMessage: 'yes' },
      ],
      ['an unknown user type', { ...good, invitedUserEmailAddress: 'ed@fabrikam.example', invitedUserType: 'Admin' }],
    ];
    const before = await count('/v1.0/invitations');
    for (const [what, body] of bad) {
      assert.equal(inviteSchema(body), false, `the document refuses ${what}`);
      assertGraphError(await t.api('POST', '/v1.0/invitations', body), 400, 'Request_BadRequest');
    }
    assert.equal(await count('/v1.0/invitations'), before, 'a refused invitation changed nothing');
    // An annotation the API drops is no unknown property for the document either.
    const annotated = { ...good, '@odata.type': '#microsoft.graph.invitation' };
    assert.equal(inviteSchema(annotated), true);
    assert.equal((await t.api('POST', '/v1.0/invitations', annotated)).status, 201);

    const groups = await count('/v1.0/groups');
    for (const body of [{}, { displayName: 'x'.repeat(257) }, { displayName: 'Ops', groupTypes: 'Unified' }]) {
      assert.equal(groupSchema(body), false, JSON.stringify(body));
      assertGraphError(await t.api('POST', '/v1.0/groups', body), 400, 'Request_BadRequest');
    }
    assert.equal(await count('/v1.0/groups'), groups);
    const group = { displayName: 'Ops', mailEnabled: false, securityEnabled: true, mailNickname: 'ops' };
    assert.equal(groupSchema(group), true);
    assert.equal((await t.api('POST', '/v1.0/groups', group)).status, 201);
  });

  it('answers $metadata, which @odata.context names, with where the description is', async () => {
    const list = await t.api('GET', '/v1.0/groups');
    const context = String(list.body['@odata.context']);
    assert.ok(context.startsWith(`${s.baseUrl}/v1.0/$metadata#`), context);
    const res = await fetch(context.split('#')[0]!);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Json;
    assert.equal(body.openapi, `${s.baseUrl}/v1.0/openapi.json`);
    assert.equal(res.headers.get('link'), `<${s.baseUrl}/v1.0/openapi.json>; rel="describedby"`);
    assert.equal((await fetch(body.openapi)).status, 200);
  });
});
