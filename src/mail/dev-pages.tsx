// /dev/mail: what the built-in mail catcher received, for development only (off when real SMTP is configured).
import { Hono } from 'hono';

import { Layout } from '../pages/layout.tsx';
import type { MailCatcher } from './catcher.ts';

export function devMailRoutes(catcher: MailCatcher) {
  const app = new Hono();
  app.get('/dev/mail', (c) => {
    const messages = catcher.messages().reverse();
    if (/application\/json/.test(c.req.header('accept') ?? ''))
      return c.json({ value: messages.map(({ raw: _raw, ...m }) => m) });
    return c.html(
      <Layout lang="en-US" title="Mail catcher">
        <h1>Mail catcher</h1>
        <p class="muted">
          Mail Portico sent while no SMTP server is configured (newest first; the last 500 are kept in memory).
        </p>
        {messages.length === 0 ? (
          <p>No mail yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Received</th>
                <th>To</th>
                <th>Subject</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr>
                  <td>{m.receivedAt}</td>
                  <td>{m.to.join(', ')}</td>
                  <td>
                    <a href={`/dev/mail/${m.id}`}>{m.subject || '(no subject)'}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });
  app.get('/dev/mail/:id', (c) => {
    const m = catcher.messages().find((x) => String(x.id) === c.req.param('id'));
    if (!m) return c.notFound();
    return c.html(
      <Layout lang="en-US" title={m.subject}>
        <h1>{m.subject}</h1>
        <p>
          From {m.from}
          <br />
          To {m.to.join(', ')}
          {m.cc.length ? (
            <>
              <br />
              Cc {m.cc.join(', ')}
            </>
          ) : null}
        </p>
        <pre class="mail">{m.text}</pre>
        <p>
          <a href="/dev/mail">All mail</a>
        </p>
      </Layout>,
    );
  });
  return app;
}
