// `portico policy` and the CLI's invite paths under collaboration restrictions, on both stores: a deny list with
// *.contoso.example set by `portico policy restrict`, then `portico invite` of one address and of a CSV (its row
// refused, the other row invited), each refusal naming the rule. CLI processes are slow on a loaded machine, so the
// two invites run side by side.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';

import { cliEnv } from '../helpers/cli.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite(
  'portico policy',
  { runWorker: false, tenant: { name: 'Contoso', domain: 'contoso.example', adminEmail: 'admin@contoso.example' } },
  ({ s, t }) => {
    it('a deny list set by the CLI refuses the CLI invite of one address and a CSV row, naming the rule', async () => {
      const env = cliEnv(s);
      const set = await runCli(
        ['policy', 'restrict', '--tenant', t.tenantId, '--mode', 'deny', '--domains', '*.Contoso.example', '--json'],
        env,
      );
      assert.equal(set.code, 0, set.stderr);
      const shown = JSON.parse(set.stdout) as {
        authorizationPolicy: { allowInvitesFrom: string };
        b2bCollaborationRestrictions: { mode: string; domains: string[] };
      };
      assert.deepEqual(shown.b2bCollaborationRestrictions, {
        id: 'b2bCollaborationRestrictions',
        mode: 'deny',
        domains: ['*.contoso.example'],
      });
      assert.equal(shown.authorizationPolicy.allowInvitesFrom, 'everyone');
      const api = await t.api('GET', '/v1.0/policies/b2bCollaborationRestrictions');
      assert.deepEqual(api.body.domains, ['*.contoso.example'], 'the API reads what the CLI set');

      const rule =
        /Contoso does not allow invitations to sub\.contoso\.example: its collaboration restrictions deny '\*\.contoso\.example'/;
      const dir = mkdtempSync(join(tmpdir(), 'policy-'));
      const csv = join(dir, 'rows.csv');
      writeFileSync(csv, 'email,send\na@sub.contoso.example,false\nok@partner.example,false\n');
      const [one, rows] = await Promise.all([
        runCli(['invite', 'a@sub.contoso.example', '--tenant', t.tenantId, '--no-send'], env),
        runCli(['invite', '--csv', csv, '--tenant', t.tenantId, '--json'], env),
      ]);
      assert.equal(one.code, 2, one.stderr);
      assert.match(one.stderr, rule);
      const summary = JSON.parse(rows.stdout) as { invited: number; failures: { line: number; error: string }[] };
      assert.equal(summary.invited, 1);
      assert.equal(summary.failures.length, 1);
      assert.equal(summary.failures[0]!.line, 2);
      assert.match(summary.failures[0]!.error, rule);
    });
  },
);
