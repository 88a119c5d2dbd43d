// `portico terms add|version|list`, spawned as a process against the store a running server uses.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';

import { fileFor, listAgreements } from '../../src/consent/terms.ts';
import { tenantWithApi } from '../helpers/api.ts';
import { TEST_PASSWORD_COST } from '../helpers/server.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

const PATH = '/v1.0/identityGovernance/termsOfUse/agreements';

suite('portico terms CLI', { tenant: 'Contoso' }, ({ s, t }) => {
  let env: Record<string, string>;
  let dir: string;
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  before(async () => {
    env = { PORTICO_DATABASE_URL: s.testStore.url, PORTICO_BASE_URL: s.baseUrl, ...TEST_PASSWORD_COST };
    dir = mkdtempSync(join(tmpdir(), 'portico-terms-'));
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('terms add --json creates an agreement the API and the domain see', async () => {
    const pdf = file('Guest terms.pdf', '%PDF-1.7\n%%EOF\n');
    const ran = await runCli(
      [
        'terms',
        'add',
        '--tenant',
        t.domain,
        '--name',
        'Guest terms',
        '--file',
        pdf,
        '--language',
        'de-de',
        '--expand',
        '--reaccept-days',
        '180',
        '--json',
      ],
      env,
    );
    assert.equal(ran.code, 0, ran.stderr);
    const out = JSON.parse(ran.stdout);
    assert.equal(out.tenantId, t.tenantId);
    assert.deepEqual(
      [out.displayName, out.version, out.isViewingBeforeAcceptanceRequired, out.reacceptDays],
      ['Guest terms', 1, true, 180],
    );
    const api = (await t.api('GET', `${PATH}/${out.id}`)).body;
    assert.equal(api.userReacceptRequiredFrequency, 'P180D');
    const f = await fileFor(s.portico.services.store.db, t.tenantId, out.id, 1, 'en');
    assert.deepEqual(
      [f?.language, f?.fileName, f?.contentType, f?.isDefault],
      ['de-DE', 'Guest terms.pdf', 'application/pdf', true],
    );
    assert.ok(
      (await t.api('GET', '/v1.0/auditLogs/directoryAudits')).body.value.some(
        (e: { activityDisplayName: string; initiatedBy: { app?: { displayName?: string } } }) =>
          e.activityDisplayName === 'Create agreement' && e.initiatedBy.app?.displayName === 'Portico CLI',
      ),
    );
  });

  it('terms version publishes a new version in the current default language; terms list shows it', async () => {
    const txt = file('terms.md', '# Terms\n\nVersion one.\n');
    const added = await runCli(
      ['terms', 'add', '--tenant', t.tenantId, '--name', 'Markdown terms', '--file', txt, '--json'],
      env,
    );
    assert.equal(added.code, 0, `${added.stderr}\n${added.stdout}`);
    const { id } = JSON.parse(added.stdout);
    const v2 = await runCli(
      ['terms', 'version', '--tenant', t.domain, '--agreement', id, '--file', file('v2.txt', 'Version two.\n')],
      env,
    );
    assert.equal(v2.code, 0, `${v2.stderr}\n${v2.stdout}`);
    assert.match(v2.stdout, /Published version 2 of "Markdown terms"/);
    const f = await fileFor(s.portico.services.store.db, t.tenantId, id, 2, 'en-US');
    assert.deepEqual([f?.language, f?.content.toString()], ['en-US', 'Version two.\n']);
    const v3 = await runCli(
      [
        'terms',
        'version',
        '--tenant',
        t.domain,
        '--agreement',
        id,
        '--file',
        file('v3.txt', 'Drei'),
        '--language',
        'de',
        '--json',
      ],
      env,
    );
    assert.equal(v3.code, 0, `${v3.stderr}\n${v3.stdout}`);
    assert.equal(JSON.parse(v3.stdout).version, 3);

    const list = await runCli(['terms', 'list', '--tenant', t.domain, '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as { id: string; version: number; languages: string[] }[];
    assert.deepEqual(
      rows.find((r) => r.id === id),
      { ...rows.find((r) => r.id === id), version: 3, languages: ['de'] },
    );
    assert.equal(rows.length, 2);
    const human = await runCli(['terms', 'list', '--tenant', t.domain], env);
    assert.match(human.stdout, new RegExp(`${id} {2}Markdown terms {2}v3 {2}de {2}\\(accept once per version\\)`));
    assert.match(human.stdout, /Guest terms {2}v1 {2}de-DE {2}\(accept every 180 days, must open first\)/);
  });

  it('fails with a clear message and a non-zero exit, changing nothing', async () => {
    const before = (await listAgreements(s.portico.services.store.db, t.tenantId)).map((a) => `${a.id}:${a.version}`);
    const cases: [string[], RegExp][] = [
      [['terms', 'add', '--tenant', t.domain, '--name', 'X', '--file', file('fake.pdf', '<html>')], /not a PDF/],
      [
        ['terms', 'add', '--tenant', t.domain, '--name', 'X', '--file', file('terms.docx', 'x')],
        /not a \.pdf, \.txt or \.md file/,
      ],
      [['terms', 'add', '--tenant', t.domain, '--name', 'X', '--file', join(dir, 'missing.txt')], /Cannot read/],
      [
        [
          'terms',
          'add',
          '--tenant',
          t.domain,
          '--name',
          'X',
          '--file',
          file('bad.txt', Buffer.from([0xff, 0xfe, 0x41])),
        ],
        /not valid UTF-8/,
      ],
      [
        [
          'terms',
          'add',
          '--tenant',
          t.domain,
          '--name',
          'X',
          '--file',
          file('ok.txt', 'ok'),
          '--reaccept-days',
          'ninety',
        ],
        /whole number of days/,
      ],
      [
        [
          'terms',
          'add',
          '--tenant',
          t.domain,
          '--name',
          'X',
          '--file',
          file('ok.txt', 'ok'),
          '--language',
          'not a tag',
        ],
        /not a valid language tag/,
      ],
      [
        ['terms', 'add', '--tenant', 'nowhere.example', '--name', 'X', '--file', file('ok.txt', 'ok')],
        /No tenant matches 'nowhere\.example'/,
      ],
      [
        [
          'terms',
          'version',
          '--tenant',
          t.domain,
          '--agreement',
          '00000000-0000-4000-8000-000000000000',
          '--file',
          file('ok.txt', 'ok'),
        ],
        /does not exist/,
      ],
      [['terms', 'add', '--tenant', t.domain, '--file', file('ok.txt', 'ok')], /required option '--name <name>'/],
    ];
    for (const [args, message] of cases) {
      const ran = await runCli(args, env);
      assert.notEqual(ran.code, 0, args.join(' '));
      assert.match(ran.stderr, message, args.join(' '));
    }
    assert.deepEqual(
      (await listAgreements(s.portico.services.store.db, t.tenantId)).map((a) => `${a.id}:${a.version}`),
      before,
    );
    const empty = await tenantWithApi(s, 'Empty');
    const none = await runCli(['terms', 'list', '--tenant', empty.tenantId], env);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /has no terms of use/);
  });
});
