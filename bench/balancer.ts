// A round-robin HTTP balancer for the scale-out runs: each request goes to the next node, so consecutive requests of
// one flow (a sign-in, a redemption) land on different processes. Keep-alive to the nodes, bodies streamed.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

import { freePort } from '../test/helpers/net.ts';

export interface Balancer {
  url: string;
  /** requests sent to each node, in node order */
  counts: number[];
  close(): Promise<void>;
}

export async function startBalancer(nodes: string[]): Promise<Balancer> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const targets = nodes.map((n) => new URL(n));
  const counts = nodes.map(() => 0);
  let next = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const i = next++ % targets.length;
    counts[i]!++;
    const target = targets[i]!;
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        agent,
        headers: {
          ...req.headers,
          'x-forwarded-for': [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', '),
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
