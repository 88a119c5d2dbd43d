// /v1.0/groups: create, read, list with query options, update, delete; members added and removed by $ref and
// listed; the refusals, each checked by reading back that nothing changed.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import type { User } from '../../src/directory/users.ts';
import { assertGraphError, ids, readAllPages, seedMembers, type GraphObject } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

suite('API groups', { tenant: 'Contoso' }, ({ s, t }) => {
  let users: User[];
  before(async () => {
    users = await seedMembers(
      s,
      t.tenantId,
      ['Ann', 'Ben', 'Cat', 'Dan'].map((n) => ({
        displayName: n,
        userPrincipalName: `${n.toLowerCase()}@${t.domain}`,
      })),
    );
  });

  const createGroup = async (displayName: string, extra: Record<string, unknown> = {}) => {
    const res = await t.api('POST', '/v1.0/groups', {
      displayName,
      mailEnabled: false,
      securityEnabled: true,
      mailNickname: displayName.toLowerCase().replace(/\W/g, ''),
      ...extra,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as GraphObject;
  };
  const groupCount = async () => (await readAllPages(t.api, s.baseUrl, '/v1.0/groups?$select=id')).items.length;
  const memberIds = async (groupId: string) => {
    const res = await t.api('GET', `/v1.0/groups/${groupId}/members`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return ids(res.body.value);
  };
  const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

  it('creates a security group and reads it back by id and in the list', async () => {
    const g = await createGroup('Engineering', { description: 'All engineers' });
    assert.equal(g['@odata.context'], `${s.baseUrl}/v1.0/$metadata#groups/$entity`);
    assert.match(g.id, /^[0-9a-f-]{36}$/);
    assert.equal(g.displayName, 'Engineering');
    assert.equal(g.description, 'All engineers');
    assert.equal(g.mailNickname, 'engineering');
    const back = await t.api('GET', `/v1.0/groups/${g.id}`);
    assert.equal(back.status, 200);
    assert.deepEqual(back.body, g);
    const list = await t.api('GET', '/v1.0/groups');
    assert.equal(list.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#groups`);
    assert.ok(list.body.value.some((x: GraphObject) => x.id === g.id && x.displayName === 'Engineering'));
  });

  it('filters, selects, counts and pages groups', async () => {
    for (const name of ['Sales EMEA', 'Sales APAC', 'Sales AMER']) await createGroup(name);
    const sales = await t.api(
      'GET',
      `/v1.0/groups?$filter=${encodeURIComponent("startswith(displayName,'sales')")}&$select=displayName&$count=true`,
    );
    assert.equal(sales.status, 200);
    assert.deepEqual(sales.body.value.map((g: GraphObject) => g.displayName).sort(), [
      'Sales AMER',
      'Sales APAC',
      'Sales EMEA',
    ]);
    assert.deepEqual(Object.keys(sales.body.value[0]), ['displayName']);
    assert.equal(sales.body['@odata.count'], 3);
    const apac = await t.api(
      'GET',
      `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Sales APAC' or mailNickname eq 'salesemea'")}`,
    );
    assert.deepEqual(apac.body.value.map((g: GraphObject) => g.displayName).sort(), ['Sales APAC', 'Sales EMEA']);
    const { items, pages } = await readAllPages(t.api, s.baseUrl, '/v1.0/groups?$top=1');
    assert.equal(pages.length, items.length);
    assert.equal(new Set(ids(items)).size, items.length);
    assert.ok(items.length >= 4);
  });

  it('updates a group and the change reads back', async () => {
    const g = await createGroup('Temp');
    assert.equal(
      (await t.api('PATCH', `/v1.0/groups/${g.id}`, { displayName: 'Permanent', description: null })).status,
      204,
    );
    const back = (await t.api('GET', `/v1.0/groups/${g.id}`)).body;
    assert.equal(back.displayName, 'Permanent');
    assert.equal(back.description, null);
    assert.equal(back.mailNickname, 'temp', 'unpatched properties keep their value');
  });

  it('deletes a group: reads, member lists and a second delete are 404', async () => {
    const g = await createGroup('Doomed');
    await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(users[0]!.id));
    assert.equal((await t.api('DELETE', `/v1.0/groups/${g.id}`)).status, 204);
    assertGraphError(await t.api('GET', `/v1.0/groups/${g.id}`), 404, 'Request_ResourceNotFound');
    assertGraphError(await t.api('GET', `/v1.0/groups/${g.id}/members`), 404, 'Request_ResourceNotFound');
    assertGraphError(await t.api('DELETE', `/v1.0/groups/${g.id}`), 404, 'Request_ResourceNotFound');
    assert.equal(
      (await t.api('GET', `/v1.0/users/${users[0]!.id}`)).status,
      200,
      'members are not deleted with the group',
    );
  });

  it('adds members by directoryObjects URL, users URL or bare id, and lists them as users', async () => {
    const g = await createGroup('Team');
    const [ann, ben, cat] = users as [User, User, User];
    assert.equal((await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(ann.id))).status, 204);
    assert.equal(
      (
        await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, {
          '@odata.id': `${s.baseUrl}/v1.0/users/${ben.id.toUpperCase()}`,
        })
      ).status,
      204,
    );
    assert.equal((await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, { '@odata.id': cat.id })).status, 204);
    const res = await t.api('GET', `/v1.0/groups/${g.id}/members`);
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#directoryObjects`);
    assert.deepEqual(ids(res.body.value), [ann.id, ben.id, cat.id].sort());
    const annAsMember = res.body.value.find((m: GraphObject) => m.id === ann.id);
    assert.equal(annAsMember['@odata.type'], '#microsoft.graph.user');
    assert.equal(annAsMember.userPrincipalName, ann.userPrincipalName);
    assert.equal(annAsMember.displayName, 'Ann');
    const selected = await t.api('GET', `/v1.0/groups/${g.id}/members?$select=id,displayName`);
    assert.deepEqual(
      selected.body.value.map((m: GraphObject) =>
        Object.keys(m)
          .filter((k) => !k.startsWith('@'))
          .sort(),
      ),
      [
        ['displayName', 'id'],
        ['displayName', 'id'],
        ['displayName', 'id'],
      ],
    );
  });

  it('pages and filters members', async () => {
    const g = await createGroup('Paged team');
    for (const u of users) await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(u.id));
    const { items, pages } = await readAllPages(t.api, s.baseUrl, `/v1.0/groups/${g.id}/members?$top=3`);
    assert.deepEqual(ids(items), ids(users));
    assert.equal(pages.length, 2);
    const ann = await t.api(
      'GET',
      `/v1.0/groups/${g.id}/members?$filter=${encodeURIComponent("startswith(displayName,'an')")}`,
    );
    assert.equal(ann.status, 200, JSON.stringify(ann.body));
    assert.deepEqual(ids(ann.body.value), [users[0]!.id]);
    const counted = await t.api('GET', `/v1.0/groups/${g.id}/members?$count=true&$top=1`);
    assert.equal(counted.body['@odata.count'], users.length);
    assert.equal(counted.body.value.length, 1);
  });

  it('removes a member by $ref; deleting a user removes it from its groups', async () => {
    const g = await createGroup('Shrinking');
    const [ann, ben, cat] = users as [User, User, User];
    for (const u of [ann, ben, cat]) await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(u.id));
    assert.equal((await t.api('DELETE', `/v1.0/groups/${g.id}/members/${ann.id}/$ref`)).status, 204);
    assert.deepEqual(await memberIds(g.id), [ben.id, cat.id].sort());
    assertGraphError(
      await t.api('DELETE', `/v1.0/groups/${g.id}/members/${ann.id}/$ref`),
      404,
      'Request_ResourceNotFound',
    );
    const doomed = (
      await seedMembers(s, t.tenantId, [{ displayName: 'Eve', userPrincipalName: `eve@${t.domain}` }])
    )[0]!;
    await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(doomed.id));
    assert.equal((await t.api('DELETE', `/v1.0/users/${doomed.id}`)).status, 204);
    assert.deepEqual(await memberIds(g.id), [ben.id, cat.id].sort());
  });

  it('refuses a member added twice, an unknown or foreign object, and a malformed reference', async () => {
    const g = await createGroup('Strict');
    const ann = users[0]!;
    await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(ann.id));
    assertGraphError(await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(ann.id)), 400, 'Request_BadRequest');
    assertGraphError(
      await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref('00000000-0000-4000-8000-000000000000')),
      404,
      'Request_ResourceNotFound',
    );
    const other = await s.provision('Fabrikam');
    assertGraphError(
      await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, ref(other.admin.id)),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, {
        '@odata.id': 'https://graph.microsoft.com/v1.0/users/ann',
      }),
      400,
      'Request_BadRequest',
    );
    assertGraphError(
      await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, { id: ann.id }),
      400,
      'Request_BadRequest',
    );
    assertGraphError(await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, '{"@odata.id":'), 400, 'BadRequest');
    assertGraphError(
      await t.api('POST', `/v1.0/groups/${g.id}/members/$ref`, JSON.stringify(ref(ann.id)), {
        'content-type': 'text/plain',
      }),
      415,
      'UnsupportedMediaType',
    );
    assertGraphError(
      await t.api('POST', '/v1.0/groups/00000000-0000-4000-8000-000000000000/members/$ref', ref(ann.id)),
      404,
      'Request_ResourceNotFound',
    );
    assert.deepEqual(await memberIds(g.id), [ann.id]);
  });

  describe('refused writes change nothing', () => {
    const creates: [string, () => unknown, number, string, Record<string, string>?][] = [
      ['an unknown property', () => ({ displayName: 'X', visibility: 'Private' }), 400, 'Request_BadRequest'],
      ['a Microsoft 365 group', () => ({ displayName: 'X', groupTypes: ['Unified'] }), 400, 'Request_BadRequest'],
      ['no displayName', () => ({ description: 'nameless' }), 400, 'Request_BadRequest'],
      ['malformed JSON', () => '{"displayName":', 400, 'BadRequest'],
      [
        'a text/plain body',
        () => JSON.stringify({ displayName: 'X' }),
        415,
        'UnsupportedMediaType',
        { 'content-type': 'text/plain' },
      ],
    ];
    for (const [what, body, status, code, headers] of creates) {
      it(`refuses to create with ${what} (${status} ${code})`, async () => {
        const before = await groupCount();
        assertGraphError(await t.api('POST', '/v1.0/groups', body(), headers), status, code);
        assert.equal(await groupCount(), before);
      });
    }

    it('refuses bad updates and unknown ids, and the group reads back unchanged', async () => {
      const g = await createGroup('Unchanged', { description: 'as created' });
      assertGraphError(
        await t.api('PATCH', `/v1.0/groups/${g.id}`, { displayName: 'Changed', visibility: 'Public' }),
        400,
        'Request_BadRequest',
      );
      assertGraphError(await t.api('PATCH', `/v1.0/groups/${g.id}`, { displayName: '' }), 400, 'Request_BadRequest');
      assertGraphError(await t.api('PATCH', `/v1.0/groups/${g.id}`, '{"displayName":"Changed"'), 400, 'BadRequest');
      assertGraphError(
        await t.api('PATCH', `/v1.0/groups/${g.id}`, 'displayName=Changed', {
          'content-type': 'application/x-www-form-urlencoded',
        }),
        415,
        'UnsupportedMediaType',
      );
      assert.deepEqual((await t.api('GET', `/v1.0/groups/${g.id}`)).body, g);
      for (const id of ['00000000-0000-4000-8000-000000000000', 'engineering']) {
        assertGraphError(await t.api('GET', `/v1.0/groups/${id}`), 404, 'Request_ResourceNotFound');
        assertGraphError(
          await t.api('PATCH', `/v1.0/groups/${id}`, { displayName: 'X' }),
          404,
          'Request_ResourceNotFound',
        );
        assertGraphError(await t.api('DELETE', `/v1.0/groups/${id}`), 404, 'Request_ResourceNotFound');
      }
    });

    it('refuses unsupported query options on groups and members', async () => {
      const g = await createGroup('Queried');
      assertGraphError(
        await t.api('GET', `/v1.0/groups?$filter=${encodeURIComponent("description eq 'x'")}`),
        400,
        'Request_UnsupportedQuery',
      );
      assertGraphError(await t.api('GET', '/v1.0/groups?$select=id,members'), 400, 'Request_UnsupportedQuery');
      assertGraphError(await t.api('GET', '/v1.0/groups?$top=0'), 400, 'Request_UnsupportedQuery');
      assertGraphError(
        await t.api('GET', `/v1.0/groups/${g.id}/members?$select=id,password`),
        400,
        'Request_UnsupportedQuery',
      );
      assertGraphError(await t.api('GET', `/v1.0/groups/${g.id}/members?$top=abc`), 400, 'Request_UnsupportedQuery');
      assertGraphError(
        await t.api('GET', `/v1.0/groups/${g.id}/members?$filter=${encodeURIComponent("jobTitle eq 'x'")}`),
        400,
        'Request_UnsupportedQuery',
      );
    });
  });
});
