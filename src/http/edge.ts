// The edge: what every request passes before any route reads it. It refuses, through the one error path
// (http/errors.tsx), a control character in the URL (400), a body larger than the route accepts (413, see
// http/body-limits.ts), and a form or JSON body that does not parse or carries a control character (400). A body the
// edge accepts is read once, into memory, and handed on: to hono routes as the request's body, to oidc-provider as
// `req.body` (it reads `req.body` when the stream was already read, src/oidc/mount.ts).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';

import { BadRequest, PayloadTooLarge } from '../errors.ts';
import { DEFAULT_BODY_LIMIT, uploadRoute } from './body-limits.ts';
import { checkForm, checkJsonBytes, checkRequestTarget, checkUrlEncoded, formType, isJsonType } from './inputs.ts';

type Env = { Bindings: HttpBindings };
type Incoming = IncomingMessage & { body?: unknown };

const sizeText = (bytes: number) =>
  bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
const tooLarge = (limit: number) =>
  new PayloadTooLarge(
    'edge.tooLarge',
    { limit: sizeText(limit) },
    { page: 'edge.tooLarge', vars: { size: sizeText(limit) } },
  );

/** The node request behind a hono request, when there is one (not under app.request() in a test). */
const incomingOf = (c: Context<Env>): Incoming | undefined =>
  (c.env as HttpBindings | undefined)?.incoming as Incoming | undefined;

/** Reads a node request body, refusing it as soon as it passes `limit` bytes (a chunked body has no declared size). */
export function readIncoming(incoming: Incoming, limit: number): Promise<Buffer> {
  if (incoming.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onAbort);
      incoming.off('aborted', onAbort);
    };
    // A refusal pauses the stream, so the client waits (TCP backpressure) while the 413 is rendered instead of pushing
    // tens of megabytes more; the lingering close below resumes it once the answer is out, and discards what arrives.
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        incoming.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onAbort = () => {
      cleanup();
      reject(new BadRequest('edge.truncated'));
    };
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onAbort);
    incoming.once('aborted', onAbort);
  });
}

/** The same for a web stream (a request without a node socket, as app.request() in tests makes). */
async function readStream(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.releaseLock();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** One parse per body: checkUrlEncoded decodes and checks every name and value itself, so it is not parsed again. */
async function checkBody(c: Context<Env>, bytes: Uint8Array): Promise<void> {
  const form = formType(c);
  if (form === 'urlencoded') checkUrlEncoded(bytes);
  else if (form === 'multipart') await checkForm(c.req.header('content-type') ?? '', bytes);
  else if (isJsonType(c)) checkJsonBytes(bytes);
}

export function edge(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const incoming = incomingOf(c);
    checkRequestTarget(incoming?.url ?? c.req.url);

    const upload = uploadRoute(c.req.path);
    const limit = upload ? 2 * upload.routeLimit : DEFAULT_BODY_LIMIT;
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > limit) throw tooLarge(upload ? upload.routeLimit : limit);
    // Upload routes read their bodies themselves, after checking who sends them, through their own limiter.
    if (upload) return next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();

    let bytes: Buffer;
    if (incoming) {
      // The token endpoint's own path (oidc/token-endpoint.ts) may have read it already, and hands a request it does
      // not answer itself (a form that fails these checks) to this chain with the bytes it read.
      bytes = Buffer.isBuffer(incoming.body) ? incoming.body : await readIncoming(incoming, limit);
      // oidc-provider reads `req.body` once the stream is spent (src/oidc/mount.ts may replace it for client auth).
      incoming.body = bytes;
      // Routes read it through hono's body cache (c.req.json(), text(), parseBody()): no web Request is made of a
      // node request for its body, which the providers' endpoints never read that way (the token endpoint's cost).
      const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
      (c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer = Promise.resolve(copy);
    } else {
      if (!c.req.raw.body) return next();
      bytes = await readStream(c.req.raw.body, limit);
      c.req.raw = new Request(c.req.raw, { body: new Uint8Array(bytes) });
    }
    await checkBody(c, bytes);
    return next();
  };
}

const LINGER_MS = 2_000;
const lingering = Symbol('lingering');

/**
 * After a 413 the client may still be sending the rest of its body (100 MB, say). Draining it all would let any client
 * hold the connection as long as it likes; closing the socket at once, with data unread, makes the kernel answer with
 * a reset that can reach the client before it has read the 413. So the response says `Connection: close`, and when
 * Node closes the socket after it, Portico instead half-closes it (the response and a FIN go out), discards whatever
 * still arrives for at most LINGER_MS (nothing is kept in memory), then destroys it: Apache's and nginx's lingering
 * close. Any refusal of a body that was not read to its end gets this; small bodies refused with 400 are read first,
 * so their keep-alive connection serves the next request.
 */
export function closeAfterUnreadBody(): MiddlewareHandler<Env> {
  return async (c, next) => {
    await next();
    const incoming = incomingOf(c);
    if (!incoming || incoming.complete || c.res.status !== 413) return;
    c.res.headers.set('connection', 'close');
    const socket = incoming.socket as Socket & { [lingering]?: boolean };
    socket.destroySoon = function lingeringClose(this: typeof socket) {
      if (this[lingering]) return;
      this[lingering] = true;
      this.end();
      const timer = setTimeout(() => this.destroy(), LINGER_MS);
      timer.unref();
      this.once('close', () => clearTimeout(timer));
      this.once('end', () => this.destroy());
      incoming.resume();
      this.resume();
    };
  };
}
