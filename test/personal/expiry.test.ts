// Personal accounts with a manual clock: expired codes, a new code after the cool-down, and flow cookies that expire.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { findPersonalAccount } from '../../src/personal/accounts.ts';
import { suite } from '../helpers/suite.ts';
import { address, alerts, Browser, codeIn, deliver } from './client.ts';

const MIN = 60_000;

suite('personal accounts: expiry', { clock: new Date('2026-04-01T09:00:00Z'), runWorker: false }, ({ s, clock }) => {
  it('an expired code is refused with a clear message; a new code then verifies', async () => {
    const email = address('slow');
    const b = new Browser(s);
    let before = s.smtp.messages().length;
    await b.submit('/personal/signup', { email, displayName: 'Slow', password: 'patient password' });
    const first = codeIn((await deliver(s, before))[0]!);

    clock.advance(11 * MIN);
    const expired = await b.post('/personal/verify', { code: first });
    assert.equal(expired.status, 400);
    assert.deepEqual(alerts(expired.html), ['That code has expired. Ask for a new one.']);
    assert.equal((await findPersonalAccount(s.portico.services.store.db, email))?.emailVerified, false);

    before = s.smtp.messages().length;
    const resent = await b.post('/personal/verify/resend', {});
    assert.equal(resent.status, 200);
    assert.match(resent.html, /role="status">If the address can receive a code, we sent a new one/);
    const mails = await deliver(s, before);
    assert.equal(mails.length, 1);
    const second = codeIn(mails[0]!);
    assert.equal((await b.post('/personal/verify', { code: first })).status, 400, 'the old code stays dead');
    const ok = await b.post('/personal/verify', { code: second });
    assert.equal(ok.status, 200);
    assert.equal((await findPersonalAccount(s.portico.services.store.db, email))?.emailVerified, true);
  });

  it('an expired reset code is refused and the password stays', async () => {
    const email = address('late-reset');
    const b = new Browser(s);
    let before = s.smtp.messages().length;
    await b.submit('/personal/signup', { email, displayName: 'Late', password: 'original password' });
    await deliver(s, before);
    before = s.smtp.messages().length;
    await b.submit('/personal/reset', { email });
    const code = codeIn((await deliver(s, before))[0]!);
    clock.advance(10 * MIN + 1);
    const res = await b.post('/personal/reset/confirm', { email, code, password: 'replacement password' });
    assert.equal(res.status, 400);
    assert.deepEqual(alerts(res.html), ['That code has expired. Ask for a new one.']);
  });

  it('the flow cookie itself expires after 30 minutes', async () => {
    const b = new Browser(s);
    const before = s.smtp.messages().length;
    await b.submit('/personal/signup', { email: address('gone'), displayName: 'Gone', password: 'forgotten password' });
    await deliver(s, before);
    assert.equal((await b.get('/personal/verify')).status, 200);
    clock.advance(31 * MIN);
    const res = await b.get('/personal/verify');
    assert.equal(res.status, 400);
    assert.match(res.html, /This page has expired/);
  });
});
