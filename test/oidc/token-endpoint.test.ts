// The token endpoint's own path before hono (oidc/token-endpoint.ts, #23): a token request it takes whole is answered
// as before and counted, timed and logged under the route pattern hono names, with the request id the chain gives
// (which hono could not add to an answer the provider writes itself: the request id is how this test sees the path
// taken). What it does not take whole reaches the chain and gets the chain's answer: the same refusal for a form the
// edge refuses, sent with its size declared (read here first) or chunked (never read here), and the same 404 for an
// unknown tenant. Portico's own refusals (an unknown API's scope) keep their shape.
import assert from 'node:assert/strict';
import http from 'node:http';
import { it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

import { suite } from '../helpers/suite.ts';

const TOKEN = 'metrics-token-for-the-test-0123456789';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A POST by node's client: with `content-length`, or chunked (no declared size) when `chunked`. */
function post(url: string, body: string, headers: Record<string, string>, chunked = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(Buffer.byteLength(body)) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

suite('token endpoint path', { tenant: 'Contoso', env: { PORTICO_METRICS_TOKEN: TOKEN } }, ({ s, t }) => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const basic = () => ({
    ...form,
    authorization: `Basic ${Buffer.from(`${t.managementClient.clientId}:${t.managementClient.clientSecret}`).toString('base64')}`,
  });
  const grant = () => `grant_type=client_credentials&scope=${encodeURIComponent(`${s.baseUrl}/v1.0/.default`)}`;
  const requests = async () => {
    const res = await fetch(`${s.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const families = parsePrometheusTextFormat(await res.text()) as {
      name: string;
      metrics: { value?: string; labels?: Record<string, string> }[];
    }[];
    const family = families.find((f) => f.name === 'portico_http_requests_total');
    return (route: string, status: string) =>
      Number(
        family?.metrics.find(
          (m) => m.labels?.route === route && m.labels.method === 'POST' && m.labels.status === status,
        )?.value ?? 0,
      );
  };

  it('issues tokens at both paths, with the request id, counted under their route patterns', async () => {
    const before = await requests();
    for (const path of ['v2.0/token', 'oauth2/v2.0/token']) {
      const res = await post(`${s.baseUrl}/${t.tenantId}/${path}`, grant(), {
        ...basic(),
        'client-request-id': 'abc-123',
      });
      assert.equal(res.status, 200, `${path}: ${res.body}`);
      assert.ok((JSON.parse(res.body) as { access_token?: string }).access_token, path);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(String(res.headers['request-id']), /^[0-9a-f-]{36}$/, `${path} answered on its own path`);
      assert.equal(res.headers['client-request-id'], 'abc-123');
      // The token works at the API.
      const token = (JSON.parse(res.body) as { access_token: string }).access_token;
      const me = await fetch(`${s.baseUrl}/v1.0/users`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.status, 200);
    }
    const after = await requests();
    assert.equal(after('/:tenant/v2.0/*', '200') - before('/:tenant/v2.0/*', '200'), 1);
    assert.equal(after('/:tenant/oauth2/v2.0/*', '200') - before('/:tenant/oauth2/v2.0/*', '200'), 1);
  });

  it('refuses a wrong secret as the provider does', async () => {
    const res = await post(`${s.baseUrl}/${t.tenantId}/v2.0/token`, grant(), {
      ...form,
      authorization: `Basic ${Buffer.from(`${t.managementClient.clientId}:not-the-secret`).toString('base64')}`,
    });
    assert.equal(res.status, 401);
    assert.equal((JSON.parse(res.body) as { error: string }).error, 'invalid_client');
  });

  it('answers what it does not take whole as the chain does', async () => {
    const url = `${s.baseUrl}/${t.tenantId}/v2.0/token`;
    // A control character in a value: the edge's 400, whether the body was read here first or not at all.
    const bad = `${grant()}&client_id=a%00b`;
    const declared = await post(url, bad, basic());
    const chunked = await post(url, bad, basic(), true);
    assert.equal(declared.status, 400);
    assert.equal(declared.status, chunked.status);
    assert.equal(declared.body, chunked.body);
    // An unknown tenant: the chain's 404, both ways.
    const unknown = `${s.baseUrl}/nowhere.example/v2.0/token`;
    const missing = await post(unknown, grant(), basic());
    const missingChunked = await post(unknown, grant(), basic(), true);
    assert.equal(missing.status, 404);
    assert.equal(missing.body, missingChunked.body);
    // A chunked token request is still served (by the chain).
    const served = await post(url, grant(), basic(), true);
    assert.equal(served.status, 200, served.body);
  });

  it("keeps Portico's own refusals: a scope of an API the tenant does not have", async () => {
    const body = `grant_type=client_credentials&scope=${encodeURIComponent('api://no-such-api/.default')}`;
    const declared = await post(`${s.baseUrl}/${t.tenantId}/v2.0/token`, body, basic());
    const chunked = await post(`${s.baseUrl}/${t.tenantId}/v2.0/token`, body, basic(), true);
    assert.equal(declared.status, 400);
    assert.equal(declared.headers['cache-control'], 'no-store');
    assert.match(String(declared.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(declared.body), JSON.parse(chunked.body));
    assert.ok((JSON.parse(declared.body) as { error_codes?: number[] }).error_codes?.length);
  });
});
