// The invitation email, HTML and plain text, in the invitation's language. Every value is escaped by hono/jsx in
// the HTML part; the customized message is plain text, never HTML.
import { randomBytes } from 'node:crypto';
import { escapeToBuffer } from 'hono/utils/html';
import { LRUCache } from 'lru-cache';

import { t, type Lang } from '../../i18n/index.ts';
import { renderDocument } from '../../render.ts';
import { MailButton, MailDocument, MailFooter, MailOptOut } from './frame.tsx';

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

// Every invitation of a tenant says the same but for its two links: the email is rendered once for each content, with
// a placeholder for each link, and each invitation only puts its links in (escaped as hono/jsx escapes them, in the
// HTML). The placeholders are random to this process, so no text an inviter writes can hold one.
const REDEEM_URL = `portico${randomBytes(12).toString('hex')}redeem`;
const OPT_OUT_URL = `portico${randomBytes(12).toString('hex')}optout`;
const rendered = new LRUCache<string, RenderedMail>({ max: 256 });

const escaped = (text: string): string => {
  const buffer: [string] = [''];
  escapeToBuffer(text, buffer);
  return buffer[0];
};

export async function renderInvitation(d: InvitationMailData): Promise<RenderedMail> {
  const { redeemUrl, optOutUrl, ...content } = d;
  const key = JSON.stringify([content, optOutUrl !== undefined]);
  let mail = rendered.get(key);
  if (!mail) {
    mail = await renderContent({
      ...content,
      redeemUrl: REDEEM_URL,
      ...(optOutUrl !== undefined && { optOutUrl: OPT_OUT_URL }),
    });
    rendered.set(key, mail);
  }
  const links = (text: string, as: (url: string) => string) =>
    text.replaceAll(REDEEM_URL, () => as(redeemUrl)).replaceAll(OPT_OUT_URL, () => as(optOutUrl ?? ''));
  return { ...mail, text: links(mail.text, (url) => url), html: links(mail.html, escaped) };
}

/** The whole email rendered for one invitation, links and all (what renderInvitation gives, without the reuse). */
export async function renderContent(d: InvitationMailData): Promise<RenderedMail> {
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
    <MailDocument lang={d.lang} title={t(d.lang, 'invite.heading', p)}>
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
      <MailButton url={d.redeemUrl} label={t(d.lang, 'invite.accept')} />
      <p style="color:#5b6470">{t(d.lang, 'invite.redirectHost', p)}</p>
      <p style="color:#5b6470;font-size:13px">
        {t(d.lang, 'invite.linkHelp')}
        <br />
        <span style="word-break:break-all">{d.redeemUrl}</span>
      </p>
      <p style="background:#fff4e5;padding:12px;border-radius:4px;font-size:14px">{t(d.lang, 'invite.caution', p)}</p>
      <p style="font-size:13px">{d.privacyStatementUrl ? <a href={d.privacyStatementUrl}>{privacy}</a> : privacy}</p>
      {d.optOutUrl ? (
        <MailOptOut lead={t(d.lang, 'mail.optOut.lead', p)} url={d.optOutUrl} label={t(d.lang, 'mail.optOut.link')} />
      ) : null}
      <MailFooter text={t(d.lang, 'invite.footer', p)} />
    </MailDocument>,
  );
  return { subject: t(d.lang, 'invite.subject', p), fromName: t(d.lang, 'invite.fromName', p), text, html };
}
