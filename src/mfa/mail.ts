// The notice a person gets whenever their authentication methods change (a method added or removed, recovery codes
// made), so a change they did not make is noticed: queued in the change's transaction (mfa/changes.ts).
import type { Tenant } from '../directory/tenants.ts';
import type { User } from '../directory/users.ts';
import { t, type Lang } from '../i18n/index.ts';
import { enqueue } from '../mail/outbox.ts';
import { renderNotice } from '../mail/templates/notice.tsx';
import type { Services } from '../services.ts';
import type { Tx } from '../store/index.ts';

export type MethodChange = 'added' | 'removed' | 'recoveryCodes';

/** Where a person's notices go: their mail, else the address they were invited at; none for a member without mail. */
export const noticeAddress = (user: User): string | undefined =>
  user.mail ?? user.invitedEmail ?? user.otherMails[0] ?? undefined;

export async function queueMethodNotice(
  tx: Tx,
  services: Services,
  tenant: Tenant,
  user: User,
  lang: Lang,
  change: MethodChange,
  method: string,
): Promise<void> {
  const to = noticeAddress(user);
  if (!to) return;
  const p = { tenant: tenant.displayName, method, user: user.userPrincipalName };
  const url = `${services.config.baseUrl}/myapps/security-info?tenantid=${tenant.id}`;
  const m = await renderNotice({
    lang,
    subject: t(lang, `mfa.mail.${change}.subject`, p),
    fromName: t(lang, 'invite.fromName', p),
    org: tenant.displayName,
    heading: t(lang, `mfa.mail.${change}.subject`, p),
    paragraphs: [t(lang, `mfa.mail.${change}.body`, p)],
    button: { label: t(lang, 'mfa.mail.open'), url },
    after: [t(lang, 'mfa.mail.notYou', p)],
    footer: t(lang, 'invite.footer', p),
  });
  await enqueue(tx, services.clock, tenant.id, 'mfa-notice', {
    fromName: m.fromName,
    to: [to],
    subject: m.subject,
    text: m.text,
    html: m.html,
  });
}
