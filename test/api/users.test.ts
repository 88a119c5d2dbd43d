// /v1.0/users: create, read (by id and by UPN), update, delete, and every way a write can be refused, each
// checked by reading back that nothing changed.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { assertGraphError, newUserBody, type ApiResponse } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

suite('API users', { tenant: 'Contoso' }, ({ s, t }) => {
  const upn = (name: string) => `${name}@${t.domain}`;
  const userCount = async () => (await t.api('GET', '/v1.0/users?$count=true&$top=1')).body['@odata.count'] as number;

  it('creates a member and reads it back by id, by UPN in any case, and in the list', async () => {
    const res = await t.api(
      'POST',
      '/v1.0/users',
      newUserBody(upn('adele'), 'Adele Vance', { givenName: 'Adele', surname: 'Vance' }),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const u = res.body;
    assert.match(u.id, UUID);
    assert.equal(u['@odata.context'], `${s.baseUrl}/v1.0/$metadata#users/$entity`);
    assert.equal(u.userPrincipalName, upn('adele'));
    assert.equal(u.displayName, 'Adele Vance');
    assert.equal(u.givenName, 'Adele');
    assert.equal(u.surname, 'Vance');
    assert.equal(u.mail, upn('adele'), 'mail defaults to the UPN');
    assert.deepEqual(u.proxyAddresses, [`SMTP:${upn('adele')}`]);
    assert.equal(u.userType, 'Member');
    assert.equal(u.accountEnabled, true);
    assert.ok(!Number.isNaN(Date.parse(u.createdDateTime)));
    for (const secret of ['passwordProfile', 'passwordHash', 'hasPassword', 'roles', 'tenantId'])
      assert.ok(!(secret in u), `${secret} is not returned`);

    const byId = await t.api('GET', `/v1.0/users/${u.id}`);
    assert.equal(byId.status, 200);
    assert.deepEqual(byId.body, u);
    const byUpn = await t.api('GET', `/v1.0/users/${encodeURIComponent(upn('ADELE'))}`);
    assert.equal(byUpn.status, 200);
    assert.equal(byUpn.body.id, u.id);
    const byUpperId = await t.api('GET', `/v1.0/users/${u.id.toUpperCase()}`);
    assert.equal(byUpperId.body.id, u.id);
    const list = await t.api('GET', '/v1.0/users');
    assert.ok(list.body.value.some((x: { id: string }) => x.id === u.id));
  });

  it('accepts @odata.type in the body and creates a disabled account when asked', async () => {
    const res = await t.api('POST', '/v1.0/users', {
      '@odata.type': '#microsoft.graph.user',
      ...newUserBody(upn('disabled'), 'Disabled', { accountEnabled: false, mail: null }),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const back = (await t.api('GET', `/v1.0/users/${res.body.id}`)).body;
    assert.equal(back.accountEnabled, false);
    assert.equal(back.mail, null);
    assert.deepEqual(back.proxyAddresses, []);
  });

  it('updates a user by id and by UPN, and the changes read back', async () => {
    const { id } = (await t.api('POST', '/v1.0/users', newUserBody(upn('megan'), 'Megan'))).body;
    const patch = {
      displayName: 'Megan Bowen',
      givenName: 'Megan',
      surname: 'Bowen',
      accountEnabled: false,
      otherMails: ['megan@example.org'],
    };
    const res = await t.api('PATCH', `/v1.0/users/${id}`, patch);
    assert.equal(res.status, 204);
    assert.equal(res.body, null);
    const back = (await t.api('GET', `/v1.0/users/${id}`)).body;
    assert.deepEqual(
      {
        displayName: back.displayName,
        givenName: back.givenName,
        surname: back.surname,
        accountEnabled: back.accountEnabled,
        otherMails: back.otherMails,
      },
      patch,
    );

    assert.equal(
      (await t.api('PATCH', `/v1.0/users/${encodeURIComponent(upn('megan'))}`, { surname: null })).status,
      204,
    );
    assert.equal((await t.api('GET', `/v1.0/users/${id}`)).body.surname, null);
  });

  it('renames a user: the new UPN finds it, the old one no longer does', async () => {
    const { id } = (await t.api('POST', '/v1.0/users', newUserBody(upn('lee'), 'Lee'))).body;
    assert.equal((await t.api('PATCH', `/v1.0/users/${id}`, { userPrincipalName: upn('lee.gu') })).status, 204);
    assert.equal((await t.api('GET', `/v1.0/users/${encodeURIComponent(upn('lee.gu'))}`)).body.id, id);
    assertGraphError(
      await t.api('GET', `/v1.0/users/${encodeURIComponent(upn('lee'))}`),
      404,
      'Request_ResourceNotFound',
    );
  });

  it('deletes a user; it is gone from reads and the list, and a second delete is 404', async () => {
    const { id } = (await t.api('POST', '/v1.0/users', newUserBody(upn('gone'), 'Gone'))).body;
    const before = await userCount();
    assert.equal((await t.api('DELETE', `/v1.0/users/${id}`)).status, 204);
    assertGraphError(await t.api('GET', `/v1.0/users/${id}`), 404, 'Request_ResourceNotFound');
    assert.equal(await userCount(), before - 1);
    assert.ok(!(await t.api('GET', '/v1.0/users?$top=999')).body.value.some((x: { id: string }) => x.id === id));
    assertGraphError(await t.api('DELETE', `/v1.0/users/${id}`), 404, 'Request_ResourceNotFound');
    // As in Entra, it waits in deleted items (test/deleted/ covers restore and the permanent delete).
    assert.equal((await t.api('GET', `/v1.0/directory/deletedItems/${id}`)).body.id, id);
  });

  it('404s for an unknown id or UPN on GET, PATCH and DELETE', async () => {
    for (const key of ['00000000-0000-4000-8000-000000000000', encodeURIComponent(upn('nobody')), 'not-an-id']) {
      assertGraphError(await t.api('GET', `/v1.0/users/${key}`), 404, 'Request_ResourceNotFound');
      assertGraphError(
        await t.api('PATCH', `/v1.0/users/${key}`, { displayName: 'X' }),
        404,
        'Request_ResourceNotFound',
      );
      assertGraphError(await t.api('DELETE', `/v1.0/users/${key}`), 404, 'Request_ResourceNotFound');
    }
  });

  it('returns only the $select-ed properties of one user, and refuses an unknown one', async () => {
    const { id } = (await t.api('POST', '/v1.0/users', newUserBody(upn('sel'), 'Selected'))).body;
    const res = await t.api('GET', `/v1.0/users/${id}?$select=displayName,mail`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['@odata.context', 'displayName', 'mail']);
    assert.equal(res.body.displayName, 'Selected');
    assertGraphError(
      await t.api('GET', `/v1.0/users/${id}?$select=displayName,passwordHash`),
      400,
      'Request_UnsupportedQuery',
    );
  });

  describe('refused creates change nothing', () => {
    const refusals: [string, () => Promise<ApiResponse>, number, string][] = [
      [
        'an unknown property',
        () => t.api('POST', '/v1.0/users', newUserBody(upn('r1'), 'R1', { jobTitle: 'CEO' })),
        400,
        'Request_BadRequest',
      ],
      [
        'malformed JSON',
        () => t.api('POST', '/v1.0/users', `{"displayName":"R2","userPrincipalName":"${upn('r2')}",`),
        400,
        'BadRequest',
      ],
      ['a JSON array', () => t.api('POST', '/v1.0/users', [newUserBody(upn('r3'))]), 400, 'BadRequest'],
      [
        'a text/plain body',
        () => t.api('POST', '/v1.0/users', JSON.stringify(newUserBody(upn('r4'))), { 'content-type': 'text/plain' }),
        415,
        'UnsupportedMediaType',
      ],
      [
        'no displayName',
        () => t.api('POST', '/v1.0/users', { ...newUserBody(upn('r5')), displayName: undefined }),
        400,
        'Request_BadRequest',
      ],
      [
        'a blank displayName',
        () => t.api('POST', '/v1.0/users', newUserBody(upn('r6'), '   ')),
        400,
        'Request_BadRequest',
      ],
      [
        'a short password',
        () => t.api('POST', '/v1.0/users', newUserBody(upn('r7'), 'R7', { passwordProfile: { password: 'short' } })),
        400,
        'Request_BadRequest',
      ],
      [
        'no passwordProfile',
        () => t.api('POST', '/v1.0/users', { ...newUserBody(upn('r8')), passwordProfile: undefined }),
        400,
        'Request_BadRequest',
      ],
      [
        'a UPN that is not an address',
        () => t.api('POST', '/v1.0/users', newUserBody(`r9-at-${t.domain}`)),
        400,
        'Request_BadRequest',
      ],
      [
        'a UPN in a domain the tenant does not own',
        () => t.api('POST', '/v1.0/users', newUserBody('r10@fabrikam.com')),
        400,
        'Request_BadRequest',
      ],
      [
        'an invalid mail',
        () => t.api('POST', '/v1.0/users', newUserBody(upn('r11'), 'R11', { mail: 'not a mail' })),
        400,
        'Request_BadRequest',
      ],
    ];
    for (const [what, send, status, code] of refusals) {
      it(`refuses ${what} (${status} ${code})`, async () => {
        const before = await userCount();
        assertGraphError(await send(), status, code);
        assert.equal(await userCount(), before);
      });
    }
  });

  it('refuses a duplicate UPN, in any case, and keeps the first user as it was', async () => {
    const first = (await t.api('POST', '/v1.0/users', newUserBody(upn('dup'), 'First'))).body;
    const before = await userCount();
    assertGraphError(
      await t.api('POST', '/v1.0/users', newUserBody(upn('DUP'), 'Second')),
      400,
      'Request_MultipleObjectsWithSameKeyValue',
    );
    assert.equal(await userCount(), before);
    assert.deepEqual((await t.api('GET', `/v1.0/users/${first.id}`)).body, first);
  });

  it('refuses a mail that another user already has', async () => {
    await t.api('POST', '/v1.0/users', newUserBody(upn('mail1'), 'Mail 1', { mail: 'shared@example.org' }));
    const before = await userCount();
    assertGraphError(
      await t.api('POST', '/v1.0/users', newUserBody(upn('mail2'), 'Mail 2', { mail: 'Shared@Example.org' })),
      400,
      'Request_MultipleObjectsWithSameKeyValue',
    );
    assert.equal(await userCount(), before);
  });

  describe('refused updates change nothing', () => {
    let target: Record<string, unknown> & { id: string };
    before(async () => {
      target = (await t.api('POST', '/v1.0/users', newUserBody(upn('stable'), 'Stable'))).body;
      await t.api('POST', '/v1.0/users', newUserBody(upn('taken'), 'Taken'));
    });
    const patches: [string, () => unknown, number, string, Record<string, string>?][] = [
      ['an unknown property', () => ({ displayName: 'Changed', jobTitle: 'CEO' }), 400, 'Request_BadRequest'],
      ['a wrong type', () => ({ displayName: 'Changed', accountEnabled: 'no' }), 400, 'Request_BadRequest'],
      ['malformed JSON', () => '{"displayName": "Changed"', 400, 'BadRequest'],
      [
        'a form body',
        () => 'displayName=Changed',
        415,
        'UnsupportedMediaType',
        { 'content-type': 'application/x-www-form-urlencoded' },
      ],
      [
        'a UPN in a foreign domain',
        () => ({ displayName: 'Changed', userPrincipalName: 'stable@fabrikam.com' }),
        400,
        'Request_BadRequest',
      ],
      [
        "another user's UPN",
        () => ({ displayName: 'Changed', userPrincipalName: upn('TAKEN') }),
        400,
        'Request_MultipleObjectsWithSameKeyValue',
      ],
      ['an invalid mail', () => ({ displayName: 'Changed', mail: 'nope' }), 400, 'Request_BadRequest'],
      [
        'an invalid other mail',
        () => ({ displayName: 'Changed', otherMails: ['ok@example.org', 'nope'] }),
        400,
        'Request_BadRequest',
      ],
    ];
    for (const [what, body, status, code, headers] of patches) {
      it(`refuses ${what} (${status} ${code})`, async () => {
        assertGraphError(await t.api('PATCH', `/v1.0/users/${target.id}`, body(), headers), status, code);
        assert.deepEqual((await t.api('GET', `/v1.0/users/${target.id}`)).body, target);
      });
    }
  });
});
