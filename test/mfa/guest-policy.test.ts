// Issue #20's "guests, all apps, require MFA" over HTTP on both stores (the browser test, mfa.browser.test.ts, shows
// the registration in Chromium): a passcode guest redeems and is asked to register an authenticator app; the next
// sign-in (passcode again) asks for a code, refuses a wrong one and the one already used, and takes a fresh one. The
// same policy in report-only mode asks nothing and the sign-in log says what it would have done.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { decodeJwt } from 'jose';

import { inviteGuest } from '../helpers/api.ts';
import { appClient, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { postStep, registerTotp, totpCode } from '../helpers/mfa.ts';
import { mailedCode, openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const POLICIES = '/v1.0/identity/conditionalAccess/policies';

suite('guests, all apps, require MFA', { clock: 'manual', tenant: 'Contoso' }, ({ s, t, clock }) => {
  let rp: AppClient;
  let policyId = '';
  const email = 'gus@partner.example';
  let guestId = '';
  let secret = '';

  before(async () => {
    rp = await appClient(s, t.tenantId);
    const policy = await t.api('POST', POLICIES, {
      displayName: 'Guests need MFA',
      state: 'enabled',
      conditions: {
        users: { includeUsers: ['GuestsOrExternalUsers'] },
        applications: { includeApplications: ['All'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    policyId = policy.body.id as string;
  });

  /** Follows a 303 back to the app: the ID token's amr. */
  async function amrAt(jar: CookieJar, res: Response, attempt: Awaited<ReturnType<AppClient['start']>>) {
    assert.equal(res.status, 303);
    const landed = await follow(jar, new URL(res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(!landed.res && landed.url.startsWith(REDIRECT), `back at the app, not ${landed.url}`);
    return decodeJwt((await attempt.tokens(landed.url)).id_token!).amr as string[];
  }

  /** The guest signs in to the app with a mailed passcode: the page after the passcode. */
  async function passcodeSignIn(jar: CookieJar) {
    const attempt = await rp.start();
    const first = await follow(jar, attempt.url, s.baseUrl);
    assert.ok(first.res, `a page, not ${first.url}`);
    const id = await postForm(jar, new URL(formAction(await first.res.text(), '/identifier'), s.baseUrl).toString(), {
      login: email,
    });
    assert.equal(id.status, 303, 'on to the passcode');
    const landing = await follow(jar, new URL(id.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(landing.res);
    const page = await landing.res.text();
    const r = { jar, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]!, page, status: landing.res.status };
    const codePage = /Enter code/.test(page) ? r : await submit(s, r, '/redeem/start');
    const after = await submit(s, codePage, '/redeem/passcode', { code: await mailedCode(s, email) });
    if (!after.location) return { attempt, page: after.page };
    // back at the app's sign-in pages, which run the MFA step or return to the app
    const next = await follow(jar, after.location, s.baseUrl);
    return next.res ? { attempt, page: await next.res.text() } : { attempt, page: '', landed: next.url };
  }

  it('a passcode guest redeems and is asked to register an authenticator app; the token says mfa and otp', async () => {
    const invited = await inviteGuest(t.api, email, 'Gus');
    guestId = invited.id;
    const jar = new CookieJar();
    const codePage = await submit(s, await openLink(s, invited.redeemUrl, jar), '/redeem/start');
    const consent = await submit(s, codePage, '/redeem/passcode', { code: await mailedCode(s, email) });
    const asked = await submit(s, consent, '/redeem/consent', { decision: 'accept' });
    assert.equal(asked.status, 200);
    const registered = await registerTotp(s, jar, asked.page, () => clock.now());
    secret = registered.secret;
    assert.equal(registered.res.status, 303);
    assert.equal((await t.api('GET', `/v1.0/users/${guestId}`)).body.externalUserState, 'Accepted');
  });

  it('the next sign-in asks for a code: a wrong one and a used one are refused, a fresh one passes', async () => {
    const jar = new CookieJar();
    const { attempt, page } = await passcodeSignIn(jar);
    assert.match(page, /Enter code/);
    assert.doesNotMatch(page, /More information required/);
    const now = () => totpCode(secret, clock.now().getTime());
    const wrong = await postStep(s, jar, page, '/verify/code', { code: now() === '000000' ? '111111' : '000000' });
    assert.equal(wrong.res.status, 400);
    // the code that registered the app, still in its 30 seconds: used already
    const reused = await postStep(s, jar, wrong.page, '/verify/code', { code: now() });
    assert.equal(reused.res.status, 400);
    assert.match(reused.page, /already used/);
    clock.advance(30_000);
    const fresh = await postStep(s, jar, reused.page, '/verify/code', { code: now() });
    assert.deepEqual(await amrAt(jar, fresh.res, attempt), ['otp', 'mfa']);
  });

  it('in report-only mode the policy asks nothing; the sign-in log says it would have', async () => {
    const patched = await t.api('PATCH', `${POLICIES}/${policyId}`, { state: 'enabledForReportingButNotEnforced' });
    assert.equal(patched.status, 204);
    const jar = new CookieJar();
    clock.advance(60_000); // this sign-in's log entry is the newest
    const { attempt, page, landed } = await passcodeSignIn(jar);
    assert.equal(page, '', 'no MFA page');
    assert.ok(landed?.startsWith(REDIRECT), `back at the app, not ${landed}`);
    assert.deepEqual(decodeJwt((await attempt.tokens(landed!)).id_token!).amr, ['otp']);
    const log = await t.api('GET', `/v1.0/auditLogs/signIns?$filter=userId eq '${guestId}'`);
    const entry = (
      log.body.value as {
        signInMethod: string;
        authenticationRequirement: string;
        appliedConditionalAccessPolicies: { displayName: string; result: string }[];
      }[]
    )[0]!;
    assert.equal(entry.signInMethod, 'passcode');
    assert.equal(entry.authenticationRequirement, 'singleFactorAuthentication');
    assert.deepEqual(
      entry.appliedConditionalAccessPolicies.map((p) => [p.displayName, p.result]),
      [['Guests need MFA', 'reportOnlyInterrupted']],
    );
  });
});
