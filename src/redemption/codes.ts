// The codes a redemption mails: the email one-time passcode (discovery step 6) and the proof of the invited
// address. Each is bound to its flow and queued for mail in the caller's transaction.
import type { Clock } from '../clock.ts';
import type { Tenant } from '../directory/tenants.ts';
import { t, type Lang } from '../i18n/index.ts';
import { enqueue } from '../mail/outbox.ts';
import { CODE_DEFAULTS, issueCode, type CodePolicy } from '../passcodes/codes.ts';
import type { Tx } from '../store/index.ts';

export type FlowCodePurpose = 'redeem-passcode' | 'address-proof';

/** The passcode rules of a tenant: the deployment's limits, with the tenant's length, validity, tries and cool-down. */
export function passcodePolicy(tenant: Tenant): CodePolicy {
  const s = tenant.settings;
  return {
    ...CODE_DEFAULTS,
    validityMinutes: s.passcodeValidityMinutes,
    digits: s.passcodeLength,
    maxAttempts: s.passcodeMaxAttempts,
    resendCooldownSeconds: s.passcodeResendCooldownSeconds,
  };
}

/**
 * Issues a code bound to a flow and queues its email in the same transaction (throws TooManyRequests over the limits).
 * `newFlow`: the flow was created in this transaction, so it has no code yet (passcodes/codes.ts `newSubject`).
 */
export async function mailFlowCode(
  tx: Tx,
  clock: Clock,
  tenant: Tenant,
  flowId: string,
  purpose: FlowCodePurpose,
  email: string,
  lang: Lang,
  ip: string,
  { newFlow = false }: { newFlow?: boolean } = {},
): Promise<void> {
  const policy = passcodePolicy(tenant);
  const ref = { realm: tenant.id, purpose, subject: flowId };
  const { code } = await issueCode(tx, clock, ref, email, ip, policy, { newSubject: newFlow });
  const p = { tenant: tenant.displayName, code, minutes: String(policy.validityMinutes) };
  await enqueue(tx, clock, tenant.id, 'passcode', {
    fromName: t(lang, 'invite.fromName', p),
    to: [email],
    subject: t(lang, 'redeem.passcode.mailSubject', p),
    text: t(lang, 'redeem.passcode.mailBody', p),
  });
}
