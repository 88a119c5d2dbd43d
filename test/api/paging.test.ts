// Paging a large collection by following @odata.nextLink: every user exactly once, the right total, with and
// without a $filter, and stable while users are added between pages.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { ids, readAllPages, seedMembers } from '../helpers/api.ts';
import { suite } from '../helpers/suite.ts';

const SEEDED = 250;

suite('API paging', { tenant: 'Contoso' }, ({ s, t }) => {
  let seededIds: string[];
  /** every fifth seeded user is disabled: 50 of them */
  let disabledIds: string[];

  before(async () => {
    const members = Array.from({ length: SEEDED }, (_, i) => ({
      displayName: `Pager ${String(i).padStart(3, '0')}`,
      userPrincipalName: `pager${i}@${t.domain}`,
      accountEnabled: i % 5 !== 0,
    }));
    const created = await seedMembers(s, t.tenantId, members);
    seededIds = created.map((u) => u.id).sort();
    disabledIds = created
      .filter((u) => !u.accountEnabled)
      .map((u) => u.id)
      .sort();
    // Another tenant's users must never leak into this tenant's pages.
    const other = await s.provision('Fabrikam');
    await seedMembers(s, other.tenant.id, [
      { displayName: 'Pager elsewhere', userPrincipalName: `pager@${other.tenant.initialDomain}` },
    ]);
  });

  it(`returns all ${SEEDED + 1} users exactly once over pages of 40`, async () => {
    const { items, pages } = await readAllPages(t.api, s.baseUrl, '/v1.0/users?$top=40');
    assert.equal(items.length, SEEDED + 1);
    assert.deepEqual(ids(items), [...seededIds, t.admin.id].sort(), 'every user once, no other tenant');
    assert.equal(pages.length, Math.ceil((SEEDED + 1) / 40));
    for (const page of pages.slice(0, -1)) assert.equal(page.value.length, 40);
    assert.equal(pages.at(-1).value.length, (SEEDED + 1) % 40);
    for (const page of pages) assert.equal(page['@odata.context'], `${s.baseUrl}/v1.0/$metadata#users`);
    for (const page of pages.slice(0, -1)) {
      const link = new URL(page['@odata.nextLink']);
      assert.equal(link.pathname, '/v1.0/users');
      assert.equal(link.searchParams.get('$top'), '40');
    }
  });

  it('keeps $filter, $select and $count on every page', async () => {
    const filter = encodeURIComponent("startswith(displayName,'pager') and accountEnabled eq false");
    const { items, pages } = await readAllPages(
      t.api,
      s.baseUrl,
      `/v1.0/users?$filter=${filter}&$select=id,accountEnabled&$top=7&$count=true`,
    );
    assert.deepEqual(ids(items), disabledIds);
    assert.equal(pages.length, Math.ceil(disabledIds.length / 7));
    for (const page of pages) {
      assert.equal(page['@odata.count'], disabledIds.length);
      assert.equal(page['@odata.context'], `${s.baseUrl}/v1.0/$metadata#users(id,accountEnabled)`);
    }
    for (const u of items) assert.deepEqual(u, { id: u.id, accountEnabled: false });
  });

  it('pages a filter that only matches some users on each page of the unfiltered order', async () => {
    const filter = encodeURIComponent("startswith(displayName,'Pager 1') or startswith(displayName,'Pager 2')");
    const { items } = await readAllPages(t.api, s.baseUrl, `/v1.0/users?$filter=${filter}&$top=40`);
    const expected = seededIds.length - 100; // Pager 000..099 do not match
    assert.equal(items.length, expected);
    assert.equal(new Set(ids(items)).size, expected);
    assert.ok(items.every((u) => /^Pager [12]\d\d$/.test(u.displayName as string)));
  });

  it('ends without a nextLink when the last page is exactly full', async () => {
    const filter = encodeURIComponent('accountEnabled eq false');
    const { pages } = await readAllPages(t.api, s.baseUrl, `/v1.0/users?$filter=${filter}&$top=${disabledIds.length}`);
    assert.equal(pages.length, 1);
    assert.equal(pages[0].value.length, disabledIds.length);
    assert.equal(pages[0]['@odata.nextLink'], undefined);
  });

  it('pages on the tenant-scoped path too', async () => {
    const { items, pages } = await readAllPages(t.api, s.baseUrl, `/${t.tenantId}/v1.0/users?$top=100&$select=id`);
    assert.equal(items.length, SEEDED + 1);
    assert.equal(pages.length, 3);
    for (const page of pages.slice(0, -1))
      assert.equal(new URL(page['@odata.nextLink']).pathname, `/${t.tenantId}/v1.0/users`);
  });

  it('never repeats or skips an existing user when users are created between pages', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/v1.0/users?$top=60&$select=id';
    for (let n = 0; url; n++) {
      const res = await t.api('GET', url);
      assert.equal(res.status, 200);
      seen.push(...res.body.value.map((u: { id: string }) => u.id));
      url = res.body['@odata.nextLink'];
      await seedMembers(s, t.tenantId, [{ displayName: `Late ${n}`, userPrincipalName: `late${n}@${t.domain}` }]);
    }
    assert.equal(new Set(seen).size, seen.length, 'no user twice');
    for (const id of [...seededIds, t.admin.id]) assert.ok(seen.includes(id), `${id} was returned`);
  });
});
