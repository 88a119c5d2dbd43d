// A short email with the invitation email's look, HTML and plain text: reminders, notices to sponsors, the expiry
// summary and the opt-out code. Callers pass finished (translated) strings; hono/jsx escapes every one in the HTML.
import type { Lang } from '../../i18n/index.ts';
import { renderDocument } from '../../render.ts';
import { MailButton, MailDocument, MailFooter, MailOptOut } from './frame.tsx';
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
    <MailDocument lang={m.lang} title={m.heading}>
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
      {m.button ? <MailButton url={m.button.url} label={m.button.label} /> : null}
      {(m.after ?? []).map((p) => (
        <p style="color:#5b6470">{p}</p>
      ))}
      {m.optOut ? <MailOptOut lead={m.optOut.lead} url={m.optOut.url} label={m.optOut.label} /> : null}
      <MailFooter text={m.footer} />
    </MailDocument>,
  );
  return { subject: m.subject, fromName: m.fromName, text, html };
}
