// Portico behind https, as it is deployed: a TLS-terminating proxy with a test certificate for `portico.test`
// (test/fixtures/tls, self-signed, valid for a century) in front of Portico's plain-http listener, adding the
// X-Forwarded-* headers a proxy adds. Clients reach it as a deployment's clients would, by name and over TLS that
// they verify against the test certificate: Node clients through `httpsRequest` (portico.test resolves to
// loopback), MSAL through `msalNetwork` (its network module), Azure Identity through `azureTls` (a pipeline policy
// giving its default HTTP client an agent that trusts the certificate), Chromium through `chromiumTlsArgs`.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent, createServer, request, type Server } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

import { freePort } from './net.ts';

export const TLS_HOST = 'portico.test';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');
export const TLS_CERT = fixture('portico-test-cert.pem');
const TLS_KEY = fixture('portico-test-key.pem');

/** portico.test is loopback, for this process's clients (Chromium gets the same through its resolver rules). */
const lookup: LookupFunction = (_host, options, callback) => {
  if ((options as { all?: boolean }).all)
    (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  else callback(null, '127.0.0.1', 4);
};

/** An agent that trusts only the test certificate and finds portico.test on loopback. */
export const tlsAgent = new Agent({ ca: TLS_CERT, lookup, keepAlive: false });

export interface TlsProxy {
  /** the public origin, `https://portico.test:<port>`: Portico's base URL */
  origin: string;
  port: number;
  /** starts forwarding to Portico's listener (known once Portico started on the origin as its base URL) */
  start(listener: string): Promise<void>;
  close(): Promise<void>;
}

/** The proxy's port and origin now (Portico's base URL must name them before it starts); `start` once Portico runs. */
export async function tlsProxy(): Promise<TlsProxy> {
  const port = await freePort();
  const origin = `https://${TLS_HOST}:${port}`;
  let server: Server | undefined;
  return {
    origin,
    port,
    async start(listener) {
      const target = new URL(listener);
      server = createServer({ key: TLS_KEY, cert: TLS_CERT }, (req, res) => {
        const upstream = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': `${TLS_HOST}:${port}` },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.writeHead(502).end());
        req.pipe(upstream);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** One request over TLS to portico.test, verified against the test certificate. */
export function httpsRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: tlsAgent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** MSAL's network module (`system.networkClient`) over `httpsRequest`: what MSAL's own does, with the test CA. */
export const msalNetwork = {
  /** every URL MSAL called, with its form body */
  calls: [] as { url: string; body?: string }[],
  async send<T>(method: string, url: string, options?: { headers?: Record<string, string>; body?: string }) {
    msalNetwork.calls.push({ url, body: options?.body });
    const answer = await httpsRequest(url, { method, headers: options?.headers, body: options?.body });
    return { headers: answer.headers, body: JSON.parse(answer.text || '{}') as T, status: answer.status };
  },
  sendGetRequestAsync<T>(url: string, options?: { headers?: Record<string, string> }) {
    return msalNetwork.send<T>('GET', url, options);
  },
  sendPostRequestAsync<T>(url: string, options?: { headers?: Record<string, string>; body?: string }) {
    return msalNetwork.send<T>('POST', url, options);
  },
};

/** Azure SDK client options: its default HTTP client, with the agent that trusts the test certificate. */
export const azureTls = {
  additionalPolicies: [
    {
      position: 'perCall' as const,
      policy: {
        name: 'portico-test-tls',
        sendRequest: (req, next) => {
          req.agent = tlsAgent;
          return next(req);
        },
      } satisfies PipelinePolicy,
    },
  ],
};

/** Chromium finds portico.test on loopback and accepts the test certificate. */
export const chromiumTlsArgs = [`--host-resolver-rules=MAP ${TLS_HOST} 127.0.0.1`];
