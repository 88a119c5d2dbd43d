// How Portico reaches an SMTP server: nodemailer's pool (connections kept open and reused, unless the URL says
// `?pool=false`), on sockets with Nagle's algorithm off. With it on, the last small write of each message waits for
// the server's delayed acknowledgement: about 50 ms per message on loopback, which capped the outbox near 90
// messages a second; without it, 9 ms.
import { connect, type Socket } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js';

type GetSocket = (options: { host?: string; port?: number; secure?: boolean; connectionTimeout?: number }, callback: (error: Error | null, socket?: { connection: Socket }) => void) => void;

/** nodemailer's connection timeout, which it applies only to sockets it opens itself. */
const CONNECTION_TIMEOUT_MS = 2 * 60 * 1000;

const noDelaySocket: GetSocket = ({ host, port, secure, connectionTimeout }, callback) => {
  // nodemailer's own defaults; it upgrades this socket to TLS itself for smtps: and STARTTLS.
  const socket = connect({ host: host ?? 'localhost', port: port ?? (secure ? 465 : 587), noDelay: true });
  // A server that never answers the connection would otherwise hold the outbox's delivery forever.
  const timer = setTimeout(() => socket.destroy(new Error('Connection timeout')), connectionTimeout ?? CONNECTION_TIMEOUT_MS);
  const failed = (error: Error) => { clearTimeout(timer); callback(error); };
  socket.once('error', failed);
  socket.once('connect', () => {
    clearTimeout(timer);
    socket.off('error', failed);
    callback(null, { connection: socket });
  });
};

export function smtpTransport(smtpUrl: string): Transporter {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  return nodemailer.createTransport({ ...parseConnectionUrl(url.toString()), getSocket: noDelaySocket } as Parameters<typeof nodemailer.createTransport>[0]);
}
