// The `portico` CLI against a test server's store, for state the product sets only through the CLI or the admin
// center (a tenant's external-identity settings): tests reach it the way an operator does, never by writing JSON.
import assert from 'node:assert/strict';

import { pollEpochs } from '../../src/store/epochs.ts';
import { TEST_PASSWORD_COST, type TestServer } from './server.ts';
import { runCli } from './spawn.ts';

/** The environment a CLI process needs to work on the same store as `s`. */
export const cliEnv = (s: Pick<TestServer, 'testStore' | 'baseUrl'>): Record<string, string> => ({
  PORTICO_DATABASE_URL: s.testStore.url,
  PORTICO_BASE_URL: s.baseUrl,
  ...TEST_PASSWORD_COST,
});

/** `portico tenant set --tenant <id> key=value...`; returns the tenant's settings after it (about 1.5 s a call). */
export async function setTenantSettings(
  s: Pick<TestServer, 'testStore' | 'baseUrl'>,
  tenantId: string,
  ...assignments: string[]
): Promise<Record<string, unknown>> {
  const ran = await runCli(['tenant', 'set', '--tenant', tenantId, ...assignments, '--json'], cliEnv(s));
  assert.equal(ran.code, 0, ran.stderr);
  // The server sees a change the CLI made at its next read of the epochs (store/epochs.ts), within 250 ms: read
  // them now, as that job would, so the next request sees the settings without the test waiting for it.
  await pollEpochs(s.testStore.store.db);
  return (JSON.parse(ran.stdout) as { settings: Record<string, unknown> }).settings;
}
