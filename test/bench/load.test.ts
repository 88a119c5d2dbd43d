// The bench's load generator (bench/load/) and the store's opt-in statement count (src/store/statement-count.ts):
// the generator sends exactly the requests asked for, each templated body new, counts other statuses as errors; a
// store opened with BENCH_COUNT_STATEMENTS counts each statement and reports on SIGUSR2, and without it has no
// handler at all (SIGUSR2 then ends the process, Node's default).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { load } from '../../bench/load/index.ts';
import { ROOT } from '../helpers/spawn.ts';
import { createTestStore, storeKinds } from '../helpers/stores.ts';

describe('the load generator', () => {
  const bodies: string[] = [];
  let server: Server;
  let url = '';
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(body.includes('"n":"25"') ? 500 : 201).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends warm-up and operations, each body new, and counts an unexpected status as an error', async () => {
    const figures = await load({
      kind: 'http',
      url,
      method: 'POST',
      path: '/x',
      headers: { 'content-type': 'application/json' },
      bodyTemplate: '{"n":"{n}","m":"{n%3}"}',
      status: 201,
      connections: 4,
      operations: 40,
      warmup: 10,
    });
    assert.equal(figures.operations, 40);
    assert.ok(bodies.length >= 50, `${bodies.length} requests`);
    assert.equal(new Set(bodies).size, bodies.length, 'a body was sent twice');
    assert.ok(bodies.includes('{"n":"5","m":"2"}'));
    // Body 25 (past the warm-up's ten and the few autocannon builds ahead) was answered 500: one error.
    assert.ok(bodies.includes('{"n":"25","m":"1"}'));
    assert.equal(figures.errors, 1);
    assert.match(figures.firstError ?? '', /answered 500, expected 201/);
  });
});

/** A process opening the store and running two selects, then signalling itself SIGUSR2; what it wrote, how it ended. */
function countingChild(url: string, env: Record<string, string>) {
  const script = `
    import { openStore } from ${JSON.stringify(`${ROOT}src/store/index.ts`)};
    const store = openStore({ url: ${JSON.stringify(url)} });
    for (let i = 0; i < 2; i++) await store.db.selectFrom('tenants').select('id').execute();
    process.kill(process.pid, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await store.close();`;
  return new Promise<{ stdout: string; signal: NodeJS.Signals | null }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.once('close', (_code, signal) => resolve({ stdout, signal }));
  });
}

for (const { kind, skip } of storeKinds()) {
  describe(`statements counted for the bench (${kind})`, { skip }, () => {
    it('counts each statement by its SQL when BENCH_COUNT_STATEMENTS is set, and installs nothing otherwise', async () => {
      const t = await createTestStore(kind);
      try {
        const on = await countingChild(t.url, { BENCH_COUNT_STATEMENTS: '1' });
        const line = /bench-statements (.*)\n/.exec(on.stdout)?.[1];
        assert.ok(line, `no counts in ${JSON.stringify(on.stdout)}`);
        const counts = JSON.parse(line) as Record<string, number>;
        assert.equal(counts['select "id" from "tenants"'], 2);
        const off = await countingChild(t.url, { BENCH_COUNT_STATEMENTS: '' });
        assert.equal(off.signal, 'SIGUSR2');
        assert.equal(off.stdout, '');
      } finally {
        await t.dispose();
      }
    });
  });
}
