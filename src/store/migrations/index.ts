import type { Migration } from 'kysely';

import * as m0001 from './0001-directory.ts';
import * as m0002 from './0002-invitations.ts';
import * as m0003 from './0003-redemption.ts';
import * as m0004 from './0004-sessions.ts';
import * as m0005 from './0005-federation.ts';
import * as m0006 from './0006-apps.ts';
import * as m0007 from './0007-signins.ts';
import * as m0008 from './0008-cross-tenant.ts';
import * as m0009 from './0009-bulk-jobs.ts';
import * as m0010 from './0010-revocation.ts';
import * as m0011 from './0011-invitation-lifecycle.ts';
import * as m0012 from './0012-verified-domains.ts';
import * as m0013 from './0013-access-token-keys.ts';
import * as m0014 from './0014-outbox-unknown-outcomes.ts';
import * as m0015 from './0015-outbox-at-rest.ts';
import * as m0016 from './0016-attempt-counters.ts';
import * as m0017 from './0017-owned-tables.ts';
import * as m0018 from './0018-api-exposure.ts';
import * as m0019 from './0019-multi-tenant-apps.ts';
import * as m0020 from './0020-public-client-flows.ts';
import * as m0021 from './0021-user-consent.ts';
import * as m0022 from './0022-graph-grants.ts';
import * as m0023 from './0023-consumer-realm.ts';
import * as m0025 from './0025-signin-activity.ts';
import * as m0026 from './0026-deleted-items.ts';
import * as m0028 from './0028-bulk-row-refusals.ts';
import * as m0029 from './0029-deleted-groups-apps.ts';
import * as m0031 from './0031-authentication-methods.ts';
import * as m0033 from './0033-conditional-access.ts';
import * as m0035 from './0035-webauthn-challenges.ts';
import * as m0036 from './0036-results-and-caught-mail.ts';
import * as m0037 from './0037-user-list-indexes.ts';
import * as m0038 from './0038-terms-targeting.ts';
import * as m0039 from './0039-sign-in-second-factor.ts';
import * as m0043 from './0043-user-search-trigrams.ts';
import * as m0044 from './0044-result-status.ts';
import * as m0047 from './0047-sealed-secrets.ts';
import * as m0048 from './0048-hashed-artifact-ids.ts';
import * as m0051 from './0051-cache-epochs.ts';
import * as m0052 from './0052-app-secrets.ts';

/** Versioned migrations, applied in key order at start. Add new ones; never edit a shipped one. */
export const migrations: Record<string, Migration> = {
  '0001-directory': m0001,
  '0002-invitations': m0002,
  '0003-redemption': m0003,
  '0004-sessions': m0004,
  '0005-federation': m0005,
  '0006-apps': m0006,
  '0007-signins': m0007,
  '0008-cross-tenant': m0008,
  '0009-bulk-jobs': m0009,
  '0010-revocation': m0010,
  '0011-invitation-lifecycle': m0011,
  '0012-verified-domains': m0012,
  '0013-access-token-keys': m0013,
  '0014-outbox-unknown-outcomes': m0014,
  '0015-outbox-at-rest': m0015,
  '0016-attempt-counters': m0016,
  '0017-owned-tables': m0017,
  '0018-api-exposure': m0018,
  '0019-multi-tenant-apps': m0019,
  '0020-public-client-flows': m0020,
  '0021-user-consent': m0021,
  '0022-graph-grants': m0022,
  '0023-consumer-realm': m0023,
  '0025-signin-activity': m0025,
  '0026-deleted-items': m0026,
  '0028-bulk-row-refusals': m0028,
  '0029-deleted-groups-apps': m0029,
  '0031-authentication-methods': m0031,
  '0033-conditional-access': m0033,
  '0035-webauthn-challenges': m0035,
  '0036-results-and-caught-mail': m0036,
  '0037-user-list-indexes': m0037,
  '0038-terms-targeting': m0038,
  '0039-sign-in-second-factor': m0039,
  '0043-user-search-trigrams': m0043,
  '0044-result-status': m0044,
  '0047-sealed-secrets': m0047,
  '0048-hashed-artifact-ids': m0048,
  '0051-cache-epochs': m0051,
  '0052-app-secrets': m0052,
};
