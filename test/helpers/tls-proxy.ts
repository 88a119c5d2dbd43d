// Portico behind https, as it is deployed: a TLS-terminating proxy on loopback with a test certificate for
// localhost (test/fixtures/tls, self-signed, valid until 2046) in front of Portico's plain-http listener, passing
// X-Forwarded-Proto/Host as a reverse proxy does. Clients that insist on https (MSAL refuses an http authority) talk
// to it: Chromium with `ignoreHTTPSErrors`, MSAL through `trustingNetworkClient`, which trusts only this certificate.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';

import { freePort } from './net.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');
export const TEST_CA = fixture('localhost.crt');

export interface TlsProxy {
  /** the public origin, `https://localhost:<port>`: Portico's PORTICO_BASE_URL */
  origin: string;
  /** where requests go, once Portico listens: `http://127.0.0.1:<port>` */
  forwardTo(listener: string): void;
  close(): Promise<void>;
}

/** Starts the proxy before Portico (whose base URL must name its port); `forwardTo` points it at Portico after. */
export async function startTlsProxy(): Promise<TlsProxy> {
  const port = await freePort();
  let target: URL | undefined;
  const server = createServer({ key: fixture('localhost.key'), cert: TEST_CA }, (req, res) => {
    if (!target) return void res.writeHead(502).end('no upstream yet');
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          'x-forwarded-proto': 'https',
          'x-forwarded-host': req.headers.host ?? `localhost:${port}`,
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end('upstream failed'));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `https://localhost:${port}`,
    forwardTo: (listener) => {
      target = new URL(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface NetworkResponse<T> {
  headers: Record<string, string>;
  body: T;
  status: number;
}

/** MSAL's network module (its INetworkModule) over node:https, trusting the test certificate. */
export function trustingNetworkClient(ca = TEST_CA) {
  const send = <T>(
    url: string,
    method: 'GET' | 'POST',
    options?: { headers?: Record<string, string>; body?: string },
  ) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const req = httpsRequest(url, { method, ca, headers: options?.headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ headers: flat(res.headers), body: JSON.parse(text) as T, status: res.statusCode ?? 0 });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      req.on('error', reject);
      req.end(method === 'POST' ? (options?.body ?? '') : undefined);
    });
  return {
    sendGetRequestAsync: <T>(url: string, options?: { headers?: Record<string, string> }) =>
      send<T>(url, 'GET', options),
    sendPostRequestAsync: <T>(url: string, options?: { headers?: Record<string, string>; body?: string }) =>
      send<T>(url, 'POST', options),
  };
}

const flat = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
