import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseFilter, parseSelect } from '../../src/api/odata.ts';

describe('$filter parser', () => {
  it('parses eq, ne, startswith, in, and/or with precedence and parentheses', () => {
    assert.deepEqual(parseFilter("userType eq 'Guest'"), { op: 'eq', property: 'userType', value: 'Guest' });
    assert.deepEqual(parseFilter('accountEnabled ne false'), { op: 'ne', property: 'accountEnabled', value: false });
    assert.deepEqual(parseFilter("startswith(displayName,'Ad')"), {
      op: 'startswith',
      property: 'displayName',
      value: 'Ad',
    });
    assert.deepEqual(parseFilter("mail in ('a@x.com', 'b@x.com')"), {
      op: 'in',
      property: 'mail',
      values: ['a@x.com', 'b@x.com'],
    });
    assert.deepEqual(parseFilter("a eq '1' or b eq '2' and c eq '3'"), {
      op: 'or',
      left: { op: 'eq', property: 'a', value: '1' },
      right: {
        op: 'and',
        left: { op: 'eq', property: 'b', value: '2' },
        right: { op: 'eq', property: 'c', value: '3' },
      },
    });
    assert.deepEqual(parseFilter("(a eq '1' or b eq '2') and c eq null"), {
      op: 'and',
      left: { op: 'or', left: { op: 'eq', property: 'a', value: '1' }, right: { op: 'eq', property: 'b', value: '2' } },
      right: { op: 'eq', property: 'c', value: null },
    });
  });

  it('parses ge and le, integers, unquoted date-times and paths into complex properties', () => {
    assert.deepEqual(parseFilter('status/errorCode eq 50126'), {
      op: 'eq',
      property: 'status/errorCode',
      value: 50126,
    });
    assert.deepEqual(parseFilter('createdDateTime ge 2026-01-31T10:00:00+02:00'), {
      op: 'ge',
      property: 'createdDateTime',
      value: new Date('2026-01-31T08:00:00Z'),
    });
    assert.deepEqual(parseFilter('n le -3'), { op: 'le', property: 'n', value: -3 });
    for (const bad of [
      'a eq 2026-02-30T00:00:00Z',
      'a eq 2026-01-31',
      'a eq 12abc',
      'a eq 99999999999999999999',
      'a/ eq 1',
    ]) {
      assert.throws(
        () => parseFilter(bad),
        (e: { code?: string }) => e.code === 'Request_UnsupportedQuery',
        bad,
      );
    }
  });

  it("unescapes doubled quotes, so O'Brien is one value", () => {
    assert.deepEqual(parseFilter("displayName eq 'O''Brien'"), { op: 'eq', property: 'displayName', value: "O'Brien" });
  });

  for (const bad of [
    '',
    'userType eq',
    "userType gt 'x'",
    "userType eq 'x",
    'startswith(displayName)',
    "a eq 'x' b",
    "a eq 'x' and",
    "eq 'x'",
    "a eq 'x')",
    "a eq 'x' ; drop table users",
  ]) {
    it(`refuses ${JSON.stringify(bad)} with Request_UnsupportedQuery`, () => {
      assert.throws(
        () => parseFilter(bad),
        (e: { code?: string }) => e.code === 'Request_UnsupportedQuery',
      );
    });
  }

  it('$select accepts only known properties', () => {
    assert.deepEqual(parseSelect('id, mail', ['id', 'mail']), ['id', 'mail']);
    assert.throws(() => parseSelect('id,password', ['id', 'mail']), /password/);
    assert.throws(() => parseSelect(' , ', ['id']), /names no property/);
  });
});
