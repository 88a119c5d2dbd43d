// Multifactor authentication with an authenticator app, end to end over HTTP (issue #20), with a real Conditional
// Access policy made through the API: a member whom a policy requires MFA of signs in to an app (openid-client), is
// told "More information required", registers an authenticator app (the test computes its codes with otpauth from
// the key the page shows), gets ten recovery codes, and the ID token's amr says pwd, mfa and otp. The next sign-in
// asks for a code: a wrong one and the one already used are refused, a fresh one passes; a recovery code works once;
// tries are limited per account. The browser's session keeps its MFA (a second app signs in without a code), and
// prompt=login asks again. Graph's authentication methods API lists the methods; an administrator's delete makes the
// person register again and the old app's codes stop working. Every change is audited and mailed to the person.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { Secret, TOTP } from 'otpauth';

import { assertGraphError, narrowApi, newUserBody, readAllPages, type GraphObject } from '../helpers/api.ts';
import { appClient, userToken, type AppClient } from '../helpers/app-client.ts';
import { apiClient } from '../helpers/server.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
/** The sealed setup value the registration form carries. */
const pendingOf = (html: string) => /name="pending" value="([^"]+)"/.exec(html)![1]!;

suite('MFA with an authenticator app', { clock: 'manual', tenant: 'Contoso' }, ({ s, t, clock }) => {
  let rp: AppClient;
  let ana: GraphObject;
  const upn = () => `ana@${t.domain}`;
  const mail = 'ana.mail@partner.example';

  before(async () => {
    rp = await appClient(s, t.tenantId);
    ana = (await t.api('POST', '/v1.0/users', newUserBody(upn(), 'Ana', { mail }))).body;
    const policy = await t.api('POST', '/v1.0/identity/conditionalAccess/policies', {
      displayName: 'Require MFA for Ana',
      state: 'enabled',
      conditions: { users: { includeUsers: [ana.id] }, applications: { includeApplications: ['All'] } },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
  });

  /** Opens the app's sign-in in `jar` and gives the password: the page reached (200) or the callback. */
  async function password(jar: CookieJar, extra = '') {
    const attempt = await rp.start();
    const first = await follow(jar, attempt.url + extra, s.baseUrl);
    assert.ok(first.res, `a page, not ${first.url}`);
    const idPage = await first.res.text();
    const pw = await postForm(jar, new URL(formAction(idPage, '/identifier'), s.baseUrl).toString(), { login: upn() });
    const pwPage = await pw.text();
    const res = await postForm(jar, new URL(formAction(pwPage, '/password'), s.baseUrl).toString(), {
      login: upn(),
      password: PASSWORD,
    });
    return { attempt, res, page: res.status === 200 ? await res.text() : '' };
  }

  /** Posts a step's form on `page` and reads the answer: a page or the app's callback with its ID token. */
  async function post(jar: CookieJar, page: string, path: string, fields: Record<string, string> = {}) {
    const res = await postForm(jar, new URL(formAction(page, path), s.baseUrl).toString(), {
      csrf: csrfOf(page),
      ...fields,
    });
    return { res, page: res.status === 303 ? '' : await res.text() };
  }

  async function callbackOf(jar: CookieJar, res: Response) {
    assert.equal(res.status, 303, 'back to the app');
    const landed = await follow(jar, new URL(res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(!landed.res, `left Portico, not ${landed.url}`);
    return landed.url;
  }

  const amrOf = async (attempt: Awaited<ReturnType<AppClient['start']>>, callback: string) =>
    decodeJwt((await attempt.tokens(callback)).id_token!).amr as string[];

  let secret = '';
  let recovery: string[] = [];
  const code = () => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });
  const registeredJar = new CookieJar();

  it('asks for more information, registers an authenticator app, shows recovery codes; the token says mfa and otp', async () => {
    const { attempt, res, page } = await password(registeredJar);
    assert.equal(res.status, 200);
    assert.match(page, /More information required/);
    const setup = await post(registeredJar, page, '/mfa/start');
    assert.equal(setup.res.status, 200);
    assert.match(setup.page, /<img class="qr" src="data:image\/svg\+xml;base64,/);
    secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(setup.page)![1]!.replace(/ /g, '');
    assert.equal(secret.length, 32, '160 bits in base32');
    // A wrong code registers nothing.
    const wrong = await post(registeredJar, setup.page, '/register/code', {
      code: code() === '000000' ? '111111' : '000000',
      pending: pendingOf(setup.page),
    });
    assert.equal(wrong.res.status, 400);
    assert.match(wrong.page, /not right/);
    assert.equal((await t.api('GET', `/v1.0/users/${ana.id}/authentication/softwareOathMethods`)).body.value.length, 0);
    // A sealed setup value that is not this person's is refused as expired.
    const forged = await post(registeredJar, setup.page, '/register/code', {
      code: code(),
      pending: 'v1.AAAA.BBBB.CCCC',
    });
    assert.equal(forged.res.status, 400);
    assert.equal(pendingOf(wrong.page), pendingOf(setup.page), 'the same key is shown again');
    const shown = await post(registeredJar, wrong.page, '/register/code', {
      code: code(),
      pending: pendingOf(wrong.page),
    });
    assert.equal(shown.res.status, 200);
    assert.match(shown.page, /Save your recovery codes/);
    recovery = [...shown.page.matchAll(/<li><code>([0-9A-Z-]+)<\/code><\/li>/g)].map((m) => m[1]!);
    assert.equal(recovery.length, 10);
    const done = await post(registeredJar, shown.page, '/mfa/continue');
    const amr = await amrOf(attempt, await callbackOf(registeredJar, done.res));
    assert.deepEqual(amr, ['pwd', 'mfa', 'otp']);
  });

  /** The subjects of the mail Ana got, once the outbox delivered what it holds. */
  async function mailedSubjects(expected: string): Promise<string[]> {
    await s.portico.worker.runOnce();
    let subjects: string[] = [];
    for (let i = 0; i < 100 && !subjects.includes(expected); i++) {
      subjects = s.smtp
        .messages()
        .filter((m) => m.to.includes(mail))
        .map((m) => m.subject);
      if (!subjects.includes(expected)) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return subjects;
  }

  it('mails the person and audits the registration and the recovery codes', async () => {
    const subjects = await mailedSubjects('New recovery codes for your Contoso account');
    assert.ok(subjects.includes('A sign-in method was added to your Contoso account'), subjects.join(' | '));
    assert.ok(subjects.includes('New recovery codes for your Contoso account'), subjects.join(' | '));
    const audits = (await readAllPages(t.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items.map(
      (a) => a.activityDisplayName,
    );
    assert.ok(audits.includes('User registered security info'));
    assert.ok(audits.includes('User generated new recovery codes'));
  });

  it('keeps MFA in the browser session: signing in again there asks nothing; prompt=login asks again', async () => {
    const again = await rp.start();
    const reached = await follow(registeredJar, again.url, s.baseUrl);
    assert.ok(!reached.res, 'no page: the session signs in');
    const tokens = await again.tokens(reached.url);
    assert.deepEqual(decodeJwt(tokens.id_token!).amr, ['pwd', 'mfa', 'otp']);
    // Its refresh token did MFA: the policy lets it refresh (oidc/token-gate.ts refuses one without).
    assert.ok((await client.refreshTokenGrant(rp.rp, tokens.refresh_token!)).access_token);
    const login = await password(registeredJar, '&prompt=login');
    assert.equal(login.res.status, 200);
    assert.match(login.page, /Enter code/);
  });

  it('asks for a code at the next sign-in: a wrong code, then the used one, are refused; a fresh one passes', async () => {
    const jar = new CookieJar();
    const { attempt, page } = await password(jar);
    assert.match(page, /Enter code/);
    assert.doesNotMatch(page, /More information required/);
    const wrong = await post(jar, page, '/verify/code', { code: code() === '000000' ? '111111' : '000000' });
    assert.equal(wrong.res.status, 400);
    // the code that registered the app, still within its 30 seconds: used already
    const reused = await post(jar, wrong.page, '/verify/code', { code: code() });
    assert.equal(reused.res.status, 400);
    assert.match(reused.page, /already used/);
    clock.advance(30_000);
    const fresh = await post(jar, reused.page, '/verify/code', { code: code() });
    assert.deepEqual(await amrOf(attempt, await callbackOf(jar, fresh.res)), ['pwd', 'mfa', 'otp']);
    // the same fresh code in another browser a moment later: used
    const other = new CookieJar();
    const second = await password(other);
    assert.match((await post(other, second.page, '/verify/code', { code: code() })).page, /already used/);
    clock.advance(30_000);
  });

  it('accepts a recovery code once', async () => {
    const jar = new CookieJar();
    const { attempt, page } = await password(jar);
    const chooser = await post(jar, page, '/mfa/choose', { use: 'recovery' });
    assert.match(chooser.page, /Use a recovery code/);
    const used = await post(jar, chooser.page, '/mfa/recovery', { code: recovery[0]!.toLowerCase() });
    // A recovery code is no RFC 6238 one-time password: the amr says mfa, and no method it was not.
    assert.deepEqual(await amrOf(attempt, await callbackOf(jar, used.res)), ['pwd', 'mfa']);
    // The sign-in log names it as its own method, not as the authenticator app's code.
    const log = await t.api('GET', `/v1.0/auditLogs/signIns?$filter=userId eq '${ana.id}'`);
    const details = (log.body.value as { authenticationDetails: { authenticationMethod: string }[] }[]).map((e) =>
      e.authenticationDetails.map((d) => d.authenticationMethod),
    );
    assert.deepEqual(details[0], ['Password', 'Recovery code'], JSON.stringify(details));
    assert.equal(details.flat().filter((m) => m === 'Recovery code').length, 1, 'only the sign-in that used one');
    // The browser's session keeps that MFA was done: the next sign-in there asks nothing and says mfa again.
    const reuse = await rp.start();
    const reused = await follow(jar, reuse.url, s.baseUrl);
    assert.ok(!reused.res, 'no page: the session signs in');
    assert.deepEqual(decodeJwt((await reuse.tokens(reused.url)).id_token!).amr, ['pwd', 'mfa']);
    const again = new CookieJar();
    const second = await password(again);
    const chooser2 = await post(again, second.page, '/mfa/choose', { use: 'recovery' });
    const refused = await post(again, chooser2.page, '/mfa/recovery', { code: recovery[0]! });
    assert.equal(refused.res.status, 400);
    assert.match(refused.page, /not right, or it was already used/);
  });

  it('limits tries per account: the 11th in 15 minutes is refused without checking', async () => {
    // a fresh window: the tries of the tests above (a reused code, a used recovery code) are behind it
    clock.advance(15 * 60_000);
    const jar = new CookieJar();
    const { page } = await password(jar);
    let current = page;
    for (let i = 0; i < 10; i++) {
      const r = await post(jar, current, '/verify/code', { code: '000000' === code() ? '111111' : '000000' });
      assert.equal(r.res.status, 400);
      current = r.page;
    }
    const throttled = await post(jar, current, '/verify/code', { code: code() });
    assert.equal(throttled.res.status, 429, 'even the right code');
    // the window over (and this sign-in with it): the right code passes again
    clock.advance(15 * 60_000);
    const later = new CookieJar();
    const next = await password(later);
    const ok = await post(later, next.page, '/verify/code', { code: code() });
    assert.equal(ok.res.status, 303);
  });

  it("follows the tenant's authentication methods policy: a disabled authenticator app is neither offered nor accepted", async () => {
    const config = '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/SoftwareOath';
    assert.equal((await t.api('PATCH', config, { state: 'disabled' })).status, 204);
    try {
      clock.advance(30_000);
      const jar = new CookieJar();
      const { page } = await password(jar);
      assert.match(page, /Use a recovery code/);
      assert.doesNotMatch(page, /verify\/code/);
      const action = new URL(formAction(page, '/mfa/recovery'), s.baseUrl)
        .toString()
        .replace('/mfa/recovery', '/mfa/softwareOath/verify/code');
      const refused = await postForm(jar, action, { csrf: csrfOf(page), code: code() });
      assert.equal(refused.status, 200, 'the step is shown again, the code not taken');
      assert.match(await refused.text(), /Use a recovery code/);
    } finally {
      assert.equal((await t.api('PATCH', config, { state: 'enabled' })).status, 204);
    }
  });

  it("lists the methods in Graph's shape; an administrator's delete makes the person register again", async () => {
    const reader = await narrowApi(s, t.tenantId, ['UserAuthenticationMethod.Read.All']);
    const listed = await reader('GET', `/v1.0/users/${ana.id}/authentication/methods`);
    assert.equal(listed.status, 200);
    const types = listed.body.value.map((m: GraphObject) => m['@odata.type']).sort();
    assert.deepEqual(types, [
      '#microsoft.graph.passwordAuthenticationMethod',
      '#microsoft.graph.softwareOathAuthenticationMethod',
    ]);
    const oath = await reader('GET', `/v1.0/users/${ana.id}/authentication/softwareOathMethods`);
    assert.equal(oath.body.value.length, 1);
    const id = oath.body.value[0].id as string;
    assert.deepEqual(oath.body.value[0], { id, secretKey: null });
    assert.deepEqual(
      (await reader('GET', `/v1.0/users/${ana.id}/authentication/softwareOathMethods/${id}`)).body.id,
      id,
    );
    // reading is not deleting; an unknown collection or method is a 404
    assertGraphError(
      await reader('DELETE', `/v1.0/users/${ana.id}/authentication/softwareOathMethods/${id}`),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(
      await reader('GET', `/v1.0/users/${ana.id}/authentication/smsMethods`),
      404,
      'Request_ResourceNotFound',
    );
    const writer = await narrowApi(s, t.tenantId, ['UserAuthenticationMethod.ReadWrite.All']);
    assert.equal(
      (await writer('DELETE', `/v1.0/users/${ana.id}/authentication/softwareOathMethods/${id}`)).status,
      204,
    );
    assertGraphError(
      await writer('DELETE', `/v1.0/users/${ana.id}/authentication/softwareOathMethods/${id}`),
      404,
      'Request_ResourceNotFound',
    );
    const removed = 'A sign-in method was removed from your Contoso account';
    assert.ok((await mailedSubjects(removed)).includes(removed));
    const audits = (await readAllPages(t.api, s.baseUrl, '/v1.0/auditLogs/directoryAudits')).items;
    assert.ok(audits.some((a) => a.activityDisplayName === 'Admin deleted security info'));
    // The next sign-in asks to register again; the old app's code and the recovery codes are no way in.
    const jar = new CookieJar();
    const { page } = await password(jar);
    assert.match(page, /More information required/);
    assert.doesNotMatch(page, /Use a recovery code/);
    const forged = await postForm(
      jar,
      new URL(formAction(page, '/mfa/start'), s.baseUrl).toString().replace('/mfa/start', '/mfa/recovery'),
      {
        csrf: csrfOf(page),
        code: recovery[1]!,
      },
    );
    assert.equal(forged.status, 400);
  });

  it("answers /me/authentication for a user's delegated token, and refuses others' methods without a role", async () => {
    const bobUpn = `bob@${t.domain}`;
    assert.equal((await t.api('POST', '/v1.0/users', newUserBody(bobUpn, 'Bob'))).status, 201);
    const bob = apiClient(s.baseUrl, await userToken(s, t.tenantId, bobUpn, PASSWORD));
    const mine = await bob('GET', '/v1.0/me/authentication/methods');
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.value.map((m: GraphObject) => m['@odata.type']),
      ['#microsoft.graph.passwordAuthenticationMethod'],
    );
    assert.deepEqual((await bob('GET', '/v1.0/me/authentication/softwareOathMethods')).body.value, []);
    assertGraphError(
      await bob('DELETE', '/v1.0/me/authentication/softwareOathMethods/00000000-0000-0000-0000-000000000000'),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(
      await bob('GET', `/v1.0/users/${ana.id}/authentication/methods`),
      403,
      'Authorization_RequestDenied',
    );
  });
});
