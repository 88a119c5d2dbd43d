import type { Logger } from 'pino';

import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { BulkRunner } from './invitations/bulk-jobs.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Store } from './store/index.ts';

/** The seams every domain function may need, passed in (never imported as globals). */
export interface Services {
  store: Store;
  clock: Clock;
  config: Config;
  log: Logger;
  /** the server's runner of bulk invitation jobs (absent in the CLI, which runs none) */
  bulk?: BulkRunner;
  /** the server's counters (/metrics); absent in the CLI */
  metrics?: Metrics;
}
