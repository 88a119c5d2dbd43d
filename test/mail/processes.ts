// Portico as production runs it, for the mail tests that need a real process (a signal, a kill -9): a fresh store, a
// tenant made by the real CLI, a server process (`src/main.ts`) sending to the given SMTP URL with the production
// transport, and the management API to queue invitations through.
import { freePort } from '../helpers/net.ts';
import { apiClient, appToken, TEST_PASSWORD_COST } from '../helpers/server.ts';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/spawn.ts';
import { createTestStore, type StoreKind, type TestStore } from '../helpers/stores.ts';

export interface MailNode {
  store: TestStore;
  env: Record<string, string>;
  tenantId: string;
  baseUrl: string;
  /** the tenant's administrator, as `portico tenant create` printed it */
  admin: { email: string; password: string };
  server: ServerProcess;
  /** Starts the server process again on the same store and port (after it stopped or was killed). */
  restart(): Promise<void>;
  /** Queues `count` invitations with their email, through the API; returns the invited addresses. */
  invite(count: number, prefix: string): Promise<string[]>;
  /** The tenant's outbox as the API lists it. */
  outbox(): Promise<
    { id: string; state: string; attempts: number; lastError: string | null; resentAfterUnknownOutcome: boolean }[]
  >;
  close(): Promise<void>;
}

export async function startMailNode(
  kind: StoreKind,
  smtpUrl: string,
  env: Record<string, string> = {},
): Promise<MailNode> {
  const store = await createTestStore(kind);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const fullEnv: Record<string, string> = {
    PORTICO_DATABASE_URL: store.url,
    PORTICO_BASE_URL: baseUrl,
    PORTICO_SMTP_URL: smtpUrl,
    PORTICO_DEV: '0',
    ...TEST_PASSWORD_COST,
    ...env,
  };
  const created = await runCli(
    ['tenant', 'create', '--name', `Mail ${kind}`, '--admin-email', `admin@mail-${kind}.portico.localhost`, '--json'],
    fullEnv,
  );
  if (created.code !== 0) throw new Error(`portico tenant create failed: ${created.stderr}`);
  const tenant = JSON.parse(created.stdout) as {
    tenantId: string;
    admin: { userPrincipalName: string; password: string };
    apiClient: { clientId: string; clientSecret: string };
  };
  const node: MailNode = {
    store,
    env: fullEnv,
    tenantId: tenant.tenantId,
    baseUrl,
    admin: { email: tenant.admin.userPrincipalName, password: tenant.admin.password },
    server: await startServerProcess(fullEnv, port),
    async restart() {
      node.server = await startServerProcess(fullEnv, port);
    },
    async invite(count, prefix) {
      const api = apiClient(
        baseUrl,
        await appToken(baseUrl, tenant.tenantId, tenant.apiClient.clientId, tenant.apiClient.clientSecret),
      );
      const addresses = Array.from({ length: count }, (_, i) => `${prefix}${i}@partner.example`);
      for (const address of addresses) {
        const res = await api('POST', '/v1.0/invitations', {
          invitedUserEmailAddress: address,
          inviteRedirectUrl: 'https://app.example/',
          sendInvitationMessage: true,
        });
        if (res.status !== 201) throw new Error(`invitation failed: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return addresses;
    },
    async outbox() {
      const api = apiClient(
        baseUrl,
        await appToken(baseUrl, tenant.tenantId, tenant.apiClient.clientId, tenant.apiClient.clientSecret),
      );
      const res = await api('GET', '/v1.0/portico/outbox?$top=999');
      if (res.status !== 200) throw new Error(`outbox listing failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.value;
    },
    async close() {
      await node.server.stop('SIGKILL');
      await store.dispose().catch(() => undefined);
    },
  };
  return node;
}

/** Polls `check` every 100 ms until it is true; false when `ms` passed first. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
