// A short email with the invitation email's look, HTML and plain text: reminders, notices to sponsors, the expiry
// summary and the opt-out code. Callers pass finished (translated) strings; hono/jsx escapes every one in the HTML.
import type { Lang } from '../../i18n/index.ts';
import { renderDocument } from '../../render.ts';
import type { RenderedMail } from './invitation.tsx';

export interface NoticeMail {
  lang: Lang;
  subject: string;
  fromName: string;
  /** the organization's name above the heading, or Portico's */
  org: string;
  heading: string;
  paragraphs: string[];
  list?: string[];
  code?: string;
  button?: { label: string; url: string };
  after?: string[];
  /** the recipient's way to stop invitations, when the recipient is an invitee */
  optOut?: { lead: string; label: string; url: string };
  footer: string;
}

export async function renderNotice(m: NoticeMail): Promise<RenderedMail> {
  const text = [
    m.heading,
    '',
    ...m.paragraphs.flatMap((p) => [p, '']),
    ...(m.list?.length ? [...m.list.map((item) => `- ${item}`), ''] : []),
    ...(m.code ? [m.code, ''] : []),
    ...(m.button ? [`${m.button.label}: ${m.button.url}`, ''] : []),
    ...(m.after ?? []).flatMap((p) => [p, '']),
    ...(m.optOut ? [`${m.optOut.lead} ${m.optOut.label}: ${m.optOut.url}`, ''] : []),
    m.footer,
  ].join('\n');
  const html = await renderDocument(
    <html lang={m.lang}>
      <head>
        <meta charset="utf-8" />
        <title>{m.heading}</title>
      </head>
      <body style="margin:0;padding:24px;background:#f3f5f9;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1f24">
        <table
          role="presentation"
          width="100%"
          style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px"
        >
          <tr>
            <td>
              <p style="font-weight:600;color:#5b6470">{m.org}</p>
              <h1 style="font-size:22px">{m.heading}</h1>
              {m.paragraphs.map((p) => (
                <p>{p}</p>
              ))}
              {m.list?.length ? (
                <ul>
                  {m.list.map((item) => (
                    <li>{item}</li>
                  ))}
                </ul>
              ) : null}
              {m.code ? <p style="font-size:28px;font-weight:600;letter-spacing:6px;margin:24px 0">{m.code}</p> : null}
              {m.button ? (
                <p style="margin:24px 0">
                  <a
                    href={m.button.url}
                    style="background:#2f5bd3;color:#ffffff;padding:12px 24px;border-radius:4px;text-decoration:none;font-weight:600"
                  >
                    {m.button.label}
                  </a>
                </p>
              ) : null}
              {(m.after ?? []).map((p) => (
                <p style="color:#5b6470">{p}</p>
              ))}
              {m.optOut ? (
                <p style="font-size:13px;color:#5b6470">
                  {m.optOut.lead} <a href={m.optOut.url}>{m.optOut.label}</a>
                </p>
              ) : null}
              <p style="font-size:12px;color:#5b6470">{m.footer}</p>
            </td>
          </tr>
        </table>
      </body>
    </html>,
  );
  return { subject: m.subject, fromName: m.fromName, text, html };
}
