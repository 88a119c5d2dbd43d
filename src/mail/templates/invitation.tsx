// The invitation email, HTML and plain text, in the invitation's language. Every value is escaped by hono/jsx in
// the HTML part; the customized message is plain text, never HTML.
import { t, type Lang } from '../../i18n/index.ts';
import { renderDocument } from '../../render.ts';

export interface InvitationMailData {
  lang: Lang;
  tenantName: string;
  logoUrl?: string;
  inviter: { name: string; email: string | null };
  redeemUrl: string;
  redirectHost: string;
  customizedMessage?: string;
  privacyStatementUrl: string | null;
  /** the recipient's opt-out link (invitations/optout.ts) */
  optOutUrl?: string;
}

export interface RenderedMail {
  subject: string;
  fromName: string;
  text: string;
  html: string;
}

export async function renderInvitation(d: InvitationMailData): Promise<RenderedMail> {
  const p = {
    tenant: d.tenantName,
    inviter: d.inviter.name,
    inviterEmail: d.inviter.email ?? '',
    host: d.redirectHost,
    url: d.privacyStatementUrl ?? '',
  };
  const intro = t(d.lang, d.inviter.email ? 'invite.intro' : 'invite.introNoAddress', p);
  const privacy = d.privacyStatementUrl ? t(d.lang, 'invite.privacy', p) : t(d.lang, 'invite.noPrivacy', p);
  const text = [
    t(d.lang, 'invite.heading', p),
    '',
    intro,
    '',
    ...(d.customizedMessage ? [t(d.lang, 'invite.message', p), d.customizedMessage, ''] : []),
    `${t(d.lang, 'invite.accept')}: ${d.redeemUrl}`,
    t(d.lang, 'invite.redirectHost', p),
    '',
    t(d.lang, 'invite.caution', p),
    '',
    privacy,
    '',
    ...(d.optOutUrl
      ? [`${t(d.lang, 'mail.optOut.lead', p)} ${t(d.lang, 'mail.optOut.link')}: ${d.optOutUrl}`, '']
      : []),
    t(d.lang, 'invite.footer', p),
  ].join('\n');

  const html = await renderDocument(
    <html lang={d.lang}>
      <head>
        <meta charset="utf-8" />
        <title>{t(d.lang, 'invite.heading', p)}</title>
      </head>
      <body style="margin:0;padding:24px;background:#f3f5f9;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1f24">
        <table
          role="presentation"
          width="100%"
          style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px"
        >
          <tr>
            <td>
              {d.logoUrl ? (
                <img src={d.logoUrl} alt={d.tenantName} style="max-height:40px;max-width:200px" />
              ) : (
                <p style="font-weight:600;color:#5b6470">{d.tenantName}</p>
              )}
              <h1 style="font-size:22px">{t(d.lang, 'invite.heading', p)}</h1>
              <p>{intro}</p>
              {d.customizedMessage ? (
                <div style="border-left:3px solid #2f5bd3;padding:4px 12px;margin:16px 0">
                  <p style="margin:0 0 4px;font-weight:600">{t(d.lang, 'invite.message', p)}</p>
                  <p style="margin:0;white-space:pre-wrap">{d.customizedMessage}</p>
                </div>
              ) : null}
              <p style="margin:24px 0">
                <a
                  href={d.redeemUrl}
                  style="background:#2f5bd3;color:#ffffff;padding:12px 24px;border-radius:4px;text-decoration:none;font-weight:600"
                >
                  {t(d.lang, 'invite.accept')}
                </a>
              </p>
              <p style="color:#5b6470">{t(d.lang, 'invite.redirectHost', p)}</p>
              <p style="color:#5b6470;font-size:13px">
                {t(d.lang, 'invite.linkHelp')}
                <br />
                <span style="word-break:break-all">{d.redeemUrl}</span>
              </p>
              <p style="background:#fff4e5;padding:12px;border-radius:4px;font-size:14px">
                {t(d.lang, 'invite.caution', p)}
              </p>
              <p style="font-size:13px">
                {d.privacyStatementUrl ? <a href={d.privacyStatementUrl}>{privacy}</a> : privacy}
              </p>
              {d.optOutUrl ? (
                <p style="font-size:13px;color:#5b6470">
                  {t(d.lang, 'mail.optOut.lead', p)} <a href={d.optOutUrl}>{t(d.lang, 'mail.optOut.link')}</a>
                </p>
              ) : null}
              <p style="font-size:12px;color:#5b6470">{t(d.lang, 'invite.footer', p)}</p>
            </td>
          </tr>
        </table>
      </body>
    </html>,
  );
  return { subject: t(d.lang, 'invite.subject', p), fromName: t(d.lang, 'invite.fromName', p), text, html };
}
