// `npm run bench -- <scenario> [--store sqlite|postgres] [--nodes 1|2] [--clients N] [--connections N] [--ops N] [--users N] [--rows N]`
// Each scenario starts Portico as its own process(es) (bench/cluster.ts) on a fresh store, drives it on loopback from
// a load generator process of its own (bench/load/), and reports beside it the limit of its unavoidable work measured
// in the same run.
import { parseArgs } from 'node:util';

import { report, type Report } from './harness.ts';
import { adminListScenario } from './scenarios/admin-list.ts';
import { bulkInviteScenario } from './scenarios/bulk-invite.ts';
import { clientCredentialsScenario } from './scenarios/client-credentials.ts';
import type { Args } from './scenarios/common.ts';
import { inviteScenario } from './scenarios/invite.ts';
import { loginScenario } from './scenarios/login.ts';
import { lookupScenario } from './scenarios/lookup.ts';
import { redeemScenario } from './scenarios/redeem.ts';

const SCENARIOS: Record<string, (a: Args) => Promise<Report>> = {
  login: loginScenario,
  'client-credentials': clientCredentialsScenario,
  invite: inviteScenario,
  'bulk-invite': bulkInviteScenario,
  redeem: redeemScenario,
  lookup: lookupScenario,
  'admin-list': adminListScenario,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    store: { type: 'string', default: 'sqlite' },
    nodes: { type: 'string', default: '1' },
    clients: { type: 'string', default: '16' },
    connections: { type: 'string' },
    ops: { type: 'string' },
    users: { type: 'string' },
    rows: { type: 'string', default: '100000' },
  },
});
const name = positionals[0];
if (!name || !(name in SCENARIOS)) {
  console.log(
    'usage: npm run bench -- <scenario> [--store sqlite|postgres] [--nodes 1|2] [--clients N] [--connections N] [--ops N] [--users N] [--rows N]\n',
  );
  console.log(`scenarios: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(name ? 1 : 0);
}
const store = values.store === 'postgres' ? 'postgres' : 'sqlite';
if (store === 'postgres') process.env.PORTICO_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
if (values.nodes === '2' && store !== 'postgres') {
  console.error('--nodes 2 shares one PostgreSQL between the nodes: add --store postgres.');
  process.exit(1);
}
/** Operations per scenario when --ops is not given: enough for stable percentiles in under a minute or two. */
const DEFAULT_OPS: Record<string, number> = {
  login: 1000,
  'client-credentials': 4000,
  invite: 4000,
  'bulk-invite': 0,
  redeem: 1000,
  lookup: 10000,
  'admin-list': 200,
};
/** Guests in the store for the scenarios that seed them, when --users is not given. */
const DEFAULT_USERS: Record<string, number> = { lookup: 1_000_000, 'admin-list': 100_000 };
const args: Args = {
  store,
  nodes: values.nodes === '2' ? 2 : 1,
  clients: Number(values.clients),
  connections: Number(values.connections ?? values.clients),
  ops: Number(values.ops ?? DEFAULT_OPS[name]),
  users: Number(values.users ?? DEFAULT_USERS[name] ?? 1_000_000),
  rows: Number(values.rows),
};
report(await SCENARIOS[name]!(args));
