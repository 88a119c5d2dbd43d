// How Portico reaches an SMTP server: nodemailer's pool (connections kept open and reused, unless the URL says
// `?pool=false`), on sockets with Nagle's algorithm off. With it on, the last small write of each message waits for
// the server's delayed acknowledgement: about 50 ms per message on loopback, which capped the outbox near 90
// messages a second; without it, 9 ms.
//
// No send may hang or wedge the pool (issue #16):
// - The socket is handed to nodemailer at once, still connecting. nodemailer's pool drops a connection only when the
//   connection itself reports an error; an error passed back by `getSocket` reaches the message but leaves the pool
//   slot taken for good (smtp-pool/pool-resource.js `connect`), so five refused connects used to stop all mail. A
//   refused or reset connect now surfaces as the socket's error inside nodemailer, which frees the slot.
// - Every phase has a deadline: connect and greeting (the greeting timer starts as the socket is handed over, so it
//   bounds both), and each command after (socket inactivity). nodemailer's defaults (2 min, 30 s, 10 min) would let
//   one dead server hold a delivery for minutes.
import { connect, type Socket } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js';

type GetSocket = (
  options: { host?: string; port?: number; secure?: boolean },
  callback: (error: Error | null, socket?: { connection: Socket }) => void,
) => void;

/** The deadlines of one delivery; the URL may override each (`?greetingTimeout=...`, in ms). */
export const SMTP_TIMEOUTS = {
  /** TCP connect plus the server's 220 greeting */
  greetingTimeout: 10_000,
  /** silence while waiting for any reply (each command, the message body, an idle pooled connection) */
  socketTimeout: 60_000,
} as const;

/**
 * nodemailer's pool sends a message again, without telling anyone, when its connection closes mid-send; by default
 * without limit, so a server that hangs up on every connection kept the send from ever settling. Once is enough for
 * a pooled connection the server closed while idle; after that the worker decides (and counts the attempt).
 */
const MAX_REQUEUES = 1;

const noDelaySocket: GetSocket = ({ host, port, secure }, callback) => {
  // nodemailer's own defaults; it upgrades this socket to TLS itself for smtps: and STARTTLS.
  callback(null, {
    connection: connect({ host: host ?? 'localhost', port: port ?? (secure ? 465 : 587), noDelay: true }),
  });
};

export function smtpTransport(smtpUrl: string): Transporter {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  return nodemailer.createTransport({
    ...SMTP_TIMEOUTS,
    maxRequeues: MAX_REQUEUES,
    ...parseConnectionUrl(url.toString()),
    getSocket: noDelaySocket,
  } as Parameters<typeof nodemailer.createTransport>[0]);
}
