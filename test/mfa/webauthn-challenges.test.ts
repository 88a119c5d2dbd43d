// Passkey ceremonies' challenges (mfa/webauthn-challenges.ts, migration 0035) on both stores, with an injected clock:
// a challenge answers once (two racing answers, one wins), only for the person, ceremony and binding it was issued
// for, and not after it expires; the sweep drops expired ones. What the browser answers is refused with a 400
// refusal, never a crash: malformed JSON, a credential that does not verify, a spent challenge. The script the
// passkey pages run is served as a script, and only pages that ask allow it in their CSP.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { BadRequest } from '../../src/errors.ts';
import { CHALLENGE_TTL_MS, issueChallenge, takeChallenge, type Purpose } from '../../src/mfa/webauthn-challenges.ts';
import {
  authenticationOptions,
  registrationOptions,
  rpIdOf,
  verifyRegistration,
  type Ceremony,
} from '../../src/mfa/webauthn.ts';
import { SWEEP_GRACE_MS, sweepExpired } from '../../src/store/sweep.ts';
import { suite } from '../helpers/suite.ts';

suite('passkey challenges', { clock: 'manual', tenant: 'Contoso' }, ({ s, t, clock }) => {
  const ceremony = (): Ceremony => ({
    tenantId: t.tenant.id,
    userId: t.admin.id,
    boundTo: 'sign-in-1',
    rpId: new URL(s.baseUrl).hostname,
  });
  const challengeFor = (boundTo: string, purpose: Purpose = 'authenticate') => ({
    tenantId: t.tenant.id,
    userId: t.admin.id,
    purpose,
    boundTo,
  });
  const issue = (boundTo = 'sign-in-1') =>
    issueChallenge(s.portico.services.store.db, clock, challengeFor(boundTo), 'c-1');
  const take = (id: string, boundTo = 'sign-in-1', purpose: Purpose = 'authenticate') =>
    takeChallenge(s.portico.services.store.db, clock, challengeFor(boundTo, purpose), id);

  it('answers once, and only for the ceremony and binding it was issued for', async () => {
    const id = await issue();
    assert.equal(await take(id, 'sign-in-2'), undefined, 'another sign-in');
    assert.equal(await take(id, 'sign-in-1', 'register'), undefined, 'another ceremony');
    assert.equal(await take('x'.repeat(65)), undefined, 'no such id');
    const raced = await Promise.all([take(id), take(id), take(id)]);
    assert.deepEqual(
      raced.filter((c) => c !== undefined),
      ['c-1'],
      'one of three racing answers takes it',
    );
    assert.equal(await take(id), undefined, 'spent');
  });

  it('expires, and the sweep drops it', async () => {
    const id = await issue();
    clock.advance(CHALLENGE_TTL_MS);
    assert.equal(await take(id), undefined, 'expired at its end');
    await issue();
    clock.advance(CHALLENGE_TTL_MS + SWEEP_GRACE_MS + 1);
    assert.ok(((await sweepExpired(s.portico.services.store, clock)).webauthnChallenges ?? 0) >= 2);
  });

  it('takes the relying party id from the request when the base URL is on that host, else from the base URL', () => {
    assert.equal(rpIdOf('https://portico.example/x', 'https://portico.example'), 'portico.example');
    assert.equal(rpIdOf('https://example.com/x', 'https://login.example.com'), 'example.com');
    assert.equal(rpIdOf('http://127.0.0.1:8080/x', 'https://login.example.com'), 'login.example.com');
    assert.equal(rpIdOf('https://evil.test/x', 'https://login.example.com'), 'login.example.com');
  });

  it('options name the relying party and exclude or allow only the given passkeys', async () => {
    const services = s.portico.services;
    const passkey = {
      credentialId: 'AQID',
      publicKey: 'AQID',
      counter: 0,
      transports: ['usb' as const],
      aaguid: '00000000-0000-0000-0000-000000000000',
      multiDevice: false,
      backedUp: false,
      attestationFormat: 'none',
    };
    const reg = await registrationOptions(
      services,
      ceremony(),
      { name: 'a@b', displayName: 'A' },
      [passkey],
      'Contoso',
    );
    assert.equal(reg.options.rp.id, new URL(s.baseUrl).hostname);
    assert.equal(reg.options.authenticatorSelection?.residentKey, 'preferred');
    assert.equal(reg.options.authenticatorSelection?.userVerification, 'preferred');
    assert.deepEqual(reg.options.excludeCredentials, [{ id: 'AQID', type: 'public-key', transports: ['usb'] }]);
    const auth = await authenticationOptions(services, ceremony(), [passkey]);
    assert.deepEqual(auth.options.allowCredentials, [{ id: 'AQID', type: 'public-key', transports: ['usb'] }]);
    assert.notEqual(reg.options.challenge, auth.options.challenge);
  });

  it('refuses what does not verify with a 400 refusal, and a spent challenge as such', async () => {
    const services = s.portico.services;
    const { challengeId } = await registrationOptions(services, ceremony(), { name: 'a', displayName: 'A' }, [], 'C');
    const refusedAs = (key: string) => (e: unknown) => e instanceof BadRequest && e.status === 400 && e.key === key;
    await assert.rejects(
      verifyRegistration(services, ceremony(), challengeId, '{not json'),
      refusedAs('passkey.notVerified'),
    );
    await assert.rejects(verifyRegistration(services, ceremony(), challengeId, 42), refusedAs('passkey.notVerified'));
    const forged = JSON.stringify({
      id: 'AQID',
      rawId: 'AQID',
      type: 'public-key',
      response: { clientDataJSON: 'e30', attestationObject: 'oA' },
      clientExtensionResults: {},
    });
    await assert.rejects(
      verifyRegistration(services, ceremony(), challengeId, forged),
      refusedAs('passkey.notVerified'),
    );
    await assert.rejects(verifyRegistration(services, ceremony(), challengeId, forged), refusedAs('passkey.challenge'));
  });

  it('serves the one script, which only pages that ask may run', async () => {
    const script = await fetch(`${s.baseUrl}/static/webauthn.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await script.text(), /navigator\.credentials\.create/);
    const page = await fetch(`${s.baseUrl}/myapps`, { redirect: 'manual' });
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/, 'a page without a passkey form runs no script');
    assert.equal(page.headers.get('x-portico-own-script'), null);
  });
});
