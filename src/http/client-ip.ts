// The address a request came from, for rate limits and the sign-in log. Behind a reverse proxy every peer is the
// proxy, so PORTICO_TRUSTED_PROXIES names the proxies whose X-Forwarded-For is believed: the client is the
// right-most address in that chain that is not itself a trusted proxy. Nobody else's X-Forwarded-For counts.
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';

const resolved = new WeakMap<IncomingMessage, string>();

const bare = (address: string) => address.trim().replace(/^::ffff:/, '');

/** The client behind `peer`, by the X-Forwarded-For chain when `peer` is a trusted proxy. */
export function clientOf(peer: string, forwardedFor: string | undefined, trusted: ReadonlySet<string>): string {
  let client = bare(peer);
  if (!forwardedFor || !trusted.has(client)) return client;
  const hops = forwardedFor.split(',').map(bare).filter(Boolean);
  while (trusted.has(client) && hops.length > 0) client = hops.pop()!;
  return client;
}

/** Works out a request's client once, when proxies are trusted (a no-op when none are): what `requestIp` reads. */
export function proxyResolver(addresses: readonly string[]): (incoming: IncomingMessage) => void {
  const trusted = new Set(addresses.map(bare));
  return (incoming) => {
    if (trusted.size === 0) return;
    const forwardedFor = incoming.headers['x-forwarded-for'];
    resolved.set(
      incoming,
      clientOf(
        incoming.socket?.remoteAddress ?? 'unknown',
        Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor,
        trusted,
      ),
    );
  };
}

/** Middleware: the same for every request hono serves. */
export function trustProxies(addresses: readonly string[]): MiddlewareHandler<{ Bindings: HttpBindings }> {
  const resolve = proxyResolver(addresses);
  return async (c, next) => {
    const incoming = c.env?.incoming;
    if (incoming) resolve(incoming);
    await next();
  };
}

export const clientIp = (c: Context<{ Bindings: HttpBindings }>): string => requestIp(c.env?.incoming);

/** The same for a bare request (oidc-provider's middleware sees the Node request, not hono's context). */
export const requestIp = (incoming: IncomingMessage | undefined): string =>
  (incoming && resolved.get(incoming)) ?? incoming?.socket?.remoteAddress ?? 'unknown';
