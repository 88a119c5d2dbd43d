// Personal accounts: sign-up and address verification over HTTP, with real mail through the outbox and SMTP.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { checkPersonalPassword, createPersonalAccount, findPersonalAccount } from '../../src/personal/accounts.ts';
import { FLOW_COOKIE } from '../../src/personal/flow.ts';
import { hashPassword } from '../../src/secrets.ts';
import { suite } from '../helpers/suite.ts';
import { address, alerts, Browser, codeIn, deliver } from './client.ts';

const PASSWORD = 'correct horse battery';

suite('personal accounts: sign-up and verification', { runWorker: false }, ({ s }) => {
  const db = () => s.portico.services.store.db;
  const countAccounts = async () =>
    Number(
      (
        await db()
          .selectFrom('personal_accounts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const countOutbox = async () =>
    Number(
      (
        await db()
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('tenant_id', '=', 'personal')
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('signs up, mails a verification code, and the code verifies the account', async () => {
    const email = address('ana');
    const b = new Browser(s);
    const form = await b.get('/personal/signup');
    assert.equal(form.status, 200);
    assert.match(form.html, /<label for="email">Email address<\/label>/);
    assert.match(form.html, /id="email"[^>]*autofocus=""/, 'the first field has focus');
    assert.match(form.html, /At least 10 characters/);
    const formCookie = form.setCookies.find((c) => c.startsWith('portico_personal_form='));
    assert.ok(formCookie && /HttpOnly/i.test(formCookie) && /SameSite=Lax/i.test(formCookie), formCookie);

    const before = s.smtp.messages().length;
    const post = await b.post('/personal/signup', { email, displayName: 'Ana <Ortiz>', password: PASSWORD });
    assert.equal(post.status, 303);
    assert.equal(post.location, '/personal/verify', 'the address never goes into a URL');
    const flowCookie = post.setCookies.find((c) => c.startsWith(`${FLOW_COOKIE}=`));
    assert.ok(
      flowCookie &&
        /HttpOnly/i.test(flowCookie) &&
        /SameSite=Lax/i.test(flowCookie) &&
        /Path=\/personal/i.test(flowCookie),
      flowCookie,
    );
    assert.ok(
      !flowCookie.includes(encodeURIComponent(email)) && !flowCookie.includes(email),
      'the cookie does not carry the address',
    );

    const account = await findPersonalAccount(db(), email.toUpperCase());
    assert.ok(account, 'the account exists');
    assert.equal(account.emailVerified, false);
    assert.equal(account.displayName, 'Ana <Ortiz>');

    const page = await b.get('/personal/verify');
    assert.equal(page.status, 200);
    assert.match(page.html, /Check your email/);
    assert.match(page.html, /id="code"[^>]*autofocus=""/);

    const mails = await deliver(s, before);
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.deepEqual(mail.to, [email]);
    assert.equal(mail.subject, 'Verify your email address for Portico');
    assert.match(mail.from, /Portico/);
    assert.match(mail.html ?? '', /Ana &lt;Ortiz&gt;/, 'the name is escaped in the HTML part');
    const code = codeIn(mail);

    const done = await b.post('/personal/verify', { code });
    assert.equal(done.status, 200, done.html);
    assert.match(done.html, /Email address verified/);
    assert.ok(
      done.setCookies.some((c) => c.startsWith(`${FLOW_COOKIE}=;`) || /Max-Age=0/i.test(c)),
      'the flow cookie is cleared',
    );
    const verified = await findPersonalAccount(db(), email);
    assert.equal(verified?.emailVerified, true);
    assert.ok(verified?.emailVerifiedAt);
    assert.equal((await checkPersonalPassword(db(), email, PASSWORD))?.id, account.id);
  });

  it('refuses a wrong code with a clear message and keeps the account unverified; the right code still works', async () => {
    const email = address('ben');
    const b = new Browser(s);
    const before = s.smtp.messages().length;
    const { post } = await b.submit('/personal/signup', { email, displayName: 'Ben', password: PASSWORD });
    assert.equal(post.status, 303);
    const code = codeIn((await deliver(s, before))[0]!);
    const wrong = code === '000000' ? '111111' : '000000';
    const res = await b.post('/personal/verify', { code: wrong });
    assert.equal(res.status, 400);
    assert.deepEqual(alerts(res.html), ["That code isn't right. Check the email and try again."]);
    assert.match(res.html, /id="code"[^>]*aria-invalid="true"[^>]*aria-describedby="code-hint code-error"/);
    const malformed = await b.post('/personal/verify', { code: '12ab' });
    assert.equal(malformed.status, 400);
    assert.deepEqual(alerts(malformed.html), ['Enter the 6-digit code from the email.']);
    assert.equal((await findPersonalAccount(db(), email))?.emailVerified, false);
    const ok = await b.post('/personal/verify', { code: `${code.slice(0, 3)} ${code.slice(3)}` });
    assert.equal(ok.status, 200);
    assert.equal((await findPersonalAccount(db(), email))?.emailVerified, true);
  });

  it('mails in German and shows German pages for Accept-Language de-DE', async () => {
    const email = address('dora');
    const b = new Browser(s, 'de-DE,de;q=0.9');
    const before = s.smtp.messages().length;
    const { post, next } = await b.submit('/personal/signup', { email, displayName: 'Dora', password: PASSWORD });
    assert.equal(post.status, 303);
    assert.match(next!.html, /<html lang="de-DE">/);
    assert.match(next!.html, /Prüfen Sie Ihre E-Mails/);
    const [mail] = await deliver(s, before);
    assert.equal(mail?.subject, 'Bestätigen Sie Ihre E-Mail-Adresse für Portico');
    assert.match(mail!.text, /Hallo Dora/);
  });

  it('signing up an existing address mails its owner a notice, creates nothing, and looks the same', async () => {
    const email = address('owner');
    const ownerHash = await hashPassword('the owner password', s.config.passwordCost);
    const owner = await s.portico.services.store.transaction((tx) =>
      createPersonalAccount(tx, s.portico.services.clock, {
        email,
        displayName: 'Owner',
        passwordHash: ownerHash,
        verified: true,
      }),
    );
    const accounts = await countAccounts();

    const fresh = new Browser(s);
    const before0 = s.smtp.messages().length;
    const newcomer = await fresh.submit('/personal/signup', {
      email: address('newcomer'),
      displayName: 'New',
      password: PASSWORD,
    });
    await deliver(s, before0);

    const b = new Browser(s);
    const before = s.smtp.messages().length;
    const { post, next } = await b.submit('/personal/signup', {
      email: email.toUpperCase(),
      displayName: 'Intruder',
      password: 'intruder password 1',
    });
    assert.equal(post.status, newcomer.post.status);
    assert.equal(post.location, newcomer.post.location);
    assert.equal(next!.status, newcomer.next!.status);
    const strip = (html: string) => html.replace(/name="token" value="[^"]+"/g, '');
    assert.equal(strip(next!.html), strip(newcomer.next!.html), 'the same "check your email" page');
    assert.ok(
      post.setCookies.some((c) => c.startsWith(`${FLOW_COOKIE}=`)),
      'a flow cookie all the same',
    );

    const mails = await deliver(s, before);
    assert.equal(mails.length, 1);
    assert.deepEqual(mails[0]!.to, [email]);
    assert.equal(mails[0]!.subject, 'Someone tried to create a Portico account with your address');
    assert.match(mails[0]!.text, /\/personal\/reset/);
    assert.doesNotMatch(mails[0]!.text, /\b\d{6}\b/, 'no code in the notice');

    assert.equal(await countAccounts(), accounts + 1, 'only the newcomer was created');
    const after = await findPersonalAccount(db(), email);
    assert.deepEqual(after, owner, 'the existing account is unchanged');
    assert.ok(await checkPersonalPassword(db(), email, 'the owner password'));
    assert.equal(await checkPersonalPassword(db(), email, 'intruder password 1'), undefined);
    const guess = await b.post('/personal/verify', { code: '123456' });
    assert.equal(guess.status, 400);
    assert.deepEqual(alerts(guess.html), ["That code isn't right. Check the email and try again."]);
  });

  it('bad input gives a clear 400 page and changes nothing', async () => {
    const accounts = await countAccounts();
    const outbox = await countOutbox();
    const b = new Browser(s);
    await b.get('/personal/signup');
    const email = address('weak');
    const cases: [Record<string, string>, string, string][] = [
      [{ email, displayName: 'Weak', password: 'short' }, 'password', 'The password must have at least 10 characters.'],
      [
        { email, displayName: 'Same', password: email.toUpperCase() },
        'password',
        'The password must not be your email address.',
      ],
      [
        { email: 'not-an-address', displayName: 'Bad', password: PASSWORD },
        'email',
        "'not-an-address' is not a valid email address: it needs exactly one @, with a name before it and a domain after it (name@example.com).",
      ],
      [
        { email: 'a@b.example\r\nBcc: x@y.example', displayName: 'Bad', password: PASSWORD },
        'email',
        "'a@b.example\\u000D\\u000ABcc: x@y.example' is not a valid email address: it contains the control character U+000D CARRIAGE RETURN (character 12), which is never part of an address. Type the address again rather than pasting it.",
      ],
      [{ email, displayName: '   ', password: PASSWORD }, 'displayName', 'Enter your name (1 to 256 characters).'],
    ];
    for (const [fields, id, message] of cases) {
      const res = await b.post('/personal/signup', fields);
      assert.equal(res.status, 400, JSON.stringify(fields));
      assert.deepEqual(alerts(res.html), [message]);
      assert.match(
        res.html,
        new RegExp(`id="${id}"[^>]*autofocus=""[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*${id}-error"`),
        'the invalid field has focus and its error',
      );
      assert.doesNotMatch(res.html, /value="(short|correct horse)/, 'passwords are never echoed');
    }
    const xss = await b.post('/personal/signup', {
      email: '<script>alert(1)</script>',
      displayName: '<b>x</b>',
      password: 'short',
    });
    assert.equal(xss.status, 400);
    assert.ok(
      !xss.html.includes('<script>alert(1)</script>') && xss.html.includes('&lt;script&gt;'),
      'values are escaped',
    );
    assert.equal(await countAccounts(), accounts);
    assert.equal(await countOutbox(), outbox);
    assert.equal(await findPersonalAccount(db(), email), undefined);
  });

  it('refuses a form without the token bound to its cookie (CSRF), creating nothing', async () => {
    const accounts = await countAccounts();
    const b = new Browser(s);
    await b.get('/personal/signup');
    const res = await b.post('/personal/signup', {
      email: address('csrf'),
      displayName: 'C',
      password: PASSWORD,
      token: 'forged',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(alerts(res.html), ['This form has expired. Open the page again and resubmit.']);
    const other = new Browser(s);
    other.token = b.token; // a token from another browser's cookie
    const res2 = await other.post('/personal/signup', { email: address('csrf'), displayName: 'C', password: PASSWORD });
    assert.equal(res2.status, 400);
    assert.equal(await countAccounts(), accounts);
  });

  it('a forged, foreign or absent flow cookie on /personal/verify gives a clear page, not a 500', async () => {
    const none = new Browser(s);
    for (const res of [
      await none.get('/personal/verify'),
      await none.post('/personal/verify', { code: '123456' }),
      await none.post('/personal/verify/resend', {}),
    ]) {
      assert.equal(res.status, 400);
      assert.deepEqual(alerts(res.html), ['This page has expired or was opened in another browser. Start again.']);
      assert.match(res.html, /href="\/personal\/signup"/);
    }
    const b = new Browser(s);
    const { post } = await b.submit('/personal/signup', {
      email: address('forge'),
      displayName: 'F',
      password: PASSWORD,
    });
    const value = post.setCookies
      .find((c) => c.startsWith(`${FLOW_COOKIE}=`))!
      .split(';')[0]!
      .slice(FLOW_COOKIE.length + 1);
    const [purpose, subject, exp, sig] = value.split('.');
    const account = await db()
      .selectFrom('personal_accounts')
      .select('id')
      .where('id', '!=', subject!)
      .limit(1)
      .executeTakeFirstOrThrow();
    const forgeries = [
      `${purpose}.${account.id}.${exp}.${sig}`, // someone else's account under this signature
      `${purpose}.${subject}.${Number(exp) + 86_400}.${sig}`, // a later expiry
      `reset.${subject}.${exp}.${sig}`, // another purpose
      'garbage',
      '%00',
      `${value}.x`,
    ];
    for (const forged of forgeries) {
      const res = await fetch(`${s.baseUrl}/personal/verify`, { headers: { cookie: `${FLOW_COOKIE}=${forged}` } });
      assert.equal(res.status, 400, forged);
      assert.match(await res.text(), /This page has expired or was opened in another browser/);
    }
    // The reset confirmation does not accept a verification flow either.
    assert.equal((await b.get('/personal/reset/confirm')).status, 400);
  });

  it('asking for a new code within the cool-down shows the code limit on the page with 429', async () => {
    const b = new Browser(s);
    const email = address('eager');
    const before = s.smtp.messages().length;
    await b.submit('/personal/signup', { email, displayName: 'E', password: PASSWORD });
    const res = await b.post('/personal/verify/resend', {});
    assert.equal(res.status, 429);
    assert.deepEqual(alerts(res.html), [
      'A code was sent less than 60 seconds ago. Wait a moment before asking for another.',
    ]);
    assert.equal(
      (await deliver(s, before)).filter((m) => m.to.includes(email)).length,
      1,
      'only the first code was mailed',
    );
  });
});
