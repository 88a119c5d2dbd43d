// A user in deleted items holds no role that counts (directory/roles.ts): the role assignments list must not show
// the deleted user's assignments, as reading one by id and the directoryRole's members already do not.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { newUserBody } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const ASSIGN = '/v1.0/roleManagement/directory/roleAssignments';
const INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b';

suite('security: role assignments of deleted users', { runWorker: false, tenant: 'Contoso' }, ({ t }) => {
  it('a deleted user has no role assignment listed', async () => {
    const domain = (await t.api('GET', '/v1.0/domains')).body.value[0].id as string;
    const ida = (await t.api('POST', '/v1.0/users', newUserBody(`ida@${domain}`, 'Ida'))).body;
    const made = await t.api('POST', ASSIGN, { roleDefinitionId: INVITER, principalId: ida.id });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal((await t.api('DELETE', `/v1.0/users/${ida.id}`)).status, 204);
    assert.equal((await t.api('GET', `${ASSIGN}/${made.body.id}`)).status, 404);
    const byPrincipal = await t.api('GET', `${ASSIGN}?$filter=principalId eq '${ida.id}'`);
    assert.equal(byPrincipal.status, 200);
    assert.deepEqual(byPrincipal.body.value, []);
    const all = await t.api('GET', ASSIGN);
    assert.ok(!(all.body.value as { principalId: string }[]).some((a) => a.principalId === ida.id));
  });
});
