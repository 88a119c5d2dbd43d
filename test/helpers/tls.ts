// The TLS test kit: Portico behind https, as it is deployed. A real TLS-terminating proxy on loopback with the test
// certificate for `portico.test` (test/fixtures/tls/portico-test-*.pem, self-signed, valid for a century) in front of
// Portico's plain-http listener, adding the X-Forwarded-* headers a proxy adds. Clients reach it as a deployment's
// clients would, by name and over TLS that they verify against that one certificate (and no other):
//  - Node code through `httpsRequest` / `tlsFetch` (portico.test resolves to loopback for them),
//  - MSAL through `msalNetwork()` (its `system.networkClient`, recording what MSAL sent),
//  - Azure Identity through `azureTls` (a pipeline policy giving its default HTTP client the trusting agent),
//  - Chromium through `chromiumTlsArgs` (for `launchBrowser`): portico.test on loopback, the certificate pinned.
// Portico's base URL must name the proxy's port before Portico starts: `tlsProxy()` in the suite's `prepare`,
// `start(listener)` once it runs.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent, createServer, request, type Server } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

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
        upstream.on('error', () => res.writeHead(502).end('upstream failed'));
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

/**
 * `fetch` over `httpsRequest` (Node's own fetch cannot be given a CA without undici): for clients that call fetch
 * themselves, such as the Graph SDK's last middleware. String bodies only.
 */
export async function tlsFetch(url: string, init: RequestInit = {}): Promise<Response> {
  if (init.body !== undefined && init.body !== null && typeof init.body !== 'string')
    throw new Error('tlsFetch sends string bodies only');
  const answer = await httpsRequest(url, {
    method: init.method,
    headers: Object.fromEntries(new Headers(init.headers)),
    body: init.body ?? undefined,
  });
  const empty = answer.status === 204 || answer.status === 304;
  return new Response(empty ? null : answer.text, { status: answer.status, headers: answer.headers });
}

/** MSAL's network module (`system.networkClient`) over `httpsRequest`, recording every call MSAL made. */
export function msalNetwork(): INetworkModule & { calls: { method: string; url: string; body?: string }[] } {
  const calls: { method: string; url: string; body?: string }[] = [];
  async function send<T>(method: string, url: string, options: NetworkRequestOptions = {}) {
    calls.push({ method, url, body: options.body });
    const answer = await httpsRequest(url, { method, headers: options.headers, body: options.body });
    return { headers: answer.headers, body: JSON.parse(answer.text || '{}') as T, status: answer.status };
  }
  return {
    calls,
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> =>
      send<T>('GET', url, options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> =>
      send<T>('POST', url, options),
  };
}

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

/** The base64 SHA-256 of the test certificate's public key: what Chromium pins. */
const spki = createHash('sha256')
  .update(new X509Certificate(TLS_CERT).publicKey.export({ type: 'spki', format: 'der' }))
  .digest('base64');

/**
 * `launchBrowser` switches: Chromium finds portico.test on loopback (any port: the proxy's) and accepts the test
 * certificate, by its public key, and no other certificate it cannot verify (no `ignoreHTTPSErrors` needed).
 */
export const chromiumTlsArgs = [
  `--host-resolver-rules=MAP ${TLS_HOST} 127.0.0.1`,
  `--ignore-certificate-errors-spki-list=${spki}`,
];
