// Personal accounts: password reset over HTTP with real mail, and that it never tells whether an address has an account.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { checkPersonalPassword, createPersonalAccount, findPersonalAccount } from '../../src/personal/accounts.ts';
import { FLOW_COOKIE } from '../../src/personal/flow.ts';
import { hashPassword } from '../../src/secrets.ts';
import { suite } from '../helpers/suite.ts';
import { address, alerts, Browser, codeIn, deliver } from './client.ts';

suite('personal accounts: password reset', { runWorker: false }, ({ s }) => {
  const db = () => s.portico.services.store.db;
  async function account(email: string, password: string, verified = true) {
    const passwordHash = await hashPassword(password, s.config.passwordCost);
    return s.portico.services.store.transaction((tx) =>
      createPersonalAccount(tx, s.portico.services.clock, { email, displayName: 'Rosa', passwordHash, verified }),
    );
  }
  const strip = (html: string) => html.replace(/name="token" value="[^"]+"/g, '');

  it('resets a password end to end: the old one stops working, the new one works', async () => {
    const email = address('rosa');
    const created = await account(email, 'old password 123');
    const b = new Browser(s);
    const form = await b.get('/personal/reset');
    assert.equal(form.status, 200);
    assert.match(form.html, /<label for="email">Email address<\/label>/);
    assert.match(form.html, /id="email"[^>]*autofocus=""/);

    const before = s.smtp.messages().length;
    const post = await b.post('/personal/reset', { email: email.toUpperCase() });
    assert.equal(post.status, 303);
    assert.equal(post.location, '/personal/reset/confirm');
    const page = await b.get('/personal/reset/confirm');
    assert.equal(page.status, 200);
    assert.match(page.html, /Set a new password/);

    const mails = await deliver(s, before);
    assert.equal(mails.length, 1);
    assert.deepEqual(mails[0]!.to, [email]);
    assert.equal(mails[0]!.subject, 'Your Portico password reset code');
    const code = codeIn(mails[0]!);

    // A weak new password is refused before the code is spent.
    const weak = await b.post('/personal/reset/confirm', { email, code, password: 'short' });
    assert.equal(weak.status, 400);
    assert.deepEqual(alerts(weak.html), ['The password must have at least 10 characters.']);
    assert.match(weak.html, new RegExp(`value="${email}"`), 'the address is kept in the form');

    const done = await b.post('/personal/reset/confirm', { email, code, password: 'brand new password' });
    assert.equal(done.status, 200, done.html);
    assert.match(done.html, /Password changed/);
    assert.ok(
      done.setCookies.some((c) => c.startsWith(`${FLOW_COOKIE}=;`) || /Max-Age=0/i.test(c)),
      'the flow cookie is cleared',
    );

    assert.equal(await checkPersonalPassword(db(), email, 'old password 123', s.config.passwordCost), undefined);
    assert.equal(
      (await checkPersonalPassword(db(), email, 'brand new password', s.config.passwordCost))?.id,
      created.id,
    );
    // The code is single use.
    const again = await b.get('/personal/reset/confirm');
    assert.equal(again.status, 400, 'the flow ended');
  });

  it('a reset verifies an unverified account (the code proves the address)', async () => {
    const email = address('late');
    await account(email, 'someone elses pw', false);
    const b = new Browser(s);
    const before = s.smtp.messages().length;
    await b.submit('/personal/reset', { email });
    const code = codeIn((await deliver(s, before))[0]!);
    const done = await b.post('/personal/reset/confirm', { email, code, password: 'mine from now on' });
    assert.equal(done.status, 200);
    const a = await findPersonalAccount(db(), email);
    assert.equal(a?.emailVerified, true);
    assert.equal(await checkPersonalPassword(db(), email, 'someone elses pw'), undefined);
  });

  it('an unknown address gets the same page and nothing is sent', async () => {
    const known = address('known');
    await account(known, 'known password 1');
    const k = new Browser(s);
    const u = new Browser(s);
    const before = s.smtp.messages().length;
    const outbox = Number(
      (
        await db()
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

    const unknown = await u.submit('/personal/reset', { email: address('nobody') });
    assert.equal(
      Number(
        (
          await db()
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      outbox,
      'nothing queued',
    );
    assert.equal((await deliver(s, before)).length, 0, 'nothing sent');

    const real = await k.submit('/personal/reset', { email: known });
    assert.equal(unknown.post.status, real.post.status);
    assert.equal(unknown.post.location, real.post.location);
    assert.deepEqual(
      unknown.post.setCookies.map((c) => c.split('=')[0]),
      real.post.setCookies.map((c) => c.split('=')[0]),
    );
    assert.equal(unknown.next!.status, 200);
    assert.equal(strip(unknown.next!.html), strip(real.next!.html));

    // Guessing on the decoy answers like a wrong code on a real account.
    const guessU = await u.post('/personal/reset/confirm', {
      email: 'nobody@personal.example',
      code: '123456',
      password: 'guess password 1',
    });
    const guessK = await k.post('/personal/reset/confirm', {
      email: known,
      code: '123456',
      password: 'guess password 1',
    });
    assert.equal(guessU.status, 400);
    assert.equal(guessK.status, 400);
    assert.deepEqual(alerts(guessU.html), ["The address or the code isn't right. Check both and try again."]);
    assert.deepEqual(alerts(guessK.html), alerts(guessU.html));
    assert.equal((await deliver(s, before)).length, 1, 'only the known address got mail');
  });

  it("the code works only with the account's own address, and bad input is a clear 400", async () => {
    const email = address('mia');
    await account(email, 'mia password 12');
    const b = new Browser(s);
    const before = s.smtp.messages().length;
    await b.submit('/personal/reset', { email });
    const code = codeIn((await deliver(s, before))[0]!);
    const other = await b.post('/personal/reset/confirm', {
      email: address('other'),
      code,
      password: 'takeover password',
    });
    assert.equal(other.status, 400);
    assert.deepEqual(alerts(other.html), ["The address or the code isn't right. Check both and try again."]);
    const bad = await b.post('/personal/reset/confirm', { email: 'nope', code: 'abc', password: 'nope' });
    assert.equal(bad.status, 400);
    assert.deepEqual(alerts(bad.html), [
      "'nope' is not a valid email address: it needs exactly one @, with a name before it and a domain after it (name@example.com).",
      'Enter the 6-digit code from the email.',
      'The password must have at least 10 characters.',
    ]);
    assert.match(bad.html, /id="email"[^>]*autofocus=""/);
    const same = await b.post('/personal/reset/confirm', { email, code, password: email });
    assert.deepEqual(alerts(same.html), ['The password must not be your email address.']);
    assert.ok(await checkPersonalPassword(db(), email, 'mia password 12'), 'nothing changed');
    const ok = await b.post('/personal/reset/confirm', { email, code, password: 'mia new password' });
    assert.equal(ok.status, 200, 'the code survived the refused attempts');

    const badStart = await new Browser(s).submit('/personal/reset', { email: 'not an address' });
    assert.equal(badStart.post.status, 400);
    assert.deepEqual(alerts(badStart.post.html), [
      "'not an address' is not a valid email address: it contains white space (U+0020, character 4). Remove it.",
    ]);
  });

  it('a missing flow cookie on the confirmation page gives a clear page', async () => {
    const b = new Browser(s, 'de-DE');
    const res = await b.get('/personal/reset/confirm');
    assert.equal(res.status, 400);
    assert.deepEqual(alerts(res.html), [
      'Diese Seite ist abgelaufen oder wurde in einem anderen Browser geöffnet. Beginnen Sie erneut.',
    ]);
    assert.match(res.html, /href="\/personal\/reset"/);
    const post = await b.post('/personal/reset/confirm', {
      email: 'a@b.example',
      code: '123456',
      password: 'whatever password',
    });
    assert.equal(post.status, 400);
  });
});
