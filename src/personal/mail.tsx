// The personal realm's three emails, HTML and plain text: the verification code, the password-reset code, and the
// notice to an address's owner that someone tried to sign up with it. hono/jsx escapes every value in the HTML.
import { t, type Lang, type Messages } from '../i18n/index.ts';
import { MailDocument, MailFooter } from '../mail/templates/frame.tsx';
import type { RenderedMail } from '../mail/templates/invitation.tsx';
import { renderDocument } from '../render.ts';

export type PersonalMail =
  | { kind: 'verify'; lang: Lang; name: string; code: string; minutes: number }
  | { kind: 'reset'; lang: Lang; name: string; code: string; minutes: number }
  | { kind: 'exists'; lang: Lang; email: string; resetUrl: string };

type Key = keyof Messages;

export async function renderPersonalMail(m: PersonalMail): Promise<RenderedMail> {
  const l = m.lang;
  const p: Record<string, string> =
    m.kind === 'exists' ? { email: m.email, url: m.resetUrl } : { name: m.name, minutes: String(m.minutes) };
  const k = (suffix: string) => `personal.mail.${m.kind}.${suffix}` as Key;
  const heading = t(l, k('heading'), p);
  const paragraphs: string[] =
    m.kind === 'exists' ? [t(l, k('body'), p), t(l, k('reset'), p), t(l, k('ignore'), p)] : [t(l, k('body'), p)];
  const after: string[] = m.kind === 'exists' ? [] : [t(l, k('validity'), p), t(l, k('ignore'), p)];
  const code = m.kind === 'exists' ? null : m.code;
  const footer = t(l, 'personal.mail.footer');

  const text = [
    heading,
    '',
    ...paragraphs.flatMap((x) => [x, '']),
    ...(code ? [code, ''] : []),
    ...after.flatMap((x) => [x, '']),
    footer,
  ].join('\n');
  const html = await renderDocument(
    <MailDocument lang={l} title={heading}>
      <p style="font-weight:600;color:#5b6470">{t(l, 'personal.org')}</p>
      <h1 style="font-size:22px">{heading}</h1>
      {paragraphs.map((x) => (
        <p>{x}</p>
      ))}
      {code ? <p style="font-size:28px;font-weight:600;letter-spacing:6px;margin:24px 0">{code}</p> : null}
      {after.map((x) => (
        <p style="color:#5b6470">{x}</p>
      ))}
      <MailFooter text={footer} />
    </MailDocument>,
  );
  return { subject: t(l, k('subject'), p), fromName: t(l, 'personal.mail.fromName'), text, html };
}
