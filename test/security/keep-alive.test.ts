// A keep-alive connection after an early refusal: a small bad body is read before the 400, so the same socket serves
// the next request; after a 413 the client gets the whole response and `Connection: close` (the server closes rather
// than read the rest of the body), then the next request works on a new socket. Not a store matter: SQLite only.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  reused: boolean;
}

function send(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: text, reused: req.reusedSocket }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('keep-alive after a refusal (sqlite)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('sqlite', { runWorker: false });
  });
  after(async () => {
    await s?.close();
  });

  it('serves the next request on the same socket after a 400 for a small bad body', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await send(agent, `${s.baseUrl}/healthz`, 'GET')).status, 200);
      const refusals: [string, Record<string, string>, string][] = [
        ['/redeem/start', { 'content-type': 'multipart/form-data; boundary=b' }, 'x'],
        ['/personal/signup', { 'content-type': 'application/x-www-form-urlencoded' }, 'email=%zz'],
        ['/v1.0/users', { 'content-type': 'application/json' }, '{"displayName":'],
        // Refused for its URL before the body is read: the server still reads the small body, then reuses the socket.
        ['/optout/code?x=%00', { 'content-type': 'application/x-www-form-urlencoded' }, `email=${'a'.repeat(10_000)}`],
      ];
      for (const [path, headers, body] of refusals) {
        const refused = await send(agent, `${s.baseUrl}${path}`, 'POST', headers, body);
        assert.equal(refused.status, 400, path);
        assert.notEqual(refused.headers.connection, 'close', path);
        const next = await send(agent, `${s.baseUrl}/healthz`, 'GET');
        assert.equal(next.status, 200);
        assert.ok(next.reused, `${path}: the next request reused the socket`);
      }
    } finally {
      agent.destroy();
    }
  });

  it('answers a 413 completely with Connection: close, and the next request gets a new socket', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = Buffer.alloc(3 * 1024 * 1024, 'a');
      const refused = await send(
        agent,
        `${s.baseUrl}/redeem/start`,
        'POST',
        { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        big,
      );
      assert.equal(refused.status, 413);
      assert.equal(refused.headers.connection, 'close');
      assert.match(refused.body, /larger than 1 MiB/);
      assert.match(refused.body, /<\/html>$/, 'the whole page arrived');
      const next = await send(agent, `${s.baseUrl}/healthz`, 'GET');
      assert.equal(next.status, 200);
      assert.equal(next.reused, false);
    } finally {
      agent.destroy();
    }
  });

  it('sends the whole 413 before closing, with no reset, to a raw client that keeps sending', async () => {
    const { port } = new URL(s.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    let reset: Error | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      received += d;
    });
    socket.on('error', (e) => {
      reset = e;
    });
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /personal/signup HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: text/html\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`,
    );
    // Keeps writing well past the limit, and past the answer, until the server ends the connection.
    const chunk = Buffer.alloc(256 * 1024, 'a');
    for (let i = 0; i < 40 && !socket.destroyed && !received.includes('</html>'); i++) {
      if (!socket.write(chunk))
        await new Promise((resolve) => {
          socket.once('drain', resolve);
          socket.once('close', resolve);
        });
    }
    await ended;
    assert.match(received, /^HTTP\/1\.1 413 /);
    assert.match(received, /\r\nconnection: close\r\n/i);
    assert.match(received, /<\/html>$/, 'the whole page arrived');
    assert.equal(reset, undefined, `no error before the response was read: ${reset?.message}`);
  });
});
