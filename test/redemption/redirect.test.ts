import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { originOf } from '../../src/redemption/redirect.ts';

describe('redirect origins', () => {
  it('accepts https origins and http only on loopback', () => {
    assert.equal(originOf('https://Expenses.Contoso.example/a?b#c'), 'https://expenses.contoso.example');
    assert.equal(originOf('http://localhost:3000/x'), 'http://localhost:3000');
    assert.equal(originOf('http://expenses.contoso.example/'), undefined);
  });
  it('refuses other schemes, userinfo tricks and junk', () => {
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      '//evil.example/',
      '/relative',
      'https://expenses.contoso.example@evil.example/',
      'https://user:pw@expenses.contoso.example/',
      'not a url',
      '',
    ]) {
      assert.equal(originOf(bad), undefined, bad);
    }
  });
  it('tells look-alike hosts apart', () => {
    assert.notEqual(
      originOf('https://expenses.contoso.example.evil.example/'),
      originOf('https://expenses.contoso.example/'),
    );
    assert.notEqual(originOf('https://expenses-contoso.example/'), originOf('https://expenses.contoso.example/'));
    assert.equal(originOf('https://xn--exmple-cua.example/'), 'https://xn--exmple-cua.example');
    assert.equal(
      originOf('https://exämple.example/'),
      'https://xn--exmple-cua.example',
      'IDN hosts compare in punycode',
    );
  });
});
