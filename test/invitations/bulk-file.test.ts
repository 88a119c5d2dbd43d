// A bulk CSV file read as a stream (src/invitations/bulk-file.ts): the same rows and refusals as the whole file read
// at once, line numbers right across the reader's chunks, and a memory that does not grow with the file: the rows of
// a large file are not all held at once, and rows ended after a slow one wait in a bounded window. No store is needed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { readBulkCsvFile } from '../../src/invitations/bulk-file.ts';
import { BulkCsvError, inviteInOrder, parseBulkCsv, type BulkInput, type BulkRow } from '../../src/invitations/bulk.ts';

const HEADINGS =
  'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]';

const dir = mkdtempSync(join(tmpdir(), 'portico-bulk-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const file = (contents: string | Buffer) => {
  const path = join(dir, `${files++}.csv`);
  writeFileSync(path, contents);
  return path;
};
const readAll = async (path: string) => {
  const rows: BulkInput[] = [];
  for await (const row of readBulkCsvFile(path)) rows.push(row);
  return rows;
};
const rowFor = (input: BulkInput): BulkRow => ({
  line: input.line,
  email: input.email,
  outcome: 'created',
  userId: '',
  inviteRedeemUrl: '',
  error: '',
});

describe('a bulk CSV file read as a stream', () => {
  // 6,000 rows with quoted messages over two lines: about 600 kB, so the reader's 256 kB chunks end inside records.
  const template = ['version:v1.0', HEADINGS, 'Example:    name@company.com,https://x.example,true,Hello'];
  for (let i = 0; i < 6000; i++)
    template.push(`guest${i}@partner.example,https://apps.example/,true,"Dear guest ${i},\nwelcome ${'·'.repeat(40)}"`);
  const text = template.join('\r\n');

  it('gives the rows, lines and cells parseBulkCsv gives for the whole file', async () => {
    const streamed = await readAll(file(text));
    assert.equal(streamed.length, 6000);
    assert.deepEqual(streamed, parseBulkCsv(Buffer.from(text)));
    assert.deepEqual(streamed.at(-1), {
      line: 3 + 2 * 6000,
      email: 'guest5999@partner.example',
      redirect: 'https://apps.example/',
      send: 'true',
      message: `Dear guest 5999,\nwelcome ${'·'.repeat(40)}`,
    });
    const plain = await readAll(file('\uFEFFemail,send\nann@partner.example,false\n\nben@partner.example,'));
    assert.deepEqual(
      plain.map((r) => [r.line, r.email, r.send]),
      [
        [2, 'ann@partner.example', 'false'],
        [4, 'ben@partner.example', ''],
      ],
    );
  });

  it('refuses a NUL or a byte that is not UTF-8 deep in the file naming its line, and what csv-parse cannot read', async () => {
    const head = Buffer.from(`${text}\r\n`);
    const line = 3 + 2 * 6000 + 1;
    for (const [bad, reason] of [
      [Buffer.from('nul\u0000@partner.example,,true,\r\n'), 'nul'],
      [Buffer.from([...Buffer.from('jos'), 0xe9, ...Buffer.from('@partner.example,,true,\r\n')]), 'notUtf8'],
    ] as const) {
      const path = file(Buffer.concat([head, bad, Buffer.from('last@partner.example,,true,')]));
      await assert.rejects(readAll(path), (e: unknown) => {
        assert.ok(e instanceof BulkCsvError);
        assert.equal(e.reason, reason);
        assert.equal(e.line, line);
        assert.match(e.message, new RegExp(`line ${line}\\b`));
        return true;
      });
    }
    await assert.rejects(readAll(file(`${text}\r\n"never closed,x`)), (e: unknown) => {
      assert.ok(e instanceof BulkCsvError && e.reason === 'unreadable');
      return true;
    });
    await assert.rejects(readAll(file('')), (e: unknown) => e instanceof BulkCsvError && e.reason === 'noHeading');
    await assert.rejects(
      readAll(file('name,url\nx,y\n')),
      (e: unknown) => e instanceof BulkCsvError && e.reason === 'noEmail',
    );
  });

  it('holds a bounded number of rows whatever the size of the file', async () => {
    // 150,000 rows (9 MB): read whole, their rows alone held 24 MB of heap (16 MB at 100,000) until the last was
    // invited; read as a stream, a few rows at a time (2 MB measured).
    const rows = 150_000;
    const lines = [HEADINGS];
    for (let i = 0; i < rows; i++) lines.push(`guest${i}@partner${i % 97}.example,https://apps.example/,true,Welcome`);
    const path = file(lines.join('\n'));
    lines.length = 0;
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heap();
    let most = 0;
    let done = 0;
    const taken = await inviteInOrder(readBulkCsvFile(path), async (input) => rowFor(input), {
      inOrder: () => {
        if (++done % 25_000 === 0) most = Math.max(most, heap() - before);
      },
    });
    assert.equal(taken, rows);
    assert.equal(done, rows);
    assert.ok(most < 8 * 2 ** 20, `the heap grew by ${Math.round(most / 2 ** 20)} MB over ${rows} rows`);
  });

  it('takes no row more than its window after a row still running', async () => {
    const inputs = Array.from({ length: 2000 }, (_, i) => ({ line: i + 2, email: `w${i}@partner.example` }));
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let mostTaken = 0;
    const emitted: number[] = [];
    const run = inviteInOrder(
      inputs,
      async (input) => {
        mostTaken = Math.max(mostTaken, input.line);
        if (input.line === 10) await slow;
        else await new Promise((resolve) => setImmediate(resolve));
        return { ...rowFor({ ...input, redirect: '', send: '', message: '' }) };
      },
      { inFlight: 4, window: 100, inOrder: (r) => emitted.push(r.line) },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(mostTaken, 10 + 99, 'the rows taken stop 99 rows after the slow one');
    assert.deepEqual(emitted, [2, 3, 4, 5, 6, 7, 8, 9], 'rows after the slow one wait for it');
    release();
    assert.equal(await run, 2000);
    assert.deepEqual(
      emitted,
      inputs.map((r) => r.line),
    );
  });
});
