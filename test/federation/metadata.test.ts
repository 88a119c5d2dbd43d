// Reading IdP metadata from a URL: a document far larger than any real metadata is refused before it is parsed.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';

import { InvalidRequest } from '../../src/errors.ts';
import { fetchIdpMetadata } from '../../src/federation/metadata.ts';

describe('IdP metadata by URL', () => {
  it('refuses a response larger than 1 MiB, with or without a content-length', async () => {
    const big = `<x>${'a'.repeat(2 * 1024 * 1024)}</x>`;
    const server = createServer((req, res) => {
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.write(big.slice(0, 1_500_000));
        res.end(big.slice(1_500_000));
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(big)) })
        .end(big);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      for (const path of ['/sized', '/chunked']) {
        await assert.rejects(
          fetchIdpMetadata(`http://127.0.0.1:${port}${path}`),
          (e: unknown) => e instanceof InvalidRequest && /too large/.test((e as Error).message),
        );
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
