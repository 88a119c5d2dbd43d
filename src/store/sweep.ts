// Deletes what has expired and can never be used again: one-time codes, redemption flows and sessions a day past
// their end (kept that long so a late request still finds "expired", not "unknown"), federation requests, SAML
// assertion ids past their validity (a replay after that fails the time check anyway), OIDC flow state, attempt
// counters a day past their window, except an account's password count, whose consecutive failures never lapse
// (signins/lockout.ts; a success or a new password deletes it; a typed name that matched no account is swept), and
// sent and dead-lettered mail once the retention period since it was queued has passed (a dead letter keeps its
// sealed body until then, so an administrator can retry it).
import type { Clock } from '../clock.ts';
import { sweepExpired as sweepOidc } from '../oidc/adapter.ts';
import type { Store } from './index.ts';
import { LOCKOUT_KEY_PREFIX, UNKNOWN_NAME_KEY_PREFIX } from '../signins/lockout.ts';

export const SWEEP_GRACE_MS = 86_400_000;

const DEFAULT_OUTBOX_RETENTION_DAYS = 30;

export async function sweepExpired(store: Store, clock: Clock, outboxRetentionDays = DEFAULT_OUTBOX_RETENTION_DAYS): Promise<Record<string, number>> {
  const before = new Date(clock.now().getTime() - SWEEP_GRACE_MS).toISOString();
  const retained = new Date(clock.now().getTime() - outboxRetentionDays * 86_400_000).toISOString();
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  return {
    emailCodes: count(await store.db.deleteFrom('email_codes').where('expires_at', '<', before).executeTakeFirst()),
    redemptionFlows: count(await store.db.deleteFrom('redemption_flows').where('expires_at', '<', before).executeTakeFirst()),
    sessions: count(await store.db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst()),
    federationRequests: count(await store.db.deleteFrom('federation_requests').where('expires_at', '<', before).executeTakeFirst()),
    samlAssertions: count(await store.db.deleteFrom('saml_assertions_seen').where('expires_at', '<', before).executeTakeFirst()),
    attemptCounters: count(await store.db.deleteFrom('attempt_counters').where('window_ends', '<', before)
      .where((eb) => eb.or([eb('key', 'not like', `${LOCKOUT_KEY_PREFIX}%`), eb('key', 'like', `${UNKNOWN_NAME_KEY_PREFIX}%`)])).executeTakeFirst()),
    oidc: await sweepOidc(store),
    outbox: count(await store.db.deleteFrom('outbox').where('state', 'in', ['sent', 'dead']).where('created_at', '<', retained).executeTakeFirst()),
  };
}
