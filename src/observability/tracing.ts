// OpenTelemetry traces, off by default: with `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) set, every
// request is a server span sent over OTLP/HTTP by the standard SDK's batch processor, continuing the caller's trace
// when the request carries W3C `traceparent`. A span names the route pattern, never the path or query (a redemption
// ticket or a code travels in them), and carries Graph's `request-id` so a trace and a log line meet.
//
// The provider is this server's own, not registered globally: a process holds as many servers as it builds (the
// tests do), each with its own exporter, and nothing else in the process is traced behind the operator's back.
import type { HttpBindings } from '@hono/node-server';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Context, MiddlewareHandler } from 'hono';

import { VERSION } from '../version.ts';

export interface Tracing {
  tracer: Tracer;
  /** sends what is buffered and stops (the server's close) */
  shutdown(): Promise<void>;
}

export function startTracing(url: string, serviceName = process.env.OTEL_SERVICE_NAME || 'portico'): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': VERSION }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  return { tracer: provider.getTracer('portico', VERSION), shutdown: () => provider.shutdown() };
}

const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

type Env = { Bindings: HttpBindings };

/** A server span per request; `routeOf` is the metrics' route pattern, so spans and metrics name routes alike. */
export function traceRequests(tracer: Tracer, routeOf: (c: Context<Env>) => string): MiddlewareHandler<Env> {
  return async (c, next) => {
    const parent = propagator.extract(ROOT_CONTEXT, c.req.raw.headers, headerGetter);
    const span = tracer.startSpan(
      c.req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method } },
      parent,
    );
    try {
      await next();
    } finally {
      const route = routeOf(c);
      span.updateName(`${c.req.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', c.res.status);
      const requestId = c.res.headers.get('request-id');
      if (requestId) span.setAttribute('portico.request_id', requestId);
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}
