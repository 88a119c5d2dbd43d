// /metrics (#22): Prometheus text that a Prometheus text-format parser reads; after one invitation and one
// redemption through the product the counters moved, request counts carry route patterns (never a path with a
// ticket in it), the outbox gauges read the shared queue, and a configured token is required.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

import { redeemedGuest } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string }[];
}

const TOKEN = 'metrics-token-for-the-test-0123456789';

suite('metrics', { tenant: 'Contoso', env: { PORTICO_METRICS_TOKEN: TOKEN } }, ({ s, t }) => {
  const scrape = async (): Promise<Map<string, Family>> => {
    const res = await fetch(`${s.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await res.text()) as Family[];
    return new Map(families.map((f) => [f.name, f]));
  };
  const value = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}) =>
    Number(
      families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ??
        0,
    );

  it('refuses a scrape without the token', async () => {
    assert.equal((await fetch(`${s.baseUrl}/metrics`)).status, 401);
    const wrong = await fetch(`${s.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope-nope-nope-nope' } });
    assert.equal(wrong.status, 401);
  });

  it('counts an invitation and a redemption, requests by route, and reads the outbox', async () => {
    const before = await scrape();
    await redeemedGuest(s, t.api, 'metrics@fabrikam.example');
    const after = await scrape();

    assert.equal(
      value(after, 'portico_invitations_total', { outcome: 'created' }) -
        value(before, 'portico_invitations_total', { outcome: 'created' }),
      1,
      'one invitation made',
    );
    assert.equal(
      value(after, 'portico_redemptions_total', { answer: 'Email OTP' }) -
        value(before, 'portico_redemptions_total', { answer: 'Email OTP' }),
      1,
      'one redemption by passcode',
    );
    assert.ok(
      value(after, 'portico_sign_ins_total', { result: 'success' }) >
        value(before, 'portico_sign_ins_total', { result: 'success' }),
      'the redemption is a logged sign-in',
    );

    const requests = after.get('portico_http_requests_total')!;
    assert.equal(requests.type, 'COUNTER');
    const invited = requests.metrics.find((m) => m.labels?.route === '/v1.0/invitations' && m.labels.method === 'POST');
    assert.equal(invited?.labels?.status, '201', 'POST /v1.0/invitations counted by its route pattern');
    for (const m of requests.metrics)
      assert.doesNotMatch(m.labels!.route!, /ticket=|[0-9a-f]{8}-[0-9a-f]{4}-/, 'routes are patterns, never paths');
    assert.equal(after.get('portico_http_request_duration_seconds')?.type, 'HISTOGRAM');

    // The invitation and passcode mails were queued; the worker delivers them to the test SMTP server.
    assert.ok(after.has('portico_outbox_pending'));
    assert.ok(after.has('portico_outbox_oldest_pending_seconds'));
    assert.equal(value(after, 'portico_outbox_dead_letters'), 0);
    assert.ok(after.has('portico_nodejs_eventloop_lag_seconds'), "Node's event-loop lag");
    if (s.portico.services.store.kind === 'postgres')
      assert.ok(value(after, 'portico_db_pool_connections', { state: 'total' }) >= 1, 'the PostgreSQL pool');
  });

  it('gives every response a request id, and echoes a client-request-id as Graph does', async () => {
    const res = await fetch(`${s.baseUrl}/healthz`, { headers: { 'client-request-id': 'abc-123' } });
    assert.match(res.headers.get('request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get('client-request-id'), 'abc-123');
  });
});
