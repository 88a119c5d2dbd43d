// The SMTP transport Portico sends with (mail/transport.ts): pooled, on its own sockets, delivering in parallel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { smtpTransport } from '../../src/mail/transport.ts';
import { freePort } from '../helpers/net.ts';

describe('SMTP transport', () => {
  let catcher: MailCatcher;
  before(async () => {
    catcher = await startMailCatcher();
  });
  after(async () => {
    await catcher?.close();
  });

  it('delivers messages sent side by side over the pool, each once', async () => {
    const transport = smtpTransport(`smtp://127.0.0.1:${catcher.port}?ignoreTLS=true`);
    try {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          transport.sendMail({
            from: 'portico@example.test',
            to: `guest${i}@partner.example`,
            subject: `n${i}`,
            text: 'hello',
          }),
        ),
      );
    } finally {
      transport.close();
    }
    const received = catcher
      .messages()
      .filter((m) => m.subject.startsWith('n'))
      .map((m) => m.to[0])
      .sort();
    assert.deepEqual(received, Array.from({ length: 30 }, (_, i) => `guest${i}@partner.example`).sort());
  });

  it('gives its pool slot back when a connect is refused: sends go on failing fast, then deliver once a server listens', async () => {
    // Before issue #16, each refused connect kept one of the pool's five slots: the sixth send never settled.
    const port = await freePort();
    const transport = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`);
    const mail = (i: number) => ({
      from: 'portico@example.test',
      to: `slot${i}@partner.example`,
      subject: `slot ${i}`,
      text: 'x',
    });
    const settled = <T>(p: Promise<T>) =>
      Promise.race([
        p,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the send never settled')), 5_000)),
      ]);
    try {
      for (let i = 0; i < 8; i++) await assert.rejects(settled(transport.sendMail(mail(i))), /ECONNREFUSED/);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => assert.rejects(settled(transport.sendMail(mail(i))), /ECONNREFUSED/)),
      );
      const up = await startMailCatcher({ port });
      try {
        await settled(transport.sendMail(mail(99)));
        assert.deepEqual(
          up.messages().map((m) => m.subject),
          ['slot 99'],
        );
      } finally {
        // The pooled connection first: the catcher's close waits for its clients to leave.
        transport.close();
        await up.close();
      }
    } finally {
      transport.close();
    }
  });

  it('fails a send when nothing listens, with the connection error', async () => {
    // Unpooled on purpose: this checks only the error a single connection reports (PORTICO_SMTP_URL may say
    // pool=false); the production pool's refused connects are the test above.
    const transport = smtpTransport(`smtp://127.0.0.1:${await freePort()}?pool=false`);
    await assert.rejects(
      transport.sendMail({ from: 'portico@example.test', to: 'a@partner.example', subject: 'x', text: 'x' }),
      /ECONNREFUSED/,
    );
    transport.close();
  });
});
