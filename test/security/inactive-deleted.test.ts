// A guest in deleted items is not in the directory: the inactive guests list (the CLI's --inactive-days and the admin
// center's view, both directory/inactive.ts) must not offer it (a bulk delete or block of it would then fail).
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { inviteGuest } from '../helpers/api.ts';
import { cliEnv } from '../helpers/cli.ts';
import { runCli } from '../helpers/spawn.ts';
import { suite } from '../helpers/suite.ts';

suite('security: inactive guests leave out deleted ones', { runWorker: false, tenant: 'Contoso' }, ({ s, t }) => {
  it('a deleted guest who never redeemed is not listed as inactive', async () => {
    const kept = (await inviteGuest(t.api, 'kept@partner.example', 'Kept')).id;
    const gone = (await inviteGuest(t.api, 'gone@partner.example', 'Gone')).id;
    assert.equal((await t.api('DELETE', `/v1.0/users/${gone}`)).status, 204);
    const ran = await runCli(['user', 'list', '--tenant', t.tenantId, '--inactive-days', '90', '--json'], cliEnv(s));
    assert.equal(ran.code, 0, ran.stderr);
    const ids = (JSON.parse(ran.stdout) as { id: string }[]).map((r) => r.id);
    assert.ok(ids.includes(kept));
    assert.ok(!ids.includes(gone), 'the deleted guest is listed as inactive');
  });
});
