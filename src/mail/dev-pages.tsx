// /dev/mail: what the built-in mail catcher received, for development only (off when real SMTP is configured; refused
// on a non-loopback address without PORTICO_DEV=1: config.ts). Messages stay in the store until cleared (caught.ts).
// A message's HTML part shows in a sandboxed iframe, served with a CSP that allows no script, its links opening in
// the top window.
import { Hono } from 'hono';

import { formCookieTokens } from '../http/form-cookie.ts';
import { Csrf } from '../pages/csrf.tsx';
import { Layout } from '../pages/layout.tsx';
import type { Services } from '../services.ts';
import { clearCaught, getCaught, KEEP_CAUGHT, listCaught } from './caught.ts';

const SANDBOX = 'allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation';
/** The HTML part's own policy: no script, nothing fetched but images, framed only by the message page. */
const HTML_CSP = `default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox ${SANDBOX}`;

/** The mail's HTML with its links opening in the top window (the iframe's sandbox lets a click do that). */
const framed = (html: string) => html.replace(/^(\s*<!doctype[^>]*>)?/i, (doctype) => `${doctype}<base target="_top">`);

export function devMailRoutes(services: Services) {
  const { db } = services.store;
  const app = new Hono();
  const form = formCookieTokens(db, {
    cookie: 'portico_devmail',
    path: '/dev/mail',
    keyName: 'devmail-cookie-key',
    secure: services.config.baseUrl.startsWith('https:'),
  });

  app.get('/dev/mail', async (c) => {
    const messages = await listCaught(db);
    if (/application\/json/.test(c.req.header('accept') ?? '')) return c.json({ value: messages });
    const cleared = c.req.query('cleared');
    return c.html(
      <Layout lang="en-US" title="Mail catcher" wide>
        <h1>Mail catcher</h1>
        <p class="muted">
          Mail Portico sent while no SMTP server is configured, newest first. The last {String(KEEP_CAUGHT)} are kept in
          the store until cleared.
        </p>
        {cleared !== undefined && <p role="status">Cleared {cleared.replace(/\D/g, '')} messages.</p>}
        {messages.length === 0 ? (
          <p>No mail yet.</p>
        ) : (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
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
            <form method="post" action="/dev/mail/clear">
              <Csrf value={await form.token(c)} />
              <div class="actions">
                <span />
                <button type="submit" class="secondary danger">
                  Clear all mail
                </button>
              </div>
            </form>
          </>
        )}
      </Layout>,
    );
  });

  app.post('/dev/mail/clear', async (c) => {
    const body = await c.req.parseBody();
    if (!(await form.matches(c, body.csrf))) return c.text('This form expired: open the mail catcher again.', 403);
    const n = await clearCaught(db);
    return c.redirect(`/dev/mail?cleared=${n}`, 303);
  });

  app.get('/dev/mail/:id', async (c) => {
    const m = await getCaught(db, c.req.param('id'));
    if (!m) return c.notFound();
    // This page may frame the message's own HTML address (the default policy frames nothing).
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'self'; img-src 'self' https: data:; frame-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    return c.html(
      <Layout lang="en-US" title={m.subject || '(no subject)'} wide>
        <h1>{m.subject || '(no subject)'}</h1>
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
        {m.html !== null && (
          <iframe class="mail" sandbox={SANDBOX} src={`/dev/mail/${m.id}/html`} title={`HTML of ${m.subject}`} />
        )}
        <details open={m.html === null}>
          <summary>Text part</summary>
          <pre class="mail">{m.text}</pre>
        </details>
        <p>
          <a href="/dev/mail">All mail</a>
        </p>
      </Layout>,
    );
  });

  app.get('/dev/mail/:id/html', async (c) => {
    const m = await getCaught(db, c.req.param('id'));
    if (!m?.html) return c.notFound();
    c.header('Content-Security-Policy', HTML_CSP);
    c.header('X-Frame-Options', 'SAMEORIGIN');
    return c.html(framed(m.html));
  });

  return app;
}
