// `portico invite`, one address or a CSV, spawned as a process against the store a running server uses.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { parse } from 'csv-parse/sync';

import { openMessage } from '../../src/mail/outbox.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

const ENTRA_TEMPLATE = [
  'version:v1.0',
  'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]',
  'Example:    name@company.com,Example:    https://myapps.microsoft.com,true,Hello',
  'ann@partner.example,https://apps.contoso.example/,true,"Welcome, Ann"',
  'not-an-address,https://apps.contoso.example/,true,',
  'ben@partner.example,,false,',
  'cy@partner.example,javascript:alert(1),true,',
  'dee@partner.example,https://apps.contoso.example/,perhaps,',
  'ANN@partner.example,https://apps.contoso.example/,false,',
].join('\n');

suite('portico invite', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'portico-invite-'));
  before(async () => {
    env = { PORTICO_DATABASE_URL: s.testStore.url, PORTICO_BASE_URL: s.baseUrl, ...TEST_PASSWORD_COST };
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  // The CLI seals bodies with the same deployment key (the key file beside the SQLite file, or ./data on PostgreSQL).
  const outbox = async () =>
    (
      await s.portico.services.store.db
        .selectFrom('outbox')
        .select(['id', 'message', 'body'])
        .where('tenant_id', '=', t.tenantId)
        .execute()
    ).map((r) => ({ id: r.id, mail: openMessage(s.portico.services.store.db, r) }));

  it('invites one address and prints JSON with the redeem URL; the server sees the guest', async () => {
    const ran = await runCli(
      ['invite', 'zoe@partner.example', '--tenant', t.domain, '--message', 'Hi Zoe', '--json'],
      env,
    );
    assert.equal(ran.code, 0, ran.stderr);
    const out = JSON.parse(ran.stdout);
    assert.equal(out.outcome, 'created');
    assert.equal(out.emailQueued, true);
    assert.match(out.inviteRedeemUrl, new RegExp(`^${s.baseUrl}/redeem\\?ticket=`));
    const user = await t.api('GET', `/v1.0/users/${out.userId}`);
    assert.equal(user.body.externalUserState, 'PendingAcceptance');
    const mails = (await outbox()).map((r) => r.mail);
    assert.ok(mails.some((m) => m.to[0] === 'zoe@partner.example' && m.text.includes('Hi Zoe')));
    const quiet = await runCli(['invite', 'yan@partner.example', '--tenant', t.tenantId, '--no-send', '--json'], env);
    assert.equal(JSON.parse(quiet.stdout).emailQueued, false);
  });

  it("reads Entra's bulk template: invites the good rows, reports bad ones by line, writes a result CSV", async () => {
    const file = join(dir, 'invite.csv');
    writeFileSync(file, ENTRA_TEMPLATE);
    const queuedBefore = new Set((await outbox()).map((r) => r.id));
    const ran = await runCli(['invite', '--csv', file, '--tenant', t.domain, '--json'], env);
    assert.equal(ran.code, 3, 'a run with failed rows exits 3');
    const summary = JSON.parse(ran.stdout);
    assert.equal(summary.rows, 6, 'the examples row is skipped');
    assert.equal(summary.failed, 3);
    assert.deepEqual(
      summary.failures.map((f: { line: number }) => f.line),
      [5, 7, 8],
    );
    assert.match(summary.failures[0].error, /not a valid email/);
    assert.match(summary.failures[1].error, /inviteRedirectUrl/);
    assert.match(summary.failures[2].error, /"perhaps" is not true or false/);

    const result = parse(readFileSync(`${file}.result.csv`), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      result.map((r) => [r.line, r.outcome]),
      [
        ['4', 'created'],
        ['5', 'failed'],
        ['6', 'created'],
        ['7', 'failed'],
        ['8', 'failed'],
        ['9', 'reinvited'],
      ],
    );
    const ann = result[0]!;
    assert.equal(result[5]!.userId, ann.userId, 'the case variant is the same guest');
    // Ben had no redirect URL: he gets the tenant's My Apps; only rows with sendEmail true were mailed.
    const mails = (await outbox()).filter((r) => !queuedBefore.has(r.id)).map((r) => r.mail);
    assert.deepEqual(
      mails.map((m) => m.to[0]),
      ['ann@partner.example'],
    );
    assert.match(mails[0]!.text, /Welcome, Ann/);
    const guests = await t.api('GET', `/v1.0/users?$filter=${encodeURIComponent("userType eq 'Guest'")}&$count=true`);
    assert.equal(guests.body['@odata.count'], 4, 'zoe, yan, ann, ben');
  });

  it('reads a plain header row, and refuses a CSV without an email column', async () => {
    const plain = join(dir, 'plain.csv');
    writeFileSync(plain, 'email,redirectUrl,send\nkim@partner.example,https://apps.contoso.example/,false\n');
    const ran = await runCli(['invite', '--csv', plain, '--tenant', t.domain, '--result', join(dir, 'out.csv')], env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /1 of 1 rows invited, 0 failed/);
    assert.match(readFileSync(join(dir, 'out.csv'), 'utf8'), /kim@partner\.example","created"/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'name,url\nx,y\n');
    const refused = await runCli(['invite', '--csv', bad, '--tenant', t.domain], env);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /no email column/);
  });

  it('reads a file larger than its read chunks as it goes: a NUL on its last line refuses it before any row, else its results come in line order', async () => {
    // Eight rows with a 40 kB column the invitation does not use: the file is read in 256 kB chunks (bulk-file.ts).
    const notes = 'n'.repeat(40_000);
    const rows = Array.from({ length: 8 }, (_, i) => `chunk${i}@partner.example,false,${notes}`);
    const big = join(dir, 'big.csv');
    writeFileSync(big, ['email,send,notes', ...rows, 'bad\u0000@partner.example,false,x'].join('\n'));
    const refused = await runCli(['invite', '--csv', big, '--tenant', t.domain], env);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /line 10 contains a NUL character/);
    assert.equal(existsSync(`${big}.result.csv`), false, 'no result file: nothing was invited');
    const chunks = `/v1.0/users?$filter=${encodeURIComponent("startsWith(mail,'chunk')")}&$count=true`;
    assert.equal((await t.api('GET', chunks)).body['@odata.count'], 0);

    writeFileSync(big, ['email,send,notes', ...rows, 'chunk0@partner.example,false,x'].join('\n'));
    const ran = await runCli(['invite', '--csv', big, '--tenant', t.domain, '--json'], env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(JSON.parse(ran.stdout).rows, 9);
    const result = parse(readFileSync(`${big}.result.csv`), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      result.map((r) => [r.line, r.email, r.outcome]),
      [
        ...rows.map((_, i) => [String(i + 2), `chunk${i}@partner.example`, 'created']),
        ['10', 'chunk0@partner.example', 'reinvited'],
      ],
    );
    assert.equal((await t.api('GET', chunks)).body['@odata.count'], 8);
  });

  it('says clearly what is wrong with the command line', async () => {
    const both = await runCli(['invite', 'a@b.example', '--csv', 'x.csv', '--tenant', t.domain], env);
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /either one email address or --csv/);
    const noTenant = await runCli(['invite', 'a@b.example', '--tenant', 'nowhere.example'], env);
    assert.notEqual(noTenant.code, 0);
    assert.match(noTenant.stderr, /No tenant matches/);
  });
});
