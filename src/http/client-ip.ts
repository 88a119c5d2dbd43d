import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/** The peer address (a proxy in front should be the only peer; X-Forwarded-For is not trusted here). */
export const clientIp = (c: Context<{ Bindings: HttpBindings }>): string => c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
