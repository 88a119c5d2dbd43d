// A real DNS server on loopback (dns2's UDP server on a free port) answering TXT queries with the records a test
// publishes; what Portico's resolver asks through PORTICO_DNS_SERVERS.
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';

const { Packet } = dns2;

export interface TestDns {
  /** `127.0.0.1:<port>`, for PORTICO_DNS_SERVERS */
  server: string;
  /** Replaces the TXT records at `name` (none removes them). */
  publish(name: string, ...texts: string[]): void;
  /** How many queries for `name` reached the server. */
  queries(name: string): number;
  close(): Promise<void>;
}

export async function startTestDns(): Promise<TestDns> {
  const records = new Map<string, string[]>();
  const asked = new Map<string, number>();
  const server = dns2.createUDPServer((request, send) => {
    const response = Packet.createResponseFromRequest(request);
    for (const question of request.questions) {
      const name = question.name.toLowerCase().replace(/\.$/, '');
      asked.set(name, (asked.get(name) ?? 0) + 1);
      if (question.type !== Packet.TYPE.TXT) continue;
      for (const data of records.get(name) ?? []) {
        response.answers.push({
          name: question.name,
          type: Packet.TYPE.TXT,
          class: Packet.CLASS.IN,
          ttl: 60,
          data,
        } as (typeof response.answers)[number]);
      }
    }
    void send(response);
  });
  await server.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    publish: (name, ...texts) => void records.set(name.toLowerCase(), texts),
    queries: (name) => asked.get(name.toLowerCase()) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
