// Portico behind https as apps meet it, for the real Microsoft client libraries and a real browser. Portico runs with
// an https public base URL (`PUBLIC_BASE_URL`) and a plain-http listener, as behind a TLS-terminating proxy; the proxy
// is stood in for at each client (as test/invitations/graph-sdk.test.ts does for the Graph SDK): MSAL's own network
// module interface (`system.networkClient`) and Chromium's request interception send each request for the public
// origin to the listener with X-Forwarded-Proto/Host; Chromium reaches it through a real TLS proxy with a test
// certificate (its own request interception does not follow redirects).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { chromium, type Browser } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS } from './browser.ts';
import { freePort } from './net.ts';

export const PUBLIC_BASE_URL = 'https://portico.test';
const PUBLIC = new URL(PUBLIC_BASE_URL);

const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': PUBLIC.host };

/** The listener URL a public URL stands for. */
export const behindProxy = (listener: string, url: string): string => {
  const u = new URL(url);
  if (u.origin !== PUBLIC.origin) throw new Error(`not Portico's public origin: ${url}`);
  return `${listener}${u.pathname}${u.search}`;
};

/** MSAL's network module through the proxy: every request MSAL sends, recorded. */
export function msalNetwork(listener: string): INetworkModule & { sent: { method: string; url: string }[] } {
  const sent: { method: string; url: string }[] = [];
  async function send<T>(
    method: string,
    url: string,
    options: NetworkRequestOptions = {},
  ): Promise<NetworkResponse<T>> {
    sent.push({ method, url });
    const res = await fetch(behindProxy(listener, url), {
      method,
      headers: { ...options.headers, ...forwarded },
      body: options.body,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: MSAL sees the text
    }
    return { headers: Object.fromEntries(res.headers), body: body as T, status: res.status };
  }
  return {
    sent,
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/**
 * The TLS-terminating proxy itself, for the browser: an https server with a test certificate (made by openssl for
 * `portico.test`) that passes every request to the listener with X-Forwarded-Proto/Host, and every answer back as it is.
 */
export async function startTlsProxy(listener: string): Promise<{ port: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${PUBLIC.hostname}`,
      '-addext',
      `subjectAltName=DNS:${PUBLIC.hostname}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const target = new URL(listener);
  const server = createHttpsServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host, ...forwarded },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    },
  );
  rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Debian's Chromium with `portico.test` resolved to the proxy, trusting its test certificate. */
export const launchProxiedBrowser = (proxyPort: number): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...CHROMIUM_ARGS,
      `--host-resolver-rules=MAP ${PUBLIC.hostname}:443 127.0.0.1:${proxyPort}`,
      '--ignore-certificate-errors',
    ],
  });
