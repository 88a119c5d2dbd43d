// /v1.0/contacts (Graph's orgContact): create, read, list with query options, update, delete, and the refusals,
// each checked by reading back that nothing changed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertGraphError, ids, readAllPages, type GraphObject } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

suite('API contacts', { tenant: 'Contoso' }, ({ s, t }) => {
  const createContact = async (body: Record<string, unknown>) => {
    const res = await t.api('POST', '/v1.0/contacts', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as GraphObject;
  };
  const allContacts = async () => (await readAllPages(t.api, s.baseUrl, '/v1.0/contacts')).items;

  it('creates a contact and reads it back by id and in the list', async () => {
    const c = await createContact({
      displayName: 'Pat Supplier',
      givenName: 'Pat',
      surname: 'Supplier',
      companyName: 'Northwind',
      mail: 'Pat@Northwind.example',
      proxyAddresses: ['SMTP:pat@northwind.example', 'smtp:p.supplier@northwind.example'],
    });
    assert.equal(c['@odata.context'], `${s.baseUrl}/v1.0/$metadata#contacts/$entity`);
    assert.match(c.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      {
        displayName: c.displayName,
        givenName: c.givenName,
        surname: c.surname,
        companyName: c.companyName,
        mail: c.mail,
        proxyAddresses: c.proxyAddresses,
      },
      {
        displayName: 'Pat Supplier',
        givenName: 'Pat',
        surname: 'Supplier',
        companyName: 'Northwind',
        mail: 'Pat@Northwind.example',
        proxyAddresses: ['SMTP:pat@northwind.example', 'smtp:p.supplier@northwind.example'],
      },
    );
    assert.ok(!Number.isNaN(Date.parse(c.createdDateTime as string)));
    const back = await t.api('GET', `/v1.0/contacts/${c.id}`);
    assert.equal(back.status, 200);
    assert.deepEqual(back.body, c);
    const list = await t.api('GET', '/v1.0/contacts');
    assert.equal(list.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#contacts`);
    assert.ok(list.body.value.some((x: GraphObject) => x.id === c.id));
  });

  it('creates a contact with only a display name', async () => {
    const c = await createContact({ displayName: 'Front desk' });
    assert.deepEqual([c.givenName, c.surname, c.companyName, c.mail, c.proxyAddresses], [null, null, null, null, []]);
  });

  it('filters by mail (case-insensitively) and displayName, selects, counts and pages', async () => {
    for (const n of ['Quinn', 'Quentin', 'Rhea'])
      await createContact({ displayName: `${n} Vendor`, mail: `${n.toLowerCase()}@vendor.example` });
    const byMail = await t.api('GET', `/v1.0/contacts?$filter=${encodeURIComponent("mail eq 'QUINN@vendor.example'")}`);
    assert.equal(byMail.status, 200);
    assert.deepEqual(
      byMail.body.value.map((c: GraphObject) => c.displayName),
      ['Quinn Vendor'],
    );
    const q = await t.api(
      'GET',
      `/v1.0/contacts?$filter=${encodeURIComponent("startswith(displayName,'qu')")}&$select=displayName&$count=true`,
    );
    assert.deepEqual(q.body.value.map((c: GraphObject) => c.displayName).sort(), ['Quentin Vendor', 'Quinn Vendor']);
    assert.deepEqual(Object.keys(q.body.value[0]), ['displayName']);
    assert.equal(q.body['@odata.count'], 2);
    assert.equal(q.body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#contacts(displayName)`);
    const { items, pages } = await readAllPages(t.api, s.baseUrl, '/v1.0/contacts?$top=2');
    assert.ok(pages.length >= 3);
    assert.deepEqual(ids(items), ids(await allContacts()));
    assert.equal(new Set(ids(items)).size, items.length);
  });

  it('updates a contact, clears properties with null, and the change reads back', async () => {
    const c = await createContact({ displayName: 'Sam', companyName: 'Old Co', mail: 'sam@old.example' });
    assert.equal(
      (
        await t.api('PATCH', `/v1.0/contacts/${c.id}`, {
          companyName: 'New Co',
          mail: null,
          proxyAddresses: ['smtp:sam@new.example'],
        })
      ).status,
      204,
    );
    const back = (await t.api('GET', `/v1.0/contacts/${c.id}`)).body;
    assert.equal(back.displayName, 'Sam');
    assert.equal(back.companyName, 'New Co');
    assert.equal(back.mail, null);
    assert.deepEqual(back.proxyAddresses, ['smtp:sam@new.example']);
    const byOldMail = await t.api('GET', `/v1.0/contacts?$filter=${encodeURIComponent("mail eq 'sam@old.example'")}`);
    assert.deepEqual(byOldMail.body.value, [], 'the old address no longer finds it');
  });

  it('deletes a contact: reads and a second delete are 404', async () => {
    const c = await createContact({ displayName: 'Temporary' });
    assert.equal((await t.api('DELETE', `/v1.0/contacts/${c.id}`)).status, 204);
    assertGraphError(await t.api('GET', `/v1.0/contacts/${c.id}`), 404, 'Request_ResourceNotFound');
    assert.ok(!ids(await allContacts()).includes(c.id));
    assertGraphError(await t.api('DELETE', `/v1.0/contacts/${c.id}`), 404, 'Request_ResourceNotFound');
  });

  it('404s for unknown ids on GET, PATCH and DELETE', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'pat@northwind.example']) {
      assertGraphError(await t.api('GET', `/v1.0/contacts/${encodeURIComponent(id)}`), 404, 'Request_ResourceNotFound');
      assertGraphError(
        await t.api('PATCH', `/v1.0/contacts/${encodeURIComponent(id)}`, { displayName: 'X' }),
        404,
        'Request_ResourceNotFound',
      );
      assertGraphError(
        await t.api('DELETE', `/v1.0/contacts/${encodeURIComponent(id)}`),
        404,
        'Request_ResourceNotFound',
      );
    }
  });

  describe('refused writes change nothing', () => {
    const bodies: [string, () => unknown, number, string, Record<string, string>?][] = [
      ['an unknown property', () => ({ displayName: 'X', jobTitle: 'Buyer' }), 400, 'Request_BadRequest'],
      ['no displayName', () => ({ mail: 'x@example.org' }), 400, 'Request_BadRequest'],
      ['an invalid mail', () => ({ displayName: 'X', mail: 'x at example.org' }), 400, 'Request_BadRequest'],
      [
        'an invalid proxy address',
        () => ({ displayName: 'X', proxyAddresses: ['smtp:not-an-address'] }),
        400,
        'Request_BadRequest',
      ],
      [
        'proxyAddresses that are not a list',
        () => ({ displayName: 'X', proxyAddresses: 'smtp:x@example.org' }),
        400,
        'Request_BadRequest',
      ],
      ['malformed JSON', () => '{"displayName":"X"', 400, 'BadRequest'],
      ['a JSON string', () => '"X"', 400, 'BadRequest'],
      [
        'a text/plain body',
        () => JSON.stringify({ displayName: 'X' }),
        415,
        'UnsupportedMediaType',
        { 'content-type': 'text/plain' },
      ],
    ];
    for (const [what, body, status, code, headers] of bodies) {
      it(`refuses to create with ${what} (${status} ${code})`, async () => {
        const before = ids(await allContacts());
        assertGraphError(await t.api('POST', '/v1.0/contacts', body(), headers), status, code);
        assert.deepEqual(ids(await allContacts()), before);
      });
    }

    it('refuses bad updates, and the contact reads back unchanged', async () => {
      const c = await createContact({ displayName: 'Steady', mail: 'steady@example.org' });
      for (const [what, body, status, code, headers] of bodies) {
        if (what === 'no displayName') continue; // a valid patch: displayName is optional there
        assertGraphError(await t.api('PATCH', `/v1.0/contacts/${c.id}`, body(), headers), status, code);
      }
      assertGraphError(await t.api('PATCH', `/v1.0/contacts/${c.id}`, { displayName: '' }), 400, 'Request_BadRequest');
      assert.deepEqual((await t.api('GET', `/v1.0/contacts/${c.id}`)).body, c);
    });

    it('refuses unsupported query options', async () => {
      assertGraphError(
        await t.api('GET', `/v1.0/contacts?$filter=${encodeURIComponent("companyName eq 'Northwind'")}`),
        400,
        'Request_UnsupportedQuery',
      );
      assertGraphError(
        await t.api('GET', `/v1.0/contacts?$filter=${encodeURIComponent('mail eq')}`),
        400,
        'Request_UnsupportedQuery',
      );
      assertGraphError(await t.api('GET', '/v1.0/contacts?$select=id,phones'), 400, 'Request_UnsupportedQuery');
      assertGraphError(await t.api('GET', '/v1.0/contacts?$top=1000'), 400, 'Request_UnsupportedQuery');
    });
  });
});
