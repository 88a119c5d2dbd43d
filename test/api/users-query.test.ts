// GET /v1.0/users with OData options: $filter (eq, startswith, and, or, parentheses), $select, $top, $count, the
// collection envelope (@odata.context, absolute @odata.nextLink), and the refusals for what is not supported.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { assertGraphError, inviteGuest, seedMembers, type GraphObject } from '../helpers/api.ts';
import { redeemedGuest } from '../helpers/redeem.ts';
import { suite } from '../helpers/suite.ts';

suite('API users query options', { tenant: 'Contoso' }, ({ s, t }) => {
  /** display name -> id, for every user of the tenant */
  const idOf = new Map<string, string>();

  before(async () => {
    idOf.set('Administrator', t.admin.id);
    const members = [
      'Alice Adams',
      'Alan Turing',
      'alex lower',
      'Bob Brown',
      "Conan O'Brien",
      'a_b underscore',
      'axb plain',
      '100% Real',
      '1000 Real',
      'back\\slash',
      'backslash',
    ].map((displayName, i) => ({
      displayName,
      userPrincipalName: `m${i}@${t.domain}`,
      accountEnabled: displayName !== 'Bob Brown',
    }));
    for (const u of await seedMembers(s, t.tenantId, members)) idOf.set(u.displayName, u.id);
    idOf.set('Grace Guest', (await inviteGuest(t.api, 'grace@fabrikam.com', 'Grace Guest')).id);
    idOf.set('Gus Guest', (await redeemedGuest(s, t.api, 'gus@fabrikam.com', 'Gus Guest')).id);
  });

  const list = async (query: string) => {
    const res = await t.api('GET', `/v1.0/users?${query}`);
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
    return res.body as {
      '@odata.context': string;
      '@odata.count'?: number;
      '@odata.nextLink'?: string;
      value: GraphObject[];
    };
  };
  const names = async (filter: string) =>
    (await list(`$filter=${encodeURIComponent(filter)}`)).value.map((u) => u.displayName as string).sort();

  it('lists every user in the collection envelope', async () => {
    const body = await list('');
    assert.equal(body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#users`);
    assert.deepEqual(body.value.map((u) => u.id).sort(), [...idOf.values()].sort());
    assert.equal(body['@odata.nextLink'], undefined);
    assert.equal(body['@odata.count'], undefined, 'no count unless asked');
  });

  it('filters with eq on userType, mail, userPrincipalName and externalUserState', async () => {
    assert.deepEqual(await names("userType eq 'Guest'"), ['Grace Guest', 'Gus Guest']);
    assert.equal((await names("userType eq 'Member'")).length, idOf.size - 2);
    assert.deepEqual(await names("mail eq 'GRACE@Fabrikam.com'"), ['Grace Guest'], 'mail compares case-insensitively');
    assert.deepEqual(await names(`userPrincipalName eq 'M0@${t.domain.toUpperCase()}'`), ['Alice Adams']);
    assert.deepEqual(await names("externalUserState eq 'PendingAcceptance'"), ['Grace Guest']);
    assert.deepEqual(await names("externalUserState eq 'Accepted'"), ['Gus Guest']);
    assert.deepEqual(await names("mail eq 'nobody@fabrikam.com'"), []);
    assert.deepEqual(
      await names("displayName eq 'Conan O''Brien'"),
      ["Conan O'Brien"],
      "'' is a quote inside a string",
    );
    assert.deepEqual(await names('accountEnabled eq false'), ['Bob Brown']);
  });

  it('filters with startswith on displayName, case-insensitively', async () => {
    assert.deepEqual(await names("startswith(displayName,'al')"), ['Alan Turing', 'Alice Adams', 'alex lower']);
    assert.deepEqual(await names("startswith(displayName, 'ALI')"), ['Alice Adams']);
    assert.deepEqual(await names("startswith(displayName,'zz')"), []);
  });

  it('treats _, % and \\ in startswith as plain characters, not wildcards or escapes', async () => {
    assert.deepEqual(await names("startswith(displayName,'a_')"), ['a_b underscore']);
    assert.deepEqual(await names("startswith(displayName,'100%')"), ['100% Real']);
    assert.deepEqual(await names("startswith(displayName,'back\\')"), ['back\\slash']);
  });

  it('combines clauses with and, or and parentheses', async () => {
    assert.deepEqual(await names("userType eq 'Member' and startswith(displayName,'Al')"), [
      'Alan Turing',
      'Alice Adams',
      'alex lower',
    ]);
    assert.deepEqual(await names("userType eq 'Guest' and startswith(displayName,'Al')"), []);
    assert.deepEqual(await names("mail eq 'grace@fabrikam.com' or mail eq 'gus@fabrikam.com'"), [
      'Grace Guest',
      'Gus Guest',
    ]);
    assert.deepEqual(await names("(userType eq 'Guest' or startswith(displayName,'Bob')) and accountEnabled eq true"), [
      'Grace Guest',
      'Gus Guest',
    ]);
    assert.deepEqual(
      await names("startswith(displayName,'Bob') or userType eq 'Guest' and externalUserState eq 'Accepted'"),
      ['Bob Brown', 'Gus Guest'],
      'and binds tighter than or',
    );
  });

  it('returns only the $select-ed properties, and names them in @odata.context', async () => {
    const body = await list('$select=id,displayName');
    assert.equal(body['@odata.context'], `${s.baseUrl}/v1.0/$metadata#users(id,displayName)`);
    assert.equal(body.value.length, idOf.size);
    for (const u of body.value) {
      assert.deepEqual(Object.keys(u).sort(), ['displayName', 'id']);
      assert.equal(idOf.get(u.displayName as string), u.id);
    }
  });

  it('pages with $top: an absolute nextLink that keeps the other options', async () => {
    const first = await list(`$top=2&$select=id&$filter=${encodeURIComponent("userType eq 'Member'")}`);
    assert.equal(first.value.length, 2);
    const link = new URL(first['@odata.nextLink']!);
    assert.equal(link.origin, new URL(s.baseUrl).origin);
    assert.equal(link.pathname, '/v1.0/users');
    assert.equal(link.searchParams.get('$top'), '2');
    assert.equal(link.searchParams.get('$select'), 'id');
    assert.equal(link.searchParams.get('$filter'), "userType eq 'Member'");
    assert.ok(link.searchParams.get('$skiptoken'));
    const second = await list(link.search.slice(1));
    assert.equal(second.value.length, 2);
    assert.ok(
      !second.value.some((u) => first.value.some((f) => f.id === u.id)),
      'the next page continues, it does not repeat',
    );
  });

  it('counts with $count=true: the whole (filtered) collection, whatever $top', async () => {
    assert.equal((await list('$count=true'))['@odata.count'], idOf.size);
    const guests = await list(`$count=true&$top=1&$filter=${encodeURIComponent("userType eq 'Guest'")}`);
    assert.equal(guests['@odata.count'], 2);
    assert.equal(guests.value.length, 1);
    assert.equal((await list('$count=false'))['@odata.count'], undefined);
  });

  it('serves the same collection at /<tenant id>/v1.0/users, with nextLinks on that path', async () => {
    const res = await t.api('GET', `/${t.tenantId}/v1.0/users?$top=1`);
    assert.equal(res.status, 200);
    assert.equal(new URL(res.body['@odata.nextLink']).pathname, `/${t.tenantId}/v1.0/users`);
  });

  describe('refuses unsupported or malformed options with 400 Request_UnsupportedQuery', () => {
    const bad: [string, string][] = [
      ['$filter=userType eq', 'an expression that ends early'],
      ["$filter=userType eq 'Guest", 'an unclosed string'],
      ['$filter=userType eq Guest', 'an unquoted value'],
      ["$filter=userType gt 'Guest'", 'an unsupported operator'],
      ["$filter=(userType eq 'Guest'", 'an unclosed parenthesis'],
      ["$filter=userType eq 'Guest' userType", 'trailing tokens'],
      ['$filter=startswith(displayName)', 'startswith without a value'],
      ["$filter=userType eq 'Guest' & 1", 'an unexpected character'],
      ['$filter=', 'an empty filter'],
      ["$filter=jobTitle eq 'CEO'", 'a property that cannot be filtered'],
      ["$filter=passwordHash eq 'x'", 'a property that does not exist'],
      ["$filter=userType eq 'Guest' and city eq 'Oslo'", 'an unsupported property inside and'],
      ["$filter=startswith(accountEnabled,'t')", 'startswith on a boolean'],
      ["$filter=accountEnabled eq 'yes'", 'a boolean compared with a string'],
      ['$top=0', '$top of 0'],
      ['$top=-1', 'a negative $top'],
      ['$top=abc', 'a $top that is not a number'],
      ['$top=1.5', 'a fractional $top'],
      ['$top=1000', 'a $top above 999'],
      ['$top=', 'an empty $top'],
      ['$select=id,password', 'an unknown $select property'],
      ['$select=', 'an empty $select'],
      ['$count=yes', 'a $count that is not true or false'],
      ['$orderby=displayName', '$orderby'],
      ['$search=alice', '$search'],
      ['$expand=manager', '$expand'],
      ['$levels=2', 'an unknown option'],
      ['$skiptoken=garbage', 'a $skiptoken that was not issued'],
    ];
    for (const [query, what] of bad) {
      it(`refuses ${what} (${query})`, async () => {
        const [name, ...value] = query.split('=');
        assertGraphError(
          await t.api('GET', `/v1.0/users?${name}=${encodeURIComponent(value.join('='))}`),
          400,
          'Request_UnsupportedQuery',
        );
      });
    }
  });
});
