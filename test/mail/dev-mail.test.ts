// The built-in mail catcher and /dev/mail: with no SMTP URL Portico delivers to its own loopback catcher, and the
// development page lists what it caught, escaped; the page exists only in development mode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';

import { buildPortico, type Portico } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { enqueue } from '../../src/mail/outbox.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { createTestStore, storeKinds, type StoreKind } from '../helpers/stores.ts';
import { sampleMail } from './peer.ts';

const SCRIPT = '<script>alert(1)</script>';

/** Portico as `npm start` builds it from the environment (no transport override), on a fresh test store. */
async function withPortico(
  kind: StoreKind,
  env: Record<string, string>,
  fn: (p: Portico, clock: ManualClock) => Promise<void>,
) {
  const ts = await createTestStore(kind);
  const clock = new ManualClock();
  const config = loadConfig({
    PORTICO_DATABASE_URL: ts.url,
    PORTICO_PORT: '0',
    PORTICO_LOG_LEVEL: 'silent',
    ...TEST_PASSWORD_COST,
    ...env,
  });
  const portico = await buildPortico(config, {
    store: ts.store,
    clock,
    log: pino({ level: 'silent' }),
    runWorker: false,
  });
  try {
    await fn(portico, clock);
  } finally {
    await portico.close();
    await ts.dispose();
  }
}

interface CaughtJson {
  id: number;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  raw?: string;
}

for (const { kind, skip } of storeKinds()) {
  describe(`built-in mail catcher and /dev/mail (${kind})`, { skip }, () => {
    it('delivers to the catcher and lists the mail at /dev/mail, escaped', () =>
      withPortico(kind, { PORTICO_DEV: '1' }, async (portico, clock) => {
        assert.ok(portico.catcher, 'no SMTP URL: the built-in catcher runs');
        const { store } = portico.services;
        const empty = await portico.app.request('/dev/mail');
        assert.equal(empty.status, 200);
        assert.match(await empty.text(), /No mail yet/);

        const mail = sampleMail({
          subject: `Welcome ${SCRIPT} & "friends"`,
          text: `Hi ${SCRIPT}\n`,
          html: `<p>Hi</p>`,
        });
        const id = await store.transaction((tx) => enqueue(tx, clock, 'tenant-a', 'invitation', mail));
        assert.equal(await portico.worker.runOnce(), 1);
        assert.equal(
          (await store.db.selectFrom('outbox').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state,
          'sent',
        );
        assert.equal(portico.catcher.messages().length, 1);

        const page = await portico.app.request('/dev/mail');
        assert.equal(page.status, 200);
        assert.match(page.headers.get('content-type') ?? '', /text\/html/);
        const html = await page.text();
        assert.ok(!html.includes('<script'), 'no raw <script> in the page');
        assert.ok(
          html.includes('Welcome &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;'),
          'the subject appears escaped',
        );
        assert.ok(html.includes('alice@fabrikam.example, bob@fabrikam.example'));

        const json = await portico.app.request('/dev/mail', { headers: { accept: 'application/json' } });
        assert.equal(json.status, 200);
        const { value } = (await json.json()) as { value: CaughtJson[] };
        assert.equal(value.length, 1);
        const [caught] = value;
        assert.equal(caught?.subject, mail.subject);
        assert.deepEqual(caught?.to, mail.to);
        assert.deepEqual(caught?.cc, mail.cc);
        assert.match(caught?.from ?? '', /Contoso via Portico/);
        assert.equal(caught?.text.trim(), mail.text.trim());
        assert.equal(caught?.html?.trim(), mail.html);
        assert.equal(caught?.raw, undefined, 'the raw message stays out of the listing');

        const detail = await portico.app.request(`/dev/mail/${caught?.id}`);
        assert.equal(detail.status, 200);
        const detailHtml = await detail.text();
        assert.ok(!detailHtml.includes('<script'), 'no raw <script> on the message page');
        assert.ok(detailHtml.includes('Hi &lt;script&gt;alert(1)&lt;/script&gt;'));
        assert.equal((await portico.app.request('/dev/mail/999')).status, 404);
      }));

    it('lists newest first and sends each queued message once', () =>
      withPortico(kind, { PORTICO_DEV: '1' }, async (portico, clock) => {
        const { store } = portico.services;
        for (const subject of ['first', 'second', 'third']) {
          await store.transaction((tx) => enqueue(tx, clock, 'tenant-a', 'notice', sampleMail({ subject })));
          clock.advance(1);
        }
        assert.equal(await portico.worker.runOnce(), 3);
        clock.advance(3_600_000);
        assert.equal(await portico.worker.runOnce(), 0);
        const res = await portico.app.request('/dev/mail', { headers: { accept: 'application/json' } });
        const { value } = (await res.json()) as { value: CaughtJson[] };
        assert.equal(value.length, 3);
        assert.deepEqual(
          value.map((m) => m.id),
          [...value.map((m) => m.id)].sort((a, b) => b - a),
        );
        assert.deepEqual(value.map((m) => m.subject).sort(), ['first', 'second', 'third']);
      }));

    it('has no /dev/mail outside development mode', () =>
      withPortico(kind, { PORTICO_DEV: '0' }, async (portico) => {
        assert.ok(portico.catcher);
        assert.equal((await portico.app.request('/dev/mail')).status, 404);
      }));

    it('runs no catcher and no /dev/mail when an SMTP URL is configured', () =>
      withPortico(kind, { PORTICO_SMTP_URL: 'smtp://127.0.0.1:1' }, async (portico) => {
        assert.equal(portico.catcher, null);
        assert.equal((await portico.app.request('/dev/mail')).status, 404);
      }));
  });
}
