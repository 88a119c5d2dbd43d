// The parts every Portico email's HTML shares (the invitation and the short notices): the document and its card, the
// call-to-action button, the opt-out line and the footer. Inline styles, as mail clients need.
import type { Child } from 'hono/jsx';

import type { Lang } from '../../i18n/index.ts';

/** The document: `title` in its head, `children` in the centred card. */
export const MailDocument = ({ lang, title, children }: { lang: Lang; title: string; children?: Child }) => (
  <html lang={lang}>
    <head>
      <meta charset="utf-8" />
      <title>{title}</title>
    </head>
    <body style="margin:0;padding:24px;background:#f3f5f9;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1f24">
      <table
        role="presentation"
        width="100%"
        style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px"
      >
        <tr>
          <td>{children}</td>
        </tr>
      </table>
    </body>
  </html>
);

export const MailButton = ({ url, label }: { url: string; label: string }) => (
  <p style="margin:24px 0">
    <a
      href={url}
      style="background:#2f5bd3;color:#ffffff;padding:12px 24px;border-radius:4px;text-decoration:none;font-weight:600"
    >
      {label}
    </a>
  </p>
);

/** "Don't want these? Stop them": the lead and the opt-out link. */
export const MailOptOut = ({ lead, url, label }: { lead: string; url: string; label: string }) => (
  <p style="font-size:13px;color:#5b6470">
    {lead} <a href={url}>{label}</a>
  </p>
);

export const MailFooter = ({ text }: { text: string }) => <p style="font-size:12px;color:#5b6470">{text}</p>;
