// Which address a request counts as (rate limits, sign-in log): a trusted proxy's X-Forwarded-For, and nobody
// else's, so a client cannot pick its own address to dodge a limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { clientOf } from '../../src/http/client-ip.ts';

const proxies = new Set(['127.0.0.1', '10.0.0.2']);

describe('clientOf', () => {
  it('believes nobody when no proxy is trusted', () => {
    assert.equal(clientOf('127.0.0.1', '203.0.113.9', new Set()), '127.0.0.1');
  });
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    assert.equal(clientOf('198.51.100.7', '203.0.113.9', proxies), '198.51.100.7');
  });
  it('takes the address a trusted proxy saw', () => {
    assert.equal(clientOf('127.0.0.1', '203.0.113.9', proxies), '203.0.113.9');
    assert.equal(clientOf('::ffff:127.0.0.1', ' 203.0.113.9 ', proxies), '203.0.113.9');
  });
  it('walks through a chain of trusted proxies to the first untrusted hop, not a forged left-most one', () => {
    assert.equal(clientOf('127.0.0.1', '6.6.6.6, 203.0.113.9, 10.0.0.2', proxies), '203.0.113.9');
  });
  it('keeps the proxy when the header is empty', () => {
    assert.equal(clientOf('127.0.0.1', '', proxies), '127.0.0.1');
    assert.equal(clientOf('127.0.0.1', undefined, proxies), '127.0.0.1');
  });
});
