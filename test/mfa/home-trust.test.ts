// Inbound trust of MFA from a guest's home tenant on this deployment (issue #20), over HTTP on both stores. Fabrikam's
// member Raj signs in to a Fabrikam app with his password and an authenticator app (a Conditional Access policy at
// Fabrikam asks for it; the test computes codes with otpauth from the key the page shows). Contoso requires MFA of
// everyone and invites him; he redeems by continuing as the Fabrikam account his browser is signed in with. Without
// inbound trust he must register a method at Contoso; with `inboundTrust.isMfaAccepted` on Contoso's partner settings
// for Fabrikam he is not asked again: the redemption completes, Contoso's session did MFA, and a Contoso app's ID
// token says fed, mfa and otp, as it does when a new browser signed in at Fabrikam continues as Raj at a Contoso
// app's sign-in. The sign-in logs say so (authenticationRequirement multiFactorAuthentication and a second
// authenticationDetails entry: the app's code at Fabrikam, Fabrikam's claim at Contoso, the session after). Kim,
// signed in to Fabrikam with a password only, is still asked at Contoso: the trust accepts MFA the home session did,
// not the home session alone.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { decodeJwt } from 'jose';

import { liveSession, sessionCookieName } from '../../src/sessions/sessions.ts';
import { newUserBody, tenantWithApi, type TenantApi } from '../helpers/api.ts';
import { appClient, REDIRECT, type AppClient } from '../helpers/app-client.ts';
import { postStep, registerTotp, requireMfa, totpCode } from '../helpers/mfa.ts';
import { openLink, submit } from '../helpers/redeem.ts';
import { CookieJar, follow, formAction, postForm } from '../helpers/signin.ts';
import { suite } from '../helpers/suite.ts';

const PASSWORD = newUserBody('x').passwordProfile.password;
const XTAP = '/v1.0/policies/crossTenantAccessPolicy';
suite('MFA trusted from the home tenant', { clock: 'manual', runWorker: false }, ({ s, clock }) => {
  let contoso: TenantApi;
  let fabrikam: TenantApi;
  let fabrikamApp: AppClient;
  let contosoApp: AppClient;

  before(async () => {
    contoso = await tenantWithApi(s, 'Contoso', { domain: 'contoso.example', adminEmail: 'admin@contoso.example' });
    fabrikam = await tenantWithApi(s, 'Fabrikam', { domain: 'fabrikam.example', adminEmail: 'admin@fabrikam.example' });
    fabrikamApp = await appClient(s, fabrikam.tenantId);
    contosoApp = await appClient(s, contoso.tenantId);
    const raj = await fabrikam.api('POST', '/v1.0/users', newUserBody('raj@fabrikam.example', 'Raj'));
    assert.equal(raj.status, 201, JSON.stringify(raj.body));
    const kim = await fabrikam.api('POST', '/v1.0/users', newUserBody('kim@fabrikam.example', 'Kim'));
    assert.equal(kim.status, 201, JSON.stringify(kim.body));
    await requireMfa(fabrikam.api, [raj.body.id as string]);
    await requireMfa(contoso.api, ['All']);
  });

  /** Signs in to Fabrikam's app with a password: the page reached (MFA) or the callback. */
  async function fabrikamSignIn(jar: CookieJar, email: string) {
    const attempt = await fabrikamApp.start();
    const first = await follow(jar, attempt.url, s.baseUrl);
    assert.ok(first.res, `a page, not ${first.url}`);
    const pw = await postForm(jar, new URL(formAction(await first.res.text(), '/identifier'), s.baseUrl).toString(), {
      login: email,
    });
    const res = await postForm(jar, new URL(formAction(await pw.text(), '/password'), s.baseUrl).toString(), {
      login: email,
      password: PASSWORD,
    });
    return { attempt, res, page: res.status === 200 ? await res.text() : '' };
  }

  /** Follows a step's answer back to the app: the callback URL. */
  async function callbackOf(jar: CookieJar, res: Response) {
    assert.equal(res.status, 303, 'back to the app');
    const landed = await follow(jar, new URL(res.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(!landed.res, `left Portico, not ${landed.url}`);
    return landed.url;
  }

  let rajSecret = '';

  /**
   * Raj's browser: signed in to Fabrikam with his password and his authenticator app (registered there the first
   * time, a fresh code from it after that).
   */
  async function rajWithMfa(): Promise<CookieJar> {
    const jar = new CookieJar();
    const { attempt, page } = await fabrikamSignIn(jar, 'raj@fabrikam.example');
    let done: Response;
    if (!rajSecret) {
      const registered = await registerTotp(s, jar, page, () => clock.now());
      rajSecret = registered.secret;
      done = registered.res;
    } else {
      assert.match(page, /Enter code/);
      clock.advance(30_000);
      done = (await postStep(s, jar, page, '/verify/code', { code: totpCode(rajSecret, clock.now().getTime()) })).res;
    }
    const amr = decodeJwt((await attempt.tokens(await callbackOf(jar, done))).id_token!).amr;
    assert.deepEqual(amr, ['pwd', 'mfa', 'otp'], 'Raj did MFA at Fabrikam');
    return jar;
  }

  const invite = async (email: string) => {
    const res = await contoso.api('POST', '/v1.0/invitations', {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: REDIRECT,
      sendInvitationMessage: false,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { inviteRedeemUrl: string; invitedUser: { id: string } };
  };

  /** Opens the invitation in `jar` and continues as the Fabrikam account signed in there, accepting the permissions. */
  async function redeemAsSignedIn(jar: CookieJar, email: string) {
    const inv = await invite(email);
    const switchPage = await openLink(s, inv.inviteRedeemUrl, jar);
    assert.match(switchPage.page, /already signed in/);
    const consent = await submit(s, switchPage, '/redeem/switch', { choice: 'continue' });
    assert.match(consent.page, /Review permissions/, 'no password asked: the Fabrikam session signs them in');
    return { inv, after: await submit(s, consent, '/redeem/consent', { decision: 'accept' }) };
  }

  /** The sign-in log entries of a user at a tenant (Graph's shape), newest first. */
  const signInsOf = async (t: TenantApi, userId: string) => {
    const res = await t.api('GET', `/v1.0/auditLogs/signIns?$filter=userId eq '${userId}'`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.value as {
      signInMethod: string;
      authenticationRequirement: string;
      authenticationDetails: { authenticationMethod: string; authenticationStepResultDetail?: string }[];
    }[];
  };
  /** An entry's authentication as the log says it: the requirement, then each step's method and detail. */
  const authenticationOf = (e: Awaited<ReturnType<typeof signInsOf>>[number]) => [
    e.authenticationRequirement,
    ...e.authenticationDetails.map((d) =>
      d.authenticationStepResultDetail
        ? `${d.authenticationMethod}: ${d.authenticationStepResultDetail}`
        : d.authenticationMethod,
    ),
  ];

  const state = async (id: string) => (await contoso.api('GET', `/v1.0/users/${id}`)).body.externalUserState;

  it('without inbound trust, Raj must register a method at Contoso although he did MFA at Fabrikam', async () => {
    const jar = await rajWithMfa();
    const { inv, after } = await redeemAsSignedIn(jar, 'raj@fabrikam.example');
    assert.equal(after.status, 200, 'a page, not the redirect');
    assert.match(after.page, /More information required/);
    assert.equal(await state(inv.invitedUser.id), 'PendingAcceptance');
  });

  it("with isMfaAccepted for Fabrikam, Raj's MFA at Fabrikam counts: no MFA asked, the session and token say mfa", async () => {
    const partner = await contoso.api('POST', `${XTAP}/partners`, {
      tenantId: fabrikam.tenantId,
      inboundTrust: { isMfaAccepted: true },
    });
    assert.equal(partner.status, 201, JSON.stringify(partner.body));
    const jar = await rajWithMfa();
    const { inv, after } = await redeemAsSignedIn(jar, 'raj@fabrikam.example');
    assert.equal(after.location, REDIRECT, after.page.slice(0, 400));
    assert.equal(await state(inv.invitedUser.id), 'Accepted');

    const { store, clock: c } = s.portico.services;
    const session = await liveSession(store.db, c, contoso.tenantId, jar.value(sessionCookieName(contoso.tenantId)));
    assert.equal(session?.userId, inv.invitedUser.id);
    assert.deepEqual(session?.mfa?.amr, ['otp'], "Contoso's session did MFA, by Fabrikam's method");

    // Contoso's app (its policy requires MFA) signs him in through that session without asking.
    const attempt = await contosoApp.start();
    const reached = await follow(jar, attempt.url, s.baseUrl);
    assert.ok(!reached.res, 'no page: the session signs in');
    const amr = decodeJwt((await attempt.tokens(reached.url)).id_token!).amr;
    assert.deepEqual(amr, ['fed', 'mfa', 'otp']);

    // The sign-in logs say MFA was done and how: at Fabrikam by the authenticator app; at Contoso, the redemption by
    // Fabrikam's claim, the app's sign-in by the session that had it.
    const rajId = (await fabrikam.api('GET', '/v1.0/users/raj@fabrikam.example')).body.id as string;
    assert.deepEqual(authenticationOf((await signInsOf(fabrikam, rajId)).find((e) => e.signInMethod === 'password')!), [
      'multiFactorAuthentication',
      'Password',
      'OATH verification code: MFA successfully completed',
    ]);
    const atContoso = await signInsOf(contoso, inv.invitedUser.id);
    // (the same moment on the manual clock: by method)
    assert.deepEqual(atContoso.map((e) => [e.signInMethod, ...authenticationOf(e)]).sort(), [
      [
        'federated',
        'multiFactorAuthentication',
        'Federated',
        'OATH verification code: MFA requirement satisfied by claim provided by external provider',
      ],
      [
        'session',
        'multiFactorAuthentication',
        'Previously satisfied',
        'Previously satisfied: MFA requirement satisfied by claim in the token',
      ],
    ]);
  });

  it("at a Contoso app's sign-in, continuing as Raj's Fabrikam account (MFA there) asks nothing; the token says mfa", async () => {
    const jar = await rajWithMfa(); // a new browser: signed in at Fabrikam only
    const attempt = await contosoApp.start();
    const first = await follow(jar, attempt.url, s.baseUrl);
    const page = await first.res!.text();
    assert.match(page, /already signed in/);
    const action = new URL(/action="([^"]+\/switch)"/.exec(page)![1]!, s.baseUrl).toString();
    const go = await postForm(jar, action, { csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]!, choice: 'continue' });
    assert.equal(go.status, 303);
    const landed = await follow(jar, new URL(go.headers.get('location')!, s.baseUrl).toString(), s.baseUrl);
    assert.ok(!landed.res, 'no MFA page: back at the app');
    assert.deepEqual(decodeJwt((await attempt.tokens(landed.url)).id_token!).amr, ['fed', 'mfa', 'otp']);
  });

  it('with the trust, Kim (signed in to Fabrikam with a password only) is still asked at Contoso', async () => {
    const jar = new CookieJar();
    const { attempt, res } = await fabrikamSignIn(jar, 'kim@fabrikam.example');
    const amr = decodeJwt((await attempt.tokens(await callbackOf(jar, res))).id_token!).amr;
    assert.deepEqual(amr, ['pwd'], 'no MFA at Fabrikam');
    const kimId = (await fabrikam.api('GET', '/v1.0/users/kim@fabrikam.example')).body.id as string;
    assert.deepEqual((await signInsOf(fabrikam, kimId)).map(authenticationOf), [
      ['singleFactorAuthentication', 'Password'],
    ]);
    const { inv, after } = await redeemAsSignedIn(jar, 'kim@fabrikam.example');
    assert.equal(after.status, 200);
    assert.match(after.page, /More information required/);
    assert.equal(await state(inv.invitedUser.id), 'PendingAcceptance');
  });
});
