// The maintenance sweep: asks each feature to delete what it owns that has expired and can never be used again. Each
// owner knows its rule; this list only says when. One-time codes, redemption flows and sessions go a day past their
// end (kept that long so a late request still finds "expired", not "unknown"), so do federation requests, SAML
// assertion ids, OIDC flow state and attempt counters (an account's password count excepted: signins/lockout.ts);
// sent and dead-lettered mail goes once the retention period since it was queued has passed (a dead letter keeps its
// sealed body until then, so an administrator can retry it). The job runner (jobs/runner.ts) runs it.
import type { Clock } from '../clock.ts';
import { sweepDeleted } from '../deleted/sweep.ts';
import { sweepRequests } from '../federation/requests.ts';
import { sweepSeenAssertions } from '../federation/saml.ts';
import { sweepOutbox } from '../mail/outbox.ts';
import { sweepChallenges } from '../mfa/webauthn-challenges.ts';
import { sweepExpired as sweepOidc } from '../oidc/adapter.ts';
import { sweepResults } from '../pages/results.ts';
import { sweepCodes } from '../passcodes/codes.ts';
import { sweepFlows } from '../redemption/flow.ts';
import { sweepSessions } from '../sessions/sessions.ts';
import { sweepAttemptCounters } from '../signins/lockout.ts';
import type { Store } from './index.ts';

export const SWEEP_GRACE_MS = 86_400_000;

const DEFAULT_OUTBOX_RETENTION_DAYS = 30;

export async function sweepExpired(
  store: Store,
  clock: Clock,
  outboxRetentionDays = DEFAULT_OUTBOX_RETENTION_DAYS,
): Promise<Record<string, number>> {
  const before = new Date(clock.now().getTime() - SWEEP_GRACE_MS).toISOString();
  const retained = new Date(clock.now().getTime() - outboxRetentionDays * 86_400_000).toISOString();
  const { db } = store;
  return {
    emailCodes: await sweepCodes(db, before),
    redemptionFlows: await sweepFlows(db, before),
    sessions: await sweepSessions(db, before),
    federationRequests: await sweepRequests(db, before),
    samlAssertions: await sweepSeenAssertions(db, before),
    attemptCounters: await sweepAttemptCounters(db, before),
    oidc: await sweepOidc(store),
    outbox: await sweepOutbox(db, retained),
    // Deleted items past their 30 days go for good, through the permanent delete (deleted/sweep.ts).
    deletedUsers: await sweepDeleted(store, clock, 'user'),
    deletedGroups: await sweepDeleted(store, clock, 'group'),
    deletedApps: await sweepDeleted(store, clock, 'application'),
    // ux-flow: forms' outcome pages (pages/results.ts), minutes long
    resultPages: await sweepResults(db, before),
    webauthnChallenges: await sweepChallenges(db, before),
  };
}
