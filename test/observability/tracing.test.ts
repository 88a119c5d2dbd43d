// OpenTelemetry traces (#22): with OTEL_EXPORTER_OTLP_ENDPOINT set, the server sends a span per request over
// OTLP/HTTP (the standard SDK's exporter, JSON) to a collector, here a loopback HTTP server that keeps what it gets.
// A span continues the caller's W3C trace, names the route pattern, carries the status and Graph's request-id, and
// never the path or query: the invitation link's ticket appears in no span. Without the variable nothing is traced.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';

import { loadConfig } from '../../src/config.ts';
import { inviteGuest } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

// The batch processor's delay (5 s by default) read from the SDK's own variable, so spans arrive while the test waits.
process.env.OTEL_BSP_SCHEDULE_DELAY = '50';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
}
interface Received {
  service: string;
  span: OtlpSpan;
}

const received: Received[] = [];
const bodies: string[] = [];
const collector = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    bodies.push(body);
    const parsed = JSON.parse(body) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: OtlpValue }[] };
        scopeSpans: { spans: OtlpSpan[] }[];
      }[];
    };
    for (const rs of parsed.resourceSpans) {
      const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
      for (const scope of rs.scopeSpans) for (const span of scope.spans) received.push({ service, span });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
after(() => collector.close());

const attr = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

async function spanFor(traceId: string): Promise<Received> {
  for (let i = 0; i < 250; i++) {
    const found = received.find((r) => r.span.traceId === traceId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no span of trace ${traceId} reached the collector`);
}

it('is off unless an OTLP endpoint is named, and OTEL_SDK_DISABLED turns it off', () => {
  assert.equal(loadConfig({}).otlpTracesUrl, null);
  assert.equal(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/' }).otlpTracesUrl,
    'http://otel:4318/v1/traces',
  );
  assert.equal(
    loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://otel:4318/custom' }).otlpTracesUrl,
    'http://otel:4318/custom',
  );
  assert.equal(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', OTEL_SDK_DISABLED: 'true' }).otlpTracesUrl,
    null,
  );
});

suite('traces', { tenant: 'Contoso', env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } }, ({ s, t }) => {
  it("continues the caller's trace with a server span named by the route, its status and request id", async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const res = await fetch(`${s.baseUrl}/healthz`, { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    assert.equal(res.status, 200);
    const { service, span } = await spanFor(traceId);
    assert.equal(service, 'portico');
    assert.equal(span.name, 'GET /healthz');
    assert.equal(span.parentSpanId, parentId);
    assert.equal(span.kind, 2, 'a server span');
    assert.equal(attr(span, 'http.route'), '/healthz');
    assert.equal(attr(span, 'http.response.status_code'), 200);
    assert.equal(attr(span, 'portico.request_id'), res.headers.get('request-id'));
  });

  it('traces API calls and invitation links by pattern, never with the ticket', async () => {
    const { redeemUrl } = await inviteGuest(t.api, 'traced@partner.example', 'Traced');
    const ticket = new URL(redeemUrl).searchParams.get('ticket')!;
    assert.ok(ticket.length > 20);
    const traceId = randomBytes(16).toString('hex');
    // The link answers by moving the ticket into a cookie (303); that answer is the traced request.
    const opened = await fetch(redeemUrl, {
      redirect: 'manual',
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    assert.equal(opened.status, 303);
    const { span } = await spanFor(traceId);
    assert.equal(span.name, 'GET /redeem');
    for (let i = 0; i < 250 && !received.some((r) => r.span.name === 'POST /v1.0/invitations'); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const invite = received.find((r) => r.span.name === 'POST /v1.0/invitations');
    assert.ok(invite, received.map((r) => r.span.name).join(', '));
    assert.equal(attr(invite.span, 'http.response.status_code'), 201);
    assert.ok(!bodies.some((body) => body.includes(ticket)), 'the ticket reached the collector');
  });
});
