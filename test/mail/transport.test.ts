// The SMTP transport Portico sends with (mail/transport.ts): pooled, on its own sockets, delivering in parallel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { smtpTransport } from '../../src/mail/transport.ts';
import { freePort } from '../helpers/net.ts';

describe('SMTP transport', () => {
  let catcher: MailCatcher;
  before(async () => { catcher = await startMailCatcher(); });
  after(async () => { await catcher?.close(); });

  it('delivers messages sent side by side over the pool, each once', async () => {
    const transport = smtpTransport(`smtp://127.0.0.1:${catcher.port}?ignoreTLS=true`);
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => transport.sendMail({ from: 'portico@example.test', to: `guest${i}@partner.example`, subject: `n${i}`, text: 'hello' })));
    } finally {
      transport.close();
    }
    const received = catcher.messages().filter((m) => m.subject.startsWith('n')).map((m) => m.to[0]).sort();
    assert.deepEqual(received, Array.from({ length: 30 }, (_, i) => `guest${i}@partner.example`).sort());
  });

  it('fails a send when nothing listens, with the connection error', async () => {
    const transport = smtpTransport(`smtp://127.0.0.1:${await freePort()}?pool=false`);
    await assert.rejects(transport.sendMail({ from: 'portico@example.test', to: 'a@partner.example', subject: 'x', text: 'x' }), /ECONNREFUSED/);
    transport.close();
  });
});
