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
  id: string;
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

    it('shows the HTML part in a sandboxed frame whose policy runs no script, its links opening the top window', () =>
      withPortico(kind, { PORTICO_DEV: '1' }, async (portico, clock) => {
        const { store } = portico.services;
        const html = `<p>Hi <a href="https://app.example/redeem?x=1">accept</a></p>${SCRIPT}`;
        await store.transaction((tx) => enqueue(tx, clock, 'tenant-a', 'invitation', sampleMail({ html })));
        assert.equal(await portico.worker.runOnce(), 1);
        const [caught] = (
          (await (await portico.app.request('/dev/mail', { headers: { accept: 'application/json' } })).json()) as {
            value: CaughtJson[];
          }
        ).value;
        const page = await portico.app.request(`/dev/mail/${caught!.id}`);
        const pageHtml = await page.text();
        const frame = /<iframe[^>]*>/.exec(pageHtml)?.[0] ?? '';
        assert.match(
          frame,
          /sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"/,
        );
        assert.doesNotMatch(frame, /allow-scripts|allow-same-origin/);
        assert.match(frame, new RegExp(`src="/dev/mail/${caught!.id}/html"`));
        assert.match(page.headers.get('content-security-policy') ?? '', /frame-src 'self'/);
        const part = await portico.app.request(`/dev/mail/${caught!.id}/html`);
        assert.equal(part.status, 200);
        const csp = part.headers.get('content-security-policy') ?? '';
        assert.match(csp, /default-src 'none'/);
        assert.doesNotMatch(csp, /script-src/, 'no script source: default-src none forbids every script');
        assert.match(csp, /sandbox allow-popups/);
        assert.match(csp, /frame-ancestors 'self'/);
        const body = await part.text();
        assert.match(body, /<base target="_top">/);
        assert.match(body, /href="https:\/\/app\.example\/redeem\?x=1"/, 'the link is there to click');
      }));

    it('keeps caught mail in the store across a restart until cleared', async () => {
      const ts = await createTestStore(kind);
      const clock = new ManualClock();
      const start = () =>
        buildPortico(
          loadConfig({
            PORTICO_DATABASE_URL: ts.url,
            PORTICO_PORT: '0',
            PORTICO_LOG_LEVEL: 'silent',
            PORTICO_DEV: '1',
            ...TEST_PASSWORD_COST,
          }),
          { store: ts.store, clock, log: pino({ level: 'silent' }), runWorker: false },
        );
      const list = async (p: Portico) =>
        (
          (await (await p.app.request('/dev/mail', { headers: { accept: 'application/json' } })).json()) as {
            value: CaughtJson[];
          }
        ).value;
      try {
        const first = await start();
        await ts.store.transaction((tx) => enqueue(tx, clock, 'tenant-a', 'notice', sampleMail({ subject: 'kept' })));
        assert.equal(await first.worker.runOnce(), 1);
        assert.deepEqual(
          (await list(first)).map((m) => m.subject),
          ['kept'],
        );
        // A new process (the same store): what the catcher kept is still there, its page too.
        const second = await start();
        const [kept] = await list(second);
        assert.equal(kept?.subject, 'kept');
        assert.equal((await second.app.request(`/dev/mail/${kept!.id}`)).status, 200);
        // Clearing takes the form's token (bound to its cookie); without it nothing goes.
        const page = await second.app.request('/dev/mail');
        const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
        const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
        const post = (fields: Record<string, string>, withCookie = true) =>
          second.app.request('/dev/mail/clear', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', ...(withCookie && { cookie }) },
            body: new URLSearchParams(fields).toString(),
          });
        assert.equal((await post({ csrf }, false)).status, 403);
        assert.equal((await post({ csrf: 'forged' })).status, 403);
        assert.equal((await list(second)).length, 1, 'refused: nothing cleared');
        const cleared = await post({ csrf });
        assert.equal(cleared.status, 303);
        assert.deepEqual(await list(second), []);
        // The first process's store is the second's: only its jobs and catcher stop; closing the second closes it.
        await first.jobs.stop();
        await first.catcher?.close();
        await second.close();
      } finally {
        await ts.dispose();
      }
    });

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
          [...value.map((m) => m.id)].sort().reverse(),
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
