// Debian's Chromium driven by playwright-core (never a downloaded browser). Without /usr/bin/chromium a suite skips
// on a laptop; under CI a missing browser is a failure.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';

import { freePort } from './net.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const haveBrowser = existsSync(CHROMIUM);
export const browserSkip: string | false =
  !haveBrowser && !process.env.CI
    ? `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the browser tests`
    : false;

/** `args`: more switches (e.g. tls.ts's resolver rules for portico.test). */
export const launchBrowser = (args: string[] = []): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args] });

/** A loopback "app" that records where browsers land. */
export async function startLandingSite(): Promise<{ origin: string; visits: URL[]; close(): Promise<void> }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const visits: URL[] = [];
  const server: Server = createServer((req, res) => {
    visits.push(new URL(req.url ?? '/', origin));
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>App</title><p>Welcome.</p>');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin,
    visits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
