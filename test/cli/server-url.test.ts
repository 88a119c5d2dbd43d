// One source of truth for the public URL (#22): the server records its URL in the store at start, and the CLI run
// from another folder, with another environment, prints and mails that URL; a CLI pointed at a store that does not
// exist refuses instead of creating one, and `portico init` creates one on purpose.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { openMessage } from '../../src/mail/outbox.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite('the CLI uses the URL the server recorded', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  it('prints and mails the server URL, whatever the CLI environment says', async () => {
    // A CLI with a stale URL of its own (what `localhost:3000` used to produce): the store's record wins.
    const env = {
      PORTICO_DATABASE_URL: s.testStore.url,
      PORTICO_BASE_URL: 'http://localhost:3000',
      ...TEST_PASSWORD_COST,
    };
    const ran = await runCli(['invite', 'url@partner.example', '--tenant', t.domain, '--json'], env);
    assert.equal(ran.code, 0, ran.stderr);
    const out = JSON.parse(ran.stdout) as { inviteRedeemUrl: string };
    assert.ok(out.inviteRedeemUrl.startsWith(`${s.baseUrl}/redeem?ticket=`), out.inviteRedeemUrl);
    const rows = await s.portico.services.store.db
      .selectFrom('outbox')
      .select(['id', 'message', 'body'])
      .where('tenant_id', '=', t.tenantId)
      .execute();
    const mail = rows
      .map((r) => openMessage(s.portico.services.store.db, r))
      .find((m) => m.to[0] === 'url@partner.example');
    assert.ok(mail, 'the invitation was queued');
    assert.ok(mail.text.includes(`${s.baseUrl}/redeem?ticket=`), 'the mail links to the server');
    assert.ok(!mail.text.includes('localhost:3000'), "never to the CLI environment's URL");
  });
});

describe('a store the CLI is pointed at', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-cli-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { PORTICO_DATABASE_URL: `sqlite:${join(dir, 'data', 'portico.db')}`, ...TEST_PASSWORD_COST };

  it('is refused when it does not exist, and nothing is created', async () => {
    const ran = await runCli(['tenant', 'list', '--json'], env);
    assert.notEqual(ran.code, 0);
    assert.match(ran.stderr, /there is no store at .*portico\.db.*portico init/);
    assert.ok(!existsSync(join(dir, 'data', 'portico.db')), 'no empty store was made');
  });

  it('is created by portico init; without a server record a command that needs the URL says how to get one', async () => {
    const init = await runCli(['init'], env);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /The store is ready/);
    const list = await runCli(['tenant', 'list', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), []);
    const create = await runCli(
      ['tenant', 'create', '--name', 'Fabrikam', '--admin-email', 'admin@fabrikam.example', '--json'],
      env,
    );
    assert.notEqual(create.code, 0, 'the issuer URL is unknown');
    assert.match(create.stderr, /no public URL recorded: start the server once/);
    const again = await runCli(['tenant', 'list', '--json'], env);
    assert.deepEqual(JSON.parse(again.stdout), [], 'the refused command changed nothing');
  });
});
