// The lifecycle's emails, in the invitation's language: the reminder to a pending guest (with their opt-out link),
// the notice to each sponsor that a reminder went out, the daily summary of expired invitations, and the opt-out code.
import { t, type Lang } from '../i18n/index.ts';
import type { RenderedMail } from '../mail/templates/invitation.tsx';
import { renderNotice } from '../mail/templates/notice.tsx';

/** Dates in mail are UTC days, the unit reminders and summaries count in. */
export const formatDay = (lang: Lang, iso: string): string =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

export interface ReminderData {
  lang: Lang;
  tenantName: string;
  inviterName: string;
  email: string;
  invitedAt: string;
  expiresAt: string;
  /** null when the guest can use only the invitation email (a contact conflict: no direct link) */
  signInUrl: string | null;
  optOutUrl: string;
}

export function renderReminder(d: ReminderData): Promise<RenderedMail> {
  const p = {
    tenant: d.tenantName,
    inviter: d.inviterName,
    email: d.email,
    invited: formatDay(d.lang, d.invitedAt),
    date: formatDay(d.lang, d.expiresAt),
  };
  return renderNotice({
    lang: d.lang,
    subject: t(d.lang, 'reminder.subject', p),
    fromName: t(d.lang, 'invite.fromName', p),
    org: d.tenantName,
    heading: t(d.lang, 'reminder.heading', p),
    paragraphs: [t(d.lang, 'reminder.body', p), t(d.lang, d.signInUrl ? 'reminder.how' : 'reminder.howLinkOnly', p)],
    ...(d.signInUrl && { button: { label: t(d.lang, 'reminder.signIn', p), url: d.signInUrl } }),
    after: [t(d.lang, 'reminder.ignore', p)],
    optOut: { lead: t(d.lang, 'mail.optOut.lead', p), label: t(d.lang, 'mail.optOut.link'), url: d.optOutUrl },
    footer: t(d.lang, 'invite.footer', p),
  });
}

export function renderSponsorNotice(d: {
  lang: Lang;
  tenantName: string;
  guestName: string;
  email: string;
  expiresAt: string;
  adminUrl: string;
}): Promise<RenderedMail> {
  const p = { tenant: d.tenantName, guest: d.guestName, email: d.email, date: formatDay(d.lang, d.expiresAt) };
  return renderNotice({
    lang: d.lang,
    subject: t(d.lang, 'sponsorNotice.subject', p),
    fromName: t(d.lang, 'invite.fromName', p),
    org: d.tenantName,
    heading: t(d.lang, 'sponsorNotice.subject', p),
    paragraphs: [t(d.lang, 'sponsorNotice.body', p)],
    button: { label: t(d.lang, 'sponsorNotice.open', p), url: d.adminUrl },
    after: [t(d.lang, 'sponsorNotice.why', p)],
    footer: t(d.lang, 'invite.footer', p),
  });
}

export interface ExpiredItem {
  name: string;
  email: string;
  invitedAt: string;
}

export function renderExpirySummary(d: {
  lang: Lang;
  tenantName: string;
  day: string;
  items: ExpiredItem[];
  adminUrl: string;
}): Promise<RenderedMail> {
  const p = { tenant: d.tenantName, day: formatDay(d.lang, d.day) };
  return renderNotice({
    lang: d.lang,
    subject: t(d.lang, 'expirySummary.subject', p),
    fromName: t(d.lang, 'invite.fromName', p),
    org: d.tenantName,
    heading: t(d.lang, 'expirySummary.subject', p),
    paragraphs: [t(d.lang, 'expirySummary.body', p)],
    list: d.items.map((i) =>
      t(d.lang, 'expirySummary.item', { name: i.name, email: i.email, invited: formatDay(d.lang, i.invitedAt) }),
    ),
    after: [t(d.lang, 'expirySummary.reinvite', p), t(d.lang, 'expirySummary.why', p)],
    button: { label: t(d.lang, 'expirySummary.open', p), url: d.adminUrl },
    footer: t(d.lang, 'invite.footer', p),
  });
}

export function renderOptOutCode(d: {
  lang: Lang;
  address: string;
  code: string;
  minutes: number;
}): Promise<RenderedMail> {
  const p = { address: d.address, minutes: String(d.minutes) };
  return renderNotice({
    lang: d.lang,
    subject: t(d.lang, 'optout.mail.subject', p),
    fromName: t(d.lang, 'optout.mail.fromName'),
    org: 'Portico',
    heading: t(d.lang, 'optout.mail.heading', p),
    paragraphs: [t(d.lang, 'optout.mail.body', p)],
    code: d.code,
    after: [t(d.lang, 'optout.mail.validity', p), t(d.lang, 'optout.mail.ignore', p)],
    footer: t(d.lang, 'optout.mail.footer'),
  });
}
